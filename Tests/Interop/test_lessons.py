#!/usr/bin/python3
"""A lesson on a pseudo-terminal, taken as a learner would: start lesson 1, reach a goal, ask for
a hint and the solution, leave, come back and carry on where it was left.

Run with Debian's Python, which has python3-pexpect:
/usr/bin/python3 Tests/Interop/test_lessons.py [path/to/eventlab]
"""
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import unittest

import pexpect

import quiet
from repl_session import PROMPT, ReplSession

EVENTLAB = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".build/debug/eventlab")


class Session(ReplSession):
    """One eventlab process on a pty, its playground, state and home the test's own; lessons are
    found from the executable's repository, as a learner's would be."""

    def __init__(self, home):
        super().__init__(EVENTLAB, home, ["--data", os.path.join(home, "playground")], rows=40, LANG="C.UTF-8")
        self.banner = self.child.before


class LessonTests(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="eventlab-lessons-pty-")

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def test_a_lesson_is_taken_left_and_resumed_where_it_was(self):
        """Tab completes the lesson's name; its goals, hint and solution show; a new session
        resumes it at the same step with the same state, and the playground is untouched."""
        first = Session(self.home)
        self.assertNotIn("lesson start", first.banner)
        first.run("topic create mine")
        first.child.send("lesson start th\t")
        started = first.run("")
        self.assertIn("Lesson 1: The log", started)
        self.assertIn("Make a topic", started)

        reached = first.run("topic create orders --partitions 3")
        self.assertIn("✓", reached)
        self.assertIn("topic orders has 3 partitions", reached)
        self.assertIn("Append records", reached)

        self.assertIn("Hint 1 of 2:", first.run("lesson hint"))

        first.child.send("lesson solution\r")
        first.child.expect_exact("Show the solution of step 2?")
        first.child.expect_exact("[y/N] ")
        first.child.waitnoecho()
        first.child.send("y\r")
        first.ready()
        self.assertIn("publish orders key=o-1", first.child.before)

        first.run('publish orders key=o-1 {"type":"OrderPlaced","total":42}')
        self.assertEqual(first.close(), 0)

        second = Session(self.home)
        self.assertIn("Lesson 1 was left at step 2: `lesson start 1` resumes it.", second.banner)
        resumed = second.run("lesson start 1")
        self.assertIn("You were at lesson 1, step 2", resumed)
        self.assertIn("Append records", resumed)
        self.assertIn("topic orders has 1 record; the goal is at least 3", second.run("lesson check"))
        # Tab completes the lesson's topics, which the playground does not have.
        second.child.send("topic describe or\t")
        self.assertIn("orders · 3 partitions", second.run(""))
        self.assertNotIn("mine", second.run("topic list"))
        second.run("lesson exit")
        self.assertIn("mine", second.run("topic list"))
        self.assertEqual(second.close(), 0)

    def test_a_second_eventlab_forgets_no_lesson_workspace_the_first_has_open(self):
        """`lesson forget --yes` in another EventLab keeps the lesson running here, naming it,
        and the lesson goes on."""
        first = Session(self.home)
        first.run("lesson start 1")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home,
               "XDG_STATE_HOME": os.path.join(self.home, "state"), "LANG": "C.UTF-8"}
        second = subprocess.run([EVENTLAB, "--data", os.path.join(self.home, "second")],
                                input="lesson forget --yes\n", env=env,
                                capture_output=True, text=True, timeout=60)
        self.assertIn("forgotten but lesson 1 (the-log), open in the EventLab of process %d"
                      % first.child.pid, second.stdout)
        self.assertIn("✓", first.run("topic create orders --partitions 3"))
        self.assertEqual(first.close(), 0)

    def test_under_memory_a_lesson_keeps_nothing_after_exit(self):
        """`eventlab --memory` promises to keep nothing after exit: a lesson taken there runs in
        memory, says so, writes nothing under the state directory, and is not offered again."""
        first = ReplSession(EVENTLAB, self.home, ["--memory"], rows=40, LANG="C.UTF-8")
        self.assertIn("nothing is kept after exit", first.child.before)
        started = first.run("lesson start 1")
        self.assertIn("in memory (--memory): nothing of it is kept", started)
        self.assertIn("✓", first.run("topic create orders --partitions 3"))
        self.assertEqual(first.close(), 0)
        self.assertFalse(os.path.exists(os.path.join(self.home, "state", "eventlab", "lessons")))
        second = ReplSession(EVENTLAB, self.home, ["--memory"], rows=40, LANG="C.UTF-8")
        self.assertNotIn("lesson start 1", second.child.before)
        self.assertNotIn("(at step", second.run("lesson list"))
        self.assertEqual(second.close(), 0)

    def test_tab_offers_the_steps_of_the_lesson_named(self):
        """After `lesson start N --step`, Tab lists lesson N's step numbers."""
        session = Session(self.home)
        session.child.send("lesson start 2 --step \t")
        session.child.expect_exact("1  2  3  ")
        session.ready()
        self.assertIn("· step 3 of", session.run("3"))
        self.assertEqual(session.close(), 0)

    def test_a_real_client_follows_the_learner_into_the_lesson_and_back(self):
        """kcat sees the lesson's topics while it runs and the playground's after `lesson exit`,
        on the port `listen` opened before the lesson started; a client connected across the
        switch is disconnected, and told of."""
        session = Session(self.home)
        session.run("topic create mine")
        port = re.search(r"listening on 127\.0\.0\.1:(\d+)", session.run("listen 0")).group(1)

        def topics():
            listing = subprocess.run(["kcat", "-b", "127.0.0.1:" + port, "-L", "-m", "10"],
                                     capture_output=True, text=True, timeout=30, check=True).stdout
            return set(re.findall(r'topic "([^"]+)"', listing))

        self.assertIn("now serves this workspace", session.run("lesson start 1"))
        session.run("topic create orders --partitions 3")
        self.assertEqual(topics(), {"orders"})
        # A client still connected when the listener moves loses its connection, and is told so.
        client = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
        client.sendall(struct.pack(">ihhih", 10, 18, 0, 1, -1))  # ApiVersions v0
        self.assertEqual(len(client.recv(4)), 4)  # answered, so the server counts it
        self.assertIn("now serves this workspace; the 1 client connected was disconnected: restart it",
                      session.run("lesson exit"))
        while client.recv(65536):  # the rest of the answer, then the end: closed by the server
            pass
        client.close()
        self.assertEqual(topics(), {"mine"})
        self.assertEqual(session.close(), 0)


if __name__ == "__main__":
    quiet.run()
