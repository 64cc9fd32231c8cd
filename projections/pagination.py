"""model.Pagination as rig defines it: offset/limit/descending, default limit 50, max 1000."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from rigd.domain.errors import InvalidArgument
from rigd.projections.database import Cursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
_INT32_SIGN = 1 << 31

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    descending: bool = False

    @classmethod
    def of(cls, offset: int, limit: int, descending: bool) -> Page:
        """Validates the wire values. The fields are uint32, so a client that encodes a
        negative int32 arrives here with the sign bit set: that is refused, not wrapped."""
        for name, value in (("offset", offset), ("limit", limit)):
            if value < 0 or value >= _INT32_SIGN:
                raise InvalidArgument(f"pagination.{name} must not be negative")
        if limit == 0 or limit > MAX_LIMIT:
            limit = DEFAULT_LIMIT  # as rig does: an absent or oversized limit gives the default page
        return cls(offset=offset, limit=limit, descending=descending)

    def order(self) -> str:
        return "DESC" if self.descending else "ASC"

    def slice(self, items: list[T]) -> list[T]:
        """This page of an in-memory list (for lists that come from configuration)."""
        ordered = list(reversed(items)) if self.descending else items
        return ordered[self.offset:self.offset + self.limit]


def select_page(
    cursor: Cursor, table: str, columns: str, where: str, params: tuple[Any, ...], page: Page, order_by: str
) -> tuple[list[tuple[Any, ...]], int]:
    """One page of `table`'s rows matching `where`, ordered by the indexed `order_by`
    column, and the number of all matching rows (the wire's `total`). `where` numbers
    its placeholders from `$1` for `params`; the page's follow them."""
    cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)
    row = cursor.fetchone()
    total = int(row[0]) if row else 0
    limit, offset = f"${len(params) + 1}", f"${len(params) + 2}"
    cursor.execute(
        f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {order_by} {page.order()} LIMIT {limit} OFFSET {offset}",
        (*params, page.limit, page.offset),
    )
    return cursor.fetchall(), total
