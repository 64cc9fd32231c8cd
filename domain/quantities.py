"""Kubernetes quantities (`100m`, `1.5Gi`, `2e3`), as metric targets are written.

A quantity is a signed decimal number followed by at most one suffix: a binary SI suffix
(Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix (n, u, m, k, M, G, T, P, E) or a decimal
exponent (e3, E-2). Kubernetes rejects anything else; so does `parse_quantity`.
"""

from __future__ import annotations

import re
from decimal import Decimal

_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"(?P<suffix>[eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?"
)
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
MAX_QUANTITY_TEXT = 64  # far beyond any real quantity; keeps Decimal arithmetic cheap
MAX_EXPONENT = 30


class InvalidQuantity(ValueError):
    """The text is not a Kubernetes quantity."""


def parse_quantity(text: str) -> Decimal:
    """The value of a Kubernetes quantity, exactly."""
    match = _QUANTITY.fullmatch(text) if len(text) <= MAX_QUANTITY_TEXT else None
    if match is None:
        raise InvalidQuantity(
            "is not a quantity: write a number with an optional suffix such as m, k, Mi, Gi or e3"
        )
    number = Decimal(match["number"])
    suffix = match["suffix"] or ""
    if suffix in _BINARY:
        return number * (2 ** _BINARY[suffix])
    if suffix in _DECIMAL:
        return number.scaleb(_DECIMAL[suffix])
    if suffix:
        exponent = int(suffix[1:])
        if abs(exponent) > MAX_EXPONENT:
            raise InvalidQuantity(f"has an exponent beyond ±{MAX_EXPONENT}")
        return number.scaleb(exponent)
    return number
