#!/usr/bin/python3
"""Lessons 1 to 4, then the pattern lessons, on a pseudo-terminal, each group taken in one
sitting by a newcomer who types only what each step shows on the screen: the commands under
`Try:`, and for a manual step the real Kafka clients its text says to run in another terminal
(kcat, really run). Never `lesson hint`, never `lesson solution`: every step's goals must be
reached by what the step itself shows. At the moments a pattern lesson is about, the test reads
what the learner saw there.

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
PATTERN_LESSONS = (6, 7)


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
        self.try_commands, self.story_code, self.goals = [], [], []
        block, after_try = None, False
        for line in self.text.split("\n")[1:]:
            if line.startswith("    "):
                if block is None:
                    block = []
                    (self.try_commands if after_try else self.story_code).append(block)
                block.append(line[4:])
                continue
            block = None
            if line == "Try:":
                after_try = True
            elif line.startswith("Goal: "):
                self.goals.append(line[len("Goal: "):])
        self.try_commands = self.try_commands[0] if self.try_commands else []
        self.story_code = [line for code in self.story_code for line in code]
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
    number and command (the last time it was typed in that step)."""

    def __init__(self, number):
        self.lesson = number
        self.outputs = {}

    def at(self, step, command):
        """The output of `command` typed in step `step`; fails when it was not typed there."""
        key = (step, command)
        if key not in self.outputs:
            raise AssertionError("lesson %d step %d: `%s` was not typed; typed: %s"
                                 % (self.lesson, step, command, [c for n, c in self.outputs if n == step]))
        return self.outputs[key]


class Session(ReplSession):
    """One eventlab process on a pty, its playground, state and home the test's own; lessons are
    found from the executable's repository, as a learner's would be. Remembers what was typed."""

    def __init__(self, home):
        self.typed = []
        super().__init__(EVENTLAB, home, ["--data", os.path.join(home, "playground")], rows=40, LANG="C.UTF-8")

    def run(self, line):
        self.typed.append(line)
        return super().run(line)


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

    def test_lessons_1_to_4_are_reached_by_typing_only_what_each_step_shows(self):
        for number in (1, 2, 3, 4):
            with self.subTest(lesson=number):
                self.walk(number)
        self.assertFalse([line for line in self.session.typed if line.startswith(("lesson hint", "lesson solution", "lesson skip"))])
        self.assertEqual(self.session.close(), 0)

    def test_pattern_lessons_are_reached_by_typing_only_what_each_step_shows(self):
        for number in PATTERN_LESSONS:
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
        self.assertEqual(seen.at(5, "consume shipments").count('{"to":"Paris"}'), 2)
        self.assertIn("view is 1 record behind clients", seen.at(7, "table show view"))
        self.assertIn("its newest value is 5m older than the topic's newest record", seen.at(7, "table show view"))

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
        outputs = [self.session.run(command) for command in step.try_commands]
        for command, output in zip(step.try_commands, outputs):
            seen.outputs[(step.number, command)] = plain(output)
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
                    (3, "More members than partitions"): self.an_idle_member}
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
