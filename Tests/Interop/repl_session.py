"""One eventlab REPL on a pseudo-terminal, in a home of the test's own: the session the pty
suites (test_repl, test_record, test_lessons, test_lesson_walkthrough) each drive."""

import os

import pexpect

PROMPT = "eventlab> "


class ReplSession:
    """An eventlab process started with `arguments` on a pty of `rows` x `columns`, with HOME
    and XDG_STATE_HOME inside `home`; waits for its first prompt."""

    def __init__(self, eventlab, home, arguments, rows=24, columns=100, **extra_env):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TERM": "xterm",
               "XDG_STATE_HOME": os.path.join(home, "state"), "LANG": ""}
        env.update(extra_env)
        self.child = pexpect.spawn(eventlab, list(arguments), env=env, encoding="utf-8",
                                   dimensions=(rows, columns), timeout=30)
        self.ready()

    def ready(self, prompt=PROMPT):
        """Waits for the prompt and for libedit's raw mode: keys typed before it are lost."""
        self.child.expect_exact(prompt)
        self.child.waitnoecho()

    def run(self, line):
        """Types `line` and Enter; returns what was printed before the next prompt."""
        self.child.send(line + "\r")
        self.ready()
        return self.child.before

    def type(self, keys):
        self.child.send(keys)

    def close(self):
        """Leaves with Ctrl-D; returns the exit status."""
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus
