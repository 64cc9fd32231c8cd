"""Read-model rows written in the save's own transaction (PostgreSQL; projections.save_batches):
a Deploy's rollout rows and the read model's position commit with its events, in log order
after any backlog, exactly once beside the follower, and a failure or a busy position row
leaves the events to the follower without failing the save.

The transaction a row was last written in is PostgreSQL's `xmin`: rows one transaction (or one
savepoint of it) wrote share it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError
from psycopg import RawCursor
from psycopg.rows import tuple_row

from rigd.adapters.event_store_recorders import RigdPostgresProcessRecorder
from rigd.domain.context import Bounds, CommandContext, acting
from rigd.domain.deploys import DeployRequest
from rigd.domain.environment_commands import EnvironmentSpec
from rigd.domain.projects import Project
from rigd.projections.pagination import Page
from rigd.projections.projector import Projector
from rigd.projections.read_model_check import check
from rigd.projections.rollouts import RolloutQueries, RolloutsReadModel
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY

pytestmark = pytest.mark.postgres

PROJECT, CAPSULE, ENVIRONMENT = "shop", "web", "prod"
ALL = Page(offset=0, limit=100, descending=False)
# What two forced Deploys show: the first rollout, still in progress, aborted by the second.
TWO_DEPLOYS = ([(1, "STATE_STOPPED", "RESULT_ABORTED"), (2, "STATE_PREPARING", "RESULT_UNSPECIFIED")],
               [(1, "new rollout initiated"), (1, "rollout aborted"), (2, "new rollout initiated")])


class Leading:
    def held(self) -> bool:
        return True

    def wait_held(self, timeout: float) -> bool:
        return True


@pytest.fixture
def pg_settings(postgres_url: str, tmp_path: Path) -> Settings:
    return replace(Settings(data_dir=tmp_path / "var", environments=(), read_timeout=10.0),
                   database_url=postgres_url, secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)


@pytest.fixture
def store_only(pg_settings: Settings) -> Iterator[Rigd]:
    """A rigd whose own followers never run (nor write in saves: it never leads)."""
    rigd = build(pg_settings)
    try:
        yield rigd
    finally:
        rigd.close()


def writing_rollouts_in_saves(rigd: Rigd) -> Projector:
    """A projector of the rollouts that leads and writes them in every save; no follower runs."""
    projector = Projector(rigd.store, rigd.read_database, [RolloutsReadModel()], rigd.wakeup, Leading(),
                          written_in_saves=[RolloutsReadModel.name])
    rigd.store.write_within_saves(projector.write_in_save, projector.writes_in_save)
    return projector


def prepare(rigd: Rigd) -> str:
    """A project, an environment and a capsule with an image; the image's id."""
    ctx = CommandContext()
    rigd.projects.create(ctx, PROJECT)
    rigd.environments.create(ctx, EnvironmentSpec(ENVIRONMENT))
    rigd.capsules.commands.create(ctx, PROJECT, CAPSULE)
    return rigd.images.commands.add(ctx, PROJECT, CAPSULE, "nginx:1.27", skip_image_check=True)[1]


def deploy(rigd: Rigd, image_id: str, replicas: int, ctx: CommandContext | None = None) -> tuple[int, int]:
    """Deploys; (rollout id, notification id of the save)."""
    deployed = rigd.capsules.deploys.deploy(ctx or CommandContext(), DeployRequest(
        PROJECT, CAPSULE, ENVIRONMENT, changes=[{"image_id": image_id}, {"replicas": replicas}], force=True))
    return deployed.rollout_id, deployed.notification_id


def query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as connection:
        return connection.execute(sql, params).fetchall()  # type: ignore[arg-type]


def rollouts_position(url: str) -> tuple[int, str]:
    """The live rollouts generation's position and the transaction that wrote it."""
    [(position, xmin)] = query(url, "SELECT position, xmin::text FROM read_model_generations"
                                    " WHERE name = 'rollouts' AND state = 'live'")
    return int(position), xmin


def written_by(url: str, rollout_id: int) -> str:
    """The transaction that last wrote the rollout's row in the live generation."""
    [(generation,)] = query(url, "SELECT generation FROM read_model_generations WHERE name = 'rollouts'"
                                 " AND state = 'live'")
    [(xmin,)] = query(url, f"SELECT xmin::text FROM rm_rollouts_g{generation} WHERE rollout_id = %s", (rollout_id,))
    return str(xmin)


def shown(rigd: Rigd) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """The rollouts (id, state, result) and their events (rollout id, message) the read model shows."""
    queries = RolloutQueries(rigd.read_database)
    rollouts, _ = queries.list_page(PROJECT, CAPSULE, ENVIRONMENT, ALL)
    events, _ = queries.events_page(PROJECT, CAPSULE, ENVIRONMENT, 0, ALL)
    return ([(r.rollout_id, r.state, r.result) for r in rollouts], [(e.rollout_id, e.message) for e in events])


def test_a_deploy_commits_its_rollout_rows_and_the_position_in_its_save(store_only: Rigd) -> None:
    rigd, url = store_only, store_only.settings.database_url
    image_id = prepare(rigd)
    rigd.projector.catch_up()
    projector = writing_rollouts_in_saves(rigd)
    for replicas in (1, 2):  # no follower runs: only the save can have written them
        _, notification_id = deploy(rigd, image_id, replicas)
        assert rollouts_position(url)[0] == notification_id
        assert projector.apply_now(RolloutsReadModel.name, notification_id)  # known applied: no wait, no query
    assert shown(rigd) == TWO_DEPLOYS


def test_a_save_finds_the_read_model_where_it_did_not_guess(store_only: Rigd) -> None:
    """A save sends its writes with the lock when it knows the generation it wrote last; a
    read model elsewhere (behind other events, or rebuilt into a new generation) has them
    rolled back and written again after the lock."""
    rigd, url = store_only, store_only.settings.database_url
    image_id = prepare(rigd)
    rigd.projector.catch_up()
    projector = writing_rollouts_in_saves(rigd)
    deploy(rigd, image_id, 1)
    rigd.projects.create(CommandContext(), "other")  # an event the rollouts do not handle
    _, notification_id = deploy(rigd, image_id, 2)
    assert rollouts_position(url)[0] == notification_id
    projector.rebuild(RolloutsReadModel.name)  # a new generation goes live
    _, notification_id = deploy(rigd, image_id, 3)
    assert rollouts_position(url)[0] == notification_id
    rollouts, events = shown(rigd)
    assert [rollout_id for rollout_id, _, _ in rollouts] == [1, 2, 3]
    assert [message for _, message in events].count("new rollout initiated") == 3


def test_a_save_of_no_concern_to_them_runs_as_without_them(
        store_only: Rigd, monkeypatch: pytest.MonkeyPatch) -> None:
    """No savepoint, no statement more: the raw save stays what it was."""
    rigd = store_only
    image_id = prepare(rigd)
    writing_rollouts_in_saves(rigd)
    written: list[list[int]] = []
    original = RigdPostgresProcessRecorder._write_within

    def spy(recorder: Any, connection: Any, pipeline: Any, writes: Any, notification_ids: list[int]) -> None:
        written.append(notification_ids)
        original(recorder, connection, pipeline, writes, notification_ids)

    monkeypatch.setattr(RigdPostgresProcessRecorder, "_write_within", spy)
    rigd.projects.create(CommandContext(), "other")
    assert written == []
    deploy(rigd, image_id, 1)
    assert len(written) == 1


def test_the_composition_has_deploys_write_the_rollouts_in_their_save(pg_settings: Settings) -> None:
    rigd = build(pg_settings)
    rigd.start(roles=("projector",))
    try:
        assert rigd.projector_leadership.wait_held(30)
        image_id = prepare(rigd)
        _, notification_id = deploy(rigd, image_id, 1)
        assert rigd.projector.apply_now(RolloutsReadModel.name, notification_id)
    finally:
        rigd.close()


def test_a_backlog_is_applied_first_in_log_order_and_no_event_twice(store_only: Rigd) -> None:
    rigd, url = store_only, store_only.settings.database_url
    image_id = prepare(rigd)
    rigd.projector.catch_up()
    deploy(rigd, image_id, 1)  # no save writes the rollouts yet: this one is left behind
    projector = writing_rollouts_in_saves(rigd)
    _, notification_id = deploy(rigd, image_id, 2)
    # One transaction (the save's savepoint) wrote both rollouts' rows and the position.
    assert written_by(url, 1) == written_by(url, 2) == rollouts_position(url)[1]
    assert rollouts_position(url)[0] == notification_id
    assert shown(rigd) == TWO_DEPLOYS
    projector.catch_up(RolloutsReadModel.name)  # a follower finds nothing left to apply
    assert shown(rigd) == TWO_DEPLOYS
    projector.rebuild(RolloutsReadModel.name)  # and history gives the same rows again
    assert shown(rigd) == TWO_DEPLOYS


def test_every_row_written_in_saves_equals_a_replay_of_the_log(store_only: Rigd) -> None:
    """The rollouts have two writers, a save and the follower; a replay of the log by the
    follower's path, compared column by column with what the saves wrote, shows they agree
    (on new, aborted, replaced, stopped rollouts and their events)."""
    rigd = store_only
    image_id = prepare(rigd)
    rigd.projector.catch_up()
    writing_rollouts_in_saves(rigd)
    ctx = CommandContext()
    for replicas in (1, 2, 3):
        deploy(rigd, image_id, replicas)
    rigd.capsules.deploys.abort(ctx, PROJECT, CAPSULE, 3)
    deploy(rigd, image_id, 4)
    rigd.capsules.deploys.stop(ctx, PROJECT, CAPSULE, 4)
    comparison = check(rigd.store, rigd.read_database, RolloutsReadModel(), rigd.wakeup, Leading())
    assert comparison.position == rigd.store.max_notification_id()
    assert comparison.equal, comparison.differences


def test_a_failed_write_in_a_save_leaves_its_events_to_the_follower(
        store_only: Rigd, monkeypatch: pytest.MonkeyPatch) -> None:
    rigd, url = store_only, store_only.settings.database_url
    image_id = prepare(rigd)
    projector = writing_rollouts_in_saves(rigd)
    rigd.projector.catch_up()
    before = rollouts_position(url)

    attempts = []

    def failing(model: Any, transaction: Any, recorded: Any, mapper: Any, generation: int) -> tuple[int, int]:
        attempts.append(recorded[-1][1])
        transaction.cursor.execute("INSERT INTO no_such_table VALUES ($1)", (1,))  # fails when sent
        return 1, int(recorded[-1][1])

    monkeypatch.setattr("rigd.projections.projector.apply_in_save", failing)
    _, notification_id = deploy(rigd, image_id, 1)
    assert attempts == [notification_id]
    assert query(url, "SELECT count(*) FROM rigd_events WHERE notification_id = %s", (notification_id,)) == [(1,)]
    assert rollouts_position(url) == before
    assert not projector.apply_now(RolloutsReadModel.name, notification_id)  # not known as applied
    projector.catch_up(RolloutsReadModel.name)
    assert shown(rigd) == ([(1, "STATE_PREPARING", "RESULT_UNSPECIFIED")], [(1, "new rollout initiated")])


def believed_but_missing(connection: psycopg.Connection[Any]) -> set[bytes]:
    """The statements psycopg believes prepared on the connection that the server lacks."""
    believed = set(connection._prepared._names.values())  # (psycopg has no public view of its cache)
    rows = RawCursor(connection, row_factory=tuple_row).execute("SELECT name FROM pg_prepared_statements")
    return believed - {str(name).encode() for (name,) in rows.fetchall()}


def test_a_connection_whose_save_failed_part_way_is_used_again_without_surprises(
        store_only: Rigd, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed statement makes the server skip what follows it in the pipeline, statements
    it would have prepared included: neither a failed derived write nor a lost race (a
    version conflict), once or again, leaves a connection that believes in a prepared
    statement the server lacks."""
    rigd = store_only
    image_id = prepare(rigd)
    writing_rollouts_in_saves(rigd)
    reused = "SELECT $1::bigint + 41"

    def failing(model: Any, transaction: Any, recorded: Any, mapper: Any, generation: int) -> tuple[int, int]:
        transaction.cursor.execute("INSERT INTO no_such_table VALUES ($1)", (1,))  # fails when sent
        transaction.cursor.execute(reused, (1,), prepare=True)  # skipped by the server
        return 1, int(recorded[-1][1])

    pool = rigd.store.recorder.datastore.pool
    with ExitStack() as held:
        for _ in range(pool.get_stats()["pool_available"] - 1):  # every save and load below: on one connection
            held.enter_context(pool.connection())
        for replicas in range(1, 4):
            with monkeypatch.context() as patched:
                patched.setattr("rigd.projections.projector.apply_in_save", failing)
                deploy(rigd, image_id, replicas)
            with pool.connection() as connection:
                assert RawCursor(connection, row_factory=tuple_row).execute(reused, (1,), prepare=True).fetchone() \
                    == (42,)
            with acting(CommandContext()):  # a save that loses a race: the same new project, twice
                rigd.store.record(Project(f"twice-{replicas}", "", "", "", ""))
                with pytest.raises(IntegrityError):
                    rigd.store.record(Project(f"twice-{replicas}", "", "", "", ""))
            assert rigd.store.repository.get(Project.create_id(f"twice-{replicas}")).project_id == f"twice-{replicas}"
            deploy(rigd, image_id, replicas + 10)
            with pool.connection() as connection:
                assert believed_but_missing(connection) == set()
    rigd.projector.catch_up()
    assert [rollout_id for rollout_id, _, _ in shown(rigd)[0]] == [1, 2, 3, 4, 5, 6]


def test_a_save_does_not_wait_for_a_position_row_another_batch_holds(store_only: Rigd) -> None:
    rigd, url = store_only, store_only.settings.database_url
    image_id = prepare(rigd)
    projector = writing_rollouts_in_saves(rigd)
    rigd.projector.catch_up()
    before = rollouts_position(url)
    with psycopg.connect(url) as batch:  # a follower's batch, holding the position row
        batch.execute("SELECT position FROM read_model_generations WHERE name = 'rollouts' AND state = 'live'"
                      " FOR UPDATE")
        # Bounded: a save that waited for the row would fail at its deadline instead of hanging.
        _, notification_id = deploy(rigd, image_id, 1, CommandContext(bounds=Bounds(time.monotonic() + 20)))
        batch.rollback()
    assert notification_id > before[0]
    assert rollouts_position(url) == before
    projector.catch_up(RolloutsReadModel.name)
    assert shown(rigd) == ([(1, "STATE_PREPARING", "RESULT_UNSPECIFIED")], [(1, "new rollout initiated")])
