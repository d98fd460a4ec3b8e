#!/usr/bin/python3
"""Real Kafka clients against `eventlab serve`: kcat, kafka-python and confluent-kafka.

Run with Debian's Python, which has python3-kafka and python3-confluent-kafka:
/usr/bin/python3 Tests/Interop/test_kafka_clients.py [path/to/eventlab]
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import quiet

EVENTLAB = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".build/debug/eventlab")


class Server:
    """`eventlab serve` on a free loopback port, over a workspace directory (None: `--memory`);
    `open_files` starts it under that soft limit on descriptors, as `ulimit -Sn` would."""

    def __init__(self, data, *options, open_files=None):
        import resource

        def limit():
            if open_files is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

        self.data = data
        workspace = ["--data", data] if data is not None else ["--memory"]
        self.process = subprocess.Popen([EVENTLAB, "serve", *workspace, "--port", "0", *options],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limit)
        self.log = None
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            self.kill()
            raise RuntimeError("serve did not start: " + line + self.log)
        self.address = line.split()[-1]

    def stop(self):
        """Ends the server with SIGTERM and returns its exit status; what it wrote on stderr is in `log`."""
        return self.end(signal.SIGTERM)

    def kill(self):
        self.end(signal.SIGKILL)

    def end(self, signal_number):
        """Signals the server once, waits for it, and closes its pipes; stopping it again does nothing."""
        if self.log is None:
            if self.process.poll() is None:
                self.process.send_signal(signal_number)
            _, self.log = self.process.communicate(timeout=20)
        return self.process.returncode


def eventlab(data, commands):
    return subprocess.run([EVENTLAB, "--data", data, "-c", commands], capture_output=True, text=True, timeout=60)


def kcat(address, *arguments, input=None):
    return subprocess.run(["kcat", "-b", address, *arguments], input=input, capture_output=True, text=True, timeout=60)


class ClientTests(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-serve-")
        self.server = Server(self.data)

    def tearDown(self):
        if self.server.process.poll() is None:
            self.server.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def test_kcat_lists_produces_consumes_and_joins_a_group(self):
        listing = kcat(self.server.address, "-L")
        self.assertIn("broker 1 at " + self.server.address + " (controller)", listing.stdout)
        produced = kcat(self.server.address, "-P", "-t", "orders", "-K:", input="o-1:first\no-2:second\no-1:third\n")
        self.assertEqual(produced.returncode, 0, produced.stderr)
        consumed = kcat(self.server.address, "-C", "-t", "orders", "-o", "beginning", "-e", "-f", "%k=%s@%o\n")
        self.assertEqual(consumed.stdout, "o-1=first@0\no-2=second@1\no-1=third@2\n")
        grouped = kcat(self.server.address, "-C", "-G", "kcat-group", "orders", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(grouped.stdout.split(), ["first", "second", "third"])
        self.assertEqual(self.server.stop(), 0)
        described = eventlab(self.data, "group describe kcat-group")
        self.assertIn("kcat-group  orders  0          3               3               0", described.stdout)

    def test_gzip_batches_are_stored_plain_and_read_back_by_every_client(self):
        produced = kcat(self.server.address, "-P", "-t", "zipped", "-X", "compression.codec=gzip", "-K:",
                        input="".join(f"k{n}:value-{n}\n" for n in range(50)))
        self.assertEqual(produced.returncode, 0, produced.stderr)
        from kafka import KafkaProducer
        producer = KafkaProducer(bootstrap_servers=self.server.address, compression_type="gzip")
        producer.send("zipped", key=b"py", value=b"from-python").get(timeout=10)
        producer.close()
        consumed = kcat(self.server.address, "-C", "-t", "zipped", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(consumed.stdout.split(), [f"value-{n}" for n in range(50)] + ["from-python"])
        self.assertEqual(self.server.stop(), 0)
        shown = eventlab(self.data, "consume zipped --max 2")
        self.assertIn("k0  value-0", shown.stdout)

    def test_max_message_bytes_measures_a_gzip_batch_as_sent_not_inflated(self):
        from kafka import KafkaAdminClient, KafkaProducer
        from kafka.admin import NewTopic
        from kafka.errors import MessageSizeTooLargeError
        admin = KafkaAdminClient(bootstrap_servers=self.server.address)
        admin.create_topics([NewTopic("small", num_partitions=1, replication_factor=1,
                                      topic_configs={"max.message.bytes": "1000"})])
        admin.close()
        producer = KafkaProducer(bootstrap_servers=self.server.address, compression_type="gzip")
        stored = producer.send("small", value=b"a" * 20000).get(timeout=10)
        self.assertEqual(stored.offset, 0)
        with self.assertRaises(MessageSizeTooLargeError):
            producer.send("small", value=os.urandom(3000)).get(timeout=10)
        producer.close()
        consumed = kcat(self.server.address, "-C", "-t", "small", "-o", "beginning", "-e", "-f", "%S\n")
        self.assertEqual(consumed.stdout.split(), ["20000"], consumed.stderr)

    def test_acks_2_from_confluent_kafka_is_refused_with_invalid_required_acks(self):
        from confluent_kafka import Producer
        reports = []
        producer = Producer({"bootstrap.servers": self.server.address, "acks": 2, "retries": 0,
                             "message.timeout.ms": 10000})
        producer.produce("acked", value=b"v", on_delivery=lambda error, message: reports.append(error))
        producer.flush(15)
        self.assertEqual(len(reports), 1)
        self.assertIsNotNone(reports[0])
        self.assertEqual(reports[0].code(), 21, reports[0])
        consumed = kcat(self.server.address, "-C", "-t", "acked", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(consumed.stdout, "", consumed.stderr)

    def test_a_topic_that_collides_once_dot_and_underscore_are_equal_is_refused(self):
        from confluent_kafka.admin import AdminClient, NewTopic
        admin = AdminClient({"bootstrap.servers": self.server.address})
        admin.create_topics([NewTopic("orders_eu", num_partitions=1, replication_factor=1)])["orders_eu"].result(timeout=10)
        futures = admin.create_topics([NewTopic("orders.eu", num_partitions=1, replication_factor=1)])
        with self.assertRaises(Exception) as raised:
            futures["orders.eu"].result(timeout=10)
        self.assertEqual(raised.exception.args[0].code(), 17)  # INVALID_TOPIC_EXCEPTION
        self.assertIn("collides with existing topic 'orders_eu'", str(raised.exception))

    def test_kafka_python_places_keys_as_eventlab_does_and_a_group_shares_partitions(self):
        from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
        from kafka.admin import NewTopic
        admin = KafkaAdminClient(bootstrap_servers=self.server.address)
        admin.create_topics([NewTopic("placed", num_partitions=4, replication_factor=1)])
        admin.close()
        producer = KafkaProducer(bootstrap_servers=self.server.address)
        placements = {}
        for n in range(12):
            key = f"key{n}".encode()
            placements[key] = producer.send("placed", key=key, value=b"v%d" % n).get(timeout=10).partition
        producer.close()
        self.assertEqual(self.server.stop(), 0)
        explained = eventlab(self.data, "; ".join(f"explain key key{n} placed" for n in range(12)))
        for n in range(12):
            self.assertIn(f"so 'key{n}' goes to placed p{placements[f'key{n}'.encode()]} from Java's producer and kafka-python,", explained.stdout)
        self.server = Server(self.data)
        consumer = KafkaConsumer("placed", bootstrap_servers=self.server.address, group_id="python-group",
                                 auto_offset_reset="earliest", consumer_timeout_ms=8000)
        values = sorted(record.value for record in consumer)
        consumer.commit()
        consumer.close()
        self.assertEqual(values, sorted(b"v%d" % n for n in range(12)))
        self.assertEqual(self.server.stop(), 0)
        described = eventlab(self.data, "group describe python-group")
        self.assertEqual(described.stdout.count("python-group  placed"), 4)

    def test_confluent_kafka_places_keys_where_explain_key_says_librdkafka_does(self):
        from confluent_kafka import Producer
        from confluent_kafka.admin import AdminClient, NewTopic
        admin = AdminClient({"bootstrap.servers": self.server.address})
        admin.create_topics([NewTopic("placed", num_partitions=4, replication_factor=1)])["placed"].result(timeout=10)
        keys = [f"key{n}" for n in range(12)] + ["sku-3", "o-1", "customer-42"]
        placements = {}
        producer = Producer({"bootstrap.servers": self.server.address})
        for key in keys:
            producer.produce("placed", key=key, value=b"v",
                             on_delivery=lambda error, message: placements.__setitem__(message.key().decode(), message.partition()))
        producer.flush(10)
        self.assertEqual(len(placements), len(keys))
        self.assertNotEqual(len(set(placements.values())), 1)
        self.assertEqual(self.server.stop(), 0)
        explained = eventlab(self.data, "; ".join(f"explain key {key} placed" for key in keys))
        for key in keys:
            self.assertIn(f"p{placements[key]} from librdkafka and", explained.stdout.split(f"so '{key}' goes to")[1].split("\n")[0])

    def test_control_sequences_and_newlines_from_a_client_are_printed_escaped(self):
        from kafka import KafkaConsumer, KafkaProducer
        producer = KafkaProducer(bootstrap_servers=self.server.address)
        producer.send("raw", key=b"\x1b]0;pwned\x07", value=b"x\np0 @999  k  forged\x1b[2J\xff\xe2\x80\xae",
                      headers=[("h", b"\x1b[31m")]).get(timeout=10)
        producer.close()
        consumer = KafkaConsumer("raw", bootstrap_servers=self.server.address, group_id="g\x1b[5m\u202e",
                                 auto_offset_reset="earliest", consumer_timeout_ms=5000)
        self.assertEqual(len(list(consumer)), 1)
        consumer.commit()
        consumer.close()
        self.assertEqual(self.server.stop(), 0)
        shown = subprocess.run([EVENTLAB, "--data", self.data, "-c", "consume raw --headers; group list; show raw"],
                               capture_output=True, timeout=60)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        output = shown.stdout.decode("utf-8")
        self.assertIn("p0 @0  \\x1b]0;pwned\\x07  x\\np0 @999  k  forged\\x1b[2J\\xff\\u{202e}  ", output)
        self.assertIn("[h=\\x1b[31m]", output)
        self.assertIn("g\\x1b[5m\\u{202e}  Empty", output)
        self.assertEqual([line for line in output.split("\n") if line.startswith("p0 @")], [output.split("\n")[0]])
        self.assertFalse(any(ord(c) < 0x20 and c != "\n" or 0x7f <= ord(c) < 0xa0 or 0x202a <= ord(c) <= 0x202e for c in output))

    def test_a_record_stamped_2_63_minus_1_by_kafka_python_is_stored_read_and_drawn(self):
        from kafka import KafkaProducer
        producer = KafkaProducer(bootstrap_servers=self.server.address)
        producer.send("late", key=b"k", value=b"far", timestamp_ms=2**63 - 1).get(timeout=10)
        producer.send("late", key=b"k", value=b"next").get(timeout=10)
        producer.close()
        consumed = kcat(self.server.address, "-C", "-t", "late", "-o", "beginning", "-e", "-f", "%T %s\n")
        self.assertEqual(consumed.stdout.split("\n")[0], f"{2**63 - 1} far")
        self.assertEqual(self.server.stop(), 0)
        shown = eventlab(self.data, "consume late; show log late; show late")
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn("p0 @0  k  far  292278994-08-17T07:12:55.807Z", shown.stdout)
        self.assertIn("292278994-08-17T07:12:55.807Z  active", shown.stdout)

    def test_offsets_for_times_answers_the_first_record_at_or_after_with_its_own_timestamp(self):
        from kafka import KafkaConsumer, KafkaProducer, TopicPartition
        producer = KafkaProducer(bootstrap_servers=self.server.address)
        for stamp in (1000, 2000, 3000):
            producer.send("stamped", value=b"v%d" % stamp, timestamp_ms=stamp).get(timeout=10)
        producer.close()
        consumer = KafkaConsumer(bootstrap_servers=self.server.address)
        partition = TopicPartition("stamped", 0)
        found = consumer.offsets_for_times({partition: 1500})[partition]
        later = consumer.offsets_for_times({partition: 3001})[partition]
        consumer.close()
        self.assertEqual((found.offset, found.timestamp), (1, 2000))
        self.assertIsNone(later)

    def test_a_kafka_python_group_of_two_splits_partitions_and_the_survivor_takes_over(self):
        import threading
        from kafka import KafkaConsumer, KafkaProducer
        from kafka.admin import KafkaAdminClient, NewTopic
        admin = KafkaAdminClient(bootstrap_servers=self.server.address)
        admin.create_topics([NewTopic("shared", num_partitions=4, replication_factor=1)])
        admin.close()
        producer = KafkaProducer(bootstrap_servers=self.server.address)
        for n in range(40):
            producer.send("shared", key=b"k%d" % n, value=b"first-%d" % n)
        producer.flush()

        def member():
            return KafkaConsumer("shared", bootstrap_servers=self.server.address, group_id="pair",
                                 auto_offset_reset="earliest", enable_auto_commit=False,
                                 session_timeout_ms=10000, heartbeat_interval_ms=500)

        first, second = member(), member()
        stop = threading.Event()
        second_seen = []

        def run_second():
            while not stop.is_set():
                for records in second.poll(timeout_ms=200).values():
                    second_seen.extend(records)
                if second_seen:
                    second.commit()

        thread = threading.Thread(target=run_second)
        thread.start()
        first_seen = []
        deadline = time.time() + 40
        # Until every record is read and the group has settled on two partitions each (a slow
        # machine may rebalance once more on the way).
        while time.time() < deadline and (len(first_seen) + len(second_seen) < 40
                                           or len(first.assignment()) != 2 or len(second.assignment()) != 2):
            for records in first.poll(timeout_ms=200).values():
                first_seen.extend(records)
            if first_seen:
                first.commit()
        halves = (sorted(p.partition for p in first.assignment()), sorted(p.partition for p in second.assignment()))
        stop.set()
        thread.join()
        self.assertEqual({r.value for r in first_seen + second_seen}, {b"first-%d" % n for n in range(40)})
        self.assertEqual(sorted(halves[0] + halves[1]), [0, 1, 2, 3])
        self.assertEqual(len(halves[0]), 2)
        second.close()
        for n in range(20):
            producer.send("shared", key=b"k%d" % n, value=b"second-%d" % n)
        producer.flush()
        producer.close()
        later = set()
        deadline = time.time() + 30
        while len(later) < 20 and time.time() < deadline:
            for records in first.poll(timeout_ms=200).values():
                later.update(r.value for r in records)
        # At least once: a rebalance may hand back records read but not yet committed.
        self.assertEqual(sorted(p.partition for p in first.assignment()), [0, 1, 2, 3])
        self.assertEqual(later, {b"second-%d" % n for n in range(20)})
        first.close()

    def test_kafka_python_starts_by_auto_offset_reset_where_the_repl_says(self):
        from kafka import KafkaConsumer, TopicPartition
        self.assertEqual(self.server.stop(), 0)
        # Groups "early" and "late" committed 2, then retention moved the log start to 6.
        prepared = eventlab(self.data, "topic create t --segment-records 3 --retention 2records; publish t --repeat 3 x; publish t --repeat 3 y; publish t --repeat 2 z; "
                            "consume t --group early --max 2; consume t --group late --max 2; retention run")
        self.assertEqual(prepared.returncode, 0, prepared.stderr)
        asked = tempfile.mkdtemp(prefix="eventlab-repl-")
        try:
            shutil.copytree(self.data, asked, dirs_exist_ok=True)
            said = eventlab(asked, "consume t --group early --max 1; consume t --group late --reset latest; "
                                   "consume t --group new-early --max 1; consume t --group new-late --reset latest")
        finally:
            shutil.rmtree(asked, ignore_errors=True)
        self.assertEqual(said.returncode, 0, said.stderr)
        rule_lines = [line for line in said.stdout.splitlines() if "auto.offset.reset=" in line]
        self.assertEqual(rule_lines, [
            "early's offset 2 on t p0 is below the log start 6 (the records before it were deleted): auto.offset.reset=earliest starts at 6",
            "late's offset 2 on t p0 is below the log start 6 (the records before it were deleted): auto.offset.reset=latest starts at 8",
            "new-early has no committed offset on t p0: auto.offset.reset=earliest starts at 6",
            "new-late has no committed offset on t p0: auto.offset.reset=latest starts at 8",
        ])
        self.server = Server(self.data)
        partition = TopicPartition("t", 0)

        def start(group, reset):
            """Where kafka-python starts `group` with `reset`: its first record's offset, else its position."""
            consumer = KafkaConsumer(bootstrap_servers=self.server.address, group_id=group, auto_offset_reset=reset,
                                     enable_auto_commit=False)
            consumer.assign([partition])
            first = []

            def started():
                records = consumer.poll(timeout_ms=100).get(partition, [])
                first.extend(record.offset for record in records[:1])
                # With latest no record comes: the consumer has started once it left offset 2.
                return first or (reset == "latest" and consumer.position(partition) >= 6)
            self.assertTrue(wait_for(started), f"{group} never started")
            position = consumer.position(partition)
            consumer.close()
            return first[0] if first else position

        self.assertEqual(start("early", "earliest"), 6)
        self.assertEqual(start("late", "latest"), 8)
        self.assertEqual(start("new-early", "earliest"), 6)
        self.assertEqual(start("new-late", "latest"), 8)

    def test_a_confluent_kafka_static_member_restarts_into_its_old_partitions_without_a_rebalance(self):
        from confluent_kafka import Consumer
        from confluent_kafka.admin import AdminClient, NewTopic
        from kafka import KafkaAdminClient
        admin = AdminClient({"bootstrap.servers": self.server.address})
        admin.create_topics([NewTopic("statics", num_partitions=4, replication_factor=1)])["statics"].result(timeout=10)

        def member(instance):
            """A static member (`group.instance.id`) and the rebalance callbacks it hears."""
            consumer = Consumer({"bootstrap.servers": self.server.address, "group.id": "statics",
                                 "group.instance.id": instance, "session.timeout.ms": 30000,
                                 "heartbeat.interval.ms": 300, "enable.auto.commit": False})
            heard = []
            consumer.subscribe(["statics"],
                               on_assign=lambda _, parts: heard.append(("assign", sorted(p.partition for p in parts))),
                               on_revoke=lambda _, parts: heard.append(("revoke", sorted(p.partition for p in parts))))
            return consumer, heard

        def settled(*consumers):
            for consumer in consumers:
                consumer.poll(0.1)
            return all(len(consumer.assignment()) == 2 for consumer in consumers)

        first, _ = member("first")
        second, second_heard = member("second")
        self.assertTrue(wait_for(lambda: settled(first, second)))
        self.assertTrue(wait_for(lambda: settled(first, second) and len(second_heard) > 0))
        owned = sorted(p.partition for p in first.assignment())
        heard_before = list(second_heard)
        python_admin = KafkaAdminClient(bootstrap_servers=self.server.address)
        old_ids = {m.member_id for m in python_admin.describe_consumer_groups(["statics"])[0].members}
        first.close()  # a static member sends no LeaveGroup: its partitions stay assigned
        restarted, restarted_heard = member("first")
        self.assertTrue(wait_for(lambda: settled(restarted, second)))
        self.assertEqual(sorted(p.partition for p in restarted.assignment()), owned)
        self.assertEqual(restarted_heard, [("assign", owned)])
        # The other member heard no rebalance, and its generation still commits.
        for _ in range(5):
            second.poll(0.1)
        self.assertEqual(second_heard, heard_before)
        second_owned = sorted(p.partition for p in second.assignment())
        self.assertEqual(sorted(owned + second_owned), [0, 1, 2, 3])
        from confluent_kafka import TopicPartition
        committed = second.commit(offsets=[TopicPartition("statics", second_owned[0], 0)], asynchronous=False)
        self.assertEqual([p.error for p in committed], [None])
        described = python_admin.describe_consumer_groups(["statics"])[0]
        self.assertEqual(described.state, "Stable")
        new_ids = {m.member_id for m in described.members}
        self.assertEqual(len(new_ids), 2)
        self.assertEqual(len(new_ids & old_ids), 1)  # the restarted member took the old one's place: no ghost
        python_admin.close()
        restarted.close()
        second.close()

    def test_confluent_kafka_admin_producer_and_consumer_resume_after_a_restart(self):
        from confluent_kafka import Consumer, Producer
        from confluent_kafka.admin import AdminClient, NewTopic
        admin = AdminClient({"bootstrap.servers": self.server.address})
        futures = admin.create_topics([NewTopic("events", num_partitions=3, replication_factor=1)])
        futures["events"].result(timeout=10)
        failed = admin.create_topics([NewTopic("events", num_partitions=3, replication_factor=1)])
        with self.assertRaises(Exception) as raised:
            failed["events"].result(timeout=10)
        self.assertIn("TOPIC_ALREADY_EXISTS", str(raised.exception))
        delivered = []
        producer = Producer({"bootstrap.servers": self.server.address})
        for n in range(30):
            producer.produce("events", key=f"k{n % 5}", value=f"e{n}",
                             on_delivery=lambda error, message: delivered.append(error is None))
        producer.flush(10)
        self.assertEqual(delivered, [True] * 30)
        consumer = Consumer({"bootstrap.servers": self.server.address, "group.id": "confluent-group",
                             "auto.offset.reset": "earliest", "enable.auto.commit": False})
        consumer.subscribe(["events"])
        seen = []
        deadline = time.time() + 20
        while len(seen) < 20 and time.time() < deadline:
            message = consumer.poll(0.5)
            if message is not None and message.error() is None:
                seen.append(message.value().decode())
                consumer.commit(message=message, asynchronous=False)
        consumer.close()
        self.assertEqual(len(seen), 20)
        self.assertEqual(self.server.stop(), 0)
        self.server = Server(self.data)
        consumer = Consumer({"bootstrap.servers": self.server.address, "group.id": "confluent-group",
                             "auto.offset.reset": "earliest"})
        consumer.subscribe(["events"])
        rest = []
        deadline = time.time() + 20
        while len(seen) + len(rest) < 30 and time.time() < deadline:
            message = consumer.poll(0.5)
            if message is not None and message.error() is None:
                rest.append(message.value().decode())
        consumer.close()
        self.assertEqual(sorted(seen + rest, key=lambda v: int(v[1:])), [f"e{n}" for n in range(30)])

    def test_a_topic_whose_name_starts_with_a_dot_keeps_acknowledged_records_across_a_restart(self):
        from confluent_kafka import Producer
        delivered = []
        producer = Producer({"bootstrap.servers": self.server.address})
        for n in range(5):
            producer.produce(".events", key="k", value=f"dot{n}",
                             on_delivery=lambda error, message: delivered.append(error is None))
        producer.flush(10)
        self.assertEqual(delivered, [True] * 5)
        self.assertEqual(self.server.stop(), 0)
        self.server = Server(self.data)
        consumed = kcat(self.server.address, "-C", "-t", ".events", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(consumed.stdout.split(), [f"dot{n}" for n in range(5)], consumed.stderr)

    def test_idempotent_producers_from_confluent_kafka_and_kcat_write_each_record_once(self):
        from confluent_kafka import Producer
        delivered = []
        producer = Producer({"bootstrap.servers": self.server.address, "enable.idempotence": True, "linger.ms": 2})
        for n in range(3000):
            producer.produce("exactly", key=f"k{n % 7}", value=f"i{n}",
                             on_delivery=lambda error, message: delivered.append(error is None))
            if n % 500 == 0:
                producer.poll(0)
        self.assertEqual(producer.flush(20), 0)
        self.assertEqual(delivered, [True] * 3000)
        produced = kcat(self.server.address, "-X", "enable.idempotence=true", "-P", "-t", "exactly", "-K:",
                        input="".join(f"k{n}:kcat{n}\n" for n in range(100)))
        self.assertEqual(produced.returncode, 0, produced.stderr)
        consumed = kcat(self.server.address, "-C", "-t", "exactly", "-o", "beginning", "-e", "-f", "%s\n")
        values = consumed.stdout.split()
        self.assertEqual(len(values), 3100)
        self.assertEqual(sorted(values), sorted([f"i{n}" for n in range(3000)] + [f"kcat{n}" for n in range(100)]))

    def test_an_idempotent_batch_retried_after_a_restart_is_written_once_at_its_first_offset(self):
        def batch(sequence, count):
            return idempotent_batch(sequence, [None] * count)

        def produce(batch):
            return produce_raw(self.server.address, "again", batch)

        kcat(self.server.address, "-P", "-t", "again", input="seed\n")
        self.assertEqual(produce(batch(0, 2)), (0, 1))
        for ending in (signal.SIGTERM, signal.SIGKILL):
            self.server.end(ending)
            self.server = Server(self.data)
            self.assertEqual(produce(batch(0, 2)), (0, 1))
        self.assertEqual(produce(batch(5, 1))[0], 45)  # OUT_OF_ORDER_SEQUENCE_NUMBER: 2 is next
        self.assertEqual(produce(batch(2, 1)), (0, 3))
        consumed = kcat(self.server.address, "-C", "-t", "again", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(consumed.stdout.split(), ["seed", "v0", "v1", "v2"])

    def test_a_timestamp_below_minus_one_is_refused_and_the_server_serves_on_and_after_a_restart(self):
        from kafka import KafkaProducer
        from kafka.errors import InvalidTimestampError
        producer = KafkaProducer(bootstrap_servers=self.server.address, retries=0)
        # First on its partition, where it once became the segment's first timestamp and crashed
        # the next append.
        with self.assertRaises(InvalidTimestampError):
            producer.send("times", value=b"ancient", timestamp_ms=-2**63).get(timeout=10)
        producer.send("times", value=b"after").get(timeout=10)
        producer.close()
        self.assertEqual(self.server.stop(), 0)
        self.server = Server(self.data)
        producer = KafkaProducer(bootstrap_servers=self.server.address)
        producer.send("times", value=b"restarted").get(timeout=10)
        producer.close()
        consumed = kcat(self.server.address, "-C", "-t", "times", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(consumed.stdout.split(), ["after", "restarted"])


class CrashTests(unittest.TestCase):
    def test_every_record_acknowledged_before_a_sigkill_is_there_after_a_restart(self):
        from confluent_kafka import Producer
        data = tempfile.mkdtemp(prefix="eventlab-crash-")
        try:
            server = Server(data)
            kcat(server.address, "-L")
            delivered = {}
            producer = Producer({"bootstrap.servers": server.address, "acks": "all", "linger.ms": 2,
                                 "message.timeout.ms": 5000, "retries": 0})

            def report(error, message):
                if error is None:
                    delivered[message.offset()] = message.value()

            # Produce until the kill, however slowly acknowledgements come on a busy machine.
            killed = False
            n = 0
            deadline = time.monotonic() + 120
            while not killed and time.monotonic() < deadline:
                try:
                    producer.produce("crash", value=b"r%07d" % n, on_delivery=report)
                    n += 1
                except BufferError:
                    producer.poll(0.05)
                producer.poll(0)
                if len(delivered) >= 30_000:
                    server.kill()
                    killed = True
            producer.flush(15)
            self.assertTrue(killed, "the server was never killed")
            self.assertGreater(len(delivered), 0)
            server = Server(data)
            consumed = kcat(server.address, "-C", "-t", "crash", "-o", "beginning", "-e", "-f", "%o %s\n")
            server.stop()
            stored = dict(line.split(" ", 1) for line in consumed.stdout.splitlines())
            missing = [offset for offset, value in delivered.items() if stored.get(str(offset)) != value.decode()]
            self.assertEqual(missing, [], f"{len(missing)} of {len(delivered)} acknowledged records are missing")
        finally:
            shutil.rmtree(data, ignore_errors=True)


def request(key, version, correlation, body):
    import struct
    header = struct.pack(">hhih", key, version, correlation, 4) + b"test"
    return struct.pack(">i", len(header) + len(body)) + header + body


def produce_body(topic, batch):
    import struct
    name = topic.encode()
    return (struct.pack(">hhii", -1, 1, 5000, 1) + struct.pack(">h", len(name)) + name
            + struct.pack(">ii", 1, 0) + struct.pack(">i", len(batch)) + batch)


def fetch_body(topic, max_bytes=1 << 20):
    import struct
    name = topic.encode()
    return (struct.pack(">iiii", -1, 100, 1, max_bytes) + struct.pack(">ib", 0, 0)[4:]
            + struct.pack(">i", 1) + struct.pack(">h", len(name)) + name
            + struct.pack(">ii", 1, 0) + struct.pack(">qq", 0, -1)[:8] + struct.pack(">i", max_bytes))


def idempotent_batch(sequence, keys):
    """A batch as kafka-python's idempotent producer builds it (producer id 4242, epoch 0, base
    sequence `sequence`), one record per key (None for no key), valued by its sequence number."""
    from kafka.record.default_records import DefaultRecordBatchBuilder
    builder = DefaultRecordBatchBuilder(2, 0, 0, 4242, 0, sequence, 1 << 20)
    for n, key in enumerate(keys):
        builder.append(n, timestamp=1700000000000, key=key and key.encode(), value=b"v%d" % (sequence + n), headers=[])
    return bytes(builder.build())


def produce_raw(address, topic, batch):
    """Sends `batch` to partition 0 of `topic` in a Produce v3 on a connection of its own;
    returns the answer's (error code, base offset)."""
    import socket
    import struct
    host, port = address.split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(request(0, 3, 1, produce_body(topic, batch)))
        frame = read_frame(sock)
    at = 8 + 4 + 2 + len(topic) + 4 + 4
    return struct.unpack(">hq", frame[at:at + 10])


def read_frame(sock):
    import struct
    data = b""
    while len(data) < 4 or len(data) < 4 + struct.unpack(">i", data[:4])[0]:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class RobustnessTests(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-robust-")
        self.server = Server(self.data)
        host, port = self.server.address.split(":")
        self.endpoint = (host, int(port))

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def start_timers(self, topic):
        """A fetch at the log end waits on a timer; the first one starts the timers' thread, whose
        descriptors last as long as the process: count descriptors after it."""
        kcat(self.server.address, "-C", "-t", topic, "-o", "end", "-e")

    def open_files(self):
        return len(os.listdir(f"/proc/{self.server.process.pid}/fd"))

    def test_200_concurrent_connections_produce_and_fetch_and_leak_nothing(self):
        import socket
        import threading
        from kafka.record.default_records import DefaultRecordBatchBuilder
        kcat(self.server.address, "-P", "-t", "busy", input="seed\n")
        self.start_timers("busy")
        before = self.open_files()
        errors = []

        def client(n):
            try:
                builder = DefaultRecordBatchBuilder(2, 0, 0, -1, -1, -1, 1 << 20)
                builder.append(0, timestamp=1700000000000, key=None, value=b"c%d" % n, headers=[])
                with socket.create_connection(self.endpoint, timeout=20) as sock:
                    sock.sendall(request(0, 3, n, produce_body("busy", bytes(builder.build()))))
                    read_frame(sock)
                    sock.sendall(request(1, 4, n + 1000, fetch_body("busy")))
                    read_frame(sock)
            except Exception as error:
                errors.append(f"{n}: {error}")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(200)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(errors, [])
        consumed = kcat(self.server.address, "-C", "-t", "busy", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(len(consumed.stdout.split()), 201)
        time.sleep(0.5)
        self.assertLessEqual(self.open_files(), before + 2)

    def test_a_client_reading_1500_closed_segments_leaves_serve_under_100_descriptors(self):
        self.assertEqual(self.server.stop(), 0)
        # Lessons with --segment-records 1 make this shape: one closed segment per record.
        publishes = "".join(f"publish thin s{n}\n" for n in range(1500))
        filled = subprocess.run([EVENTLAB, "--data", self.data], input="topic create thin --segment-records 1\n" + publishes,
                                capture_output=True, text=True, timeout=300)
        self.assertEqual(filled.returncode, 0, filled.stderr)
        self.server = Server(self.data)
        before = self.open_files()
        consumed = kcat(self.server.address, "-C", "-t", "thin", "-o", "beginning", "-e", "-f", "%o %s\n")
        self.assertEqual(consumed.stdout.split("\n")[:-1], [f"{n} s{n}" for n in range(1500)], consumed.stderr)
        after = self.open_files()
        self.assertLess(after, 100, f"serve held {before} descriptors before the read and {after} after")

    def test_a_large_fetch_answer_streams_whole_and_in_order_and_hanging_up_midway_leaks_nothing(self):
        import socket
        import struct
        records = 60000
        kcat(self.server.address, "-P", "-t", "large", input=("y" * 200 + "\n") * records)
        self.start_timers("large")
        before = self.open_files()
        metadata = request(3, 1, 2, struct.pack(">i", -1))
        with socket.create_connection(self.endpoint, timeout=20) as sock:
            # A 12 MB answer read slowly, and a second request sent before it: the second answer
            # comes after the whole first one, never inside it.
            sock.sendall(request(1, 4, 1, fetch_body("large", 64 << 20)) + metadata)
            data = b""
            while len(data) < 4 or len(data) < 4 + struct.unpack(">i", data[:4])[0]:
                chunk = sock.recv(256 * 1024)
                self.assertTrue(chunk, "the connection closed mid-answer")
                data += chunk
                time.sleep(0.002)
            size, correlation = struct.unpack(">ii", data[:8])
            self.assertEqual(correlation, 1)
            self.assertGreater(size, records * 200)
            rest = data[4 + size:]
            while len(rest) < 8:
                rest += sock.recv(65536)
            self.assertEqual(struct.unpack(">i", rest[4:8])[0], 2)
        for n in range(10):
            with socket.create_connection(self.endpoint, timeout=20) as sock:
                sock.sendall(request(1, 4, n, fetch_body("large", 64 << 20)))
                sock.recv(100)
        consumed = kcat(self.server.address, "-C", "-t", "large", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(len(consumed.stdout.split()), records)
        time.sleep(0.5)
        self.assertLessEqual(self.open_files(), before + 2)

    def test_a_client_that_sends_without_reading_answers_is_held_back_not_buffered(self):
        import socket
        from kafka.record.default_records import DefaultRecordBatchBuilder
        kcat(self.server.address, "-P", "-t", "large", input=("z" * 200 + "\n") * 40000)
        builder = DefaultRecordBatchBuilder(2, 0, 0, -1, -1, -1, 8 << 20)
        for n in range(4000):
            builder.append(n, timestamp=1700000000000, key=None, value=b"p" * 200, headers=[])
        produce = request(0, 3, 2, produce_body("large", bytes(builder.build())))
        before = self.rss_mb()
        with socket.create_connection(self.endpoint, timeout=20) as sock:
            # An 8 MB answer this client never reads, then 1 MB produce requests behind it: the
            # broker must stop reading them, as Kafka mutes such a connection, not queue them all.
            sock.sendall(request(1, 4, 1, fetch_body("large", 64 << 20)))
            sock.settimeout(3)
            sent = 0
            try:
                for _ in range(400):
                    sock.sendall(produce)
                    sent += 1
            except socket.timeout:
                pass
            self.assertLess(sent, 100, "the broker kept reading requests it could not answer")
            self.assertLess(self.rss_mb() - before, 150)
        listing = kcat(self.server.address, "-L")
        self.assertIn("1 brokers", listing.stdout)

    def rss_mb(self):
        with open(f"/proc/{self.server.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    def test_an_oversized_frame_closes_only_its_connection(self):
        import socket
        import struct
        with socket.create_connection(self.endpoint, timeout=10) as sock:
            sock.sendall(struct.pack(">i", 200 * 1024 * 1024) + b"\x00" * 64)
            self.assertEqual(sock.recv(16), b"")
        listing = kcat(self.server.address, "-L")
        self.assertIn("1 brokers", listing.stdout)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def string16(text):
    import struct
    return struct.pack(">h", len(text)) + text.encode()


class LimitTests(unittest.TestCase):
    """What clients can make `serve` hold: connections, idle time, request and answer memory."""

    def start(self, *options, open_files=None):
        self.data = tempfile.mkdtemp(prefix="eventlab-limits-")
        self.server = Server(self.data, *options, open_files=open_files)
        host, port = self.server.address.split(":")
        self.endpoint = (host, int(port))

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def api_versions(self, sock, correlation=1):
        import struct
        sock.sendall(request(18, 0, correlation, b""))
        answer = read_frame(sock)
        self.assertEqual(struct.unpack(">i", answer[4:8])[0], correlation)

    def assert_closed_by_server(self, sock, within):
        sock.settimeout(within)
        try:
            self.assertEqual(sock.recv(16), b"")
        except ConnectionResetError:
            pass

    def test_an_idle_connection_is_closed_after_connections_max_idle_ms_and_a_busy_one_is_not(self):
        import socket
        self.start("--idle-timeout-ms", "700")
        with socket.create_connection(self.endpoint, timeout=10) as idle, \
                socket.create_connection(self.endpoint, timeout=10) as busy:
            self.api_versions(idle)
            started = time.monotonic()
            for n in range(10):
                time.sleep(0.2)
                self.api_versions(busy, n)
            self.assert_closed_by_server(idle, 5)
            self.assertGreater(time.monotonic() - started, 0.6)
            self.api_versions(busy, 99)
        self.server.stop()
        self.assertIn("connections.max.idle.ms", self.server.log)

    def test_a_connection_past_max_connections_is_closed_at_once_and_the_others_keep_working(self):
        import socket
        self.start("--max-connections", "3")
        open_ones = [socket.create_connection(self.endpoint, timeout=10) for _ in range(3)]
        for sock in open_ones:
            self.api_versions(sock)
        with socket.create_connection(self.endpoint, timeout=10) as refused:
            self.assert_closed_by_server(refused, 5)
        for n, sock in enumerate(open_ones):
            self.api_versions(sock, n)
        open_ones.pop().close()
        time.sleep(0.3)
        with socket.create_connection(self.endpoint, timeout=10) as again:
            self.api_versions(again)
        for sock in open_ones:
            sock.close()
        self.server.stop()
        self.assertIn("max.connections", self.server.log)

    def test_200_connections_are_served_when_the_soft_limit_on_open_files_is_below_them(self):
        import resource
        import socket
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        if hard != resource.RLIM_INFINITY and hard < 512:
            self.skipTest(f"the hard limit on open files, {hard}, leaves no room above the soft one")
        # A login's soft limit (often 1,024) is below what max.connections (1,000) and the segment
        # files need together; serve lifts it to the hard limit, so 128 here holds nobody back.
        self.start(open_files=128)
        connections = [socket.create_connection(self.endpoint, timeout=10) for _ in range(200)]
        for n, sock in enumerate(connections):
            self.api_versions(sock, n)
        produced = kcat(self.server.address, "-P", "-t", "crowded", input="while-200-are-open\n")
        self.assertEqual(produced.returncode, 0, produced.stderr)
        for sock in connections:
            sock.close()
        consumed = kcat(self.server.address, "-C", "-t", "crowded", "-o", "beginning", "-e", "-f", "%s\n")
        self.assertEqual(consumed.stdout, "while-200-are-open\n", consumed.stderr)

    def peak_rss_while(self, threads, seconds):
        peak = rss_mb(self.server.process.pid)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and any(thread.is_alive() for thread in threads):
            peak = max(peak, rss_mb(self.server.process.pid))
            time.sleep(0.05)
        for thread in threads:
            thread.join(30)
        return peak

    def test_sixteen_clients_sending_100_mb_requests_keep_serve_under_512_mb(self):
        import socket
        import struct
        import threading
        self.start()

        def client():
            try:
                with socket.create_connection(self.endpoint, timeout=60) as sock:
                    sock.sendall(struct.pack(">i", 100 << 20))
                    chunk = b"\x00" * (1 << 20)
                    for _ in range(100):
                        sock.sendall(chunk)
                    sock.recv(16)
            except OSError:
                pass

        peak = self.peak_rss_while([threading.Thread(target=client) for _ in range(16)], 120)
        self.assertLess(peak, 512, f"serve reached {peak:.0f} MB")
        listing = kcat(self.server.address, "-L")
        self.assertIn("1 brokers", listing.stdout)

    def test_describe_groups_answers_left_unread_do_not_copy_large_member_metadata(self):
        import socket
        import struct
        import threading
        self.start()
        metadata = b"m" * (60 << 20)
        joiner = socket.create_connection(self.endpoint, timeout=30)
        join = (string16("big") + struct.pack(">i", 30000) + string16("") + string16("consumer")
                + struct.pack(">i", 1) + string16("range") + struct.pack(">i", len(metadata)) + metadata)
        joiner.sendall(request(11, 0, 1, join))
        del metadata
        time.sleep(4)
        describers = []

        def describe():
            sock = socket.create_connection(self.endpoint, timeout=30)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.sendall(request(15, 0, 2, struct.pack(">i", 1) + string16("big")))
            describers.append(sock)

        peak = self.peak_rss_while([threading.Thread(target=describe) for _ in range(10)], 5)
        time.sleep(3)
        peak = max(peak, rss_mb(self.server.process.pid))
        self.assertLess(peak, 512, f"serve reached {peak:.0f} MB")
        listing = kcat(self.server.address, "-L")
        self.assertIn("1 brokers", listing.stdout)
        for sock in describers + [joiner]:
            sock.close()

class AdminTests(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-admin-")
        self.server = Server(self.data)

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def test_admin_clients_delete_topics_and_list_and_describe_groups(self):
        from confluent_kafka.admin import AdminClient, NewTopic
        from kafka import KafkaAdminClient, KafkaConsumer
        admin = AdminClient({"bootstrap.servers": self.server.address})
        admin.create_topics([NewTopic("doomed", 2, 1), NewTopic("kept", 1, 1)])["doomed"].result(timeout=10)
        admin.delete_topics(["doomed"])["doomed"].result(timeout=10)
        self.assertEqual(sorted(admin.list_topics(timeout=10).topics), ["kept"])
        consumer = KafkaConsumer("kept", bootstrap_servers=self.server.address, group_id="listed",
                                 auto_offset_reset="earliest", consumer_timeout_ms=3000)
        list(consumer)
        python_admin = KafkaAdminClient(bootstrap_servers=self.server.address)
        self.assertIn(("listed", "consumer"), python_admin.list_consumer_groups())
        described = python_admin.describe_consumer_groups(["listed"])[0]
        self.assertEqual(described.state, "Stable")
        self.assertEqual(len(described.members), 1)
        consumer.close()
        python_admin.close()

    def test_create_topics_with_configs_reads_them_by_kafkas_rules(self):
        from confluent_kafka.admin import AdminClient, NewTopic
        from kafka import KafkaAdminClient
        from kafka.admin import NewTopic as PythonNewTopic
        from kafka.errors import InvalidConfigurationError
        admin = AdminClient({"bootstrap.servers": self.server.address})
        admin.create_topics([NewTopic("kept", 1, 1, config={"retention.ms": "-1", "cleanup.policy": "compact, delete",
                                                            "segment.records": "4"})])["kept"].result(timeout=10)
        with self.assertRaises(Exception) as raised:
            admin.create_topics([NewTopic("typo", 1, 1, config={"retention.msx": "1"})])["typo"].result(timeout=10)
        self.assertIn("INVALID_CONFIG", str(raised.exception))
        self.assertIn("retention.msx is not a topic config: did you mean retention.ms?", str(raised.exception))
        admin.poll(0)
        del admin  # destroyed before the server stops, so it logs no lost connection
        python_admin = KafkaAdminClient(bootstrap_servers=self.server.address)
        with self.assertRaises(InvalidConfigurationError) as refused:
            python_admin.create_topics([PythonNewTopic("never", 1, 1, topic_configs={"retention.ms": "-2"}),
                                        PythonNewTopic("forever", 1, 1, topic_configs={"retention.ms": "-1"})])
        python_admin.close()
        self.assertIn("topic='never', error_code=40, error_message='retention.ms is -2: it must be at least -1 (-1 keeps records forever)'",
                      str(refused.exception))
        self.assertIn("topic='forever', error_code=0", str(refused.exception))
        self.assertEqual(self.server.stop(), 0)
        described = eventlab(self.data, "topic describe kept; topic describe forever; topic list")
        self.assertEqual(described.returncode, 0, described.stderr)
        self.assertIn("kept · 1 partition · cleanup compact,delete · retention forever · segments of 4 records", described.stdout)
        self.assertIn("configs: cleanup.policy=compact,delete · retention.ms=-1 · segment.records=4 (EventLab's own)",
                      described.stdout)
        self.assertIn("forever · 1 partition · cleanup delete · retention forever", described.stdout)
        self.assertNotIn("never", described.stdout)
        with open(os.path.join(self.data, "brokers", "1", "topics", "forever", "config")) as config:
            self.assertIn("retention.ms=-1\n", config.read())


def wait_for(condition, seconds=30):
    """Polls `condition` until it holds or `seconds` pass; returns its last answer."""
    deadline = time.monotonic() + seconds
    answer = condition()
    while not answer and time.monotonic() < deadline:
        time.sleep(0.05)
        answer = condition()
    return answer


class LogAppendTimeTests(unittest.TestCase):
    """`serve --clock logical`: a topic it creates gets message.timestamp.type=LogAppendTime, so a
    real client's records carry the broker's 2024 clock, which retention and `clock advance` use."""

    LOGICAL_START = 1704067200000  # 2024-01-01T00:00:00Z

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-serve-")

    def tearDown(self):
        shutil.rmtree(self.data, ignore_errors=True)

    def stamps(self, data):
        from kafka import KafkaConsumer, KafkaProducer, TopicPartition
        from kafka.admin import KafkaAdminClient, NewTopic
        server = Server(data, "--clock", "logical")
        try:
            produced = kcat(server.address, "-P", "-t", "stamped", "-K:", input="k:appended\n")
            self.assertEqual(produced.returncode, 0, produced.stderr)
            admin = KafkaAdminClient(bootstrap_servers=server.address)
            admin.create_topics([NewTopic("created", 1, 1, topic_configs={"message.timestamp.type": "CreateTime"})])
            admin.close()
            producer = KafkaProducer(bootstrap_servers=server.address)
            # The Produce answer carries log_append_time_ms, so the producer learns the broker's time.
            self.assertEqual(producer.send("stamped", value=b"dated", timestamp_ms=1000).get(timeout=10).timestamp, self.LOGICAL_START)
            self.assertEqual(producer.send("created", value=b"dated", timestamp_ms=1000).get(timeout=10).timestamp, 1000)
            producer.close()
            from confluent_kafka import Producer, TIMESTAMP_LOG_APPEND_TIME
            reports = []
            confluent = Producer({"bootstrap.servers": server.address})
            confluent.produce("stamped", value=b"reported", timestamp=1000, on_delivery=lambda error, message: reports.append((error, message.timestamp())))
            confluent.flush(10)
            self.assertEqual(reports, [(None, (TIMESTAMP_LOG_APPEND_TIME, self.LOGICAL_START))])
            consumed = kcat(server.address, "-C", "-t", "stamped", "-o", "beginning", "-e", "-f", "%T %s\n")
            self.assertEqual(consumed.stdout, f"{self.LOGICAL_START} appended\n{self.LOGICAL_START} dated\n{self.LOGICAL_START} reported\n")
            kept = kcat(server.address, "-C", "-t", "created", "-o", "beginning", "-e", "-f", "%T %s\n")
            self.assertEqual(kept.stdout, "1000 dated\n")
            consumer = KafkaConsumer(bootstrap_servers=server.address)
            partition = TopicPartition("stamped", 0)
            found = consumer.offsets_for_times({partition: 1000})[partition]
            later = consumer.offsets_for_times({partition: self.LOGICAL_START + 1})[partition]
            consumer.close()
            self.assertEqual((found.offset, found.timestamp), (0, self.LOGICAL_START))
            self.assertIsNone(later)
        finally:
            self.assertEqual(server.stop(), 0, server.log)

    def test_kcat_reads_the_append_time_from_the_workspace_and_a_system_clock_session_keeps_the_type(self):
        self.stamps(self.data)
        described = eventlab(self.data, "topic describe stamped; topic describe created")
        self.assertEqual(described.returncode, 0, described.stderr)
        self.assertIn("configs: message.timestamp.type=LogAppendTime", described.stdout)
        self.assertEqual(described.stdout.count("timestamps: LogAppendTime"), 1)

    def test_kcat_reads_the_append_time_in_memory(self):
        self.stamps(None)


class OldFormatTests(unittest.TestCase):
    """Clients of Kafka 0.8–0.10, which send Produce v0–v2 with message sets of magic 0 and 1 and
    read Fetch v0–v3 answers converted down; offsets are given (`-o 0`, `seek`) so no ListOffsets
    is needed. Magic-0 records carry no timestamp, and the REPL shows "no time" for them."""

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-serve-")
        self.server = Server(self.data)

    def tearDown(self):
        if self.server.process.poll() is None:
            self.server.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def old_kcat(self, fallback, *arguments, input=None):
        return kcat(self.server.address, "-X", "api.version.request=false", "-X", "broker.version.fallback=" + fallback,
                    *arguments, input=input)

    def test_kcat_at_0_8_2_and_0_9_0_produces_and_consumes_magic_0(self):
        for fallback, topic in (("0.8.2", "old"), ("0.9.0", "older")):
            produced = self.old_kcat(fallback, "-P", "-t", topic, "-K:", input="k1:first\nk2:second\n")
            self.assertEqual(produced.returncode, 0, produced.stderr)
            consumed = self.old_kcat(fallback, "-C", "-t", topic, "-o", "0", "-e", "-f", "%k=%s@%o\n")
            self.assertEqual(consumed.stdout, "k1=first@0\nk2=second@1\n", consumed.stderr)
        today = kcat(self.server.address, "-C", "-t", "old", "-o", "beginning", "-e", "-f", "%T %s\n")
        self.assertEqual(today.stdout, "-1 first\n-1 second\n", "magic 0 carries no timestamp: Kafka's -1")
        self.assertEqual(self.server.stop(), 0)
        shown = eventlab(self.data, "consume old")
        self.assertIn("p0 @0  k1  first  no time", shown.stdout)

    def test_kafka_python_at_0_9_and_0_10_1_produces_and_consumes_magic_0_and_1(self):
        from kafka import KafkaConsumer, KafkaProducer, TopicPartition
        for api_version, topic in (((0, 9), "nine"), ((0, 10, 1), "ten")):
            producer = KafkaProducer(bootstrap_servers=self.server.address, api_version=api_version)
            for n in range(3):
                producer.send(topic, key=b"k%d" % n, value=b"v%d" % n, timestamp_ms=1000 + n if api_version > (0, 9) else None)
            producer.send(topic, key=b"big", value=b"x" * 3000).get(timeout=10)
            producer.close()
            partition = TopicPartition(topic, 0)
            consumer = KafkaConsumer(bootstrap_servers=self.server.address, api_version=api_version, consumer_timeout_ms=1500,
                                     max_partition_fetch_bytes=2048 if api_version > (0, 9) else 1 << 20)
            consumer.assign([partition])
            consumer.seek(partition, 0)
            read = [(record.offset, record.key, record.value[:3], record.timestamp) for record in consumer]
            consumer.close()
            stamps = [1000, 1001, 1002] if api_version > (0, 9) else [None] * 3  # magic 0 has no timestamp
            self.assertEqual(read[:3], [(n, b"k%d" % n, b"v%d" % n, stamps[n]) for n in range(3)])
            self.assertEqual(read[3][:3], (3, b"big", b"xxx"), "a message over max_partition_fetch_bytes still arrives at Fetch v3")
        grouped = KafkaConsumer("ten", bootstrap_servers=self.server.address, api_version=(0, 10, 1), group_id="old-group",
                                auto_offset_reset="earliest", consumer_timeout_ms=5000)
        self.assertEqual([record.offset for record in grouped], [0, 1, 2, 3])
        grouped.commit()
        grouped.close()

    def test_a_set_of_gzip_wrappers_that_inflates_past_64_mib_together_is_refused_and_the_broker_lives(self):
        import gzip, socket, struct, zlib

        def message(codec, value):
            body = struct.pack(">bbi", 0, codec, -1) + struct.pack(">i", len(value)) + value
            return struct.pack(">qi", 0, 4 + len(body)) + struct.pack(">I", zlib.crc32(body)) + body

        wrapper = message(1, gzip.compress(message(0, bytes(40 << 20)), compresslevel=9))
        records = wrapper + wrapper  # 80 MiB once inflated, each wrapper alone under the 64 MiB limit
        topic = b"bomb"
        body = (struct.pack(">hi", 1, 30000) + struct.pack(">ih", 1, len(topic)) + topic + struct.pack(">iii", 1, 0, len(records))
                + records)
        frame = struct.pack(">hhih", 0, 0, 5, 1) + b"t" + body
        host, port = self.server.address.split(":")
        with socket.create_connection((host, int(port)), timeout=30) as connection:
            connection.sendall(struct.pack(">i", len(frame)) + frame)
            answer = connection.recv(64)
        error = struct.unpack_from(">h", answer, 4 + 4 + 4 + 2 + len(topic) + 4 + 4)[0]
        self.assertEqual(error, 10, "MESSAGE_TOO_LARGE, as for one wrapper that inflates too far")
        listed = kcat(self.server.address, "-L", "-t", "bomb")
        self.assertEqual(listed.returncode, 0, listed.stderr)

    def test_a_fetch_naming_one_partition_many_times_is_answered_within_fetch_max_bytes(self):
        import socket, struct

        produced = kcat(self.server.address, "-P", "-t", "big", "-X", "message.max.bytes=2000000", input=("x" * 900000 + "\n") * 20)
        self.assertEqual(produced.returncode, 0, produced.stderr)
        partition = struct.pack(">iqqi", 0, 0, -1, 0x7FFFFFFF)
        topics = struct.pack(">i", 125) + (struct.pack(">h", 3) + b"big" + struct.pack(">i", 1) + partition) * 125
        frame = struct.pack(">hhih", 1, 5, 9, 1) + b"t" + struct.pack(">iiiib", -1, 0, 0, 0x7FFFFFFF, 0) + topics
        host, port = self.server.address.split(":")
        with socket.create_connection((host, int(port)), timeout=30) as connection:
            connection.sendall(struct.pack(">i", len(frame)) + frame)
            size = struct.unpack(">i", connection.recv(4, socket.MSG_WAITALL))[0]
        self.assertLess(size, 57671680 + (2 << 20), "Kafka 2.5's fetch.max.bytes bounds the answer")
        self.assertEqual(kcat(self.server.address, "-L").returncode, 0)


class ScheduledCleaningTests(unittest.TestCase):
    """`serve` runs the retention check on its own every log.retention.check.interval.ms, and the log
    cleaner every log.cleaner.backoff.ms."""

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-serve-")
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def start(self, commands):
        created = eventlab(self.data, commands)
        self.assertEqual(created.returncode, 0, created.stderr)
        self.server = Server(self.data, "--set", "log.retention.check.interval.ms=200", "--set", "log.cleaner.backoff.ms=200")

    def test_serve_applies_retention_on_its_own_and_a_client_sees_the_log_start_move(self):
        from kafka import KafkaConsumer, KafkaProducer, TopicPartition
        self.start("topic create short --segment-records 1 --retention 1s")
        producer = KafkaProducer(bootstrap_servers=self.server.address)
        for value in (b"a", b"b", b"c"):
            producer.send("short", value=value).get(timeout=10)
        producer.close()
        consumer = KafkaConsumer(bootstrap_servers=self.server.address)
        partition = TopicPartition("short", 0)
        # Once every record is older than retention.ms, every segment goes, the active one rolled first.
        moved = wait_for(lambda: consumer.beginning_offsets([partition])[partition] == 3)
        consumer.close()
        self.assertTrue(moved, "the log start never moved to the log end")
        self.assertEqual(self.server.stop(), 0)
        self.assertRegex(self.server.log, r"scheduled cleaning at \S+: short p0 retention deleted \d segments? \(\d records?\); log now starts at 3")

    def test_serve_compacts_on_its_own_and_a_client_reads_only_the_latest_value_of_a_key(self):
        self.start("topic create keyed --compact --segment-records 1")
        for record in ("k:1", "k:2", "other:3"):
            produced = kcat(self.server.address, "-P", "-t", "keyed", "-K:", input=record + "\n")
            self.assertEqual(produced.returncode, 0, produced.stderr)

        def read():
            return kcat(self.server.address, "-C", "-t", "keyed", "-o", "beginning", "-e", "-f", "%o:%k=%s\n").stdout

        self.assertEqual(wait_for(lambda: read() == "1:k=2\n2:other=3\n") and read(), "1:k=2\n2:other=3\n")
        self.assertEqual(self.server.stop(), 0)
        self.assertRegex(self.server.log, r"scheduled cleaning at \S+: keyed p0 compaction removed 1 record\n")

    def test_a_batch_compaction_shrinks_is_read_by_clients_and_its_retry_after_a_restart_is_written_once(self):
        from kafka import KafkaConsumer, TopicPartition
        self.start("topic create keyed --compact --segment-records 2")
        batch = idempotent_batch

        def produce(batch):
            return produce_raw(self.server.address, "keyed", batch)

        def read():
            return kcat(self.server.address, "-C", "-t", "keyed", "-o", "beginning", "-e", "-f", "%o:%k=%s\n").stdout

        # Offsets 0-2 close the first segment; compaction removes offset 0 (a) from inside its batch.
        self.assertEqual(produce(batch(0, ["a", "b", "a"])), (0, 0))
        self.assertEqual(produce(batch(3, ["z"])), (0, 3))
        compacted = "1:b=v1\n2:a=v2\n3:z=v3\n"
        self.assertEqual(wait_for(lambda: read() == compacted) and read(), compacted)
        self.assertEqual(self.server.stop(), 0)
        self.server = Server(self.data)
        self.assertEqual(produce(batch(0, ["a", "b", "a"])), (0, 0))
        consumer = KafkaConsumer(bootstrap_servers=self.server.address, auto_offset_reset="earliest",
                                 consumer_timeout_ms=3000)
        consumer.assign([TopicPartition("keyed", 0)])
        self.assertEqual([(m.offset, m.value) for m in consumer], [(1, b"v1"), (2, b"v2"), (3, b"v3")])
        consumer.close()


class ReplListenTests(unittest.TestCase):
    def test_listen_in_the_repl_shows_clients_live(self):
        import pexpect
        home = tempfile.mkdtemp(prefix="eventlab-listen-")
        try:
            child = pexpect.spawn(EVENTLAB, ["--memory", "--clock", "logical"], encoding="utf-8", timeout=30,
                                  env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TERM": "dumb"})
            child.expect_exact("eventlab> ")
            child.sendline("listen 0")
            child.expect(r"listening on (127\.0\.0\.1:\d+)")
            address = child.match.group(1)
            child.expect_exact("eventlab> ")
            produced = kcat(address, "-P", "-t", "live", "-K:", input="a:1\nb:2\n")
            self.assertEqual(produced.returncode, 0, produced.stderr)
            kcat(address, "-C", "-G", "watchers", "live", "-o", "beginning", "-e")
            child.sendline("show live")
            child.expect_exact("eventlab> ")
            self.assertIn("▲watchers lag 0", child.before)
            child.sendline("consume live --follow")
            child.expect_exact("b  2")
            kcat(address, "-P", "-t", "live", "-K:", input="c:arrived-while-following\n")
            child.expect_exact("c  arrived-while-following")
            child.sendcontrol("c")
            child.expect_exact("3 records")
            child.expect_exact("eventlab> ")
            child.sendline("listen stop")
            child.expect_exact("stopped listening on " + address)
            child.sendcontrol("d")
            child.expect(pexpect.EOF)
        finally:
            shutil.rmtree(home, ignore_errors=True)


class ListenStopTests(unittest.TestCase):
    """`listen stop` in the REPL cancels what the server parked for its clients."""

    def test_stopping_with_a_parked_fetch_and_join_leaves_nothing_to_fire_and_members_still_expire(self):
        import re
        import socket
        import struct
        repl = subprocess.Popen([EVENTLAB, "--memory"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, bufsize=1)
        sockets = []
        try:
            def send(line):
                repl.stdin.write(line + "\n")
                repl.stdin.flush()

            def line_starting(prefix):
                while True:
                    line = repl.stdout.readline()
                    if not line:
                        self.fail("eventlab ended before printing " + repr(prefix) + ": " + repl.stderr.read())
                    if line.startswith(prefix):
                        return line

            def connect():
                sock = socket.create_connection(("127.0.0.1", port), timeout=20)
                sockets.append(sock)
                return sock

            def join(member):
                # JoinGroup v0: a 6 s session, the shortest a group allows, so the test waits little.
                body = (string16("g") + struct.pack(">i", 6000) + string16(member) + string16("consumer")
                        + struct.pack(">i", 1) + string16("range") + struct.pack(">i", 4) + b"\0\0\0\0")
                return request(11, 0, 2, body)

            send("topic create t")
            send("listen 0")
            port = int(re.search(r":(\d+)", line_starting("listening on ")).group(1))
            first = connect()
            first.sendall(join(""))
            answer = read_frame(first)
            self.assertEqual(struct.unpack(">h", answer[8:10])[0], 0)
            # Fetch v4 of t p0 from offset 0, waiting up to a minute for a byte. It follows an
            # ApiVersions in one write, and is taken as soon as that is answered: once the answer
            # is read, the fetch is parked.
            fetch = (struct.pack(">iiiib", -1, 60000, 1, 1 << 20, 0) + struct.pack(">i", 1) + string16("t")
                     + struct.pack(">iiqi", 1, 0, 0, 1 << 20))
            first.sendall(request(18, 0, 4, b"") + request(1, 4, 3, fetch))
            self.assertEqual(struct.unpack(">i", read_frame(first)[4:8])[0], 4)
            # A second member's join waits for the first to rejoin: a parked JoinGroup, taken the
            # same way.
            second = connect()
            second.sendall(request(18, 0, 5, b"") + join(""))
            self.assertEqual(struct.unpack(">i", read_frame(second)[4:8])[0], 5)
            send("listen stop")
            line_starting("stopped listening")
            send("publish t x")
            line_starting("t p0 @0")
            # The first member never rejoins: its session runs out without a listener, the
            # rebalance goes on with the second, whose parked answer has nowhere to go.
            deadline = time.monotonic() + 30
            while True:
                send("show group g")
                generation = int(re.search(r"generation (\d+)", line_starting("group g \u00b7")).group(1))
                if generation >= 2 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            self.assertGreaterEqual(generation, 2)
            repl.stdin.close()
            self.assertEqual(repl.wait(timeout=20), 0)
            errors = repl.stderr.read()
            self.assertNotIn("Cannot schedule tasks", errors)
            self.assertEqual(errors, "")
        finally:
            for sock in sockets:
                sock.close()
            if repl.poll() is None:
                repl.kill()
                repl.wait()
            for stream in (repl.stdout, repl.stderr):
                stream.close()


class ServedFlowTests(unittest.TestCase):
    """`eventlab serve` runs the services a workspace keeps, for records real clients produce."""

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-serve-flows-")
        script = ("topic create orders --partitions 2\ntopic create payments\nservice create billing --from orders\n"
                  'service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id} key=$.id\n')
        defined = subprocess.run([EVENTLAB, "--data", self.data, "--clock", "system"], input=script,
                                 capture_output=True, text=True, timeout=60)
        self.assertEqual(defined.returncode, 0, defined.stderr)

    def tearDown(self):
        shutil.rmtree(self.data, ignore_errors=True)

    def test_a_service_defined_by_a_script_reacts_to_kcat_records_and_commits_its_group_offsets(self):
        server = Server(self.data)
        try:
            orders = '{"type":"OrderPlaced","id":"o-1"}\n{"type":"OrderPlaced","id":"o-2"}\n'
            produced = kcat(server.address, "-P", "-t", "orders", "-p", "1", input=orders)
            self.assertEqual(produced.returncode, 0, produced.stderr)
            # -c 2 waits for both emissions: no fixed sleep.
            consumed = kcat(server.address, "-C", "-t", "payments", "-o", "beginning", "-c", "2", "-f", "%k %s\n")
            self.assertEqual(consumed.stdout.splitlines(), ['o-1 {"type":"PaymentRequested","order":"o-1"}',
                                                            'o-2 {"type":"PaymentRequested","order":"o-2"}'])
            traced = [server.process.stdout.readline() for _ in range(3)]
            self.assertEqual(traced, ["flows: service billing (reads orders)\n",
                                      "billing ← orders p1 @0 OrderPlaced → payments p0 @0 PaymentRequested\n",
                                      "billing ← orders p1 @1 OrderPlaced → payments p0 @1 PaymentRequested\n"])
        finally:
            self.assertEqual(server.end(signal.SIGINT), 0, server.log)
        self.assertIn("stopping (signal 2)", server.log)
        described = eventlab(self.data, "group describe billing")
        rows = [line.split() for line in described.stdout.splitlines() if line.startswith("billing ")]
        # The service runs in that session too, a member of its group assigned both partitions.
        self.assertEqual([row[1:6] for row in rows], [["orders", "0", "-", "0", "-"], ["orders", "1", "2", "2", "0"]],
                         described.stdout)


    def test_a_kafka_python_consumer_in_the_service_group_shares_its_partitions(self):
        from kafka import KafkaConsumer, KafkaProducer, TopicPartition as Partition
        server = Server(self.data)
        consumer = None
        try:
            consumer = KafkaConsumer("orders", bootstrap_servers=server.address, group_id="billing",
                                     auto_offset_reset="earliest", enable_auto_commit=False)
            # The group rebalances: the service rejoins at its next drain, which the join wakes.
            self.assertTrue(wait_for(lambda: consumer.poll(timeout_ms=100) is not None and len(consumer.assignment()) == 1,
                                     seconds=60), "the client was given one of the two partitions")
            mine = next(iter(consumer.assignment())).partition
            other = 1 - mine
            producer = KafkaProducer(bootstrap_servers=server.address)
            for order, partition in (("o-1", mine), ("o-2", other)):
                producer.send("orders", ('{"type":"OrderPlaced","id":"%s"}' % order).encode(), partition=partition)
            producer.flush()
            received = []
            wait_for(lambda: received.extend(r.value for rs in consumer.poll(timeout_ms=100).values() for r in rs) or received)
            self.assertEqual(received, [b'{"type":"OrderPlaced","id":"o-1"}'])
            consumer.commit()
            self.assertEqual(kcat(server.address, "-C", "-t", "payments", "-o", "beginning", "-c", "1", "-f", "%k\n").stdout,
                             "o-2\n")
            consumer.close()
            consumer = None
            # Alone in the group again, the service takes the client's partition from its commit on.
            producer.send("orders", b'{"type":"OrderPlaced","id":"o-3"}', partition=mine)
            producer.flush()
            producer.close()
            self.assertEqual(kcat(server.address, "-C", "-t", "payments", "-o", "beginning", "-c", "2", "-f", "%k\n").stdout,
                             "o-2\no-3\n")
            everything = kcat(server.address, "-C", "-t", "payments", "-o", "beginning", "-e", "-f", "%k\n")
            self.assertEqual(everything.stdout, "o-2\no-3\n", "o-1 was the client's, and handled by it alone")
            self.assertEqual(server.process.stdout.readline(), "flows: service billing (reads orders)\n")
            self.assertEqual(server.process.stdout.readline(),
                             "billing ← orders p%d @0 OrderPlaced → payments p0 @0 PaymentRequested\n" % other)
        finally:
            if consumer is not None:
                consumer.close()
            self.assertEqual(server.end(signal.SIGINT), 0, server.log)

class OldGroupClientTests(unittest.TestCase):
    """kafka-python 2.0.2 at api_version (0,9) and (0,10,1): JoinGroup v0 and v1, SyncGroup, Heartbeat and
    LeaveGroup v0, OffsetCommit v2 and OffsetFetch v1, in a group the REPL describes while it is live."""

    def test_an_old_kafka_python_group_commits_and_a_new_consumer_resumes_where_it_left(self):
        import pexpect
        from kafka import KafkaConsumer
        home = tempfile.mkdtemp(prefix="eventlab-old-groups-")
        child = pexpect.spawn(EVENTLAB, ["--memory", "--clock", "logical"], encoding="utf-8", timeout=30,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TERM": "dumb"})
        consumers = []

        def consume(address, topic, group, api_version, count):
            """A new consumer in `group` and the first `count` values it reads (fewer after 30 s)."""
            consumer = KafkaConsumer(topic, bootstrap_servers=address, group_id=group, api_version=api_version,
                                     auto_offset_reset="earliest", enable_auto_commit=False)
            consumers.append(consumer)
            seen = []
            deadline = time.monotonic() + 30
            while len(seen) < count and time.monotonic() < deadline:
                seen.extend(r.value for rs in consumer.poll(timeout_ms=100).values() for r in rs)
            return consumer, seen

        def describe(group):
            child.sendline("group describe " + group)
            child.expect_exact("eventlab> ")
            return child.before

        try:
            child.expect_exact("eventlab> ")
            child.sendline("listen 0")
            child.expect(r"listening on (127\.0\.0\.1:\d+)")
            address = child.match.group(1)
            child.expect_exact("eventlab> ")
            for api_version in ((0, 9), (0, 10, 1)):
                with self.subTest(api_version=api_version):
                    group = "old-" + "-".join(map(str, api_version))
                    topic = "orders-" + "-".join(map(str, api_version))
                    produced = kcat(address, "-P", "-t", topic, input="first\nsecond\n")
                    self.assertEqual(produced.returncode, 0, produced.stderr)
                    consumer, seen = consume(address, topic, group, api_version, 2)
                    self.assertEqual(seen, [b"first", b"second"])
                    consumer.commit()
                    # The live member owns the partition, with the offset it committed.
                    self.assertRegex(describe(group), r"%s\s+%s\s+0\s+2\s+2\s+0\s+kafka-python-2\.0\.2-\S+\s+/127\.0\.0\.1\s+kafka-python"
                                     % (group, topic))
                    consumer.close()
                    kcat(address, "-P", "-t", topic, input="third\n")
                    consumer, seen = consume(address, topic, group, api_version, 1)
                    self.assertEqual(seen, [b"third"], "the new consumer resumes from the old one's commit")
                    consumer.commit()
                    consumer.close()
                    self.assertRegex(describe(group), r"%s\s+%s\s+0\s+3\s+3\s+0\s+-" % (group, topic))
            child.sendcontrol("d")
            child.expect(pexpect.EOF)
        finally:
            for consumer in consumers:
                consumer.close(autocommit=False)
            child.close(force=True)
            shutil.rmtree(home, ignore_errors=True)

if __name__ == "__main__":
    quiet.run()
