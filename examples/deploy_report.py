"""Example consumer: a live deploy-frequency and lead-time report from rigd's event topic.

    python examples/deploy_report.py --bootstrap kafka:9092 [--topic rigd.events] [--once]

Reads the topic from offset zero (a consumer group of its own, or none with --once), drops
duplicates by CloudEvents `id` (delivery is at least once), and prints, per subject (project
and environment): deploys, deploys per day over the span seen, and the median lead time
from a rollout's creation to its completion.

It reads two kinds of rollout event, keyed by the rollout's aggregate id:
`dev.rig.rollout.Created.v*` (a Deploy recorded the rollout) and
`dev.rig.rollout.InstancesReady.v*` (the deployer saw all its instances ready: the rollout
is complete)."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

CREATED = "dev.rig.rollout.Created"
COMPLETED = "dev.rig.rollout.InstancesReady"


def unversioned(kind: str) -> str:
    return kind.rpartition(".v")[0] if ".v" in kind else kind


@dataclass
class DeployReport:
    seen: set[str] = field(default_factory=set)
    started: dict[str, datetime] = field(default_factory=dict)  # rollout aggregate id -> creation time
    deploys: dict[str, list[datetime]] = field(default_factory=dict)  # subject -> completion times
    lead_times: dict[str, list[timedelta]] = field(default_factory=dict)

    def add(self, cloud_event: Mapping[str, Any]) -> None:
        if cloud_event["id"] in self.seen:
            return  # a duplicate of an event already counted
        self.seen.add(cloud_event["id"])
        kind, when = unversioned(cloud_event["type"]), datetime.fromisoformat(cloud_event["time"])
        rollout, subject = cloud_event["aggregateid"], cloud_event.get("subject", "-")
        if kind == CREATED:
            self.started[rollout] = when
        elif kind == COMPLETED:
            self.deploys.setdefault(subject, []).append(when)
            if rollout in self.started:
                self.lead_times.setdefault(subject, []).append(when - self.started[rollout])

    def rows(self) -> list[tuple[str, int, float, float | None]]:
        """(subject, deploys, deploys per day, median lead time in seconds)."""
        rows = []
        for subject, times in sorted(self.deploys.items()):
            days = max((max(times) - min(times)) / timedelta(days=1), 1.0)
            leads = self.lead_times.get(subject)
            median = statistics.median(lead.total_seconds() for lead in leads) if leads else None
            rows.append((subject, len(times), len(times) / days, median))
        return rows

    def render(self) -> str:
        lines = [f"{'subject':50}  {'deploys':>7}  {'per day':>7}  {'median lead time':>16}"]
        for subject, count, per_day, median in self.rows():
            lead = f"{median:.0f} s" if median is not None else "-"
            lines.append(f"{subject:50}  {count:>7}  {per_day:>7.2f}  {lead:>16}")
        return "\n".join(lines)


def read(values: Iterable[bytes], report: DeployReport) -> None:
    for value in values:
        report.add(json.loads(value))


def main() -> int:
    from kafka import KafkaConsumer

    parser = argparse.ArgumentParser(description="deploy frequency and lead time from rigd's events")
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", default="rigd.events")
    parser.add_argument("--once", action="store_true", help="print the report once the topic's end is reached")
    args = parser.parse_args()
    consumer = KafkaConsumer(args.topic, bootstrap_servers=args.bootstrap, auto_offset_reset="earliest",
                             group_id=None if args.once else "rigd-deploy-report",
                             consumer_timeout_ms=5000 if args.once else float("inf"))
    report = DeployReport()
    try:
        for record in consumer:
            report.add(json.loads(record.value))
            if not args.once:
                print(report.render(), end="\n\n", flush=True)
    finally:
        consumer.close()
    print(report.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
