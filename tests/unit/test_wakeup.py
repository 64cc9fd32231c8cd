"""Wakeup: signals of this process's saves and of commits the database announces."""

from __future__ import annotations

from rigd.projections.wakeup import REMEMBERED, Wakeup


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


def test_the_topics_of_this_process_s_saves_are_known_without_the_log() -> None:
    wakeup = Wakeup()
    wakeup.signal(3, [(2, "a"), (3, "b")])
    wakeup.signal(4, [(4, "a")])
    assert wakeup.topics_between(1, 4) == {"a", "b"}
    assert wakeup.topics_between(3, 4) == {"a"}
    assert wakeup.topics_between(4, 4) == set()
    assert wakeup.topics_between(0, 4) is None  # id 1: another process's, or a rolled-back insert's
    wakeup.signal(6, [(6, "c")])
    assert wakeup.topics_between(4, 6) is None  # (5 was never told)


def test_only_the_newest_topics_are_remembered() -> None:
    wakeup = Wakeup()
    for notification_id in range(1, REMEMBERED + 11):
        wakeup.signal(notification_id, [(notification_id, "t")])
    assert wakeup.topics_between(10, REMEMBERED + 10) == {"t"}
    assert wakeup.topics_between(5, 12) is None
    assert wakeup.topics_between(0, REMEMBERED + 10) is None  # (more than it remembers)


def test_the_log_end_is_known_while_every_signal_named_its_commit() -> None:
    wakeup = Wakeup()
    wakeup.signal(5, [(5, "a")])
    since = wakeup.generation()
    wakeup.signal(7, [(6, "a"), (7, "a")])
    wakeup.signal_committed(9)  # another process's save, announced with its id
    assert wakeup.log_known(since) == 9
    wakeup.signal()  # a signal that names nothing (a file watcher, a follower stopping)
    assert wakeup.log_known(since) == 0
    assert wakeup.log_known(wakeup.generation()) == 9
