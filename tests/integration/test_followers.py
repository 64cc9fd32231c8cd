"""The follower with each kind of position store: no event lost, none handled twice.

The reactions here are written for the tests (a test-only aggregate recorded per
Project.Created; a sink that refuses its first delivery); the stores are real."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import event
from eventsourcing.utils import get_topic

from rigd.domain.context import Actor, CommandContext, acting, event_id
from rigd.domain.events import AuditedAggregate, AuditedCreated
from rigd.domain.projects import Project
from rigd.projections.follower import Follower, Notified, PositionStore, Reaction, SharedLogEnd
from rigd.projections.positions import AcknowledgedPositions, TrackedPositions
from rigd.projections.session_view import AlwaysLeading, MemoryPositions
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings

PROJECTS = 30


class Acknowledgement(AuditedAggregate):
    """Test-only: one per project created, with a random id, so that nothing but the
    follower's position store could keep a second one out."""

    TOPIC = "test-acknowledgement"

    class Created(AuditedCreated):
        TOPIC = "test-acknowledgement.Created"
        project_id: str

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event(Created)
    def __init__(self, project_id: str) -> None:
        self.project_id = project_id


PROCESS = Actor("test-process", "a test process")


class Crash(Exception):
    pass


class AcknowledgeProjects:
    """Records an Acknowledgement per Project.Created; can crash once, on a chosen batch,
    after deciding its reactions and before they are committed."""

    def __init__(self, crash_on_batch: int = 0) -> None:
        self._crash_on_batch = crash_on_batch
        self._batches = 0

    def topics(self) -> list[str]:
        return [get_topic(Project.Created)]

    def handle(self, notified: Sequence[Notified], effects: ProcessingEvent[UUID]) -> None:
        for item in notified:
            assert isinstance(item.event, Project.Created)
            with acting(CommandContext.reacting_to(item.event, PROCESS)):
                effects.collect_events(Acknowledgement(item.event.project_id))
        self._batches += 1
        if self._batches == self._crash_on_batch:
            raise Crash("the process died before its reactions were committed")


class Refused(Exception):
    pass


class FlakySink:
    """A broker that refuses the first delivery, then acknowledges each batch."""

    def __init__(self) -> None:
        self.delivered: list[int] = []
        self._attempts = 0

    def topics(self) -> list[str]:
        return []  # every event

    def handle(self, notified: Sequence[Notified], effects: None) -> None:
        self._attempts += 1
        if self._attempts == 1:
            raise Refused("broker unavailable")
        self.delivered.extend(item.notification_id for item in notified)


class Leading:
    def held(self) -> bool:
        return True

    def wait_held(self, timeout: float) -> bool:
        return True


@pytest.fixture
def store_only(settings: Settings) -> Iterator[Rigd]:
    """A rigd whose own followers never run: only the tests' followers follow."""
    rigd = build(settings)
    try:
        yield rigd
    finally:
        rigd.close()


def follower(rigd: Rigd, positions: PositionStore[object], reaction: Reaction[object],
             batch_size: int = 10) -> Follower[object]:
    return Follower("test-follower", rigd.store, positions, reaction, rigd.wakeup, Leading(), batch_size=batch_size)


def create_projects(rigd: Rigd, first: int, count: int) -> set[str]:
    ids = {f"project-{number:03d}" for number in range(first, first + count)}
    for project_id in sorted(ids):
        rigd.projects.create(CommandContext(), project_id)
    return ids


def acknowledged(rigd: Rigd) -> Counter[str]:
    notifications = rigd.store.recorder.select_notifications(
        start=1, limit=100_000, topics=[get_topic(Acknowledgement.Created)])
    return Counter(rigd.store.mapper.to_domain_event(n).project_id for n in notifications)  # type: ignore[attr-defined]


def test_tracked_reactions_survive_a_crash_exactly_once(store_only: Rigd) -> None:
    rigd = store_only
    ids = create_projects(rigd, 0, PROJECTS)
    crashing = follower(rigd, TrackedPositions(rigd.store, "acknowledger"), AcknowledgeProjects(crash_on_batch=2))
    with pytest.raises(Crash):
        crashing.catch_up()
    assert sum(acknowledged(rigd).values()) == 10  # the first batch committed, the second did not

    restarted = follower(rigd, TrackedPositions(rigd.store, "acknowledger"), AcknowledgeProjects())
    restarted.catch_up()
    assert acknowledged(rigd) == Counter(ids)
    assert restarted.position() == rigd.store.max_notification_id()

    more = create_projects(rigd, PROJECTS, 5)
    restarted.catch_up()
    follower(rigd, TrackedPositions(rigd.store, "acknowledger"), AcknowledgeProjects()).catch_up()
    assert acknowledged(rigd) == Counter(ids | more)


def test_concurrent_tracked_followers_record_each_reaction_once(store_only: Rigd) -> None:
    rigd = store_only
    ids = create_projects(rigd, 0, PROJECTS)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def run(batch_size: int) -> None:
        # Different batch sizes end batches at different positions: only a position that
        # moves from exactly where a batch started keeps the overlap out.
        each = follower(rigd, TrackedPositions(rigd.store, "acknowledger"), AcknowledgeProjects(), batch_size)
        barrier.wait()
        try:
            each.catch_up()
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(size,)) for size in (3, 5, 7, 11)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert acknowledged(rigd) == Counter(ids)


def test_acknowledged_positions_deliver_everything_once_after_a_refusal(store_only: Rigd) -> None:
    rigd = store_only
    create_projects(rigd, 0, PROJECTS)
    everything = [n.id for n in rigd.store.recorder.select_notifications(start=1, limit=100_000)]
    sink = FlakySink()
    relay = follower(rigd, AcknowledgedPositions(rigd.store, "relay"), sink)
    with pytest.raises(Refused):
        relay.catch_up()
    assert relay.position() == 0
    relay.catch_up()  # the retry
    assert sink.delivered == everything

    restarted = follower(rigd, AcknowledgedPositions(rigd.store, "relay"), sink)
    restarted.catch_up()
    assert sink.delivered == everything  # nothing acknowledged is sent again
    create_projects(rigd, PROJECTS, 3)
    restarted.catch_up()
    assert sink.delivered == [n.id for n in rigd.store.recorder.select_notifications(start=1, limit=100_000)]


def test_a_reaction_records_its_cause(store_only: Rigd) -> None:
    rigd = store_only
    written, _ = rigd.projects.create(CommandContext(request_id="req-cause"), "caused")
    follower(rigd, TrackedPositions(rigd.store, "acknowledger"), AcknowledgeProjects()).catch_up()
    notifications = rigd.store.recorder.select_notifications(start=1, limit=1000)
    created = next(rigd.store.mapper.to_domain_event(n) for n in notifications if n.id == written)
    reaction = next(rigd.store.mapper.to_domain_event(n) for n in notifications
                    if n.topic == Acknowledgement.Created.TOPIC)
    assert reaction.actor == PROCESS
    assert reaction.request_id == "req-cause"  # the request that caused it all carries on
    assert reaction.causation_id == event_id(created) == f"{created.originator_id}/1"


class DownForAWhile:
    """A sink that refuses its first `outage` deliveries (a broker or database away), then
    acknowledges."""

    def __init__(self, outage: int) -> None:
        self._outage = outage
        self.attempts = 0
        self.delivered: list[int] = []

    def topics(self) -> list[str]:
        return []

    def handle(self, notified: Sequence[Notified], effects: None) -> None:
        self.attempts += 1
        if self.attempts <= self._outage:
            raise Refused("the other side is away")
        self.delivered.extend(item.notification_id for item in notified)


def test_an_outage_is_one_warning_and_its_end_one_info_line(
        store_only: Rigd, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rigd.projections.follower.RETRY_WAIT", 0.01)
    rigd = store_only
    create_projects(rigd, 0, 3)
    sink = DownForAWhile(outage=5)
    following = follower(rigd, AcknowledgedPositions(rigd.store, "test-relay"), sink)
    caplog.set_level("DEBUG", logger="rigd.projections.follower")
    following.start()
    try:
        deadline = threading.Event()
        for _ in range(500):
            if sink.delivered:
                break
            deadline.wait(0.02)
    finally:
        following.stop()
    assert sink.delivered and sink.attempts >= 6
    records = [r for r in caplog.records if r.name == "rigd.projections.follower"]
    assert [r.levelname for r in records if r.levelname != "DEBUG"] == ["WARNING", "INFO"]
    assert "following again after 5 failed batches" in records[-1].getMessage()


class DeletedProjects:
    def __init__(self) -> None:
        self.deleted: list[str] = []

    def topics(self) -> list[str]:
        return [get_topic(Project.Deleted)]

    def handle(self, notified: Sequence[Notified], effects: object) -> None:
        self.deleted += [str(n.event.originator_id) for n in notified]


def test_a_free_position_moves_past_saves_of_no_concern_without_reading_the_log(
        store_only: Rigd, monkeypatch: pytest.MonkeyPatch) -> None:
    """A position kept in memory (the session view's) moves past saves none of whose events
    the reaction handles from the followers' shared look at the newest events alone."""
    rigd, reaction = store_only, DeletedProjects()
    follower = Follower("free", rigd.store, MemoryPositions(), reaction, rigd.wakeup, AlwaysLeading(),
                        log_end=SharedLogEnd(rigd.store, rigd.wakeup), free_positions=True)
    follower.catch_up()
    reads: list[Sequence[str]] = []
    select = rigd.store.recorder.select_notifications

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("topics", ()))
        return select(*args, **kwargs)

    monkeypatch.setattr(rigd.store.recorder, "select_notifications", counted)
    ctx = CommandContext()
    for number in range(3):
        rigd.projects.create(ctx, f"kept-{number}")
        rigd.wakeup.signal()
        assert follower.step()
        assert follower.position() == rigd.store.max_notification_id()
    assert reaction.topics() not in reads  # moved by the shared look (no topic filter) only
    rigd.projects.delete(ctx, "kept-1")
    rigd.wakeup.signal()
    assert follower.step()
    assert reaction.deleted == [str(Project.create_id("kept-1"))]
    assert follower.position() == rigd.store.max_notification_id()


def test_followers_woken_by_this_process_s_saves_ask_the_database_nothing(
        store_only: Rigd, monkeypatch: pytest.MonkeyPatch) -> None:
    """The saves of this process tell the followers where the log ends and what the new events
    are: moving past them costs no query. A signal that names nothing still asks where the log ends."""
    rigd, reaction = store_only, DeletedProjects()
    log_end = SharedLogEnd(rigd.store, rigd.wakeup, max_age=600)
    follower = Follower("free", rigd.store, MemoryPositions(), reaction, rigd.wakeup, AlwaysLeading(),
                        log_end=log_end, free_positions=True)
    follower.catch_up()
    assert log_end() == rigd.store.max_notification_id()
    queries: list[str] = []
    for owner, name in [(rigd.store, "max_notification_id"), (rigd.store.recorder, "select_notifications")]:
        original = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *a, _o=original, _n=name, **k: (queries.append(_n), _o(*a, **k))[1])
    ctx = CommandContext()
    for number in range(3):
        rigd.projects.create(ctx, f"kept-{number}")
        assert follower.step()
        assert follower.position() == rigd.wakeup.recorded()
    assert queries == []
    assert follower.position() == rigd.store.max_notification_id()
    queries.clear()
    rigd.projects.delete(ctx, "kept-1")
    rigd.wakeup.signal()  # (names no commit: only the database knows where the log ends now)
    assert follower.step()
    assert reaction.deleted == [str(Project.create_id("kept-1"))]
    assert queries[0] == "max_notification_id"


class CountedPositions(MemoryPositions):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def position(self) -> int:
        self.reads += 1
        return super().position()


def test_a_deferring_follower_whose_deferred_batch_another_passed_rests(store_only: Rigd) -> None:
    """A follower leaving saves of no concern for later, whose position another batch then
    moved past them (a reader's apply_now), waits for the next signal instead of asking
    again and again where its position is."""
    rigd, reaction, positions = store_only, DeletedProjects(), CountedPositions()
    deferring = Follower("deferring", rigd.store, positions, reaction, rigd.wakeup, AlwaysLeading(),
                         defer_unrelated=0.1, log_end=SharedLogEnd(rigd.store, rigd.wakeup))
    deferring.catch_up()
    rigd.projects.create(CommandContext(), "of-no-concern")
    assert not deferring.step(deferring=True)  # deferred
    Follower("passing", rigd.store, positions, reaction, rigd.wakeup, AlwaysLeading()).catch_up()
    time.sleep(0.2)  # past the deferral: the batch is due, yet there is none left
    deferring.start()
    try:
        time.sleep(0.1)
        reads = positions.reads
        time.sleep(0.5)
        assert positions.reads - reads <= 2
    finally:
        deferring.stop()
