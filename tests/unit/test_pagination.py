import pytest

from rigd.domain.errors import InvalidArgument
from rigd.projections.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page


def test_defaults_and_limits() -> None:
    assert Page.of(0, 0, False) == Page(0, DEFAULT_LIMIT, False)
    assert Page.of(3, 7, True) == Page(3, 7, True)
    assert Page.of(0, MAX_LIMIT, False).limit == MAX_LIMIT
    assert Page.of(0, MAX_LIMIT + 1, False).limit == DEFAULT_LIMIT


@pytest.mark.parametrize(("offset", "limit"), [(2**32 - 1, 10), (0, 2**31), (-1, 10)])
def test_negative_values_are_refused(offset: int, limit: int) -> None:
    with pytest.raises(InvalidArgument, match="must not be negative"):
        Page.of(offset, limit, False)


def test_slice_of_a_list() -> None:
    items = list(range(10))
    assert Page.of(2, 3, False).slice(items) == [2, 3, 4]
    assert Page.of(0, 2, True).slice(items) == [9, 8]
