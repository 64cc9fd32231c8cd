"""The commands that replay history: `rigd audit`, `rigd rebuild-read-model --all` and
`rigd check-read-models`. Each prints what it found and returns the exit status."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from rigd.projections.audit_trail import AuditFilter, NeverExisted, aggregate_id, as_of, history
from rigd.projections.projector import RebuildRefused
from rigd.projections.read_model_check import check
from rigd.services.composition import Rigd

log = logging.getLogger(__name__)


def add_audit_parser(commands: Any) -> None:
    audit = commands.add_parser(
        "audit", help="print the change history (who, what, when, request id), or an aggregate as of a time")
    audit.add_argument("--aggregate", help="an aggregate id, or KIND/KEY (project/shop, environment/prod)")
    audit.add_argument("--actor", help="who made the change (identifier, name, user or service account id)")
    audit.add_argument("--project", help="a project id: its events, its environments' and capsules'")
    audit.add_argument("--environment", help="an environment id")
    audit.add_argument("--capsule", help="a capsule id")
    audit.add_argument("--type", dest="event_type", help="an event type (dev.rig.project.Renamed) or topic")
    audit.add_argument("--since", type=_moment, help="from this time (ISO 8601; UTC unless it says otherwise)")
    audit.add_argument("--until", type=_moment, help="up to this time, inclusive")
    audit.add_argument("--json", action="store_true", help="one JSON object (a CloudEvent) per line")
    audit.add_argument("--as-of", type=_moment, help="print the --aggregate as it was at this time, as JSON")


def audit(rigd: Rigd, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        aggregate = aggregate_id(args.aggregate) if args.aggregate else None
    except ValueError as error:
        print(f"rigd: --aggregate: {error}", file=sys.stderr)
        return 2
    if args.as_of is not None:
        if aggregate is None:
            print("rigd: --as-of needs --aggregate", file=sys.stderr)
            return 2
        try:
            print(json.dumps(as_of(rigd.store, aggregate, args.as_of), sort_keys=True), file=out)
        except NeverExisted as error:
            print(f"rigd: {error}", file=sys.stderr)
            return 1
        return 0
    criteria = AuditFilter(aggregate, args.actor, args.project, args.environment, args.capsule, args.event_type,
                           args.since, args.until)
    if not args.json:
        print(f"{'time':32}  {'actor':20}  {'type':40}  {'subject':32}  request id", file=out)
    for cloud_event in history(rigd.store, criteria):
        if args.json:
            print(json.dumps(cloud_event), file=out)
        else:
            print(f"{cloud_event['time']:32}  {cloud_event['actor']:20}  {cloud_event['type']:40}  "
                  f"{cloud_event.get('subject', '-'):32}  {cloud_event['requestid']}", file=out)
    return 0


def rebuild_all(rigd: Rigd) -> int:
    """Rebuilds every read model in turn; 0 when all are live, 1 if any was refused or failed."""
    status = 0
    for name in rigd.projector.names:
        try:
            position = rigd.projector.rebuild(name)
        except RebuildRefused as error:
            print(f"rigd: {error}", file=sys.stderr)
            status = 1
            continue
        except Exception as error:
            log.debug("rebuilding read model %s failed", name, exc_info=True)
            print(f"rigd: rebuilding read model {name!r} failed: {_first_line(error)}", file=sys.stderr)
            status = 1
            continue
        print(f"read model {name!r} rebuilt up to notification {position}; the new generation is live")
    return status


def check_read_models(rigd: Rigd, out: TextIO | None = None) -> int:
    """Compares each live read model with a fresh replay; 0 when all are equal, 1 otherwise."""
    out = out or sys.stdout
    status = 0
    for name in rigd.projector.names:
        try:
            comparison = check(rigd.store, rigd.read_database, rigd.projector.read_model(name), rigd.wakeup,
                               rigd.projector_leadership)
        except Exception as error:
            log.debug("checking read model %s failed", name, exc_info=True)
            print(f"rigd: checking read model {name!r} failed: {_first_line(error)}", file=sys.stderr)
            status = 1
            continue
        if comparison.equal:
            print(f"read model {name!r}: equal to a fresh replay up to notification {comparison.position}", file=out)
            continue
        status = 1
        print(f"read model {name!r}: differs from a fresh replay up to notification {comparison.position}:",
              file=out)
        for difference in comparison.differences:
            print(f"  {difference}", file=out)
    return status


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time (e.g. 2026-01-31T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
