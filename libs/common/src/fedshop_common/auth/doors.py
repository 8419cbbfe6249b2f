"""The principal at each door: a FastAPI dependency for REST, a lazily verified `RequestAuth`
for GraphQL contexts. Access errors answer through the one table in `fedshop_common.errors`."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer, OAuth2PasswordBearer
from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext

from fedshop_common.auth.principal import Principal, Unauthenticated
from fedshop_common.auth.tokens import TokenVerifier


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` value; None when there is no header at all.
    Any other scheme, or an empty token, is an error: a client that sent credentials is held
    to them, never treated as anonymous."""
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("expected an 'Authorization: Bearer <access token>' header")
    return token.strip()


class RequestAuth:
    """One request's principal, verified on first use (so a request that never asks who is
    calling costs no verification), then remembered."""

    def __init__(self, verifier: TokenVerifier, authorization: str | None) -> None:
        self._verifier = verifier
        self.authorization = authorization  # the header as sent, to pass on to other services
        self._verified = False
        self._principal: Principal | None = None

    @classmethod
    def of(cls, connection: HTTPConnection, connection_params: object = None) -> "RequestAuth":
        """The connection's auth, made once per connection (REST dependency and route share it)."""
        if (known := getattr(connection.state, "fedshop_auth", None)) is not None:
            return known
        auth = cls._made(connection, connection_params)
        connection.state.fedshop_auth = auth
        return auth

    @classmethod
    def _made(cls, connection: HTTPConnection, connection_params: object) -> "RequestAuth":
        authorization = connection.headers.get("authorization")
        if authorization is None and isinstance(connection_params, dict):
            # WebSocket clients send credentials in graphql-transport-ws's connection_init.
            value = connection_params.get("authorization") or connection_params.get("Authorization")
            authorization = value if isinstance(value, str) else None
        return cls(connection.app.state.token_verifier, authorization)

    async def principal(self) -> Principal | None:
        """The caller, or None when anonymous. Unauthenticated for a bad or expired token."""
        if not self._verified:
            token = bearer_token(self.authorization)
            self._principal = await self._verifier.verify(token) if token else None
            self._verified = True
        return self._principal

    async def required(self) -> Principal:
        principal = await self.principal()
        if principal is None:
            raise Unauthenticated()
        return principal


def client_address(connection: HTTPConnection) -> str:
    """The peer address (uvicorn has already applied X-Forwarded-For from trusted proxies)."""
    return connection.client.host if connection.client else "unknown"


def principal_dependency(token_url: str | None = None):  # noqa: ANN201 (a FastAPI dependency)
    """A dependency giving the caller's Principal or None. The security scheme only describes
    the door in OpenAPI (/docs' Authorize button); the header is read by `bearer_token`."""
    scheme = (
        OAuth2PasswordBearer(tokenUrl=token_url, auto_error=False)
        if token_url
        else HTTPBearer(auto_error=False)
    )

    async def current_principal(
        request: Request, _: Annotated[object, Depends(scheme)]
    ) -> Principal | None:
        return await RequestAuth.of(request).principal()

    return current_principal


class AuthContext(BaseContext):
    """A strawberry context whose `auth` is the request's (HTTP headers, or the WebSocket's
    connection parameters, which strawberry fills in after the context is made)."""

    _auth: RequestAuth | None = None

    @property
    def auth(self) -> RequestAuth:
        if self._auth is None:
            self._auth = RequestAuth.of(self.request, self.connection_params)
        return self._auth
