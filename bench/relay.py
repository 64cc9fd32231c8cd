"""Benchmark: the Kafka relay against raw kafka-python, in one run against the test broker.

    .venv/bin/python bench/relay.py [--events 3000] [--rate 100] [--seconds 10]

1. Throughput: records `--events` events, then times the relay publishing them from its
   position 0, and times a raw idempotent kafka-python producer (acks=all) sending the
   same payloads with the same keys to another topic. Prints the ratio (relay / raw; the
   target is at least 0.5).
2. Lag: records events at a steady `--rate` per second for `--seconds` while the relay
   runs, and a consumer notes when each arrives; prints the p50 and p99 of arrival time
   less the event's recorded time (the target for p99 is under 1 s).

Numbers are printed, never asserted."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kafka import KafkaConsumer, KafkaProducer

from rigd.adapters.kafka_relay import KafkaSink
from rigd.domain.context import CommandContext
from rigd.projections.integration_events import Subjects, encode, envelope
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.kafka_broker import CONSUMER_SETTINGS, Broker


def record(rigd: Rigd, count: int, prefix: str) -> None:
    ctx = CommandContext()
    rigd.projects.create(ctx, f"{prefix}-p", ["p"])
    for n in range(count - 1):
        rigd.projects.rename(ctx, f"{prefix}-p", [f"name {n}"])


def throughput(settings: Settings, broker: Broker, events: int) -> None:
    writer = build(settings)
    try:
        record(writer, events, "bench")
        total = writer.store.max_notification_id()
        notifications = writer.store.recorder.select_notifications(start=1, limit=total)
        subjects = Subjects(writer.store.repository.get)
        payloads = []
        for n in notifications:
            event = writer.store.mapper.to_domain_event(n)
            payloads.append((str(event.originator_id).encode(), encode(envelope(event, n.id, "//rigd/bench",
                                                                               subjects.keys(event)))))
    finally:
        writer.close()

    raw_sink = KafkaSink(broker.bootstrap, "raw.events")
    raw_sink.prepare()
    producer = KafkaProducer(**raw_sink.producer_settings())
    started = time.perf_counter()
    for key, value in payloads:
        producer.send("raw.events", key=key, value=value)
    producer.flush()
    raw_seconds = time.perf_counter() - started
    producer.close()
    raw_sink.close()

    relaying = build(settings)
    assert relaying.relay is not None
    relaying.relay_sink.prepare()  # type: ignore[union-attr]  # topic creation is not part of the run
    started = time.perf_counter()
    relaying.relay.catch_up()
    relay_seconds = time.perf_counter() - started
    relaying.close()
    print(f"throughput over {total} events: raw kafka-python {total / raw_seconds:,.0f}/s, "
          f"relay {total / relay_seconds:,.0f}/s; relay/raw = {raw_seconds / relay_seconds:.2f} (target >= 0.5)")


def lag(settings: Settings, broker: Broker, rate: float, seconds: float) -> None:
    rigd = build(settings)
    assert rigd.relay is not None
    rigd.relay.catch_up()
    rigd.start(("relay",))
    start_offset_time = datetime.now().astimezone()
    lags: list[float] = []
    stop = threading.Event()

    def consume() -> None:
        consumer = KafkaConsumer(settings.kafka_topic, bootstrap_servers=broker.bootstrap, group_id="bench-lag",
                                 auto_offset_reset="latest", **CONSUMER_SETTINGS)
        while not stop.is_set():
            for records in consumer.poll(timeout_ms=200).values():
                arrived = time.time()
                for record in records:
                    recorded = datetime.fromisoformat(json.loads(record.value)["time"])
                    if recorded >= start_offset_time:
                        lags.append(arrived - recorded.timestamp())
        consumer.close()

    consumer = threading.Thread(target=consume)
    consumer.start()
    time.sleep(3)  # the consumer group settles before the measured events
    ctx = CommandContext()
    rigd.projects.create(ctx, "lag-p", ["p"])
    count = int(rate * seconds)
    began = time.monotonic()
    for n in range(count):
        time.sleep(max(0.0, began + n / rate - time.monotonic()))
        rigd.projects.rename(ctx, "lag-p", [f"name {n}"])
    deadline = time.monotonic() + 30
    while len(lags) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    consumer.join()
    rigd.close()
    ordered = sorted(lags)
    if not ordered:
        print("lag: no events arrived")
        return
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"lag at {rate:.0f} events/s over {len(ordered)} events: p50 {statistics.median(ordered) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms (target p99 < 1000 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        broker = Broker(Path(workdir) / "tansu.log")
        try:
            settings = Settings(data_dir=Path(workdir) / "var", environments=(), metrics_listen="",
                                kafka_bootstrap_servers=broker.bootstrap)
            throughput(settings, broker, args.events)
            lag(settings, broker, args.rate, args.seconds)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
