#!/usr/bin/python3
"""`eventlab replay` on a pseudo-terminal, driven as a teacher would: Enter and Space go on, q and
Ctrl-C quit, r opens the REPL and Ctrl-D comes back; and in a pipe, where nothing waits.

Run with Debian's Python, which has python3-pexpect:
/usr/bin/python3 Tests/Interop/test_replay.py [path/to/eventlab]
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

import pexpect

import quiet

EVENTLAB = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".build/debug/eventlab")
LESSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "transcripts", "lesson.txt")
PAUSED = "── paused · Enter goes on · r opens the REPL here · q quits"
NEXT = "── next command · Enter runs it · r opens the REPL here · q quits"
FIRST_LIST = "orders  3           0        delete   7d"
LAST_LIST = "orders  3           1        delete   7d"
END = "── end of the replay: all 4 commands printed what was recorded"


class Replay:
    """One `eventlab replay` on a pty, with a home of the test's own; after it ends the shell
    prints its exit status and the terminal's mode, to see that the mode was given back."""

    def __init__(self, home, *arguments, **extra_env):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TERM": "xterm",
               "XDG_STATE_HOME": os.path.join(home, "state"), "LANG": "", "NO_COLOR": "1"}
        env.update(extra_env)
        env = {name: value for name, value in env.items() if value is not None}
        command = " ".join(shlex.quote(word) for word in (EVENTLAB, "replay", *arguments))
        self.child = pexpect.spawn("/bin/sh", ["-c", command + '; echo "exit status $?"; stty -a'],
                                   env=env, encoding="utf-8", dimensions=(24, 100), timeout=30)
        self.seen = ""

    def expect(self, text):
        """Waits for `text`; returns what came before it (since the last expectation)."""
        self.child.expect_exact(text)
        self.seen += self.child.before + text
        return self.child.before

    def send(self, keys):
        self.child.send(keys)

    def finish(self):
        """Waits for the replay to end; returns its exit status, having checked that the
        terminal is back in its own mode: lines edited, echoed, Ctrl-C a signal."""
        self.child.expect(r"exit status (\d+)")
        self.seen += self.child.before
        status = int(self.child.match.group(1))
        self.child.expect(pexpect.EOF)
        mode = self.child.before
        self.child.close()
        for flag in ("icanon", "echo", "isig"):
            assert re.search(r"(?<![-\w])" + flag + r"\b", mode), f"{flag} is off after the replay:\n{mode}"
        return status


class ReplayTests(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="eventlab-replay-pty-")

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def lesson_with(self, old, new):
        """A copy of the lesson with one line changed, so its output no longer matches."""
        with open(LESSON, encoding="utf-8") as file:
            text = file.read()
        self.assertIn(old, text)
        path = os.path.join(self.home, "changed.txt")
        with open(path, "w", encoding="utf-8") as file:
            file.write(text.replace(old, new))
        return path

    def test_step_waits_before_each_command_and_q_quits(self):
        replay = Replay(self.home, LESSON, "--step", "--speed", "max")
        self.assertIn("# A topic is a log split into partitions", replay.expect(NEXT))
        replay.send("\r")
        replay.expect("created topic orders with 3 partitions")
        replay.expect(PAUSED)
        replay.send(" ")
        # Right after the pause the next command runs without a second wait.
        self.assertNotIn(NEXT, replay.expect(FIRST_LIST))
        replay.expect(NEXT)
        replay.send("q")
        self.assertEqual(replay.finish(), 0)
        self.assertNotIn("publish orders", replay.seen)

    def test_a_pause_waits_for_a_key_and_q_quits_before_the_next_command(self):
        replay = Replay(self.home, LESSON, "--speed", "max")
        replay.expect(PAUSED)
        replay.send("q")
        self.assertEqual(replay.finish(), 0)
        self.assertNotIn("topic list", replay.seen)

    def test_ctrl_c_while_a_command_is_typed_quits_cleanly(self):
        replay = Replay(self.home, LESSON, "--speed", "20")
        replay.expect("eventlab> topic cr")
        replay.child.sendcontrol("c")
        self.assertEqual(replay.finish(), 0)
        self.assertNotIn("created topic", replay.seen)

    def test_r_opens_the_repl_and_ctrl_d_returns_with_the_recorded_state_restored(self):
        replay = Replay(self.home, LESSON, "--speed", "max")
        replay.expect(PAUSED)
        replay.send("r")
        replay.expect("Ctrl-D returns to the replay")
        replay.expect("eventlab> ")
        replay.child.waitnoecho()
        replay.send("topic create improvised\r")
        replay.expect("created topic improvised")
        replay.expect("eventlab> ")
        replay.child.waitnoecho()
        replay.send("topic list\r")
        self.assertIn("improvised", replay.expect("eventlab> "))
        replay.child.waitnoecho()
        replay.child.sendcontrol("d")
        self.assertRegex(replay.expect("── back to the replay: the recorded state is restored"), r"^(\^D)?\r\n$")
        replay.expect(PAUSED)
        replay.send("\r")
        listing = replay.expect(FIRST_LIST)
        self.assertNotIn("improvised", listing)
        self.assertNotIn("differs", replay.expect(END))
        self.assertEqual(replay.finish(), 0)

    def test_after_a_restart_the_repl_improvises_on_disk_and_ctrl_d_restores_the_restarted_state(self):
        replay = Replay(self.home, os.path.join(os.path.dirname(LESSON), "restart.txt"), "--speed", "max")
        replay.expect("── % restart: the workspace closes and opens again")
        replay.expect(PAUSED)
        replay.send("r")
        replay.expect("Ctrl-D returns to the replay")
        replay.expect("eventlab> ")
        replay.child.waitnoecho()
        replay.send("publish orders improvised\r")
        replay.expect("orders p0 @1")
        replay.expect("eventlab> ")
        replay.child.waitnoecho()
        replay.child.sendcontrol("d")
        replay.expect("── back to the replay: the recorded state is restored")
        replay.expect(PAUSED)
        replay.send("\r")
        replay.expect("orders  1           1        delete   7d")
        replay.expect("── end of the replay: all 3 commands printed what was recorded")
        self.assertEqual(replay.finish(), 0)

    def test_output_that_differs_is_flagged_with_the_expected_lines_and_the_replay_goes_on(self):
        changed = self.lesson_with(LAST_LIST, "orders  3           9        delete   7d")
        replay = Replay(self.home, changed, "--speed", "max")
        replay.expect(PAUSED)
        replay.send("\r")
        replay.expect("publish orders")
        printed = replay.expect("── differs from the recording; expected:")
        self.assertIn(LAST_LIST, printed)
        replay.expect("orders  3           9        delete   7d")
        replay.expect("── end of the replay: 1 of 4 commands printed something other than the recording")
        self.assertEqual(replay.finish(), 1)

    def test_narration_and_headings_have_their_own_style_unless_no_color(self):
        replay = Replay(self.home, LESSON, "--speed", "max", NO_COLOR=None)
        replay.expect(PAUSED)
        self.assertIn("\x1b[1m## Topics\x1b[0m", replay.seen)
        self.assertIn("\x1b[2;3m# A topic is a log split into partitions. Make one with three:\x1b[0m", replay.seen)
        replay.send("q")
        self.assertEqual(replay.finish(), 0)
        plain = Replay(self.home, LESSON, "--speed", "max")
        plain.expect(PAUSED)
        self.assertNotIn("\x1b[", plain.seen)
        plain.send("q")
        self.assertEqual(plain.finish(), 0)

    def test_from_a_section_starts_there_on_the_state_the_sections_before_left(self):
        replay = Replay(self.home, LESSON, "--speed", "max", "--from", "rec")
        self.assertNotIn("topic create", replay.expect("## Records"))
        replay.expect(LAST_LIST)
        replay.expect(END)
        self.assertEqual(replay.finish(), 0)

    def test_in_a_pipe_everything_prints_at_once_and_nothing_waits(self):
        result = subprocess.run([EVENTLAB, "replay", LESSON, "--step"], stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        out = result.stdout
        for text in ("## Topics\n# A topic is a log split into partitions. Make one with three:\n",
                     "eventlab> publish orders key=o-1 {\"type\":\"OrderPlaced\",\n     ...> \"total\":42}\n",
                     FIRST_LIST + "\n\n## Records\n", LAST_LIST, END):
            self.assertIn(text, out)
        self.assertNotIn("paused", out)
        self.assertNotIn("\x1b[", out)

    def test_a_from_that_names_no_section_is_a_bad_argument_listing_them(self):
        result = subprocess.run([EVENTLAB, "replay", LESSON, "--from", "groups"], stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertIn('the sections are: "Topics", "Records"', result.stderr)


if __name__ == "__main__":
    quiet.run()
