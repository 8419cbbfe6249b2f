"""Subgraphs trust only the router on `/graphql`: it sends a shared secret with every request.

The gateway adds `x-fedshop-router-secret` to each subgraph request, HTTP and the WebSocket
handshake of subscriptions alike; a request to `/graphql` without the right value is refused
(HTTP 403 with a GraphQL-shaped JSON error, or the WebSocket closed before it is accepted).
Other paths (REST, `/health`, `/docs`) stay public. An empty secret turns the check off, which
only a dev environment may do: elsewhere a service with a GraphQL door refuses to start without it.
"""

import hmac
import json

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

ROUTER_SECRET_HEADER = "x-fedshop-router-secret"
GRAPHQL_PATH = "/graphql"
# 4403 mirrors HTTP 403 in the 4000-4999 range applications may use for WebSocket close codes.
WEBSOCKET_FORBIDDEN = 4403
REFUSAL = "GraphQL is served through the router only: missing or wrong router secret"

log = structlog.get_logger()


class MissingRouterSecret(RuntimeError):
    """Outside dev, `/graphql` open to anyone who reaches the port would be a silent fail-open."""


def require_router_secret(secret: str, is_dev: bool) -> None:
    if not secret and not is_dev:
        raise MissingRouterSecret(
            "ROUTER_SHARED_SECRET is empty: outside dev (FEDSHOP_ENV) a subgraph refuses to start "
            "without the secret the router signs its requests with"
        )


class RequireRouterSecret:
    """Pure ASGI middleware (no body buffering), so streaming and WebSockets pass untouched."""

    def __init__(self, app: ASGIApp, secret: str, path: str = GRAPHQL_PATH) -> None:
        self.app = app
        self.secret = secret.encode()
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.secret and self._guards(scope) and not self._signed(scope):
            log.warning("unsigned graphql request refused", transport=scope["type"])
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": WEBSOCKET_FORBIDDEN})
            else:
                await _send_forbidden(send)
            return
        await self.app(scope, receive, send)

    def _guards(self, scope: Scope) -> bool:
        if scope["type"] not in ("http", "websocket"):
            return False
        path = scope["path"].rstrip("/")
        return path == self.path or path.startswith(f"{self.path}/")

    def _signed(self, scope: Scope) -> bool:
        name = ROUTER_SECRET_HEADER.encode()
        given = next((value for key, value in scope["headers"] if key.lower() == name), b"")
        return hmac.compare_digest(given, self.secret)


async def _send_forbidden(send: Send) -> None:
    body = json.dumps(
        {"errors": [{"message": REFUSAL, "extensions": {"code": "FORBIDDEN"}}]}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
