"""Read-model SQL reaches each driver with PostgreSQL's numbered placeholders untouched."""

from __future__ import annotations

from rigd.services.composition import Rigd


def test_numbered_placeholders_bind_by_number_on_both_stores(rigd: Rigd) -> None:
    with rigd.read_database.snapshot() as cursor:
        cursor.execute("SELECT $2 || $1, $1 || $1, $3", ("a", "b", "what?"))
        assert cursor.fetchone() == ("ba", "aa", "what?")


def test_a_question_mark_in_a_value_is_only_a_value(rigd: Rigd) -> None:
    with rigd.read_database.transaction() as cursor:
        cursor.execute("CREATE TABLE marks (text TEXT NOT NULL)")
        cursor.execute("INSERT INTO marks (text) VALUES ($1)", ("? %s $1",))
        cursor.execute("SELECT text FROM marks WHERE text = $1", ("? %s $1",))
        assert cursor.fetchall() == [("? %s $1",)]
