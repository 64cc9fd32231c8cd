import pytest

from rigd.services.calls import CallFailed, Status
from rigd.services.stream_slots import StreamSlots


def test_a_stream_past_the_limit_is_refused_and_a_slot_is_freed_however_its_stream_ends() -> None:
    seen: list[int] = []
    slots = StreamSlots(2, seen.append)
    with slots.slot():
        with pytest.raises(RuntimeError), slots.slot():
            raise RuntimeError("the stream failed")
        with slots.slot():
            with pytest.raises(CallFailed) as refused, slots.slot():
                pass
            assert refused.value.status == Status.RESOURCE_EXHAUSTED
            assert "(2, the server's limit)" in refused.value.message
            assert slots.open == 2
    assert slots.open == 0
    assert seen == [1, 2, 1, 2, 1, 0]


def test_a_limit_is_at_least_one() -> None:
    with pytest.raises(ValueError):
        StreamSlots(0)
