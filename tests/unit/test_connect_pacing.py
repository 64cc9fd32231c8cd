"""Where the Connect port runs a unary call: on its event loop only while the RPC's typical
run is quick, and never for a while after a run stalled the loop (a fake clock: each run
says how long it took)."""

from __future__ import annotations

import pytest

from rigd.services.connect_pacing import LONGEST_HOLD_SECONDS, QUICK_SECONDS, Pacing

GET = "/api.v1.project.Service/Get"
CREATE = "/api.v1.project.Service/Create"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run(pacing: Pacing, clock: Clock, path: str, seconds: float, times: int = 1) -> None:
    for _ in range(times):
        def lasting() -> str:
            clock.now += seconds
            return "answer"

        assert pacing.timed(path, pacing.on_loop(path), lasting) == "answer"


def test_an_rpc_moves_to_the_loop_once_most_of_its_runs_are_quick() -> None:
    clock = Clock()
    pacing = Pacing(clock)
    assert not pacing.on_loop(GET)  # unknown: a worker's
    run(pacing, clock, GET, QUICK_SECONDS / 2, times=10)
    assert not pacing.on_loop(GET)
    run(pacing, clock, GET, QUICK_SECONDS / 2, times=2)
    assert pacing.on_loop(GET)
    assert not pacing.on_loop(CREATE)  # each RPC by its own runs


def test_an_rpc_stays_on_the_loop_through_an_occasional_slow_run_and_leaves_when_it_turns_slow() -> None:
    clock = Clock()
    pacing = Pacing(clock)
    run(pacing, clock, GET, QUICK_SECONDS / 2, times=100)
    run(pacing, clock, GET, 3 * QUICK_SECONDS)
    run(pacing, clock, GET, QUICK_SECONDS / 2, times=3)
    assert pacing.on_loop(GET)
    run(pacing, clock, GET, 3 * QUICK_SECONDS, times=3)
    assert not pacing.on_loop(GET)


def test_a_stall_on_the_loop_keeps_every_rpc_off_it_for_a_while() -> None:
    clock = Clock()
    pacing = Pacing(clock)
    run(pacing, clock, GET, QUICK_SECONDS / 2, times=100)
    run(pacing, clock, CREATE, QUICK_SECONDS / 2, times=100)
    run(pacing, clock, CREATE, 2.0)  # on the loop, as it was quick until now
    assert not pacing.on_loop(GET)
    assert not pacing.on_loop(CREATE)
    clock.now += LONGEST_HOLD_SECONDS
    assert pacing.on_loop(GET)
    assert not pacing.on_loop(CREATE)  # its share of quick runs starts again


def test_a_failed_run_is_recorded_too() -> None:
    clock = Clock()
    pacing = Pacing(clock)
    run(pacing, clock, GET, QUICK_SECONDS / 2, times=100)

    def stalled_then_failed() -> None:
        clock.now += 1.0
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        pacing.timed(GET, True, stalled_then_failed)
    assert not pacing.on_loop(GET)
