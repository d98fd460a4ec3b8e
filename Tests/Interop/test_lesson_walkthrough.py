#!/usr/bin/python3
"""Lessons 1 to 5, the pattern lessons 6 to 9, the lessons on what goes wrong 10 to 12, and
lesson 13 of real clients, on a pseudo-terminal, each group taken in one sitting by a newcomer
who types only what each step shows on the screen: the commands under `Try:`, and for a manual
step the real Kafka clients its text says to run in another terminal (kcat, and lesson 13's
kafka-python program, really run). Never `lesson hint`, never `lesson solution`: every step's
goals must be reached by what the step itself shows. At the moments a lesson from 6 to 12 is
about, the test reads what the learner saw there.

Run with Debian's Python, which has python3-pexpect:
/usr/bin/python3 Tests/Interop/test_lesson_walkthrough.py [path/to/eventlab]
"""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import pexpect

import quiet
from repl_session import PROMPT, ReplSession

EVENTLAB = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".build/debug/eventlab")
LESSONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lessons")
STYLE = re.compile(r"\x1b\[[0-9;]*m")
HEADER = re.compile(r"── Lesson (\d+) · step (\d+) of (\d+): (.+?) ──")
# A `code` span on the terminal: bold, and never broken across lines.
CODE = re.compile(r"\x1b\[1m([^\x1b]*)\x1b\[0m")
# The address the lessons' kcat commands name; the walkthrough uses the one `listen` reports.
KAFKA_ADDRESS = "127.0.0.1:9092"
# A real client's group joins and rebalances take seconds; a poll retypes the step's command.
CLIENT_DEADLINE = 90
# The pattern lessons, walked one after another in one sitting. A lesson joins by its number;
# what its learner sees at its key moments, if checked, is a `saw_in_lesson_N` method below.
PATTERN_LESSONS = (6, 7, 8, 9)
# The lessons on what goes wrong, walked the same way in a sitting of their own.
TRADE_OFF_LESSONS = (10, 11, 12)
# A command goes on to the next line after a `\` or while a JSON value is open.
CONTINUATION = "...> "


def plain(text):
    return STYLE.sub("", text).replace("\r", "")


def written_try_commands(number):
    """Each step's `Try:` fence as the lesson's Markdown writes it, by step title."""
    name = next(name for name in os.listdir(LESSONS) if name.startswith("%02d-" % number))
    with open(os.path.join(LESSONS, name), encoding="utf-8") as lesson:
        text = lesson.read()
    steps = {}
    for step in re.split(r"^## ", text, flags=re.M)[1:]:
        fence = re.search(r"^Try:\n\n(`{3,})[^\n]*\n(.*?)^\1$", step, flags=re.M | re.S)
        lines = fence.group(2).splitlines() if fence else []
        steps[step.split("\n", 1)[0].strip()] = [line for line in lines if line.strip() and not line.startswith("#")]
    return steps


class Step:
    """A step as the runner showed it: its place, the commands under `Try:`, the code blocks of
    its story, its goals and its manual text (with its styling, for its code spans)."""

    def __init__(self, shown):
        text = plain(shown)
        header = HEADER.search(text)
        self.lesson, self.number, self.total = (int(header.group(i)) for i in (1, 2, 3))
        self.title = header.group(4)
        self.text = text[header.start():]
        self.try_commands, self.story_blocks, self.goals = [], [], []
        block, after_try = None, False
        for line in self.text.split("\n")[1:]:
            if line.startswith("    "):
                if block is None:
                    block = []
                    (self.try_commands if after_try else self.story_blocks).append(block)
                block.append(line[4:])
                continue
            block = None
            if line == "Try:":
                after_try = True
            elif line.startswith("Goal: "):
                self.goals.append(line[len("Goal: "):])
        self.try_commands = self.try_commands[0] if self.try_commands else []
        self.story_code = [line for code in self.story_blocks for line in code]
        manual = re.search(r"Manual: (.*?)\r?\n\r?\n", shown[HEADER.search(shown).start():], re.S)
        self.manual = manual.group(1) if manual else None

    @staticmethod
    def last(output):
        """The last step shown in `output`."""
        starts = [match.start() for match in HEADER.finditer(output)]
        return Step(output[starts[-1]:]) if starts else None

    def manual_code(self):
        """The `code` spans of the manual text, as the learner reads them."""
        return CODE.findall(self.manual or "")


class Seen:
    """What the learner saw in one lesson: the plain output of each command typed, by step
    number and command, each time it was typed in that step."""

    def __init__(self, number):
        self.lesson = number
        self.outputs = {}

    def keep(self, step, command, output):
        self.outputs.setdefault((step, command), []).append(output)

    def at(self, step, command, time=-1):
        """The output of `command` typed in step `step`, the last time (or the `time`th, from
        0); fails when it was not typed there."""
        key = (step, command)
        if key not in self.outputs:
            raise AssertionError("lesson %d step %d: `%s` was not typed; typed: %s"
                                 % (self.lesson, step, command, [c for n, c in self.outputs if n == step]))
        return self.outputs[key][time]


class Session(ReplSession):
    """One eventlab process on a pty, its playground, state and home the test's own; lessons are
    found from the executable's repository, as a learner's would be. Remembers what was typed."""

    def __init__(self, home):
        self.typed = []
        super().__init__(EVENTLAB, home, ["--data", os.path.join(home, "playground")], rows=40, LANG="C.UTF-8")

    def run(self, line):
        """Types `line` and Enter; returns what was printed before the next prompt, the
        REPL's own or its prompt for the rest of a command that goes on (`continued`)."""
        self.typed.append(line)
        self.child.send(line + "\r")
        self.continued = self.child.expect_exact([PROMPT, CONTINUATION]) == 1
        self.child.waitnoecho()
        return self.child.before


class Clients:
    """The kcat processes the learner leaves running in other terminals."""

    def __init__(self):
        self.running = []

    def start(self, command):
        self.running.append(subprocess.Popen(command))

    def interrupt(self, process):
        """Ctrl-C in its terminal: kcat leaves its group and exits."""
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        self.running.remove(process)

    def stop_all(self):
        for process in list(self.running):
            self.interrupt(process)


class WalkthroughTests(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="eventlab-walkthrough-")
        self.session = Session(self.home)
        self.clients = Clients()
        self.address = None

    def tearDown(self):
        try:
            self.clients.stop_all()
        finally:
            for process in self.clients.running:
                process.kill()
                process.wait()
            self.session.child.close(force=True)
            shutil.rmtree(self.home, ignore_errors=True)

    def test_lessons_1_to_5_are_reached_by_typing_only_what_each_step_shows(self):
        for number in (1, 2, 3, 4, 5):
            with self.subTest(lesson=number):
                self.walk(number)
        self.assertFalse([line for line in self.session.typed if line.startswith(("lesson hint", "lesson solution", "lesson skip"))])
        self.assertEqual(self.session.close(), 0)

    def test_real_client_lesson_is_reached_by_running_the_clients_it_shows(self):
        self.walk(13)
        self.assertFalse([line for line in self.session.typed if line.startswith(("lesson hint", "lesson solution", "lesson skip"))])
        self.assertEqual(self.session.close(), 0)

    def test_pattern_lessons_are_reached_by_typing_only_what_each_step_shows(self):
        self.walk_in_one_sitting(PATTERN_LESSONS)

    def test_trade_off_lessons_are_reached_by_typing_only_what_each_step_shows(self):
        self.walk_in_one_sitting(TRADE_OFF_LESSONS)

    def walk_in_one_sitting(self, numbers):
        """Walks each lesson of `numbers` in turn in one session; then reads, for each that
        has one, what its learner saw at its key moments."""
        for number in numbers:
            with self.subTest(lesson=number):
                seen = self.walk(number)
                saw = getattr(self, "saw_in_lesson_%d" % number, None)
                if saw:
                    saw(seen)
        self.assertFalse([line for line in self.session.typed if line.startswith(("lesson hint", "lesson solution", "lesson skip"))])
        self.assertEqual(self.session.close(), 0)

    def saw_in_lesson_6(self, seen):
        """Event notification: with crm stopped, ship waits and its lag grows while billing keeps
        up; every try again of the waiting bill is a failed call; crm back, ship catches up."""
        self.assertIn("warning: service ship waits at payments p0 @2: rule 1: call crm.addr: service crm is stopped",
                      seen.at(4, 'publish orders key=o-3 {"type":"OrderPlaced","id":"o-3","total":12}'))
        services = seen.at(5, "service list")
        self.assertRegex(services, r"(?m)^billing +orders +1 +running +0 *$")
        self.assertRegex(services, r"(?m)^ship +payments +1 +waiting +2 *$")
        # One call answered (o-2); o-3's failed at its publish, then at each of the two commands since.
        self.assertIn("ship ··▶ crm (4 calls, 3 failed)", seen.at(5, "show flow"))
        caught_up = seen.at(5, "service start crm")
        self.assertIn("ship ← payments p0 @2 Bill → shipments p0 @2", caught_up)
        self.assertIn("ship ← payments p0 @3 Bill → shipments p0 @3", caught_up)

    def saw_in_lesson_7(self, seen):
        """State transfer: with crm stopped, ship still ships from its table, which says only that
        it caught up with its topic; the copy is stale; in manual flow it lags a record, 5m."""
        shipped = seen.at(4, 'publish orders {"type":"Order","id":"o-2","cust":"c-1"}')
        self.assertIn("ship ← orders p0 @1 Order → shipments p0 @1", shipped)
        self.assertNotIn("warning", shipped)
        self.assertRegex(seen.at(5, "service list"), r"(?m)^crm +changes +1 +stopped +1 *$")
        self.assertIn("clients ══▶ table view (caught up) ──▶ ship", seen.at(5, "show flow"))
        table = seen.at(5, "table show view")
        self.assertIn("view has caught up with clients", table)
        self.assertNotIn("up to date", table)
        self.assertEqual(seen.at(5, "consume shipments").count('"to":"Paris"}'), 2)
        self.assertIn("view is 1 record behind clients", seen.at(7, "table show view"))
        self.assertIn("its newest value is 5m older than the topic's newest record", seen.at(7, "table show view"))

    def saw_in_lesson_8(self, seen):
        """Event sourcing: a replaced rule leaves a state folded under mixed rules, 66, which a
        rebuild of the whole log makes 65; the snapshot topic appears only after the rebuild;
        a rebuild starts from the snapshot and replays only what follows it, and after a new
        rule ignores it and replays every event."""
        mixed = seen.at(5, "state account a-1")
        self.assertIn('{"balance":66}', mixed)
        self.assertIn("folded partly under earlier rules", mixed)
        self.assertIn('v5  p0 @4  2024-01-01T02:00:00Z  FeeCharged  {"balance":65}', seen.at(5, "state account a-1 --trace"))
        self.assertIn('a-1: {"balance":66} → {"balance":65}', seen.at(5, "aggregate rebuild account"))
        self.assertNotIn("account-snapshots", seen.at(6, "topic list"))
        snapshot = seen.at(7, "consume account-snapshots")
        self.assertIn('"version":10,"partition":0,"offset":9,"at":{"0":10},"state":{"balance":90}', snapshot)
        self.assertIn("◆ snapshot v10 in account-snapshots", seen.at(7, "show aggregate account a-1"))
        self.assertIn("replayed 2 of the 12 events of accounts instead of all 12", seen.at(7, "aggregate rebuild account", 0))
        replayed = seen.at(7, "aggregate rebuild account", 1)
        self.assertIn("ignored 1 snapshot in account-snapshots: 1 made under other rules", replayed)
        self.assertIn("replayed 12 events into 1 key", replayed)
        self.assertIn('a-1: {"balance":100} → {"balance":100,"deposits":8}', replayed)

    def saw_in_lesson_9(self, seen):
        """CQRS: a rejected command writes nothing; Bo's withdrawal on an old version is
        refused; the paused projection's query answers 10 and says it is 2 events behind, as
        the group's lag; resumed, it reads the two events; a rebuild counts the past."""
        rejected = seen.at(3, 'send withdraw {"account":"a-1","amount":500}')
        self.assertIn("rejected: not enough money: the balance is 100", rejected)
        self.assertIn('nothing was written; account a-1 stays at version 1: {"balance":100}', rejected)
        self.assertNotIn("balances ←", rejected)
        bo = seen.at(4, 'send withdraw {"account":"a-1","amount":20} --expect-version 2')
        self.assertIn("rejected: expected version 2, but account a-1 is at version 3", bo)
        self.assertIn('nothing was written; account a-1 stays at version 3: {"balance":20}', bo)
        stale = seen.at(6, "query balances a-1")
        self.assertRegex(stale, r"(?m)^a-1 +10 *$")
        self.assertIn("balances is 2 events behind, so this answer may be stale: it has read accounts p0 up to @4 of @6", stale)
        self.assertIn('{"balance":50}', seen.at(6, "state account a-1"))
        self.assertRegex(seen.at(6, "group describe balances"), r"(?m)^balances +accounts +0 +5 +7 +2 ")
        resumed = seen.at(6, "projection resume balances")
        self.assertIn("balances ← accounts p0 @5 Deposited → sum 40 to a-1", resumed)
        self.assertIn("balances ← accounts p0 @6 Withdrawn → sum -5 to a-2", resumed)
        self.assertNotIn("COUNT", seen.at(7, "query balances"))
        self.assertIn("replayed 7 events from accounts under its 3 rules", seen.at(7, "projection rebuild balances"))

    def saw_in_lesson_10(self, seen):
        """Delivery semantics: a crash before the commit charges o-2 twice; a crash after it
        loses o-3's receipt; an idempotent billing skips the replay of o-5."""
        self.assertIn("✗ then crashed before committing its offset", seen.at(2, 'publish orders key=o-2 {"type":"OrderPlaced","id":"o-2","total":40}'))
        self.assertIn("billing ← orders p0 @1 OrderPlaced → payments p0 @2", seen.at(3, "service start billing"))
        self.assertEqual(re.findall(r"(?m)^p0 @\d+  o-2  (.*?)  ", seen.at(4, "consume payments")), ['{"charge":40}'] * 2)
        self.assertIn("mailer ← orders p0 @2 ✗ crashed after committing its offset",
                      seen.at(4, 'publish orders key=o-3 {"type":"OrderPlaced","id":"o-3","total":12}'))
        self.assertRegex(seen.at(5, "group describe mailer"), r"(?m)^mailer +orders +0 +3 +3 +0 ")
        self.assertNotIn("mailer ←", seen.at(5, "service start mailer"))
        emails = seen.at(6, "consume emails")
        self.assertIn("2 records", emails)
        self.assertNotIn("o-3", emails)
        replay = seen.at(8, "service start billing")
        self.assertIn("billing ← orders p0 @4 OrderPlaced (duplicate o-5, skipped)", replay)
        self.assertNotIn("→ payments", replay)

    def saw_in_lesson_11(self, seen):
        """Poison events: billing stops at the record it cannot handle and the good orders wait
        behind it; skipped, o-2 is never billed; a dead-letter topic keeps the next one, with
        headers saying why and where from, and the flow goes on."""
        self.assertIn("warning: service billing stopped at orders p0 @1: rule 1",
                      seen.at(2, 'publish orders key=o-2 {"type":"OrderPlaced","id":"o-2","total":"forty"}'))
        self.assertRegex(seen.at(3, "service list"), r"(?m)^billing +orders +1 +poisoned +1 *$")
        self.assertNotIn("billing ←", seen.at(3, 'publish orders key=o-4 {"type":"OrderPlaced","id":"o-4","total":7}'))
        self.assertRegex(seen.at(4, "group describe billing"), r"(?m)^billing +orders +0 +1 +4 +3 ")
        self.assertIn("warning: service billing stopped at orders p0 @1", seen.at(4, "service start billing"))
        self.assertNotIn("o-2", seen.at(5, "consume bills"))
        # The next step's story quotes this line, shortened: the line itself is matched whole.
        self.assertRegex(seen.at(5, 'publish orders key=o-5 {"type":"OrderPlaced","id":"o-5","total":"9.5"}'),
                         r"(?m)^billing ← orders p0 @4 ✗ rule 1: .+ → dead letter billing-dlq p0 @0 OrderPlaced$")
        letter = seen.at(6, "consume billing-dlq --headers")
        self.assertIn('o-5  {"type":"OrderPlaced","id":"o-5","total":"9.5"}', letter)
        self.assertIn("dlq.service=billing, dlq.rule=1, dlq.topic=orders, dlq.partition=0, dlq.offset=4]", letter)
        self.assertIn("billing ← orders p0 @5 OrderPlaced → bills p0 @3", seen.at(6, 'publish orders key=o-6 {"type":"OrderPlaced","id":"o-6","total":10}'))
        self.assertIn("billing ← orders p0 @6 OrderPlaced → bills p0 @4", seen.at(7, "service replay on OrderPlaced emit orders $ key=key"))

    def saw_in_lesson_12(self, seen):
        """Schema evolution: a rule rewritten for version 2 mixes euros and cents live, and
        rebuilt cannot fold version 1; through the upcaster the rebuild is right, while the
        log and a table still hold version 1 as written."""
        wrong = seen.at(2, "aggregate rebuild wallet")
        self.assertIn('w-1: {"balance":530} → {"balance":500}', wrong)
        self.assertEqual(re.findall(r"could not fold (wallets p0 @\d+): rule 1: .*? the event has no field \$\.cents", wrong),
                         ["wallets p0 @0", "wallets p0 @1"])
        self.assertIn('upcaster 1: {"type":"Credited","v":2,"cents":1000}', seen.at(4, 'upcast try {"type":"Credited","amount":10}'))
        self.assertIn('w-1: {"balance":500} → {"balance":3500}', seen.at(4, "aggregate rebuild wallet"))
        log = seen.at(5, "consume wallets")
        self.assertIn('p0 @0  w-1  {"type":"Credited","amount":10}', log)
        self.assertIn('p0 @1  w-1  {"type":"Credited","amount":20}', log)
        self.assertIn('{"type":"Credited","amount":15}', seen.at(7, "table get last w-1"))

    def walk(self, number):
        """Starts lesson `number` and takes each step it shows until the lesson is complete;
        returns what the learner saw."""
        seen = Seen(number)
        step = Step.last(self.session.run("lesson start %d" % number))
        self.assertIsNotNone(step, "lesson start %d shows no step" % number)
        self.assertEqual((step.lesson, step.number), (number, 1))
        written = written_try_commands(number)
        while True:
            # What the learner reads is what the author wrote: the screen is not parsed amiss.
            self.assertEqual(step.try_commands, written.get(step.title), step.title)
            output = self.take_manual(step) if step.manual else self.take(step, seen)
            if step.number == step.total:
                self.assertIn("Lesson %d complete: all %d steps done." % (number, step.total), plain(output))
                return seen
            shown = Step.last(output)
            self.assertIsNotNone(shown, "step %d, %s, shows no next step" % (step.number, step.title))
            self.assertEqual((shown.lesson, shown.number), (number, step.number + 1))
            step = shown

    def take(self, step, seen):
        """Types the step's `Try:` commands in order, keeping what each printed in `seen`; the
        last must reach all its goals, with a ✓ for each, and show what comes next. Returns
        that command's output."""
        where = "lesson %d step %d, %s" % (step.lesson, step.number, step.title)
        self.assertTrue(step.try_commands, "%s shows no commands to try" % where)
        self.assertTrue(step.goals, "%s shows no goals" % where)
        outputs, lines = [], []
        for line in step.try_commands:
            outputs.append(self.session.run(line))
            lines.append(line)
            if not self.session.continued:
                # A command over several lines is kept under its lines, joined as written.
                seen.keep(step.number, "\n".join(lines), plain(outputs[-1]))
                lines = []
        self.assertFalse(lines, "%s: the last command goes on past the Try: %s" % (where, lines))
        ends = ("Step %d of %d done." % (step.number, step.total), "Lesson %d complete" % step.lesson)
        reached = [index for index, output in enumerate(outputs) if any(end in plain(output) for end in ends)]
        if not reached:
            self.fail("%s: typing %s did not reach its goals; lesson check says:\n%s"
                      % (where, step.try_commands, plain(self.session.run("lesson check"))))
        # The story of the next step follows what the learner saw: no command of this step's
        # Try runs after the step is done, under the next one.
        self.assertEqual(reached[0], len(outputs) - 1, "%s: %s reached the goals before %s"
                         % (where, step.try_commands[reached[0]], step.try_commands[reached[0] + 1:]))
        output = outputs[reached[0]]
        self.assertEqual(plain(output).count("✓"), len(step.goals), plain(output))
        return output

    def take_manual(self, step):
        """A manual step, done for real: the client its text names, run against the address
        `listen` reports; then the runner's ✓ (for a step whose goals it checks) or `lesson next`."""
        where = "lesson %d step %d, %s" % (step.lesson, step.number, step.title)
        handlers = {(1, "Read the log from a real client"): self.read_with_kcat,
                    (3, "Members share the partitions"): self.two_members,
                    (3, "More members than partitions"): self.an_idle_member,
                    (13, "Produce from a real client"): self.produce_three_orders,
                    (13, "One key, two partitioners"): self.one_key_two_partitioners,
                    (13, "Read as a consumer group"): self.read_as_shipping,
                    (13, "Lag, and where the group resumes"): self.shipping_resumes,
                    (13, "A service reacts to a real client"): self.billing_reacts,
                    (13, "A real client reads what the service emitted"): self.read_the_bills}
        handler = handlers.get((step.lesson, step.title))
        self.assertIsNotNone(handler, "%s is manual and the walkthrough does not know it yet" % where)
        output = handler(step)
        ends = ("Step %d of %d done." % (step.number, step.total), "Lesson %d complete" % step.lesson)
        if any(end in plain(output) for end in ends):
            return output
        output = self.session.run("lesson next")
        self.assertIn("Step %d is manual" % step.number, plain(output))
        return output

    def listen(self, step):
        """Types the step's `listen`, or the `listen 0` its text offers for a machine whose 9092 is
        taken: the walkthrough never holds Kafka's own port on a shared machine. A session still
        listening since an earlier lesson says where, and the learner keeps that address."""
        self.assertIn("listen", step.try_commands[0])
        self.assertIn("listen 0", step.text)
        said = plain(self.session.run("listen 0"))
        address = re.search(r"(?:already )?listening on (127\.0\.0\.1:\d+)", said)
        self.assertIsNotNone(address, said)
        self.address = address.group(1)

    def client(self, shown):
        """A kcat command as the text shows it, on the address `listen` reported."""
        self.assertIn(KAFKA_ADDRESS, shown)
        return [word.replace(KAFKA_ADDRESS, self.address) for word in shlex.split(shown)]

    def reaches(self, step, outputs):
        """The last of `outputs`, what the commands typed in a manual step printed, reaches all
        the step's goals, with a ✓ for each, and none before it does; returns it."""
        where = "lesson %d step %d, %s" % (step.lesson, step.number, step.title)
        self.assertTrue(step.goals, "%s shows no goals" % where)
        ends = ("Step %d of %d done." % (step.number, step.total), "Lesson %d complete" % step.lesson)
        reached = [index for index, output in enumerate(outputs) if any(end in plain(output) for end in ends)]
        if not reached:
            self.fail("%s: its commands did not reach its goals; lesson check says:\n%s"
                      % (where, plain(self.session.run("lesson check"))))
        self.assertEqual(reached, [len(outputs) - 1], "%s reached its goals too early" % where)
        self.assertEqual(plain(outputs[-1]).count("✓"), len(step.goals), plain(outputs[-1]))
        return outputs[-1]

    def story_client(self, step, flag):
        """The one kcat command of the story with `flag` (`-P` a producer, `-G` a consumer), and
        the lines the learner types into it, below it in its block."""
        blocks = [block for block in step.story_blocks
                  if block[0].startswith("kcat ") and flag in shlex.split(block[0])]
        self.assertEqual(len(blocks), 1, step.text)
        return blocks[0][0], blocks[0][1:]

    def produce(self, shown, lines):
        """A kcat producer as the text shows it, the lines typed into it, then Ctrl-D."""
        produced = subprocess.run(self.client(shown), input="".join(line + "\n" for line in lines),
                                  capture_output=True, text=True, timeout=60)
        self.assertEqual(produced.returncode, 0, produced.stderr)

    def consume(self, shown):
        """A kcat consumer as the text shows it, with `-e`: it exits at the end of the log;
        returns the values it printed."""
        self.assertIn("-e", shlex.split(shown))
        read = subprocess.run(self.client(shown), capture_output=True, text=True, timeout=60)
        self.assertEqual(read.returncode, 0, read.stderr)
        return read.stdout.splitlines()

    def produce_three_orders(self, step):
        """Lesson 13: kcat writes the story's three orders; `show orders` shows them where
        librdkafka's partitioner put them."""
        self.listen(step)
        shown, lines = self.story_client(step, "-P")
        self.assertEqual(len(lines), 3, step.text)
        self.produce(shown, lines)
        self.assertEqual(step.try_commands[1:], ["show orders"])
        output = self.reaches(step, [self.session.run("show orders")])
        self.assertIn("p1 │0 o-3│ end 1", plain(output))
        self.assertIn("p2 │0 o-1│1 o-2│ end 2", plain(output))
        return output

    def one_key_two_partitioners(self, step):
        """Lesson 13: EventLab's publish puts o-1 on p0, where kcat put it on p2."""
        outputs = [self.session.run(command) for command in step.try_commands]
        self.assertIn("p2 from librdkafka", plain(outputs[0]))
        self.assertIn("orders p0 @0", plain(outputs[1]))
        return self.reaches(step, outputs)

    def read_as_shipping(self, step):
        """Lesson 13: kcat in the group shipping reads the four records and commits them."""
        shown, _ = self.story_client(step, "-G")
        values = self.consume(shown)
        self.assertEqual(len(values), 4, values)
        return self.reaches(step, [self.session.run(command) for command in step.try_commands])

    def shipping_resumes(self, step):
        """Lesson 13: kcat writes o-4 to p0, where shipping lags 1; the same consumer again
        reads only o-4, from the group's committed offsets."""
        shown, lines = self.story_client(step, "-P")
        self.produce(shown, lines)
        self.assertEqual(step.try_commands, ["show group shipping", "group describe shipping"])
        outputs = [self.session.run(step.try_commands[0])]
        self.assertIn("0 members · total lag 1", plain(outputs[0]))
        self.assertRegex(plain(outputs[0]), r"(?m)^shipping +orders +0 +1 +2 +1 ")
        consumer = [code for code in step.manual_code() if code.startswith("kcat ")]
        self.assertEqual(len(consumer), 1, step.manual)
        self.assertEqual(self.consume(consumer[0]), [lines[0].split(":", 1)[1]])
        outputs.append(self.session.run(step.try_commands[1]))
        return self.reaches(step, outputs)

    def billing_reacts(self, step):
        """Lesson 13: billing bills kcat's four orders at once, o-1's OrderPaid on p0 before its
        OrderPlaced on p2; kcat writes o-5, which `service list` shows waiting, then billed."""
        outputs = [self.session.run(command) for command in step.try_commands[:2]]
        billed = plain(outputs[1])
        self.assertEqual(billed.count(" Bill\n"), 4, billed)
        self.assertLess(billed.index("billing ← orders p0 @0 OrderPaid (no rule emitted)"),
                        billed.index("billing ← orders p2 @0 OrderPlaced"))
        shown, lines = self.story_client(step, "-P")
        self.produce(shown, lines)
        self.assertEqual(step.try_commands[2:], ["service list"])
        outputs.append(self.session.run("service list"))
        self.assertRegex(plain(outputs[-1]), r"(?m)^billing +orders +1 +running +1 *\n"
                         r"billing ← orders p2 @2 OrderPlaced → payments p0 @4 Bill$")
        return self.reaches(step, outputs)

    def read_the_bills(self, step):
        """Lesson 13: kcat in the group invoicing reads the five bills billing emitted; the
        kafka-python program offered instead, run after it, finds nothing left to read."""
        shown, _ = self.story_client(step, "-G")
        values = self.consume(shown)
        self.assertEqual(sorted(values), ['{"type":"Bill","id":"o-%d"}' % n for n in range(1, 6)])
        # The program the story offers instead, saved and run: after kcat it reads nothing.
        program = [block for block in step.story_blocks if block[0].startswith("from kafka import")]
        self.assertEqual(len(program), 1, step.text)
        source = "\n".join(program[0]) + "\n"
        self.assertIn(KAFKA_ADDRESS, source)
        with open(os.path.join(self.home, "bills.py"), "w", encoding="utf-8") as saved:
            saved.write(source.replace(KAFKA_ADDRESS, self.address))
        run = subprocess.run([sys.executable, "bills.py"], cwd=self.home, capture_output=True, text=True, timeout=60)
        self.assertEqual((run.returncode, run.stdout), (0, ""), run.stderr)
        output = self.reaches(step, [self.session.run(command) for command in step.try_commands])
        self.assertRegex(plain(output), r"(?m)^invoicing +payments +0 +5 +5 +0 ")
        return output

    def poll(self, command, condition, what):
        """Types `command` until its output shows `condition`, as a learner looks again while
        real clients join; returns all it printed meanwhile."""
        deadline = time.monotonic() + CLIENT_DEADLINE
        outputs = []
        while True:
            outputs.append(self.session.run(command))
            if condition(plain(outputs[-1])) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.assertTrue(condition(plain(outputs[-1])), "%s never showed %s:\n%s" % (command, what, plain(outputs[-1])))
        return "".join(outputs)

    def read_with_kcat(self, step):
        """Lesson 1: kcat prints the records published in the lesson's earlier steps and stops at
        the end of the log."""
        self.listen(step)
        kcat = [code for code in step.manual_code() if code.startswith("kcat ")]
        self.assertEqual(len(kcat), 1, step.manual)
        read = subprocess.run(self.client(kcat[0]), capture_output=True, text=True, timeout=60)
        self.assertEqual(read.returncode, 0, read.stderr)
        values = read.stdout.splitlines()
        self.assertEqual(len(values), 8, read.stdout)
        self.assertIn('{"type":"OrderPlaced","total":42}', values)
        self.assertIn('{"n":5}', values)
        return ""

    def two_members(self, step):
        """Lesson 3: the two consumers the story shows, the second round-robin; the group is
        Stable with 2 members on the round-robin assignor, each partition owned by one."""
        self.listen(step)
        kcat = [line for line in step.story_code if line.startswith("kcat ")]
        self.assertEqual(len(kcat), 2, step.text)
        for command in kcat:
            self.clients.start(self.client(command))
        look = step.try_commands[-1]
        self.assertEqual(look, "show group billing")
        return self.poll(look, lambda shown: "2 members" in shown and "assignor roundrobin" in shown
                         and "Stable" in shown, "2 members on the round-robin assignor")

    def an_idle_member(self, step):
        """Lesson 3: two more consumers, four for three partitions, so one has none; Ctrl-C on one
        and the group rebalances, the idle member taking over."""
        kcat = [code for code in step.manual_code() if code.startswith("kcat ")]
        self.assertEqual(len(kcat), 1, step.manual)
        self.assertIn("two more", plain(step.manual))
        for _ in range(2):
            self.clients.start(self.client(kcat[0]))
        look = step.try_commands[0]
        self.assertEqual(look, "show group billing")
        output = self.poll(look, lambda shown: "4 members" in shown and "no partitions" in shown
                           and "Stable" in shown, "4 members, one with no partitions")
        output += "".join(self.session.run(command) for command in step.try_commands[1:])
        self.clients.interrupt(self.clients.running[0])
        self.poll(look, lambda shown: "3 members" in shown and "no partitions" not in shown
                  and "Stable" in shown, "3 members, each with a partition")
        # The next lesson runs on a workspace of its own, which the listener follows: the
        # learner stops the consumers first, as lesson 4 resets a group only while none runs.
        self.clients.stop_all()
        return output


if __name__ == "__main__":
    quiet.run()
