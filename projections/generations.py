"""Generations of read models: rows of `read_model_generations`.

A generation is one set of a read model's tables (their names carry the generation:
`rm_projects_g3`) and its own position. It is `building` while history is replayed into
it, `live` once queries read it, `retired` when a newer one replaced it, and `dropped`
once its tables are gone (after no reader can still see it live). Exactly one generation per (read model,
schema version) is live, so two rigd versions serve their own schemas side by side.

Rows are locked in ascending generation order (older live rows before the newer one being
built), the one order every transaction here takes them in: no deadlock between a
switch and the projectors it waits for."""

from __future__ import annotations

from rigd.projections.database import Cursor

BUILDING = "building"
LIVE = "live"
RETIRED = "retired"
DROPPED = "dropped"  # kept as a row, so that generation numbers are never used twice

# A statement that waited for a row lock re-checks only that row, and a switch retires it
# while marking another live; a fresh statement sees the new one. Two looks suffice, since
# one process switches a read model at a time; the third is a margin.
_LOOKS = 3


def create_table(cursor: Cursor) -> None:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS read_model_generations ("
        " name TEXT NOT NULL,"
        " generation INTEGER NOT NULL,"
        " version INTEGER NOT NULL,"
        " state TEXT NOT NULL,"
        " position BIGINT NOT NULL,"
        " tables TEXT NOT NULL,"
        " PRIMARY KEY (name, generation))"
    )


def table_name(table: str, generation: int) -> str:
    return f"{table}_g{generation}"


def live(cursor: Cursor, name: str, version: int) -> tuple[int, int] | None:
    """The live generation of this read model and schema version, and its position."""
    cursor.execute(
        "SELECT generation, position FROM read_model_generations WHERE name = $1 AND version = $2 AND state = $3",
        (name, version, LIVE),
    )
    row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else None


def position(cursor: Cursor, name: str, generation: int) -> int:
    cursor.execute(
        "SELECT position FROM read_model_generations WHERE name = $1 AND generation = $2", (name, generation)
    )
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def lock_live(cursor: Cursor, name: str, version: int) -> tuple[int, int] | None:
    """Locks the live generation's row (waiting for a batch or a switch that holds it) and
    returns the generation and its position; None if this version has no live generation."""
    for _ in range(_LOOKS):
        cursor.execute(
            "UPDATE read_model_generations SET position = position"
            " WHERE name = $1 AND version = $2 AND state = $3 RETURNING generation, position",
            (name, version, LIVE),
        )
        row = cursor.fetchone()
        if row:
            return int(row[0]), int(row[1])
    return None


def lock_live_unless_held(cursor: Cursor, name: str, version: int) -> tuple[int, int] | None:
    """Locks the live generation's row, as `lock_live`, unless another transaction holds it
    (a batch, a switch): None then, at once. PostgreSQL only (a save that holds the events
    table's lock must not wait; SQLite has one writer at a time anyway)."""
    ask_lock_live_unless_held(cursor, name, version)
    return locked(cursor)


def ask_lock_live_unless_held(cursor: Cursor, name: str, version: int) -> None:
    """Sends `lock_live_unless_held`'s statement; `locked(cursor)` reads its answer (in a
    pipeline, statements sent after it need not wait for that answer)."""
    cursor.execute(
        "SELECT generation, position FROM read_model_generations WHERE name = $1 AND version = $2 AND state = $3"
        " FOR UPDATE SKIP LOCKED",
        (name, version, LIVE),
    )


def locked(cursor: Cursor) -> tuple[int, int] | None:
    row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else None


def lock_building(cursor: Cursor, name: str, generation: int) -> int | None:
    """Locks a generation being built and returns its position; None if it is no longer
    being built (abandoned by a later build)."""
    cursor.execute(
        "UPDATE read_model_generations SET position = position"
        " WHERE name = $1 AND generation = $2 AND state = $3 RETURNING position",
        (name, generation, BUILDING),
    )
    row = cursor.fetchone()
    return int(row[0]) if row else None


def lock_replaced(cursor: Cursor, name: str, version: int) -> list[int]:
    """Locks, oldest first, the live generations a new one of `version` replaces: its own
    version's and older versions'. Newer versions' generations are left to their rigd."""
    cursor.execute(
        "SELECT generation FROM read_model_generations WHERE name = $1 AND version <= $2 AND state = $3"
        " ORDER BY generation",
        (name, version, LIVE),
    )
    locked = []
    for (generation,) in cursor.fetchall():
        cursor.execute(
            "UPDATE read_model_generations SET position = position WHERE name = $1 AND generation = $2 AND state = $3"
            " RETURNING generation",
            (name, generation, LIVE),
        )
        if cursor.fetchone():
            locked.append(int(generation))
    return locked


def move(cursor: Cursor, name: str, generation: int, position: int) -> None:
    cursor.execute(
        "UPDATE read_model_generations SET position = $1 WHERE name = $2 AND generation = $3",
        (position, name, generation),
    )


def add(cursor: Cursor, name: str, version: int, tables: tuple[str, ...]) -> int:
    """Records a new generation, being built from position 0; returns its number, above
    every existing one."""
    cursor.execute("SELECT COALESCE(MAX(generation), 0) FROM read_model_generations WHERE name = $1", (name,))
    row = cursor.fetchone()
    generation = int(row[0]) + 1 if row else 1
    cursor.execute(
        "INSERT INTO read_model_generations (name, generation, version, state, position, tables)"
        " VALUES ($1, $2, $3, $4, 0, $5)",
        (name, generation, version, BUILDING, ",".join(table_name(table, generation) for table in tables)),
    )
    return generation


def go_live(cursor: Cursor, name: str, generation: int, replaced: list[int]) -> None:
    """Marks `generation` live and the ones it replaces retired (their rows locked already)."""
    for old in replaced:
        cursor.execute(
            "UPDATE read_model_generations SET state = $1 WHERE name = $2 AND generation = $3", (RETIRED, name, old)
        )
    cursor.execute(
        "UPDATE read_model_generations SET state = $1 WHERE name = $2 AND generation = $3", (LIVE, name, generation)
    )


def leftovers(cursor: Cursor, name: str) -> list[int]:
    """Generations nobody reads or builds: retired ones whose tables were not dropped yet,
    and builds that stopped (call only while holding the read model's build lock)."""
    cursor.execute(
        "SELECT generation FROM read_model_generations WHERE name = $1 AND state IN ($2, $3) ORDER BY generation",
        (name, RETIRED, BUILDING),
    )
    return [int(row[0]) for row in cursor.fetchall()]


def drop(cursor: Cursor, name: str, generation: int) -> None:
    """Drops a generation's tables (as recorded: an older schema may have had other tables)."""
    cursor.execute("SELECT tables FROM read_model_generations WHERE name = $1 AND generation = $2", (name, generation))
    row = cursor.fetchone()
    for table in str(row[0]).split(",") if row and row[0] else []:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(
        "UPDATE read_model_generations SET state = $1 WHERE name = $2 AND generation = $3", (DROPPED, name, generation)
    )
