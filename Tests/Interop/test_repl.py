#!/usr/bin/python3
"""The REPL on a pseudo-terminal, driven as a person would: Tab, Up, Ctrl-R, Ctrl-C, Ctrl-D, UTF-8.

Run with Debian's Python, which has python3-pexpect:
/usr/bin/python3 Tests/Interop/test_repl.py [path/to/eventlab]
"""
import os
import shutil
import sys
import tempfile
import time
import unittest

import pexpect

import quiet
from repl_session import PROMPT, ReplSession

EVENTLAB = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".build/debug/eventlab")


class Session(ReplSession):
    """One eventlab process on a pty, in a workspace and home of the test's own."""

    def __init__(self, home, options=("--clock", "logical"), **extra_env):
        super().__init__(EVENTLAB, home, ["--data", os.path.join(home, "data"), *options], **extra_env)


class ReplTests(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="eventlab-pty-")

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def test_tab_completes_a_command_and_a_topic_name(self):
        session = Session(self.home)
        session.run("topic create orders --partitions 3")
        session.type("pub\t")
        session.type("ord\t")
        output = session.run("hello")
        self.assertIn("orders p1 @0  (no key: sticky partitioner", output)
        self.assertEqual(session.close(), 0)

    def test_tab_completes_a_table_name_and_its_keys(self):
        session = Session(self.home)
        session.run("topic create customers --compact; publish customers key=c-1 x; table create customer-view --from customers")
        session.type("table get cust\t")
        session.type("c\t")
        output = session.run("")
        self.assertIn("set by customers p0 @0", output)
        self.assertEqual(session.close(), 0)

    def test_up_recalls_a_line_from_a_previous_run(self):
        first = Session(self.home)
        first.run("topic create remembered")
        self.assertEqual(first.close(), 0)
        history = os.path.join(self.home, "state", "eventlab", "history")
        self.assertEqual(os.stat(history).st_mode & 0o777, 0o600)
        second = Session(self.home)
        second.type("\x1b[A")
        output = second.run("")
        self.assertIn("topic 'remembered' already exists", output)
        second.close()

    def test_ctrl_r_finds_an_old_command(self):
        first = Session(self.home)
        first.run("topic create searched")
        first.run("topic list")
        first.close()
        second = Session(self.home)
        second.child.sendcontrol("r")
        second.type("create sea")
        output = second.run("")
        self.assertIn("topic 'searched' already exists", output)
        second.close()

    def test_ctrl_c_cancels_a_half_typed_line(self):
        session = Session(self.home)
        session.type("topic create half")
        session.child.sendcontrol("c")
        session.ready()
        output = session.run("topic list")
        self.assertIn("no topics yet", output)
        self.assertEqual(session.close(), 0)

    def test_a_line_ending_in_a_backslash_continues_and_ctrl_c_cancels_the_pending_command(self):
        session = Session(self.home)
        session.type("topic create joined \\\r")
        session.child.expect_exact("     ...> ")
        session.child.waitnoecho()
        output = session.run("  --partitions 2")
        self.assertIn("created topic joined with 2 partitions", output)
        session.type("\x1b[A")
        output = session.run("")
        self.assertIn("topic 'joined' already exists", output, "Up recalls the continued command as one line")
        session.type("topic create cancelled \\\r")
        session.child.expect_exact("     ...> ")
        session.child.waitnoecho()
        session.child.sendcontrol("c")
        session.ready()
        output = session.run("topic list")
        self.assertIn("joined", output)
        self.assertNotIn("cancelled", output)
        self.assertEqual(session.close(), 0)

    def test_ctrl_c_stops_consume_follow_and_the_repl_goes_on(self):
        session = Session(self.home)
        session.run("topic create live")
        session.run("publish live first")
        session.child.send("consume live --follow\r")
        session.child.expect_exact("first")
        session.child.sendcontrol("c")
        session.ready()
        self.assertIn("1 record", session.child.before)
        output = session.run("topic list")
        self.assertIn("live", output)
        self.assertEqual(session.close(), 0)

    def test_ctrl_c_stops_a_drain_of_services_feeding_each_other(self):
        session = Session(self.home)
        for line in ["topic create ping", "topic create pong", "service create a --from ping",
                     "service a on Ball emit pong $", "service create b --from pong", "service b on Ball emit ping $"]:
            session.run(line)
        # Two thousand balls bounced a thousand rounds take far longer than the learner waits.
        session.child.send('publish ping --repeat 2000 {"type":"Ball"}\r')
        session.child.expect_exact("ping p0")
        time.sleep(0.5)
        session.child.sendcontrol("c")
        session.child.expect("the drain stopped at Ctrl-C after [0-9]+ rounds? with records still unread", timeout=60)
        session.ready()
        # The balls go on after the next command, unless the loop is broken, as the warning says.
        session.run("service stop a")
        self.assertRegex(session.run("service list"), r"(?m)^a +ping +1 +stopped ")
        self.assertEqual(session.close(), 0)

    def test_ctrl_c_leaves_the_next_prompt_on_a_new_line(self):
        session = Session(self.home)
        session.type("topic descr")
        session.child.sendcontrol("c")
        session.child.expect(r"\^C(.*?)" + PROMPT)
        self.assertIn("\n", session.child.match.group(1))
        session.child.waitnoecho()
        self.assertEqual(session.close(), 0)

    def test_ctrl_c_ends_consume_follow_on_a_new_line(self):
        session = Session(self.home)
        session.run("topic create live")
        session.run("publish live first")
        session.child.send("consume live --follow\r")
        session.child.expect_exact("first")
        session.child.sendcontrol("c")
        session.ready()
        self.assertRegex(session.child.before, r"(^|\n)1 record\r?\n")
        self.assertEqual(session.close(), 0)

    def test_on_the_system_clock_a_service_keeps_up_with_a_client_while_the_learner_is_idle(self):
        import re
        import subprocess
        session = Session(self.home, options=("--clock", "system"))
        session.run("topic create orders; topic create payments; service create billing --from orders")
        session.run('service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id} key=$.id')
        address = re.search(r"127\.0\.0\.1:\d+", session.run("listen 0")).group(0)

        def produce(order):
            subprocess.run(["kcat", "-b", address, "-P", "-t", "orders"], input='{"type":"OrderPlaced","id":"%s"}\n' % order,
                           text=True, check=True, timeout=60)

        def emitted(count):
            consumed = subprocess.run(["kcat", "-b", address, "-C", "-t", "payments", "-o", "beginning", "-c", str(count),
                                       "-f", "%s\n"], capture_output=True, text=True, check=True, timeout=60)
            return consumed.stdout.splitlines()

        produce("o-1")
        # Nothing typed: the line comes on its own, with a fresh prompt under it.
        session.child.expect_exact("billing ← orders p0 @0 OrderPlaced → payments p0 @0 PaymentRequested\r\n")
        session.ready()
        # A half-typed line: the service keeps up at once, but what it says waits for Enter.
        session.type("topic li")
        produce("o-2")
        self.assertEqual(emitted(2)[1], '{"type":"PaymentRequested","order":"o-2"}')
        output = session.run("st")
        self.assertRegex(output, r"^topic list\r\nbilling ← orders p0 @1 OrderPlaced → payments p0 @1 PaymentRequested\r\nTOPIC ")
        # A command continued over lines is being typed too, even at an empty `...>` prompt.
        session.type("topic create later \\\r")
        session.child.expect_exact("     ...> ")
        session.child.waitnoecho()
        produce("o-3")
        self.assertEqual(emitted(3)[2], '{"type":"PaymentRequested","order":"o-3"}')
        output = session.run("--partitions 2")
        self.assertRegex(output, r"^--partitions 2\r\nbilling ← orders p0 @2 OrderPlaced → payments p0 @2 PaymentRequested\r\n"
                                 r"created topic later")
        self.assertEqual(session.close(), 0)

    def test_on_the_logical_clock_services_read_only_after_a_command_even_when_a_client_produces(self):
        import re
        import subprocess
        session = Session(self.home)
        session.run("topic create orders; topic create payments; service create billing --from orders")
        session.run('service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id} key=$.id')
        address = re.search(r"127\.0\.0\.1:\d+", session.run("listen 0")).group(0)
        subprocess.run(["kcat", "-b", address, "-P", "-t", "orders"], input='{"type":"OrderPlaced","id":"o-1"}\n',
                       text=True, check=True, timeout=60)
        # The command runs before the services read: billing has not read the record yet.
        output = session.run("service list")
        self.assertRegex(output, r"billing +orders +1 +running +1\r\nbilling ← orders p0 @0 OrderPlaced")
        self.assertEqual(session.close(), 0)

    def listening_with_member(self, **options):
        """A REPL listening on a free port with topic `shared` (2 partitions), and a kafka-python
        member of group g that has its assignment."""
        import socket
        from kafka import KafkaConsumer
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        session = Session(self.home)
        session.run("topic create shared --partitions 2")
        self.assertIn("listening", session.run("listen %d" % port))
        consumer = KafkaConsumer("shared", group_id="g", bootstrap_servers="127.0.0.1:%d" % port,
                                 heartbeat_interval_ms=200, **options)
        while not consumer.assignment():
            consumer.poll(timeout_ms=100)
        return session, consumer

    def test_consume_group_says_it_waits_for_a_rebalance_and_which_partitions_it_got(self):
        import threading
        session, consumer = self.listening_with_member(consumer_timeout_ms=100)
        stop = threading.Event()

        def keep_polling():
            while not stop.is_set():
                consumer.poll(timeout_ms=100)
        poller = threading.Thread(target=keep_polling)
        poller.start()
        try:
            session.child.send("consume shared --group g\r")
            session.child.expect_exact("waiting for group g's other members to rejoin")
            session.ready()
            self.assertRegex(session.child.before, r"rebalanced: this member got (p0|p1|no partitions) of shared")
        finally:
            stop.set()
            poller.join()
            consumer.close()
        self.assertEqual(session.close(), 0)

    def test_group_reset_refuses_a_group_with_a_live_client_member_as_kafka_does(self):
        import time
        session, consumer = self.listening_with_member()
        refused = session.run("group reset g --topic shared --to earliest --execute")
        self.assertIn("Assignments can only be reset if the group 'g' is inactive, but the current state is Stable", refused)
        consumer.close()
        deadline = time.monotonic() + 30
        done = session.run("group reset g --topic shared --to earliest --execute")
        while "reset done" not in done and time.monotonic() < deadline:
            done = session.run("group reset g --topic shared --to earliest --execute")
        self.assertIn("reset done", done)
        self.assertEqual(session.close(), 0)

    def test_ctrl_d_exits_with_status_0(self):
        session = Session(self.home)
        self.assertEqual(session.close(), 0)

    def test_utf8_edits_with_lang_unset(self):
        session = Session(self.home)
        session.run("topic create t")
        session.type("publish t key=café x🎉y")
        session.type("\x1b[D")  # Left over "y"
        session.type("\x7f")    # Backspace deletes the emoji as one character
        session.run("")
        output = session.run("consume t")
        self.assertIn("café  xy", output)
        session.close()

    def test_errors_are_red_on_a_terminal_but_not_with_no_color(self):
        session = Session(self.home)
        self.assertIn("\x1b[31merror:\x1b[0m", session.run("topic describe nope"))
        session.close()
        plain = Session(self.home, NO_COLOR="1")
        output = plain.run("topic describe nope")
        self.assertIn("error: topic 'nope' does not exist", output)
        self.assertNotIn("\x1b[31m", output)
        plain.close()

    def test_the_banner_says_where_the_workspace_is_and_which_clock_runs(self):
        session = Session(self.home)
        banner = session.child.before
        self.assertIn("EventLab 0.1.0", banner)
        self.assertIn("workspace " + os.path.join(self.home, "data") + " (on disk, kept between runs)"
                      + " · logical clock (moves only on `clock advance`)", banner)
        session.close()

    def test_workspace_reset_asks_first(self):
        session = Session(self.home)
        session.run("topic create precious")
        session.child.send("workspace reset\r")
        session.child.expect_exact("[y/N]")
        session.child.waitnoecho()
        output = session.run("n")
        self.assertIn("nothing deleted", output)
        self.assertIn("precious", session.run("topic list"))
        session.close()

    def test_a_background_cleaning_waits_for_the_line_being_typed_and_shows_before_that_command_prints(self):
        session = Session(self.home, options=("--clock", "system", "--set", "log.retention.check.interval.ms=200"))
        session.run("topic create t --segment-records 1 --retention 1s")
        session.run("publish t a")
        session.run("publish t b")
        session.type("topic li")
        session.child.expect_exact("topic li")
        first_segment = os.path.join(self.home, "data", "brokers", "1", "topics", "t", "0", "00000000000000000000.log")
        deadline = time.monotonic() + 30
        while os.path.exists(first_segment) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(os.path.exists(first_segment), "the scheduled cleaning never deleted the old segment")
        try:
            typed_meanwhile = session.child.read_nonblocking(size=10000, timeout=0.5)
        except pexpect.TIMEOUT:
            typed_meanwhile = ""
        self.assertEqual(typed_meanwhile, "")
        output = session.run("st")
        # What happened while the line was typed comes first, then what the command printed.
        typed, after = output.split("scheduled cleaning at ", 1)
        notice, listing = after.split("TOPIC  PARTITIONS", 1)
        self.assertEqual(typed, "st\r\n")
        # Both records may have expired by the first check that runs, the active segment included.
        self.assertRegex(notice, r"t p0 retention deleted (1 segment \(1 record\); log now starts at 1|2 segments \(2 records\); log now starts at 2)")
        self.assertIn("t ", listing)
        self.assertEqual(session.close(), 0)


if __name__ == "__main__":
    quiet.run()
