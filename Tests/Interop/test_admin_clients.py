#!/usr/bin/python3
"""The admin calls tools make, by real clients against `eventlab serve`, each checked in the REPL
afterwards: confluent-kafka 2.x (from PyPI, in scripts/interop-venv's environment) alters and
describes configs, adds partitions, deletes records and groups; a small C program on Debian's
librdkafka-dev (Tests/Interop/c/offset_delete.c, built into .build/) deletes a group's offsets,
which no Python client can.

Run with Debian's Python: /usr/bin/python3 Tests/Interop/test_admin_clients.py [path/to/eventlab]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

import quiet

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EVENTLAB = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".build/debug/eventlab")

# test_kafka_clients reads the binary's path from the command line when imported: hide the rest of it.
_arguments, sys.argv = sys.argv, sys.argv[:1]
import test_kafka_clients as clients  # noqa: E402
sys.argv = _arguments
clients.EVENTLAB = EVENTLAB
Server, eventlab = clients.Server, clients.eventlab


def venv_python():
    """The python of scripts/interop-venv's environment, which has confluent-kafka 2.x."""
    if not hasattr(venv_python, "path"):
        result = subprocess.run([os.path.join(ROOT, "scripts", "interop-venv")], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("scripts/interop-venv failed: " + result.stderr)
        venv_python.path = result.stdout.strip()
    return venv_python.path


# What every confluent-kafka script starts with: `admin` on the server, `out` prints one JSON line,
# `error` waits for a future and names the Kafka error it ended with, or NONE.
PRELUDE = """
import json, sys
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, NewPartitions,
                                   NewTopic, ResourceType)
address = sys.argv[1]
admin = AdminClient({"bootstrap.servers": address})
def out(value):
    print(json.dumps(value), flush=True)
def error(future):
    try:
        future.result(timeout=20)
        return "NONE"
    except KafkaException as e:
        return e.args[0].name()
def consumer(group, topics):
    c = Consumer({"bootstrap.servers": address, "group.id": group, "auto.offset.reset": "earliest",
                  "enable.auto.commit": False})
    c.subscribe(topics)
    while not c.assignment():
        c.poll(0.2)
    return c
"""


def confluent(address, script, **options):
    """Runs `script` (after PRELUDE) with confluent-kafka 2.x; returns the values it printed with `out`."""
    result = subprocess.run([venv_python(), "-c", PRELUDE + textwrap.dedent(script), address],
                            capture_output=True, text=True, timeout=120, **options)
    if result.returncode != 0:
        raise AssertionError("the confluent-kafka script failed:\n" + result.stderr)
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def offset_delete(address, group, *partitions):
    """Lines the C program prints for librdkafka's DeleteConsumerGroupOffsets of `group` on `partitions`."""
    binary = os.path.join(ROOT, ".build", "offset_delete")
    source = os.path.join(HERE, "c", "offset_delete.c")
    if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
        subprocess.run(["gcc", "-Wall", "-Werror", "-o", binary, source, "-lrdkafka"], check=True)
    result = subprocess.run([binary, address, group, *partitions], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise AssertionError("offset_delete failed:\n" + result.stderr)
    return result.stdout.splitlines()


class AdminClientTests(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="eventlab-admin-")
        self.server = Server(self.data)
        self.address = self.server.address

    def tearDown(self):
        if self.server.process.poll() is None:
            self.server.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def repl(self, commands):
        """The REPL's output for `commands` on the server's workspace, once the server has stopped."""
        if self.server.process.poll() is None:
            self.assertEqual(self.server.stop(), 0, self.server.log)
        shown = eventlab(self.data, commands)
        self.assertEqual(shown.returncode, 0, shown.stdout + shown.stderr)
        return shown.stdout

    def test_configs_a_client_alters_show_in_topic_describe(self):
        answers = confluent(self.address, """
            admin.create_topics([NewTopic("orders", 1, 1)])["orders"].result(20)
            def shown(*names):
                resource = ConfigResource(ResourceType.TOPIC, "orders")
                configs = admin.describe_configs([resource])[resource].result(20)
                return {name: [configs[name].value, configs[name].source] for name in names}
            replace = ConfigResource(ResourceType.TOPIC, "orders", set_config={"retention.ms": "3600000", "segment.bytes": "1048576"})
            out(error(admin.alter_configs([replace])[replace]))
            out(shown("retention.ms", "segment.bytes", "cleanup.policy"))
            changes = ConfigResource(ResourceType.TOPIC, "orders", incremental_configs=[
                ConfigEntry("cleanup.policy", "compact", incremental_operation=AlterConfigOpType.APPEND),
                ConfigEntry("segment.bytes", None, incremental_operation=AlterConfigOpType.DELETE),
                ConfigEntry("retention.ms", "7200000", incremental_operation=AlterConfigOpType.SET)])
            out(error(admin.incremental_alter_configs([changes])[changes]))
            out(shown("retention.ms", "segment.bytes", "cleanup.policy"))
            not_a_list = ConfigResource(ResourceType.TOPIC, "orders", incremental_configs=[
                ConfigEntry("retention.ms", "5", incremental_operation=AlterConfigOpType.APPEND)])
            out(error(admin.incremental_alter_configs([not_a_list])[not_a_list]))
            unknown = ConfigResource(ResourceType.TOPIC, "orders", set_config={"retention.msec": "5"})
            out(error(admin.alter_configs([unknown])[unknown]))
            checked = ConfigResource(ResourceType.TOPIC, "orders", set_config={"retention.ms": "5"})
            out(error(admin.alter_configs([checked], validate_only=True)[checked]))
            missing = ConfigResource(ResourceType.TOPIC, "missing")
            out(error(admin.describe_configs([missing])[missing]))
            broker = ConfigResource(ResourceType.BROKER, "1")
            configs = admin.describe_configs([broker])[broker].result(20)
            out({name: [entry.value, entry.is_read_only] for name, entry in configs.items()})
        """)
        self.assertEqual(answers[0], "NONE")
        self.assertEqual(answers[1], {"retention.ms": ["3600000", 1], "segment.bytes": ["1048576", 1], "cleanup.policy": ["delete", 5]})
        self.assertEqual(answers[2], "NONE")
        self.assertEqual(answers[3], {"retention.ms": ["7200000", 1], "segment.bytes": ["1073741824", 5],
                                      "cleanup.policy": ["compact,delete", 1]})
        self.assertEqual(answers[4:7], ["INVALID_REQUEST", "INVALID_CONFIG", "NONE"])
        self.assertEqual(answers[7], "UNKNOWN_TOPIC_OR_PART")  # librdkafka's name for it
        self.assertEqual(answers[8]["log.retention.check.interval.ms"], ["300000", True])
        shown = self.repl("topic describe orders")
        self.assertIn("configs: cleanup.policy=compact,delete · retention.ms=7200000\n", shown)

    def test_partitions_a_client_adds_show_in_topic_describe(self):
        answers = confluent(self.address, """
            admin.create_topics([NewTopic("orders", 1, 1)])["orders"].result(20)
            def grow(count, assignment=None, validate_only=False):
                new = NewPartitions("orders", count) if assignment is None else NewPartitions("orders", count, assignment)
                return error(admin.create_partitions([new], validate_only=validate_only)["orders"])
            out([grow(3), grow(2), grow(3), grow(4, [[2]]), grow(5, [[1], [1]]), grow(9, validate_only=True)])
            out(len(admin.list_topics(timeout=20).topics["orders"].partitions))
        """)
        self.assertEqual(answers, [["NONE", "INVALID_PARTITIONS", "INVALID_PARTITIONS", "INVALID_REPLICA_ASSIGNMENT", "NONE", "NONE"], 5])
        shown = self.repl("topic describe orders")
        self.assertIn("orders · 5 partitions", shown)

    def test_records_a_client_deletes_are_gone_for_the_repl(self):
        answers = confluent(self.address, """
            admin.create_topics([NewTopic("orders", 1, 1)])["orders"].result(20)
            producer = Producer({"bootstrap.servers": address})
            for n in range(5):
                producer.produce("orders", value=b"order-%d" % n, partition=0)
            producer.flush(20)
            deleted = admin.delete_records([TopicPartition("orders", 0, 3)])
            out([result.low_watermark for result in (future.result(20) for future in deleted.values())])
            out([error(future) for future in admin.delete_records([TopicPartition("orders", 0, 9)]).values()])
        """)
        self.assertEqual(answers, [[3], ["OFFSET_OUT_OF_RANGE"]])
        shown = self.repl("topic describe orders\nconsume orders --from beginning")
        self.assertRegex(shown, r"\n0 +3 +5 ")
        self.assertNotIn("order-2", shown)
        self.assertIn("order-3", shown)

    def test_groups_a_client_deletes_are_gone_for_the_repl(self):
        answers = confluent(self.address, """
            admin.create_topics([NewTopic("orders", 1, 1)])["orders"].result(20)
            producer = Producer({"bootstrap.servers": address})
            producer.produce("orders", value=b"order")
            producer.flush(20)
            for group in ("billing", "kept"):
                done = consumer(group, ["orders"])
                done.commit(offsets=[TopicPartition("orders", 0, 1)], asynchronous=False)
                done.close()
            busy = consumer("shop", ["orders"])
            deleted = admin.delete_consumer_groups(["billing", "shop", "nobody"])
            out({group: error(future) for group, future in deleted.items()})
            busy.close()
        """)
        self.assertEqual(answers, [{"billing": "NONE", "shop": "NON_EMPTY_GROUP", "nobody": "GROUP_ID_NOT_FOUND"}])
        listed = self.repl("group list")
        self.assertIn("kept", listed)
        self.assertNotIn("billing", listed)

    def test_offsets_librdkafka_deletes_are_gone_for_the_repl(self):
        confluent(self.address, """
            for name in ("orders", "other"):
                admin.create_topics([NewTopic(name, 1, 1)])[name].result(20)
            done = consumer("billing", ["orders", "other"])
            done.commit(offsets=[TopicPartition("orders", 0, 0), TopicPartition("other", 0, 0)], asynchronous=False)
            done.close()
        """)
        # A member reads orders while the offsets are deleted: its offset there stays.
        member = subprocess.Popen([venv_python(), "-c", PRELUDE + textwrap.dedent("""
            member = consumer("billing", ["orders"])
            out("joined")
            sys.stdin.readline()
            member.close()
        """), self.address], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(member.stdout.readline().strip(), '"joined"')
            answered = offset_delete(self.address, "billing", "orders:0", "other:0", "other:7")
        finally:
            member.stdin.write("\n")
            member.stdin.close()
            member.wait(timeout=30)
            member.stdout.close()
        self.assertEqual(answered, ["group billing NONE", "orders 0 GROUP_SUBSCRIBED_TO_TOPIC", "other 0 NONE",
                                    "other 7 UNKNOWN_TOPIC_OR_PART"])
        self.assertEqual(offset_delete(self.address, "nobody", "orders:0")[0].split()[:2], ["error", "GROUP_ID_NOT_FOUND:"])
        described = self.repl("group describe billing")
        self.assertIn("orders", described)
        self.assertNotIn("other", described)


if __name__ == "__main__":
    quiet.run()
