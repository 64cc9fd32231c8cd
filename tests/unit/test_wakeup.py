"""Wakeup: signals of this process's saves and of commits the database announces."""

from __future__ import annotations

from rigd.projections.wakeup import Wakeup


def test_a_commit_announced_back_after_this_process_signalled_it_wakes_nobody() -> None:
    wakeup = Wakeup()
    wakeup.signal(7)
    seen = wakeup.generation()
    wakeup.signal_committed(7)
    wakeup.signal_committed(3)
    assert wakeup.generation() == seen


def test_a_newer_or_unknown_commit_wakes_the_followers() -> None:
    wakeup = Wakeup()
    wakeup.signal(7)
    seen = wakeup.generation()
    wakeup.signal_committed(9)
    assert wakeup.generation() == seen + 1 and wakeup.recorded() == 9
    wakeup.signal_committed(0)  # (a notification without an id: a reconnect, an older rigd)
    assert wakeup.generation() == seen + 2 and wakeup.recorded() == 9
