#!/usr/bin/python3
"""Recording a REPL session on a pseudo-terminal, as a person would, then verifying it.

Run with Debian's Python, which has python3-pexpect:
/usr/bin/python3 Tests/Interop/test_record.py [path/to/eventlab]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import pexpect

import quiet
from repl_session import PROMPT, ReplSession

EVENTLAB = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".build/debug/eventlab")
CONTINUATION = "...> "


class Repl(ReplSession):
    """One eventlab REPL on a pty, in a home of the test's own."""

    def __init__(self, home, *options):
        super().__init__(EVENTLAB, home, options)


def verify(path):
    return subprocess.run([EVENTLAB, "verify", path], capture_output=True, text=True, timeout=60)


class RecordTests(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="eventlab-record-")
        self.path = os.path.join(self.home, "session.txt")

    def tearDown(self):
        shutil.rmtree(self.home, ignore_errors=True)

    def test_a_recorded_repl_session_on_the_system_clock_verifies(self):
        repl = Repl(self.home, "--memory", "--clock", "system")
        repl.run("record start " + self.path)
        repl.run("topic create orders")
        self.assertIn("does not exist", repl.run("publish nowhere x"))
        repl.child.send('publish orders key=o-1 {"type":"OrderPlaced",\r')
        repl.ready(CONTINUATION)
        repl.run('"total":42}')
        consumed = repl.run("consume orders")
        self.assertRegex(consumed, r'p0 @0  o-1  \{"type":"OrderPlaced",\\n"total":42\}  \d{4}-\d\d-\d\dT')
        self.assertIn("recorded 4 commands", repl.run("record stop"))
        self.assertEqual(repl.close(), 0)

        with open(self.path, encoding="utf-8") as file:
            text = file.read()
        self.assertTrue(text.startswith("% clock system\n% width 100\n% recorded "), text)
        self.assertIn("eventlab> publish nowhere x\nerror: topic 'nowhere' does not exist", text)
        self.assertIn('eventlab> publish orders key=o-1 {"type":"OrderPlaced",\n     ...> "total":42}\n', text)
        self.assertIn('p0 @0  o-1  {"type":"OrderPlaced",\\n"total":42}  [TIME]\n', text)
        self.assertNotIn("\x1b", text)
        result = verify(self.path)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("passed", result.stdout)

    def test_record_flag_records_until_ctrl_d(self):
        repl = Repl(self.home, "--memory", "--clock", "logical", "--record", self.path)
        self.assertIn("recording to " + self.path, repl.child.before)
        repl.run("topic create orders")
        self.assertEqual(repl.close(), 0)
        with open(self.path, encoding="utf-8") as file:
            self.assertTrue(file.read().endswith("eventlab> topic create orders\n"
                                                 "created topic orders with 1 partition · cleanup delete · retention 7d\n"))
        result = verify(self.path)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_a_resized_window_keeps_the_width_the_recording_started_with(self):
        repl = Repl(self.home, "--memory", "--clock", "logical")
        repl.run("record start " + self.path)
        repl.run("topic create orders; publish orders --repeat 30 key=k-{n} v{n}")
        repl.child.setwinsize(24, 40)
        self.assertIn("4 k-5", repl.run("show orders"))
        repl.run("record stop")
        repl.child.setwinsize(24, 40)
        self.assertNotIn("4 k-5", repl.run("show orders"))
        self.assertEqual(repl.close(), 0)
        result = verify(self.path)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    quiet.run()
