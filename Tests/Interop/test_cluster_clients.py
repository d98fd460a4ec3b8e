#!/usr/bin/python3
"""Real Kafka clients against a served cluster of three brokers, one port each, while the REPL
stops and starts them: kcat, confluent-kafka, kafka-python and the seed-shaped sarama apps.

The cluster is `eventlab --brokers 3` reading commands from a pipe after `listen 0`, as a test or
a teacher drives one. Run with Debian's Python (python3-kafka, python3-confluent-kafka):
/usr/bin/python3 Tests/Interop/test_cluster_clients.py [path/to/eventlab] [Class[.test]]
"""
import collections
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import quiet

EVENTLAB = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".build/debug/eventlab")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Cluster:
    """`eventlab --data DATA --brokers N` with commands piped in and its output (standard error
    too) read line by line; `--keep-going` so that a failed command does not end it. Each command
    is followed by a marker command that fails naming a topic that does not exist: its error line
    ends the command's output, since piped input shows no prompt."""

    def __init__(self, data, brokers=3):
        self.process = subprocess.Popen(
            [EVENTLAB, "--data", data, "--brokers", str(brokers), "--keep-going",
             "--set", "group.initial.rebalance.delay.ms=0"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines = queue.Queue()
        self.marks = 0
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()
        self.addresses = {}

    def read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def run(self, command, timeout=30):
        """Sends `command` and returns what it printed (with any line the cluster printed meanwhile)."""
        self.marks += 1
        mark = f"'end-of-command-{self.marks}'"
        self.process.stdin.write(f"{command}\ntopic describe {mark[1:-1]}\n")
        self.process.stdin.flush()
        said = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"`{command}` printed no end in {timeout} s; so far: {said}")
            if line is None:
                raise AssertionError(f"the REPL ended during `{command}`; it printed: {said}")
            if mark in line:
                print(f"eventlab> {command}\n" + "\n".join(said))
                return "\n".join(said)
            said.append(line)

    def listen(self):
        """`listen 0`: every broker on a free port; keeps {broker id: address}."""
        said = self.run("listen 0")
        self.addresses = {int(broker): address
                          for address, broker in re.findall(r"(127\.0\.0\.1:\d+) \(broker (\d+)\)", said)}
        if not self.addresses:
            raise AssertionError("`listen 0` named no broker's address: " + said)
        return said

    def bootstrap(self):
        return ",".join(self.addresses[broker] for broker in sorted(self.addresses))

    def partitions(self, topic):
        """`topic describe TOPIC` as {partition: {column: value}}, e.g. {0: {"LEADER": "2", "ISR": "2,3", ...}}."""
        lines = self.run(f"topic describe {topic}").splitlines()
        header = next(line.split() for line in lines if line.startswith("PARTITION"))
        rows = [dict(zip(header, line.split())) for line in lines if re.match(r"\d+\s", line)]
        return {int(row["PARTITION"]): row for row in rows}

    def leaders(self, topic):
        """{partition: its leader's broker id, or None when it has none}."""
        return {partition: int(row["LEADER"]) if row["LEADER"].isdigit() else None
                for partition, row in self.partitions(topic).items()}

    def close(self):
        """Ends the input: the REPL stops listening and exits."""
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=10)
        self.process.stdout.close()


def coordinator(consumer):
    """The broker id a kafka-python consumer knows as its group's coordinator (it names its
    connection to it "coordinator-ID"), or None."""
    known = consumer._coordinator.coordinator_id
    return None if known is None else int(str(known).rpartition("-")[2])


def kcat(address, *arguments, input=None):
    return subprocess.run(["kcat", "-b", address, *arguments], input=input, capture_output=True, text=True, timeout=60)


def read_partition(bootstrap, topic, partition=0, timeout=30):
    """Every record of one partition, from its start to its high watermark, as {offset: value}."""
    from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "reader", "enable.auto.commit": False})
    try:
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
        consumer.assign([TopicPartition(topic, partition, OFFSET_BEGINNING)])
        records = {}
        deadline = time.monotonic() + timeout
        while len(records) < high and time.monotonic() < deadline:
            for message in consumer.consume(1000, 0.5):
                if message.error() is None:
                    records[message.offset()] = message.value()
        return records
    finally:
        consumer.close()


class ClusterClientTests(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-cluster-")
        self.addCleanup(shutil.rmtree, self.data, ignore_errors=True)
        self.cluster = Cluster(self.data)
        self.addCleanup(self.cluster.close)
        self.cluster.listen()

    def test_kcat_lists_three_brokers_and_each_leader_then_two_after_a_stop(self):
        addresses = self.cluster.addresses
        self.assertEqual(sorted(addresses), [1, 2, 3])
        self.assertEqual(len(set(addresses.values())), 3, "one port per broker")
        self.cluster.run("topic create spread --partitions 3 --replication-factor 3")

        def listing(address, brokers):
            """kcat -L through `address` lists `brokers` at their ports, and each partition as the REPL shows it."""
            shown = kcat(address, "-L", "-t", "spread")
            self.assertEqual(shown.returncode, 0, shown.stderr)
            self.assertIn(f" {len(brokers)} brokers:", shown.stdout)
            for broker in (1, 2, 3):
                line = f"broker {broker} at {addresses[broker]}"
                (self.assertIn if broker in brokers else self.assertNotIn)(line, shown.stdout)
            for partition, row in self.cluster.partitions("spread").items():
                self.assertIn(f"partition {partition}, leader {row['LEADER']}, replicas: {row['REPLICAS']}, "
                              f"isrs: {row['ISR']}\n", shown.stdout)

        self.assertEqual(sorted(self.cluster.leaders("spread").values()), [1, 2, 3],
                         "three partitions of factor 3: one led by each broker")
        for broker in (1, 2, 3):
            listing(addresses[broker], [1, 2, 3])
        stopped = self.cluster.run("broker stop 2")
        self.assertIn(f"stopped listening on {addresses[2]} (broker 2): ", stopped)
        self.assertNotIn(2, self.cluster.leaders("spread").values())
        listing(addresses[1], [1, 3])
        refused = kcat(addresses[2], "-L", "-m", "3")
        self.assertNotEqual(refused.returncode, 0, "a stopped broker's port is closed")
        started = self.cluster.run("broker start 2")
        self.assertIn(f"listening on {addresses[2]} (broker 2) again", started)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(len(row["ISR"].split(",")) < 3
                                                  for row in self.cluster.partitions("spread").values()):
            time.sleep(0.1)  # broker 2 catches up and rejoins the ISRs; the listing then holds still
        listing(addresses[2], [1, 2, 3])

    def produce_across_a_leader_stop(self, topic, idempotent):
        """confluent-kafka with acks=all (otherwise its defaults) sends 3,000 records to one
        partition of factor 3 while the REPL stops its leader's broker and later starts it again;
        returns (what was acknowledged as {offset: value}, the partition as read back)."""
        from confluent_kafka import Producer
        self.cluster.run(f"topic create {topic} --replication-factor 3")
        leader = self.cluster.leaders(topic)[0]
        settings = {"bootstrap.servers": self.cluster.bootstrap(), "acks": "all", "linger.ms": 5}
        if idempotent:
            settings["enable.idempotence"] = True
        producer = Producer(settings)
        acknowledged, failed = {}, []

        def delivered(error, message):
            if error is None:
                acknowledged[message.offset()] = message.value()
            else:
                failed.append((message.value(), error))

        said = {}

        def stop():
            said["stop"] = self.cluster.run(f"broker stop {leader}")
            said["leader"] = self.cluster.leaders(topic)[0]

        # The REPL stops the broker from another thread, so that records keep being sent meanwhile.
        stopping = threading.Thread(target=stop)
        for n in range(3000):
            producer.produce(topic, value=b"record-%d" % n, on_delivery=delivered)
            producer.poll(0)
            time.sleep(0.001)
            if n == 1000:
                stopping.start()
            if n == 2000:
                stopping.join()
                self.assertIn(f"stopped listening on {self.cluster.addresses[leader]} (broker {leader})", said["stop"])
                self.assertNotIn(said["leader"], (None, leader), "another in-sync replica leads")
                self.assertIn(f"(broker {leader}) again", self.cluster.run(f"broker start {leader}"))
        self.assertEqual(producer.flush(60), 0, "every record is reported within 60 s")
        self.assertEqual(failed, [], "librdkafka retries until the new leader acknowledges")
        self.assertEqual(len(acknowledged), 3000)
        stored = read_partition(self.cluster.bootstrap(), topic)
        print(f"{len(stored)} records stored for 3000 acknowledged")
        lost = {offset: value for offset, value in acknowledged.items() if stored.get(offset) != value}
        self.assertEqual(lost, {}, "every acknowledged record is where its acknowledgement said")
        return acknowledged, stored

    def test_confluent_kafka_acks_all_loses_nothing_acknowledged_across_a_leader_stop(self):
        self.produce_across_a_leader_stop("acked", idempotent=False)

    def test_an_idempotent_confluent_kafka_producer_writes_each_record_once_in_order_across_a_leader_stop(self):
        _, stored = self.produce_across_a_leader_stop("exact", idempotent=True)
        self.assertEqual([stored[offset] for offset in sorted(stored)], [b"record-%d" % n for n in range(3000)])

    def test_a_kafka_python_group_resumes_from_its_commits_across_coordinator_and_leader_stops(self):
        from kafka import KafkaConsumer
        from kafka.errors import CommitFailedError
        self.cluster.run("topic create work --partitions 3 --replication-factor 3")
        for partition in range(3):
            produced = kcat(self.cluster.bootstrap(), "-P", "-t", "work", "-p", str(partition), "-X", "acks=all",
                            input="".join(f"p{partition}-{n}\n" for n in range(100)))
            self.assertEqual(produced.returncode, 0, produced.stderr)
        seen = []  # (partition, offset, value) in the order read
        again = set()  # records read in a poll whose commit failed: they may be read once more

        def member():
            return KafkaConsumer("work", bootstrap_servers=self.cluster.bootstrap().split(","), group_id="workers",
                                 auto_offset_reset="earliest", enable_auto_commit=False, max_poll_records=10,
                                 session_timeout_ms=10000, heartbeat_interval_ms=500)

        def consume(consumer, count):
            """Reads `count` more records (or all that are left), committing after each poll's."""
            wanted = min(len(seen) + count, 300)
            deadline = time.monotonic() + 30
            while len({record[2] for record in seen}) < wanted and time.monotonic() < deadline:
                records = [(r.partition, r.offset, r.value) for batch in consumer.poll(timeout_ms=200).values()
                           for r in batch]
                seen.extend(records)
                if records:
                    try:
                        consumer.commit()
                    except CommitFailedError:
                        again.update(records)
            self.assertGreaterEqual(len({record[2] for record in seen}), wanted, "the group goes on reading")

        first = member()
        try:
            consume(first, 60)
            stopped = coordinator(first)
            self.assertIn(stopped, (1, 2, 3))
            self.assertIn(f"(broker {stopped}): ", self.cluster.run(f"broker stop {stopped}"))
            consume(first, 60)
            self.assertNotIn(coordinator(first), (None, stopped), "another broker coordinates")
            self.cluster.run(f"broker start {stopped}")
            consume(first, 30)
        finally:
            first.close()
        committed = {partition: max((offset for p, offset, _ in seen if p == partition), default=-1) + 1
                     for partition in range(3)}
        before = len(seen)
        second = member()
        try:
            consume(second, 30)
            leader = self.cluster.leaders("work")[0]
            self.assertIn(f"(broker {leader}): ", self.cluster.run(f"broker stop {leader}"))
            consume(second, 60)
            self.cluster.run(f"broker start {leader}")
            consume(second, 300)
        finally:
            second.close()
        for partition in range(3):
            resumed = min((offset for p, offset, _ in seen[before:] if p == partition), default=100)
            self.assertEqual(resumed, committed[partition], f"the second member starts p{partition} at the first's commit")
        counts = collections.Counter(value for _, _, value in seen)
        self.assertEqual(set(counts), {b"p%d-%d" % (p, n) for p in range(3) for n in range(100)})
        twice = {value for value, count in counts.items() if count > 1}
        self.assertLessEqual(twice, {value for _, _, value in again}, "read twice only after a failed commit")
        described = self.cluster.run("group describe workers")
        for partition in range(3):
            self.assertRegex(described, rf"workers\s+work\s+{partition}\s+100\s+100\s+0\b")

    def test_the_seed_shaped_sarama_apps_produce_and_consume_across_a_stop_of_broker_1(self):
        apps = os.path.join(ROOT, ".build", "interop-go")
        built = subprocess.run([os.path.join(ROOT, "Tests", "Interop", "go", "build.sh"), apps],
                               capture_output=True, text=True, timeout=300)
        self.assertEqual(built.returncode, 0, built.stderr)
        self.cluster.run("topic create seed --partitions 3 --replication-factor 3")
        self.assertIn(1, self.cluster.leaders("seed").values())
        brokers = self.cluster.bootstrap()
        producer = subprocess.Popen([os.path.join(apps, "producer"), "-brokers", brokers, "-topic", "seed",
                                     "-count", "1000", "-prefix", "seed"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        produced = []
        with producer:
            for line in producer.stdout:
                produced.append(line.strip())
                if len(produced) == 200:
                    self.assertIn("(broker 1): ", self.cluster.run("broker stop 1"))
            error = producer.stderr.read()
        self.assertEqual(producer.returncode, 0, error)
        self.assertEqual(produced[-1], "produced 1000 records")
        self.assertGreater(len(produced), 200, "broker 1 stopped while the producer was sending")
        acknowledged = {line.replace("produced ", "", 1) for line in produced[:-1]}
        total = sum(int(row["HW"]) for row in self.cluster.partitions("seed").values())

        def consume(*options):
            ran = subprocess.run([os.path.join(apps, "consumer"), "-brokers", brokers, "-topic", "seed",
                                  "-count", str(total), "-timeout", "40s", *options],
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(ran.returncode, 0, ran.stderr)
            consumed = {line.replace("consumed ", "", 1) for line in ran.stdout.splitlines()[:-1]}
            self.assertEqual(acknowledged - consumed, set(), "every acknowledged record is read where it was acknowledged")

        consume("-group", "seed-group")
        self.assertIn("(broker 1) again", self.cluster.run("broker start 1"))
        consume("-version", "default")
        described = self.cluster.run("group describe seed-group")
        for partition in range(3):
            self.assertRegex(described, rf"seed-group\s+seed\s+{partition}\s+\d+\s+\d+\s+0\b", "committed to the end")


if __name__ == "__main__":
    quiet.run()
