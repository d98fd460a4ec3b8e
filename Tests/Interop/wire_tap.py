#!/usr/bin/python3
"""A recording TCP proxy for the Kafka protocol: it listens on a loopback port, forwards every byte
to the broker unchanged, and records the (API key, API version) of each request frame, and on
request the bytes of the first exchange of each (API, version).

A broker names its own host and port in Metadata and FindCoordinator responses, and clients then
connect there. For them to stay behind the tap without rewriting those answers, the broker must
advertise the tap's address, as Kafka's advertised.listeners does:
`eventlab serve --port 0 --advertised-port TAP_PORT`.

Captures (`--capture DIR`) are one file per (API, version), `<key>-<name>-v<version>.hex`: the line
`request <hex>` and, when the broker answered, `response <hex>` (none: it closed the connection).
Each hex is one frame without its 4-byte size: the request header and body, or the response
header and body.

As a command, it prints one line per request, `<connection> <name> v<version>`:
/usr/bin/python3 Tests/Interop/wire_tap.py --listen 127.0.0.1:9092 --to 127.0.0.1:BROKER_PORT [--capture DIR]
"""
import argparse
import os
import socket
import struct
import sys
import threading

API_NAMES = {
    0: "Produce", 1: "Fetch", 2: "ListOffsets", 3: "Metadata", 4: "LeaderAndIsr", 5: "StopReplica",
    6: "UpdateMetadata", 7: "ControlledShutdown", 8: "OffsetCommit", 9: "OffsetFetch", 10: "FindCoordinator",
    11: "JoinGroup", 12: "Heartbeat", 13: "LeaveGroup", 14: "SyncGroup", 15: "DescribeGroups", 16: "ListGroups",
    17: "SaslHandshake", 18: "ApiVersions", 19: "CreateTopics", 20: "DeleteTopics", 21: "DeleteRecords",
    22: "InitProducerId", 23: "OffsetForLeaderEpoch", 24: "AddPartitionsToTxn", 25: "AddOffsetsToTxn",
    26: "EndTxn", 27: "WriteTxnMarkers", 28: "TxnOffsetCommit", 29: "DescribeAcls", 30: "CreateAcls",
    31: "DeleteAcls", 32: "DescribeConfigs", 33: "AlterConfigs", 34: "AlterReplicaLogDirs",
    35: "DescribeLogDirs", 36: "SaslAuthenticate", 37: "CreatePartitions", 38: "CreateDelegationToken",
    39: "RenewDelegationToken", 40: "ExpireDelegationToken", 41: "DescribeDelegationToken", 42: "DeleteGroups",
    43: "ElectLeaders", 44: "IncrementalAlterConfigs", 45: "AlterPartitionReassignments",
    46: "ListPartitionReassignments", 47: "OffsetDelete", 48: "DescribeClientQuotas", 49: "AlterClientQuotas",
    50: "DescribeUserScramCredentials", 51: "AlterUserScramCredentials", 60: "DescribeCluster",
    61: "DescribeProducers", 68: "ConsumerGroupHeartbeat", 69: "ConsumerGroupDescribe",
    71: "GetTelemetrySubscriptions", 72: "PushTelemetry", 75: "DescribeTopicPartitions",
}


def api_name(key):
    return API_NAMES.get(key, "Api%d" % key)


class Frames:
    """Splits a byte stream into Kafka frames (int32 size, then that many bytes)."""

    def __init__(self):
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        frames = []
        while len(self.buffer) >= 4:
            size = struct.unpack_from(">i", self.buffer)[0]
            if size < 0 or len(self.buffer) < 4 + size:
                break
            frames.append(bytes(self.buffer[4:4 + size]))
            del self.buffer[:4 + size]
        return frames


class WireTap:
    """Listens on `listen` (host, port) and forwards each connection to `target` (host, port).
    `requests` lists every request seen, in order,
    as (connection, api key, api version); while `recording` is False, new connections are forwarded
    but not recorded. `advertised` holds the {api: (min, max)} of the last ApiVersions answer recorded.
    With `capture` (a directory), the first exchange of each (api, version) is kept."""

    def __init__(self, listen, target, capture=None, echo=False):
        self.target = target
        self.capture = capture
        self.echo = echo
        self.recording = True
        self.requests = []
        self.closed_after = []  # (connection, api, version): the broker closed it with that request unanswered
        self.advertised = {}  # api -> (min, max), from the last ApiVersions answer with ranges
        self.lock = threading.Lock()
        self.captured = set()
        self.connections = 0
        self.sockets = set()
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(listen)
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.stopping = False
        self.acceptor = threading.Thread(target=self.accept, daemon=True)

    def reach(self, target):
        """Sets where connections go, for a broker started after the tap chose its port."""
        self.target = target
        return self

    def start(self):
        self.acceptor.start()
        return self

    def stop(self):
        """Stops listening and closes every forwarded connection."""
        self.stopping = True
        try:
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()
        with self.lock:
            for sock in list(self.sockets):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if self.acceptor.is_alive():
            self.acceptor.join(timeout=5)

    def versions(self):
        """The distinct (api, version) pairs recorded, sorted."""
        with self.lock:
            return sorted({(api, version) for _, api, version in self.requests})

    def reset(self):
        with self.lock:
            self.requests = []
            self.closed_after = []

    def accept(self):
        while not self.stopping:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                number = self.connections
            threading.Thread(target=self.forward, args=(client, number, self.recording), daemon=True).start()

    def forward(self, client, number, recording):
        try:
            broker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            broker.connect(self.target)
        except OSError as error:
            print("wire_tap: cannot reach the broker at %s:%d: %s" % (*self.target, error), file=sys.stderr)
            client.close()
            return
        for sock in (client, broker):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.lock:
            self.sockets.update((client, broker))
        pending = {}  # correlation id -> (api, version, request frame)
        upstream = threading.Thread(target=self.pump, args=(client, broker, Frames(), lambda frame: self.on_request(number, recording, frame, pending)), daemon=True)
        upstream.start()
        self.pump(broker, client, Frames(), lambda frame: self.on_response(recording, frame, pending))
        upstream.join()
        if recording and pending:
            with self.lock:
                for api, version, _ in pending.values():
                    self.closed_after.append((number, api, version))
            if self.capture:
                for exchange in pending.values():
                    self.keep(*exchange, None)
        with self.lock:
            self.sockets.difference_update((client, broker))
        client.close()
        broker.close()

    def pump(self, source, sink, frames, on_frame):
        """Copies source to sink until either side closes, handing each whole frame to on_frame."""
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                for frame in frames.feed(data):
                    on_frame(frame)
                sink.sendall(data)
        except OSError:
            pass
        for sock in (sink, source):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def on_request(self, number, recording, frame, pending):
        if len(frame) < 8:
            return
        api, version, correlation = struct.unpack_from(">hhi", frame)
        pending[correlation] = (api, version, frame)
        if not recording:
            return
        with self.lock:
            self.requests.append((number, api, version))
        if self.echo:
            print("%d %s v%d" % (number, api_name(api), version), flush=True)

    def on_response(self, recording, frame, pending):
        if len(frame) < 4:
            return
        correlation = struct.unpack_from(">i", frame)[0]
        exchange = pending.pop(correlation, None)
        if recording and exchange and exchange[0] == 18:
            ranges = api_versions_ranges(exchange[1], frame)
            if ranges:
                with self.lock:
                    self.advertised = ranges
        if recording and exchange and self.capture:
            self.keep(*exchange, frame)

    def keep(self, api, version, request, response):
        with self.lock:
            if (api, version) in self.captured:
                return
            self.captured.add((api, version))
        os.makedirs(self.capture, exist_ok=True)
        path = os.path.join(self.capture, "%02d-%s-v%d.hex" % (api, api_name(api), version))
        with open(path, "w") as out:
            out.write("request %s\n" % request.hex())
            if response is not None:
                out.write("response %s\n" % response.hex())


def api_versions_ranges(version, frame):
    """{api: (min, max)} from an ApiVersions response frame (header v0: the correlation id, then the body),
    or {} if it has none. v3 bodies are compact, except an UNSUPPORTED_VERSION answer, which is always v0."""
    try:
        error = struct.unpack_from(">h", frame, 4)[0]
        offset = 6
        compact = version >= 3 and error == 0
        if compact:
            count, offset = uvarint(frame, offset)
            count -= 1
        else:
            count = struct.unpack_from(">i", frame, offset)[0]
            offset += 4
        ranges = {}
        for _ in range(max(count, 0)):
            key, low, high = struct.unpack_from(">hhh", frame, offset)
            ranges[key] = (low, high)
            offset += 6
            if compact:
                tags, offset = uvarint(frame, offset)
                for _ in range(tags):
                    _, offset = uvarint(frame, offset)
                    size, offset = uvarint(frame, offset)
                    offset += size
        return ranges
    except (struct.error, IndexError):
        return {}


def uvarint(data, offset):
    value, shift = 0, 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, offset
        shift += 7


def address(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def main():
    parser = argparse.ArgumentParser(description="Forward Kafka connections and print each request's API and version.")
    parser.add_argument("--listen", type=address, required=True, help="HOST:PORT to listen on")
    parser.add_argument("--to", type=address, required=True, help="the broker's HOST:PORT")
    parser.add_argument("--capture", help="keep the first exchange of each (API, version) in this directory")
    options = parser.parse_args()
    tap = WireTap(options.listen, options.to, options.capture, echo=True).start()
    print("listening on %s:%d" % (options.listen[0], tap.port), flush=True)
    try:
        tap.acceptor.join()
    except KeyboardInterrupt:
        tap.stop()


if __name__ == "__main__":
    main()
