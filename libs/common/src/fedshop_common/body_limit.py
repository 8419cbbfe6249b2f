"""A cap on request bodies, for every door of a service (REST, GraphQL over HTTP, health).

Pure ASGI, so nothing is buffered: a declared `Content-Length` over the cap is refused before
the app runs, and a streamed (chunked) body is counted as the app reads it; the read that goes
over the cap answers 413 and tells the app the client has gone."""

import asyncio
import contextlib
import json

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 1_000_000
LINGER_SECONDS = 2.0

log = structlog.get_logger()


class LimitRequestBody:
    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send)
            await _linger(receive)
            return
        received = 0
        response_started = refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Answer now, and tell the app the client left: whatever it does with that
                    # (FastAPI would make it a 400) is not sent.
                    refused = True
                    if not response_started:
                        await self._refuse(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def watching_send(message: Message) -> None:
            nonlocal response_started
            if refused:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        await self.app(scope, counting_receive, watching_send)
        if refused:
            await _linger(receive)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        log.warning("request body too large", path=scope.get("path"), limit=self.max_bytes)
        body = json.dumps(
            {"detail": f"request body too large: the limit is {self.max_bytes} bytes"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def _linger(receive: Receive) -> None:
    """Read and drop what the client is still sending, for a short while, before the server
    closes: closing on unread data resets the connection, and the client may lose the 413."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(LINGER_SECONDS):
            while (await receive()).get("more_body", False):
                pass


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
