"""Runs a test script's unittest tests quietly: one summary line when they all pass; for each
failure its name, the assertion (what was expected and what happened) and everything the test,
its clients and its servers printed or logged meanwhile.

Output is kept at the level of file descriptors 1 and 2, so librdkafka's C logging, kafka-python's
loggers and children that inherit the descriptors are all caught, and shown only for a failure.
An unclosed file or socket (a ResourceWarning) fails the run: each is a leak in the tests.
"""
import logging
import os
import sys
import tempfile
import time
import unittest
import warnings


class _Capture:
    """Descriptors 1 and 2 pointed at one temporary file for the whole run; each test's share is
    the bytes written between its start and its end."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        self.saved = (os.dup(1), os.dup(2))
        os.dup2(self.file.fileno(), 1)
        os.dup2(self.file.fileno(), 2)

    def position(self):
        sys.stdout.flush()
        sys.stderr.flush()
        return os.lseek(self.file.fileno(), 0, os.SEEK_CUR)

    def between(self, start, end):
        return os.pread(self.file.fileno(), end - start, start).decode("utf-8", "replace")

    def close(self):
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        for descriptor in self.saved:
            os.close(descriptor)
        self.file.close()


class _Result(unittest.TestResult):
    """Keeps each failed test's captured output beside its traceback."""

    def __init__(self, capture, leaks):
        super().__init__()
        self.capture = capture
        self.leaks = leaks
        self.reports = []
        self.started = 0
        self.leaks_before = 0

    def startTest(self, test):
        super().startTest(test)
        self.started = self.capture.position()
        self.leaks_before = len(self.leaks)

    def stopTest(self, test):
        super().stopTest(test)
        failed = [text for failed, text in self.failures + self.errors if _case(failed) is test]
        leaked = self.leaks[self.leaks_before:]
        if failed or leaked:
            output = self.capture.between(self.started, self.capture.position())
            self.reports.append((test.id(), failed, leaked, output))


def _case(test):
    """The test case of a failed subtest, or the test itself."""
    return getattr(test, "test_case", test)


def _indent(text, prefix="    "):
    return "".join(prefix + line + "\n" for line in text.rstrip("\n").splitlines())


def run():
    """Runs the tests of `__main__` (or those named on the command line) and exits 0 only if all
    passed and nothing leaked."""
    leaks = []
    show = warnings.showwarning

    def record(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, ResourceWarning):
            leaks.append(f"{filename}:{lineno}: {message}")
        else:
            show(message, category, filename, lineno, file, line)

    warnings.simplefilter("always", ResourceWarning)
    warnings.showwarning = record
    # Clients log into the capture: shown with a failing test, never otherwise.
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    loader = unittest.defaultTestLoader
    names = sys.argv[1:]
    suite = loader.loadTestsFromNames(names, sys.modules["__main__"]) if names else loader.loadTestsFromModule(sys.modules["__main__"])
    capture = _Capture()
    result = _Result(capture, leaks)
    began = time.monotonic()
    try:
        suite.run(result)
    finally:
        capture.close()
    seconds = time.monotonic() - began
    for name, failed, leaked, output in result.reports:
        print(f"FAIL {name}")
        for text in failed:
            print(_indent(text))
        for leak in leaked:
            print(_indent(leak, "    leaked: "), end="")
        if output.strip():
            print("    captured output and logs:")
            print(_indent(output, "    | "), end="")
    failed = len({id(_case(test)) for test, _ in result.failures + result.errors})
    passed = result.testsRun - failed - len(result.skipped)
    skipped = f", {len(result.skipped)} skipped" if result.skipped else ""
    leaked = f", {len(leaks)} unclosed files or sockets" if leaks else ""
    print(f"{passed} passed, {failed} failed{skipped}{leaked} ({seconds:.0f} s)")
    sys.exit(1 if failed or leaks else 0)
