"""The documented public event schema: what each integration event means, field by field,
and its version history. `docs/events.md` is generated from this catalog and the event
classes (`python -m rigd.projections.event_catalog --write`); the test suite regenerates it
and fails when the file differs, when an event class has no entry, or when an entry's
fields are not exactly the class's published fields, so code and schema cannot drift.

To add an event class: add its entry here (meaning of every published field, and what its
version changed), then regenerate the document."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rigd.projections.integration_events import (
    SECRET_WORDS,
    TYPE_PREFIX,
    event_classes,
    event_type,
    public_fields,
    withheld_fields,
)

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "events.md"

# What version 1 was, for the classes rigd 0.1 recorded (the envelope's audit attributes came
# from its untyped actor; the published `data` was the same).
_RIGD_0_1 = "rigd 0.1: the same data; the actor was recorded untyped and there was no causation id."
_V2 = "The actor is typed and every event has a causation id (envelope attributes; `data` unchanged)."
_HISTORY_0_1 = {1: _RIGD_0_1, 2: _V2}


@dataclass(frozen=True)
class Documented:
    """One event type's documentation: a summary, every published field's meaning, and
    what each version changed (at least the current one)."""

    summary: str
    fields: Mapping[str, str] = field(default_factory=dict)
    history: Mapping[int, str] = field(default_factory=lambda: dict(_HISTORY_0_1))


_ENVIRONMENT_ID = "The environment's id (a system name; never changes)."
_TEMPLATE = "Go-template text that names the environment's Kubernetes namespace for each project."

_V2_ONLY = {2: "The first published version: the audited base's typed actor and causation id."}
_SESSION_EXPIRY = "When the session's current refresh token expires (RFC 3339)."

CATALOG: dict[str, Documented] = {
    "installation.Created": Documented(
        "This rigd installation was set up (its first start).",
        {"installation_id": "A random id naming this installation.",
         "platform_version": "The Rig platform API version served, e.g. `v1.8.10`."}),
    "project.Created": Documented(
        "A project was created, with a new key pair.",
        {"project_id": "The project's id (a system name; never changes).",
         "name": "The project's display name.",
         "installation_id": "The installation the project belongs to.",
         "public_key": "The project's Ed25519 public key, PEM."}),
    "project.Renamed": Documented("A project's display name changed.", {"name": "The new display name."}),
    "project.Deleted": Documented("A project was deleted (its history is kept)."),
    "project.Recreated": Documented(
        "A deleted project was created again under the same id, with a new key pair.",
        {"name": "The display name it was created with.", "public_key": "Its new Ed25519 public key, PEM."}),
    "environment.Created": Documented(
        "An environment was created.",
        {"environment_id": _ENVIRONMENT_ID, "cluster_id": "The cluster it runs on.",
         "namespace_template": _TEMPLATE}),
    "environment.Recreated": Documented(
        "A deleted environment was created again under the same id.",
        {"cluster_id": "The cluster it runs on.", "namespace_template": _TEMPLATE}),
    "environment.Deleted": Documented(
        "An environment was deleted (its history is kept).",
        {"force": "Whether the deletion was forced."}),
    "environment.MadeDefault": Documented(
        "The environment became the default (recorded with `environment-default.Chosen`)."),
    "environment-default.Created": Documented("The index of the default environment was started (once)."),
    "environment-default.Chosen": Documented(
        "An environment became the default.", {"environment_id": "The new default environment."}),
    "environment-default.Cleared": Documented(
        "The default environment was deleted, leaving no default.",
        {"environment_id": "The environment that stopped being the default."}),
    "session.Created": Documented(
        "A user logged in: a session started (its id is the tokens' `jti`).",
        {"user_id": "The user the session belongs to.",
         "auth_method": "How the user logged in (e.g. `email_password`).",
         "expires_at": _SESSION_EXPIRY}, _V2_ONLY),
    "session.Renewed": Documented(
        "A session's tokens were refreshed: a new pair, the previous refresh token is spent.",
        {"generation": "The refresh generation now valid (a replayed older one ends the session).",
         "expires_at": _SESSION_EXPIRY}, _V2_ONLY),
    "session.Invalidated": Documented(
        "A session ended before its expiry: logout, a replayed refresh token, or its user went away.",
        {"user_id": "The user the session belonged to.", "reason": "Why it ended.",
         "expires_at": "Until when its tokens would otherwise have been accepted (RFC 3339)."}, _V2_ONLY),
    "login-throttle.Created": Documented(
        "The first failed login for an identifier (the identifier itself is never published).", {}, _V2_ONLY),
    "login-throttle.Failed": Documented(
        "A login with this identifier failed.", {"at": "When it failed (RFC 3339)."}, _V2_ONLY),
    "login-throttle.Locked": Documented(
        "Too many failed logins: logins with this identifier are refused for a while.",
        {"until": "When logins are accepted again (RFC 3339)."}, _V2_ONLY),
    "login-throttle.Succeeded": Documented(
        "A login with this identifier succeeded: the count starts over.", {}, _V2_ONLY),
    "verification-code.Created": Documented(
        "The first code of its purpose was issued to a user (the code itself is never published).",
        {"user_id": "The user the codes are for.", "purpose": "`verify_email` or `reset_password`."}, _V2_ONLY),
    "verification-code.Issued": Documented(
        "A verification or reset code was issued and mailed.",
        {"expires_at": "When the code stops being accepted (RFC 3339)."}, _V2_ONLY),
    "verification-code.Failed": Documented("A wrong code was entered.", {}, _V2_ONLY),
    "verification-code.Used": Documented("The code was entered correctly and is spent.", {}, _V2_ONLY),
}

ENVELOPE = (
    ("specversion", "`1.0`."),
    ("id", "`<aggregateid>/<aggregateversion>`: the same every time the event is sent, so consumers "
           "drop duplicates by it (delivery is at least once)."),
    ("source", "`//rigd/<installation id>`: the installation that recorded the event."),
    ("type", f"`{TYPE_PREFIX}.<context>.<EventName>.v<N>` (below); `N` grows when `data` changes shape."),
    ("time", "When the event was recorded (RFC 3339, UTC)."),
    ("datacontenttype", "`application/json`."),
    ("subject", "`project/<id>`, `environment/<id>`, `project/<id>/environment/<id>/capsule/<id>`: "
                "what the event is about, where that applies (absent otherwise)."),
    ("aggregateid", "The id of the aggregate (the stream) the event belongs to: the message key too."),
    ("aggregateversion", "The event's position in its aggregate's stream: 1, 2, 3, ... with no gaps."),
    ("notificationid", "The event's position in rigd's one log (grows over all aggregates)."),
    ("actor", "Who made the change: the identifier of the user, service account or `rigd` itself."),
    ("actorname", "The actor's printable name."),
    ("actoruserid", "The user's id, when a user made the change."),
    ("actorserviceaccountid", "The service account's id, when one made the change."),
    ("requestid", "The API request that caused the change (its `x-request-id`)."),
    ("causationid", "For changes rigd made in reaction to another event: that event's id."),
    ("data", "The event's fields (below); fields that hold secrets are never published."),
)


class Undocumented(Exception):
    """An event class and the catalog disagree."""


def check(catalog: Mapping[str, Documented] | None = None) -> None:
    """Raises Undocumented naming every event class without an entry, every entry with no
    class, and every field or version that the entry and the class disagree on."""
    catalog = CATALOG if catalog is None else catalog
    problems = []
    classes = {cls.TOPIC: cls for cls in event_classes()}
    for topic, cls in classes.items():
        entry = catalog.get(topic)
        if entry is None:
            problems.append(f"{topic}: no entry in projections/event_catalog.py CATALOG")
            continue
        published, documented = public_fields(cls), set(entry.fields)
        if missing := [name for name in published if name not in documented]:
            problems.append(f"{topic}: published fields without a meaning: {', '.join(missing)}")
        if extra := sorted(documented - set(published)):
            problems.append(f"{topic}: documented fields it does not publish: {', '.join(extra)}")
        if int(getattr(cls, "class_version", 1)) not in entry.history:
            problems.append(f"{topic}: no history entry for its version {cls.class_version}")
    problems += [f"{topic}: documented, but no event class has this topic" for topic in catalog if topic not in classes]
    if problems:
        raise Undocumented("; ".join(problems))


def document() -> str:
    """The schema document, in Markdown."""
    lines = [
        "# rigd's public events",
        "",
        "<!-- generated by `python -m rigd.projections.event_catalog --write`; the tests compare it with the code -->",
        "",
        "The relay publishes every recorded event to Kafka (topic `rigd.events` by default) as a",
        "[CloudEvents 1.0](https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md) JSON envelope",
        "(structured mode), keyed by the aggregate id, so the events of one aggregate arrive in order. Delivery is",
        "at least once: a consumer drops an event whose `id` it has seen (a relay that stops between publishing",
        "and storing its position sends its last batch again, with the same ids).",
        "",
        "## Envelope",
        "",
        "| attribute | meaning |",
        "| --- | --- |",
        *[f"| `{name}` | {meaning} |" for name, meaning in ENVELOPE],
        "",
        "## Secrets",
        "",
        "No secret is ever published. A field is left out of `data` when its event class withholds it",
        "(`PUBLIC_WITHHOLDS`) or when its name contains one of: " + ", ".join(f"`{w}`" for w in SECRET_WORDS) + ";",
        "keys with those words are also dropped from mappings nested inside `data`. Each type lists what it withholds.",
        "",
        "## Types",
        "",
    ]
    for cls in event_classes():
        lines += _type_section(cls, CATALOG.get(cls.TOPIC))
    return "\n".join(lines).rstrip() + "\n"


def _type_section(cls: Any, entry: Documented | None) -> list[str]:
    lines = [f"### `{event_type(cls)}`", "", entry.summary if entry else "(undocumented)", ""]
    fields = public_fields(cls)
    if fields:
        lines += ["| field | meaning |", "| --- | --- |"]
        lines += [f"| `{name}` | {entry.fields.get(name, '') if entry else ''} |" for name in fields]
    else:
        lines.append("`data` is an empty object.")
    withheld = withheld_fields(cls)
    if withheld:
        lines += ["", "Withheld (never published): " + ", ".join(f"`{name}`" for name in withheld) + "."]
    if entry:
        lines += ["", "Versions:", ""]
        lines += [f"- v{version}: {change}" for version, change in sorted(entry.history.items())]
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="generate docs/events.md from the event classes")
    parser.add_argument("--write", action="store_true", help="write the document (default: print it)")
    args = parser.parse_args(argv)
    check()
    text = document()
    if args.write:
        DOCUMENT.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
