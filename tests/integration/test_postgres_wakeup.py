"""Followers in one process learn of events recorded by another through LISTEN/NOTIFY."""

from __future__ import annotations

import queue
import threading
from dataclasses import replace
from typing import cast

import pytest
from eventsourcing.postgres import PostgresApplicationRecorder

from rigd.adapters.event_store_settings import postgres_conninfo
from rigd.adapters.postgres_wakeup import PostgresWakeup
from rigd.domain.context import CommandContext
from rigd.services.composition import build
from rigd.services.config import Settings
from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY


@pytest.mark.postgres
def test_a_save_in_another_process_wakes_the_listener(postgres_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = replace(Settings(data_dir=tmp_path, environments=()), database_url=postgres_url,
                       secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)
    writer = build(settings)  # its followers are never started: only NOTIFY can tell the listener
    woken = threading.Event()
    listener = PostgresWakeup(
        postgres_conninfo(postgres_url),
        {cast(PostgresApplicationRecorder, writer.store.recorder).channel_name: lambda _: woken.set()},
    )
    listener.start()
    try:
        assert woken.wait(10)  # the listener signals once when it starts listening
        woken.clear()
        writer.projects.create(CommandContext(), "noticed")
        assert woken.wait(10)
    finally:
        listener.stop()
        writer.close()


@pytest.mark.postgres
def test_the_notification_carries_the_saves_last_notification_id(postgres_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """So that a process can tell its own save announced back from another's (Wakeup.signal_committed)."""
    settings = replace(Settings(data_dir=tmp_path, environments=()), database_url=postgres_url,
                       secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)
    writer = build(settings)
    payloads: queue.Queue[str] = queue.Queue()
    listener = PostgresWakeup(
        postgres_conninfo(postgres_url),
        {cast(PostgresApplicationRecorder, writer.store.recorder).channel_name: payloads.put},
    )
    listener.start()
    try:
        assert payloads.get(timeout=10) == ""  # (listening: anything may have happened before)
        writer.projects.create(CommandContext(), "announced")
        assert payloads.get(timeout=10) == str(writer.store.max_notification_id())
    finally:
        listener.stop()
        writer.close()
