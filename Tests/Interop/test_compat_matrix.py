#!/usr/bin/python3
"""The compatibility matrix: every client generation in it, run for real against `eventlab serve`.

Each cell is one client at one setting. Against a fresh `eventlab serve` it produces records and
reads them all back (values checked), and where the client generation has consumer groups, a group
reads them, commits, leaves, and after more records are produced resumes from its committed offset
(it must see only the new ones). A recording proxy (wire_tap.py) sits between client and broker and
notes the (API, version) of every request; the versions a cell expects are asserted, so a client
that silently changes the versions it sends fails its cell.

Run with Debian's Python; it builds the Go apps (Tests/Interop/go/build.sh) and the PyPI clients' virtual
environment (scripts/interop-venv) first, both quick when already done:
/usr/bin/python3 Tests/Interop/test_compat_matrix.py path/to/eventlab [--only PATTERN] [--capture DIR]

`--only` runs the cells whose "client setting" contains PATTERN; `--capture DIR` keeps the first
exchange of each (API, version) per cell in DIR/<cell>/. Prints the matrix and `N passed, M failed`;
exits 1 if a cell failed.

The same file drives kafka-python and confluent-kafka for a cell, under the interpreter that has
them: test_compat_matrix.py client {kafka-python|confluent-kafka} {produce|consume} [options].
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEBIAN_PYTHON = "/usr/bin/python3"
CELL_SECONDS = 60
UNSUPPORTED = "is not supported"  # how the broker's log says it closed a connection over a version
FIRST, MORE = 10, 5  # records before the group's first run, and produced between its two runs


# ---- The client drivers (run under the interpreter that has the client) ----

def drive(argv):
    parser = argparse.ArgumentParser(prog="test_compat_matrix.py client")
    parser.add_argument("kind", choices=["kafka-python", "confluent-kafka"])
    parser.add_argument("action", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--prefix", default="record")
    parser.add_argument("--group")
    parser.add_argument("--api-version", help="kafka-python's api_version, e.g. 0.10.1 (none: ask the broker)")
    parser.add_argument("--timeout", type=float, default=30)
    options = parser.parse_args(argv)
    deadline = time.monotonic() + options.timeout
    if options.kind == "kafka-python":
        kafka_python(options, deadline)
    else:
        confluent_kafka(options, deadline)


def kafka_python(options, deadline):
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    api_version = tuple(int(part) for part in options.api_version.split(".")) if options.api_version else None
    if options.action == "produce":
        producer = KafkaProducer(bootstrap_servers=options.bootstrap, api_version=api_version, acks="all",
                                 max_block_ms=int(options.timeout * 1000), request_timeout_ms=10000)
        for i in range(options.count):
            value = "%s-%d" % (options.prefix, i)
            metadata = producer.send(options.topic, value=value.encode()).get(timeout=max(1, deadline - time.monotonic()))
            print("produced %s partition %d offset %d" % (value, metadata.partition, metadata.offset), flush=True)
        producer.close(timeout=5)
        return
    consumer = KafkaConsumer(bootstrap_servers=options.bootstrap, api_version=api_version, group_id=options.group,
                             auto_offset_reset="earliest", enable_auto_commit=False)
    if options.group:
        consumer.subscribe([options.topic])
    else:
        partitions = None
        while not partitions and time.monotonic() < deadline:
            partitions = consumer.partitions_for_topic(options.topic)
            if not partitions:
                time.sleep(0.1)
        consumer.assign([TopicPartition(options.topic, p) for p in sorted(partitions or [])])
        consumer.seek_to_beginning()
    seen = 0
    while seen < options.count and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500, max_records=options.count - seen).values():
            for record in records:
                seen += 1
                print("consumed %s partition %d offset %d" % (record.value.decode(), record.partition, record.offset), flush=True)
    if options.group:
        consumer.commit()
    consumer.close(autocommit=False)
    if seen < options.count:
        sys.exit("timed out having seen %d of %d records" % (seen, options.count))


def confluent_kafka(options, deadline):
    from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

    if options.action == "produce":
        producer = Producer({"bootstrap.servers": options.bootstrap, "acks": "all"})
        failures = []

        def delivered(error, message):
            if error:
                failures.append(str(error))
            else:
                print("produced %s partition %d offset %d" % (message.value().decode(), message.partition(), message.offset()), flush=True)

        for i in range(options.count):
            producer.produce(options.topic, value=("%s-%d" % (options.prefix, i)).encode(), on_delivery=delivered)
        left = producer.flush(max(1, deadline - time.monotonic()))
        if failures or left:
            sys.exit("not delivered: %s" % (failures[0] if failures else "%d records still queued" % left))
        return
    consumer = Consumer({"bootstrap.servers": options.bootstrap, "group.id": options.group or "interop-plain",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    if options.group:
        consumer.subscribe([options.topic])
    else:
        topic = consumer.list_topics(options.topic, timeout=max(1, deadline - time.monotonic())).topics[options.topic]
        consumer.assign([TopicPartition(options.topic, p, OFFSET_BEGINNING) for p in sorted(topic.partitions)])
    seen = 0
    while seen < options.count and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error():
            print("consumer: %s" % message.error(), file=sys.stderr, flush=True)
            continue
        seen += 1
        print("consumed %s partition %d offset %d" % (message.value().decode(), message.partition(), message.offset()), flush=True)
    if options.group and seen:
        consumer.commit(asynchronous=False)
    consumer.close()
    if seen < options.count:
        sys.exit("timed out having seen %d of %d records" % (seen, options.count))


# ---- The cells ----

API_KEYS = {"Produce": 0, "Fetch": 1, "ListOffsets": 2, "Metadata": 3, "OffsetCommit": 8, "OffsetFetch": 9,
            "FindCoordinator": 10, "JoinGroup": 11, "Heartbeat": 12, "LeaveGroup": 13, "SyncGroup": 14,
            "DescribeGroups": 15, "ListGroups": 16, "ApiVersions": 18, "InitProducerId": 22}


def expectation(text):
    """What a cell must send, written as API names each followed by versions: a number is that
    version; `<=N` is the highest version both the client (N) and the broker's ApiVersions answer
    allow, `max` the broker's highest (clients that negotiate). A name ending in `?` may be absent
    (a heartbeat depends on timing). 'Metadata 0 1 Fetch <=11 Heartbeat? 1' -> [(api, spec, optional)]."""
    items, api, optional = [], None, False
    for word in text.split():
        if word.rstrip("?") in API_KEYS:
            api, optional = API_KEYS[word.rstrip("?")], word.endswith("?")
        else:
            items.append((api, word, optional))
    return items


def resolve(items, advertised):
    """The (api, version) pairs a cell must send and those it may send, given the ranges the broker
    advertised ({} if the client never asked). An ApiVersions version the broker does not take is
    answered with its ranges, and the client may ask again with a lower one."""
    required, allowed = set(), set()
    for api, spec, optional in items:
        top = advertised.get(api, (0, None))[1]
        if spec == "max":
            if top is None:
                continue
            version = top
        elif spec.startswith("<="):
            version = int(spec[2:]) if top is None else min(int(spec[2:]), top)
        else:
            version = int(spec)
        (allowed if optional else required).add((api, version))
        if api == API_KEYS["ApiVersions"]:
            allowed.update((api, lower) for lower in range(version))
    return required, allowed | required


class Cell:
    """One client at one setting: how it produces and consumes, whether it has groups, and the
    versions it sends (see `expectation`)."""

    def __init__(self, client, setting, expect, groups=True):
        self.client, self.setting, self.groups = client, setting, groups
        self.expect = expectation(expect)

    @property
    def name(self):
        return "%s %s" % (self.client, self.setting)

    @property
    def slug(self):
        return re.sub(r"[^a-z0-9.]+", "-", self.name.lower()).strip("-")


class Sarama(Cell):
    """The seed's Go apps (Tests/Interop/go); `version` None is sarama's default, which has no groups."""

    def __init__(self, version, expect, consumer_version=None, setting=None):
        super().__init__("sarama 1.22", setting or version or "default", expect, groups=(consumer_version or version) is not None)
        self.version = version
        self.consumer_version = consumer_version or version or "default"

    def produce(self, run, prefix, count):
        return [os.path.join(run.go, "producer"), "-brokers", run.bootstrap, "-topic", run.topic, "-count", str(count),
                "-prefix", prefix] + (["-version", self.version] if self.version else [])

    def consume(self, run, count, group=None):
        return [os.path.join(run.go, "consumer"), "-brokers", run.bootstrap, "-topic", run.topic, "-count", str(count),
                "-version", self.consumer_version, "-timeout", "%ds" % run.seconds_left()] + (["-group", group] if group else [])


class Driven(Cell):
    """kafka-python or confluent-kafka through this file's drivers, under `python`."""

    def __init__(self, client, kind, python, setting, expect, api_version=None):
        super().__init__(client, setting, expect)
        self.kind, self.python, self.api_version = kind, python, api_version

    def command(self, run, action, count, *extra):
        return [self.python(), os.path.abspath(__file__), "client", self.kind, action, "--bootstrap", run.bootstrap,
                "--topic", run.topic, "--count", str(count), "--timeout", str(run.seconds_left())] \
            + (["--api-version", self.api_version] if self.api_version else []) + list(extra)

    def produce(self, run, prefix, count):
        return self.command(run, "produce", count, "--prefix", prefix)

    def consume(self, run, count, group=None):
        return self.command(run, "consume", count, *(["--group", group] if group else []))


class Kcat(Cell):
    """kcat (librdkafka 2.0.2) with `-X` settings; without ApiVersions it has no balanced consumer."""

    def __init__(self, setting, settings, expect, groups=True):
        super().__init__("kcat", setting, expect, groups)
        self.settings = [arg for pair in settings for arg in ("-X", pair)]

    def produce(self, run, prefix, count):
        values = "".join("%s-%d\n" % (prefix, i) for i in range(count))
        return ["kcat", "-b", run.bootstrap, "-t", run.topic, "-P", "-X", "acks=all"] + self.settings, values

    def consume(self, run, count, group=None):
        shape = ["-f", "consumed %s partition %p offset %o\\n", "-c", str(count)]
        if group:
            return ["kcat", "-b", run.bootstrap, "-G", group, "-X", "auto.offset.reset=earliest"] + shape + self.settings + [run.topic]
        return ["kcat", "-b", run.bootstrap, "-t", run.topic, "-C", "-o", "beginning"] + shape + self.settings


def venv_python():
    if not hasattr(venv_python, "path"):
        result = subprocess.run([os.path.join(ROOT, "scripts", "interop-venv")], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("scripts/interop-venv failed: " + result.stderr.strip().splitlines()[-1])
        venv_python.path = result.stdout.strip()
    return venv_python.path


def debian_python():
    return DEBIAN_PYTHON


# What each setting sends: read in the clients' sources (sarama 1.22.1, kafka-python 2.0.2,
# librdkafka 2.0.2) and confirmed by capture wherever today's broker answers. kafka-python compares
# tuples, and (0, 11) < (0, 11, 0): at api_version=(0, 11) it fetches and joins as 0.10.1 does.
SARAMA_GROUP = "FindCoordinator 0 JoinGroup 1 SyncGroup 0 Heartbeat? 0 LeaveGroup 0 OffsetCommit 1 OffsetFetch 1"
KAFKA_PYTHON_0_9_GROUP = "FindCoordinator 0 JoinGroup 0 SyncGroup 0 Heartbeat? 0 LeaveGroup 0 OffsetCommit 2 OffsetFetch 1"
KAFKA_PYTHON_0_10_GROUP = "FindCoordinator 0 JoinGroup 1 SyncGroup 0 Heartbeat? 0 LeaveGroup 0 OffsetCommit 2 OffsetFetch 1"
KAFKA_PYTHON_GROUP = "FindCoordinator 0 JoinGroup 2 SyncGroup 1 Heartbeat? 1 LeaveGroup 1 OffsetCommit 2 OffsetFetch 1"
# librdkafka 2.0.2 (kcat, confluent-kafka 1.7) takes the highest version it and the broker share.
LIBRDKAFKA_2_0 = ("ApiVersions 3 Metadata <=4 Produce <=7 Fetch <=11 ListOffsets <=2 FindCoordinator <=2 JoinGroup <=5 "
                  "SyncGroup <=3 Heartbeat? <=3 LeaveGroup <=1 OffsetCommit <=7 OffsetFetch <=7")
# Today's clients negotiate too; their own maxima are taken as no bound until a capture shows one:
# confluent-kafka 2.x's librdkafka stops at FindCoordinator 2, JoinGroup 5, SyncGroup and Heartbeat 3, LeaveGroup 1.
CONFLUENT_KAFKA_2 = ("ApiVersions 3 Metadata max Produce max Fetch max ListOffsets max FindCoordinator <=2 JoinGroup <=5 "
                     "SyncGroup <=3 Heartbeat? <=3 LeaveGroup <=1 OffsetCommit max OffsetFetch max")
KAFKA_PYTHON_3 = ("ApiVersions 4 Metadata max Produce max Fetch max ListOffsets max FindCoordinator max JoinGroup max "
                  "SyncGroup max Heartbeat? max LeaveGroup max OffsetCommit max OffsetFetch max InitProducerId max")
CELLS = [
    Sarama(None, "Metadata 0 Produce 0 Fetch 0 ListOffsets 0"),
    Sarama("0.10.2.0", "Metadata 1 Produce 2 Fetch 3 ListOffsets 1 " + SARAMA_GROUP),
    Sarama("1.0.0", "Metadata 5 Produce 3 Fetch 4 ListOffsets 1 " + SARAMA_GROUP),
    Sarama("2.1.0", "Metadata 5 Produce 3 Fetch 4 ListOffsets 1 " + SARAMA_GROUP),
    Sarama(None, "Metadata 0 5 Produce 0 Fetch 4 ListOffsets 1 " + SARAMA_GROUP,
           consumer_version="2.1.1", setting="seed apps (producer default, group 2.1.1)"),
    Driven("kafka-python 2.0.2", "kafka-python", debian_python, "(0,9)", "Metadata 0 Produce 1 Fetch 1 ListOffsets 0 " + KAFKA_PYTHON_0_9_GROUP, api_version="0.9"),
    Driven("kafka-python 2.0.2", "kafka-python", debian_python, "(0,10,1)", "Metadata 1 Produce 2 Fetch 3 ListOffsets 1 " + KAFKA_PYTHON_0_10_GROUP, api_version="0.10.1"),
    Driven("kafka-python 2.0.2", "kafka-python", debian_python, "(0,11)", "Metadata 1 Produce 3 Fetch 3 ListOffsets 1 " + KAFKA_PYTHON_0_10_GROUP, api_version="0.11"),
    Driven("kafka-python 2.0.2", "kafka-python", debian_python, "(1,0)", "Metadata 1 Produce 4 Fetch 4 ListOffsets 1 " + KAFKA_PYTHON_GROUP, api_version="1.0"),
    Driven("kafka-python 2.0.2", "kafka-python", debian_python, "(2,0)", "Metadata 1 Produce 6 Fetch 4 ListOffsets 1 " + KAFKA_PYTHON_GROUP, api_version="2.0"),
    Driven("kafka-python 2.0.2", "kafka-python", debian_python, "auto", "ApiVersions 0 Metadata 0 1 Produce 7 Fetch 4 ListOffsets 1 " + KAFKA_PYTHON_GROUP),
    Kcat("fallback 0.8.2", ["api.version.request=false", "broker.version.fallback=0.8.2"], "Metadata 0 Produce 0 Fetch 0 ListOffsets 0", groups=False),
    Kcat("fallback 0.9.0", ["api.version.request=false", "broker.version.fallback=0.9.0"], "Metadata 0 Produce 1 Fetch 1 ListOffsets 0", groups=False),
    Kcat("defaults", [], LIBRDKAFKA_2_0),
    Driven("confluent-kafka 1.7", "confluent-kafka", debian_python, "defaults", LIBRDKAFKA_2_0),
    Driven("confluent-kafka 2.x", "confluent-kafka", venv_python, "defaults (PyPI)", CONFLUENT_KAFKA_2),
    Driven("kafka-python 3.x", "kafka-python", venv_python, "auto (PyPI)", KAFKA_PYTHON_3),
]


# ---- Running a cell ----

class Broker:
    """`eventlab serve` over a fresh workspace behind a wire tap, advertising the tap's port (as
    Kafka's advertised.listeners does), so that clients that follow Metadata stay behind the tap."""

    def __init__(self, eventlab, capture):
        from wire_tap import WireTap

        self.directory = tempfile.mkdtemp(prefix="eventlab-matrix-")
        self.tap = WireTap(("127.0.0.1", 0), None, capture=capture)
        port = self.tap.port
        self.log_path = os.path.join(self.directory, "serve.log")
        self.log = open(self.log_path, "w")
        command = [eventlab, "serve", "--data", os.path.join(self.directory, "data"), "--port", "0",
                   "--advertised-port", str(port), "--set", "group.initial.rebalance.delay.ms=0"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            self.stop()
            with open(self.log_path) as log:
                raise RuntimeError("eventlab serve did not start: " + (line + log.read()).strip())
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        listening = int(line.strip().rpartition(":")[2])
        self.tap.reach(("127.0.0.1", listening)).start()
        self.bootstrap = "127.0.0.1:%d" % port

    def log_lines(self):
        self.log.flush()
        with open(self.log_path) as log:
            return log.read().splitlines()

    def stop(self):
        """Stops the tap and the broker; the workspace stays until `remove`. Stopping again does nothing."""
        if self.log.closed:
            return
        self.tap.stop()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def group_describe(self, eventlab, group, topic, committed):
        """Whether the REPL's `group describe` on the stopped broker's workspace shows the group
        at `committed` records of `topic` with no lag; a Step saying so."""
        command = [eventlab, "--data", os.path.join(self.directory, "data"), "-c", "group describe " + group]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        rows = [line.split() for line in result.stdout.splitlines()[1:] if line.split()[:2] == [group, topic]]
        offsets = sum(int(row[3]) for row in rows if row[3].isdigit())
        if result.returncode != 0 or not rows or offsets != committed or any(row[5] != "0" for row in rows):
            shown = (result.stdout + result.stderr).strip().replace("\n", " | ")
            return Step(False, reason="`group describe %s` does not show %d committed records: %s" % (group, committed, shown[:120]))
        return Step(True)

    def remove(self):
        shutil.rmtree(self.directory, ignore_errors=True)


class Step:
    """One client run: whether it did what it should, what it printed, and why not."""

    def __init__(self, ok, values=(), reason=""):
        self.ok, self.values, self.reason = ok, list(values), reason

    @property
    def mark(self):
        return "ok" if self.ok else "FAIL"


class Run:
    """A cell against its own broker, within CELL_SECONDS."""

    def __init__(self, cell, broker, go):
        self.cell, self.broker, self.go = cell, broker, go
        self.bootstrap = broker.bootstrap
        self.topic = "matrix-" + cell.slug.replace(".", "-")
        self.deadline = time.monotonic() + CELL_SECONDS

    def seconds_left(self):
        return max(1, int(self.deadline - time.monotonic()))

    def client(self, make_command):
        """Runs the client command make_command() returns (argv, or (argv, stdin)) and returns a Step with
        the values it printed.
        Once the broker has closed a connection over a version it does not serve, the client has
        failed whatever it does next (most retry until they time out): it gets a second, then it ends."""
        try:
            command = make_command()
        except RuntimeError as error:  # the client is not there to run
            return Step(False, reason=str(error))
        argv, stdin = command if isinstance(command, tuple) else (command, None)
        logged = len(self.broker.log_lines())
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            try:
                process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out, stderr=err, text=True)
            except OSError as error:
                return Step(False, reason=str(error))
            process.stdin.write(stdin or "")
            process.stdin.close()
            refused_at = None
            while process.poll() is None and time.monotonic() < self.deadline:
                if refused_at is None and any(UNSUPPORTED in line for line in self.broker.log_lines()[logged:]):
                    refused_at = time.monotonic()
                if refused_at is not None and time.monotonic() > refused_at + 1:
                    break
                time.sleep(0.1)
            code = process.poll()
            if code is None:
                process.kill()
                process.wait()
                code = "ended"
            out.seek(0)
            err.seek(0)
            printed, said = out.read(), err.read()
        values = [line.split()[1] for line in printed.splitlines()
                  if line.startswith(("produced ", "consumed ")) and not line.endswith(" records")]
        if code == 0:
            return Step(True, values)
        closed = [line.split(": ", 1)[1] for line in self.broker.log_lines()[logged:] if line.startswith("closing ") and ": " in line]
        complaints = [line.strip() for line in said.splitlines() if line.strip() and not line.startswith("%")]
        if closed:
            reason = "broker closed the connection: " + "; ".join(dict.fromkeys(closed))
        elif code == "ended":
            reason = "no end within the cell's %d s" % CELL_SECONDS
        else:
            reason = complaints[-1] if complaints else "exit status %s" % code
        return Step(False, values, reason[:200])

    def produce(self, prefix, count):
        """The cell's producer sends count records; if it cannot, kafka-python (auto) sends them unrecorded,
        so that the cell's consumers are still tried."""
        step = self.client(lambda: self.cell.produce(self, prefix, count))
        expected = ["%s-%d" % (prefix, i) for i in range(count)]
        if step.ok and isinstance(self.cell, Kcat):
            step.values = expected  # kcat -P prints nothing; the consumers check what arrived
        if step.ok and sorted(step.values) != sorted(expected):
            step = Step(False, step.values, "acknowledged %d of %d records" % (len(step.values), count))
        if not step.ok:
            self.broker.tap.recording = False
            reference = Driven("reference", "kafka-python", debian_python, "auto", "")
            seeded = self.client(lambda: reference.produce(self, prefix, count))
            self.broker.tap.recording = True
            if not seeded.ok:
                step.reason += " (and kafka-python could not produce either: %s)" % seeded.reason
        return step, expected

    def consume(self, expected, group=None):
        step = self.client(lambda: self.cell.consume(self, len(expected), group))
        if step.ok and sorted(step.values) != sorted(expected):
            unexpected = sorted(set(step.values) - set(expected))
            if unexpected:
                why = "read %s, which it had committed before" % unexpected[0] if group and unexpected[0].startswith("a-") else "read %s" % unexpected[0]
            else:
                why = "read %d of %d records" % (len(set(step.values)), len(expected))
            step = Step(False, step.values, why)
        return step


def run_cell(cell, eventlab, go, capture):
    """Returns (produce, consume, group, versions seen, reason or None)."""
    if capture:
        shutil.rmtree(os.path.join(capture, cell.slug), ignore_errors=True)
    broker = Broker(eventlab, os.path.join(capture, cell.slug) if capture else None)
    try:
        run = Run(cell, broker, go)
        produced, first = run.produce("a", FIRST)
        consumed = run.consume(first)
        group = None
        if cell.groups:
            name = "matrix-group"
            group = run.consume(first, group=name)
            if group.ok:
                more, expected = run.produce("b", MORE)
                resumed = run.consume(expected, group=name)
                if not more.ok:
                    group = more
                elif not resumed.ok:
                    group = Step(False, resumed.values, "on resuming: " + resumed.reason)
        seen = broker.tap.versions()
        broker.stop()
        if group and group.ok:
            group = broker.group_describe(eventlab, name, run.topic, FIRST + MORE)
    finally:
        broker.stop()
        broker.remove()
    steps = [("produce", produced), ("consume", consumed)] + ([("group", group)] if group else [])
    failed = [(what, step) for what, step in steps if not step.ok]
    reason = None
    if failed:
        reasons = {}
        for what, step in failed:
            reasons.setdefault(step.reason, []).append(what)
        reason = "; ".join("%s: %s" % (" and ".join([", ".join(whats[:-1]), whats[-1]] if len(whats) > 1 else whats), why)
                           for why, whats in reasons.items())
    else:
        required, allowed = resolve(cell.expect, broker.tap.advertised)
        unexpected = sorted(set(seen) - allowed)
        missing = sorted(required - set(seen))
        if unexpected or missing:
            reason = "versions: " + "; ".join(part for part in (
                "sent %s, not expected" % describe(unexpected) if unexpected else "",
                "never sent %s" % describe(missing) if missing else "") if part)
    return produced, consumed, group, seen, reason


def describe(pairs):
    """[(3, 1), (3, 5), (0, 2)] -> 'Produce 2 · Metadata 1 5', by API key."""
    from wire_tap import api_name

    by_api = {}
    for api, version in sorted(pairs):
        by_api.setdefault(api, []).append(str(version))
    return " · ".join("%s %s" % (api_name(api), " ".join(found)) for api, found in by_api.items()) or "none"


def setup():
    """Builds the Go apps; returns their directory, or None with the reason printed."""
    go = os.path.join(ROOT, ".build", "interop-go")
    result = subprocess.run([os.path.join(HERE, "go", "build.sh"), go], capture_output=True, text=True)
    if result.returncode != 0:
        print("The Go apps did not build; their cells fail:\n" + result.stderr, file=sys.stderr)
    return go


def main():
    parser = argparse.ArgumentParser(description="Runs the compatibility matrix against eventlab serve.")
    parser.add_argument("eventlab")
    parser.add_argument("--only", help="run the cells whose 'client setting' contains this (case-insensitive)")
    parser.add_argument("--capture", help="keep each cell's first exchange per (API, version) in DIR/<cell>/")
    options = parser.parse_args()
    eventlab = os.path.abspath(options.eventlab)
    cells = [cell for cell in CELLS if not options.only or options.only.lower() in cell.name.lower()]
    if not cells:
        sys.exit("no cell matches %r" % options.only)
    go = setup()
    started = time.monotonic()
    rows = []
    for cell in cells:
        began = time.monotonic()
        try:
            produced, consumed, group, seen, reason = run_cell(cell, eventlab, go, options.capture)
        except RuntimeError as error:  # the broker did not start: no cell can run
            sys.exit("%s: %s" % (cell.name, error))
        rows.append((cell, produced, consumed, group, seen, reason, time.monotonic() - began))
        print("%-4s %s (%.0f s)%s" % ("PASS" if reason is None else "FAIL", cell.name, rows[-1][-1], "" if reason is None else ": " + reason),
              file=sys.stderr, flush=True)
    print_matrix(rows)
    failed = sum(1 for row in rows if row[5] is not None)
    print("%d passed, %d failed (%.0f s)" % (len(rows) - failed, failed, time.monotonic() - started))
    sys.exit(1 if failed else 0)


def print_matrix(rows):
    header = ("client", "setting", "produce", "consume", "group", "result", "versions seen")
    table = [header]
    for cell, produced, consumed, group, seen, reason, _ in rows:
        table.append((cell.client, cell.setting, produced.mark, consumed.mark, group.mark if group else "—",
                      "PASS" if reason is None else "FAIL", describe(seen)))
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    for number, row in enumerate(table):
        print("  ".join(value.ljust(width) for value, width in zip(row, widths)) + "  " + row[-1])
        if number and rows[number - 1][5] is not None:
            print("    ↳ " + rows[number - 1][5])


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "client":
        drive(sys.argv[2:])
    else:
        sys.path.insert(0, HERE)
        main()
