"""`rigd audit` answers who changed what, when and in which request, and reconstructs an
aggregate as of a time; every read model rebuilt from zero equals the live one."""

from __future__ import annotations

import argparse
import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime

import pytest

from rigd.domain.context import Actor, CommandContext
from rigd.domain.identity import stable_id
from rigd.services.cli import main
from rigd.services.composition import Rigd
from rigd.services.history_commands import audit, check_read_models, rebuild_all
from tests.integration.test_relay import scripted_history

ADA = Actor("ada@example.com", "Ada", user_id="u-ada")
BOB = Actor("bob@example.com", "Bob", user_id="u-bob")


def audited(rigd: Rigd, **options: object) -> tuple[int, str]:
    defaults: dict[str, object] = {name: None for name in (
        "aggregate", "actor", "project", "environment", "capsule", "event_type", "since", "until", "as_of")}
    defaults["json"] = False
    out = io.StringIO()
    status = audit(rigd, argparse.Namespace(**{**defaults, **options}), out)
    return status, out.getvalue()


def test_who_changed_this_project_when_and_in_which_request(rigd: Rigd) -> None:
    rigd.projects.create(CommandContext(actor=ADA, request_id="req-create"), "shop", ["Shop"])
    rigd.projects.create(CommandContext(actor=ADA, request_id="req-other"), "other", ["Other"])
    rigd.projects.rename(CommandContext(actor=BOB, request_id="req-rename"), "shop", ["Shop 2"])
    rigd.projects.rename(CommandContext(actor=ADA, request_id="req-rename-2"), "shop", ["Shop 3"])

    status, lines = audited(rigd, project="shop", json=True)
    changes = [json.loads(line) for line in lines.splitlines()]
    assert status == 0
    assert [(c["type"], c["actor"], c["requestid"]) for c in changes] == [
        ("dev.rig.project.Created.v2", "ada@example.com", "req-create"),
        ("dev.rig.project.Renamed.v2", "bob@example.com", "req-rename"),
        ("dev.rig.project.Renamed.v2", "ada@example.com", "req-rename-2"),
    ]
    assert all("sealed_private_key" not in c["data"] for c in changes)

    _, by_bob = audited(rigd, actor="bob@example.com", json=True)
    assert [json.loads(line)["requestid"] for line in by_bob.splitlines()] == ["req-rename"]
    _, renames = audited(rigd, event_type="project.Renamed", aggregate="project/shop", json=True)
    assert len(renames.splitlines()) == 2
    second = datetime.fromisoformat(changes[1]["time"])
    _, window = audited(rigd, project="shop", since=second, until=second, json=True)
    assert [json.loads(line)["requestid"] for line in window.splitlines()] == ["req-rename"]
    _, table = audited(rigd, project="shop")
    assert "bob@example.com" in table and "req-rename" in table and table.splitlines()[0].startswith("time")


def test_as_of_reconstructs_the_project_at_each_moment(rigd: Rigd) -> None:
    scripted_history(rigd)
    shop = stable_id("project", "shop-0")
    moments = [(e.timestamp, e) for e in rigd.store.events.get(shop)]
    assert len(moments) == 2  # created, renamed (two names in one update record one event)
    status, created = audited(rigd, aggregate="project/shop-0", as_of=moments[0][0])
    assert status == 0
    state = json.loads(created)
    assert state["version"] == 1 and state["state"]["name"] == "Shop 0"
    assert "sealed_private_key" not in state["state"]
    _, renamed = audited(rigd, aggregate=str(shop), as_of=moments[1][0])
    assert json.loads(renamed)["state"]["name"] == "Shop nought"
    before = datetime.fromtimestamp(0).astimezone()
    assert audited(rigd, aggregate="project/shop-0", as_of=before)[0] == 1


def test_rebuilding_every_read_model_gives_tables_equal_to_the_live_ones(rigd: Rigd) -> None:
    scripted_history(rigd)
    rigd.projector.catch_up()
    out = io.StringIO()
    assert check_read_models(rigd, out) == 0, out.getvalue()
    assert out.getvalue().count("equal to a fresh replay") == len(rigd.projector.names)
    assert rebuild_all(rigd) == 0
    scripted_history(rigd, "later-")  # the rebuilt generations carry on
    rigd.projector.catch_up()
    assert check_read_models(rigd, io.StringIO()) == 0


def test_check_read_models_reports_a_difference(rigd: Rigd) -> None:
    scripted_history(rigd)
    rigd.projector.catch_up()
    model = rigd.projector.read_model("projects")
    with rigd.read_database.transaction() as cursor:
        live = model.live(cursor)
        cursor.execute(f"DELETE FROM {live.table(live.tables[0])}")
    out = io.StringIO()
    assert check_read_models(rigd, out) == 1
    assert "read model 'projects': differs" in out.getvalue() and "only in the rebuilt table" in out.getvalue()


@pytest.fixture
def root_logging() -> Iterator[None]:
    """`main` points the root logger at this test's captured stderr: put it back afterwards,
    or threads of later tests log to a closed stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def test_the_commands_from_the_command_line(rigd: Rigd, capsys, root_logging) -> None:  # type: ignore[no-untyped-def]
    rigd.projects.create(CommandContext(actor=ADA, request_id="req-cli"), "shop", ["Shop"])
    rigd.projector.catch_up()
    data_dir = str(rigd.settings.data_dir)
    config = rigd.settings.data_dir.parent / "audit.yaml"
    config.write_text(f"data_dir: {data_dir}\nenvironments: {{}}\n"
                      + (f"database_url: {rigd.settings.database_url}\nsecret_key: {rigd.settings.secret_key}\n"
                         f"auth_secret: {rigd.settings.auth_secret}\n"
                         if rigd.settings.uses_postgres else ""))
    assert main(["--config", str(config), "audit", "--project", "shop", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["requestid"] == "req-cli"
    assert main(["--config", str(config), "check-read-models"]) == 0
    assert main(["--config", str(config), "rebuild-read-model", "--all"]) == 0
    assert main(["--config", str(config), "audit", "--aggregate", "nonsense"]) == 2
