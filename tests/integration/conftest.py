"""Fixtures the live capsule tests share (each module configures the clusters it needs
through its own `settings` fixture)."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest

from rigd.services.composition import Rigd
from tests.live_capsules import one_ready_instance, shop_project


@pytest.fixture
def shop(rigd: Rigd) -> Iterator[grpc.Channel]:
    """Project `shop` with its environments and capsule `web` (tests.live_capsules.shop_project)."""
    with shop_project(rigd) as channel:
        yield channel


@pytest.fixture
def instance(rigd: Rigd, shop: grpc.Channel) -> str:
    """One ready instance of `web` in `prod`, started through the local driver."""
    return one_ready_instance(rigd, shop)
