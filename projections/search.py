"""The `search` of List requests: a case-insensitive substring, as a LIKE pattern."""


def contains(search: str) -> str:
    """A LIKE pattern (escape character `!`) matching values that contain `search`."""
    escaped = search.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"
