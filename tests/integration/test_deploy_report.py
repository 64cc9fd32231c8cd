"""The example consumer reads rollout events in the documented schema from the topic, from
offset zero, and reports deploy frequency and lead time (rollouts arrive with capsules:
the events here are produced by the test, in the documented envelope)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kafka import KafkaProducer

from tests.kafka_broker import Broker

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "deploy_report.py"


def rollout_event(rollout: str, version: int, kind: str, time: str, subject: str) -> dict[str, object]:
    return {"specversion": "1.0", "id": f"{rollout}/{version}", "source": "//rigd/test",
            "type": f"dev.rig.rollout.{kind}.v2", "time": time, "datacontenttype": "application/json",
            "subject": subject, "aggregateid": rollout, "aggregateversion": version, "notificationid": version,
            "actor": "ada@example.com", "requestid": "r", "data": {}}


def test_the_report_counts_deploys_and_lead_times_from_offset_zero(kafka_broker: Broker) -> None:
    subject = "project/shop/environment/prod/capsule/web"
    events = [
        rollout_event("r1", 1, "Created", "2026-01-01T10:00:00+00:00", subject),
        rollout_event("r1", 2, "InstancesReady", "2026-01-01T10:01:00+00:00", subject),
        rollout_event("r2", 1, "Created", "2026-01-03T10:00:00+00:00", subject),
        rollout_event("r2", 2, "InstancesReady", "2026-01-03T10:03:00+00:00", subject),
        rollout_event("r2", 2, "InstancesReady", "2026-01-03T10:03:00+00:00", subject),  # a duplicate: dropped by id
        rollout_event("p1", 1, "Created", "2026-01-03T10:00:00+00:00", "project/shop"),  # never completed
    ]
    producer = KafkaProducer(bootstrap_servers=kafka_broker.bootstrap)
    for event in events:
        producer.send("rigd.events", key=str(event["aggregateid"]).encode(), value=json.dumps(event).encode())
    producer.flush()
    producer.close()
    report = subprocess.run([sys.executable, str(EXAMPLE), "--bootstrap", kafka_broker.bootstrap, "--once"],
                            capture_output=True, text=True, timeout=120)
    assert report.returncode == 0, report.stderr
    row = next(line for line in report.stdout.splitlines() if line.startswith(subject))
    assert row.split()[1:] == ["2", "1.00", "120", "s"]  # 2 deploys over 2 days; median of 60 s and 180 s
    assert "project/shop " not in report.stdout
