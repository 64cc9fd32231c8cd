import pytest

from rigd.domain.errors import InvalidArgument
from rigd.domain.naming import quoted, validate_display_name, validate_system_name


@pytest.mark.parametrize("name", ["abc", "my-app-2", "a" * 63])
def test_valid_system_names(name: str) -> None:
    assert validate_system_name(name, "name") == name


@pytest.mark.parametrize("name", ["", "ab", "a" * 64, "1abc", "abc-", "ab_c", "ABC", "a.bc"])
def test_invalid_system_names(name: str) -> None:
    with pytest.raises(InvalidArgument):
        validate_system_name(name, "name")


@pytest.mark.parametrize("name", ["", "   ", "x" * 257, "tab\there"])
def test_invalid_display_names(name: str) -> None:
    with pytest.raises(InvalidArgument):
        validate_display_name(name, "name")


def test_quoted_shows_short_input_whole_and_long_input_as_a_prefix_with_its_length() -> None:
    assert quoted("shop") == "'shop'"
    assert quoted("x" * 64) == repr("x" * 64)
    assert quoted("x" * 16_000) == repr("x" * 64) + "… (16000 characters)"


def test_refusals_of_long_names_quote_only_a_prefix() -> None:
    with pytest.raises(InvalidArgument) as refused:
        validate_system_name("a" * 1_000_000, "project_id")
    assert len(refused.value.message) < 200
    assert "(1000000 characters)" in refused.value.message
