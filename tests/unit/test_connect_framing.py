"""The Connect port's response framing: a whole body is sent with its Content-Length (not
chunked), and every response is dated, the date formatted once a second."""

from __future__ import annotations

import asyncio
from typing import Any

from rigd.services.connect_server import with_content_length


def responses(app: Any, clock: Any, times: int = 1) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    framed = with_content_length(app, clock)
    for _ in range(times):
        asyncio.run(framed({"type": "http"}, receive, send))
    return sent


async def unary(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/proto")]})
    await send({"type": "http.response.body", "body": b"12345", "more_body": False})


async def streamed(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [], "trailers": True})
    await send({"type": "http.response.body", "body": b"part", "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def test_a_whole_body_goes_with_its_length_and_every_response_with_its_date() -> None:
    start, body = responses(unary, lambda: 1_700_000_000.5)
    assert dict(start["headers"]) == {b"content-type": b"application/proto", b"content-length": b"5",
                                      b"date": b"Tue, 14 Nov 2023 22:13:20 GMT"}
    assert body["body"] == b"12345"


def test_a_streamed_body_is_not_held_and_still_dated() -> None:
    start, *bodies = responses(streamed, lambda: 1_700_000_000.0)
    assert dict(start["headers"]) == {b"date": b"Tue, 14 Nov 2023 22:13:20 GMT"}
    assert [body["body"] for body in bodies] == [b"part", b""]


def test_the_date_moves_with_the_clock() -> None:
    now = [1_700_000_000.0]

    def clock() -> float:
        now[0] += 0.6
        return now[0]

    starts = [message for message in responses(unary, clock, times=3) if message["type"] == "http.response.start"]
    assert [dict(start["headers"])[b"date"][-12:] for start in starts] == [b"22:13:20 GMT", b"22:13:21 GMT",
                                                                           b"22:13:21 GMT"]
