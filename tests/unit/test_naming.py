import pytest

from rigd.domain.errors import InvalidArgument
from rigd.domain.naming import validate_display_name, validate_system_name


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
