"""Domain errors and the one table from each to its HTTP status and GraphQL code.

A service raises these (or subclasses); the REST door answers `{"detail": message}` with the
status, the GraphQL door an error with `extensions.code` (and `field` when there is one). No
door translates errors by hand."""

import math
from collections.abc import Callable

import sqlalchemy.exc
import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

log = structlog.get_logger()


class DomainError(Exception):
    """An error a client caused or should know about; its message is safe to show. `details`
    are more facts for the client, safe to show too: REST adds them to the body as they are
    named (snake_case), GraphQL to `extensions` in camelCase."""

    def __init__(self, message: str, field: str | None = None, **details: object) -> None:
        super().__init__(message)
        self.field = field
        self.details = details


class NotFound(DomainError):
    """An id that names nothing: the message says what was looked for."""


class InvalidInput(DomainError):
    """Well-formed but unacceptable input, e.g. an idempotency key reused for another purchase."""


class Conflict(DomainError):
    """The request clashes with the current state, e.g. a taken email address."""


class Gone(DomainError):
    """What was asked for is over for good, e.g. a sale that ended or sold out."""


class Unauthenticated(DomainError):
    """A token is needed and none (or no valid one) was given."""


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class TooManyRequests(DomainError):
    def __init__(self, message: str, retry_after_seconds: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after_seconds


class Unavailable(DomainError):
    """A dependency is down: the message names it."""


# The one table: error → (HTTP status, GraphQL extensions.code). Subclasses inherit their row.
STATUS_AND_CODE: dict[type[DomainError], tuple[int, str]] = {
    NotFound: (404, "NOT_FOUND"),
    InvalidInput: (422, "BAD_USER_INPUT"),
    Conflict: (409, "CONFLICT"),
    Gone: (410, "GONE"),
    Unauthenticated: (401, "UNAUTHENTICATED"),
    Forbidden: (403, "FORBIDDEN"),
    TooManyRequests: (429, "RATE_LIMITED"),
    Unavailable: (503, "SERVICE_UNAVAILABLE"),
}


def status_and_code(error: DomainError) -> tuple[int, str]:
    for kind in type(error).__mro__:
        if kind in STATUS_AND_CODE:
            return STATUS_AND_CODE[kind]
    return 400, "BAD_REQUEST"


def _headers(error: DomainError) -> dict[str, str]:
    if isinstance(error, TooManyRequests):
        return {"Retry-After": str(math.ceil(error.retry_after))}
    if isinstance(error, Unauthenticated):
        return {"WWW-Authenticate": "Bearer"}
    return {}


# The database unreachable, restarting, or the pool exhausted: a 503 naming it, not a 500.
DATABASE_DOWN = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError, TimeoutError)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def _extensions(error: DomainError) -> dict:
    extra: dict = {"field": error.field} if error.field else {}
    if isinstance(error, TooManyRequests):
        extra["retryAfter"] = error.retry_after
    return extra | {_camel(name): value for name, value in error.details.items()}


def add_domain_error_handler(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        status, _ = status_and_code(error)
        body = {"detail": str(error)} | error.details
        return JSONResponse(body, status_code=status, headers=_headers(error))

    for kind in (*DATABASE_DOWN, sqlalchemy.exc.TimeoutError):

        @app.exception_handler(kind)
        async def database_down(request: Request, error: Exception) -> JSONResponse:
            log.warning("database unavailable", error=type(error).__name__, path=request.url.path)
            return JSONResponse(
                {"detail": "the database is unavailable"},
                status_code=503,
                headers={"Retry-After": "1"},
            )


def graphql_errors() -> Callable[[], MaskErrors]:
    """The GraphQL side of the table, as a strawberry extension: a DomainError gets its code;
    anything else unexpected becomes "Unexpected error." — no internals leak (they are logged).
    Errors raised as GraphQLError on purpose and validation errors pass as they are."""

    def unexpected(error: GraphQLError) -> bool:
        original = error.original_error
        if isinstance(original, DomainError):
            _, code = status_and_code(original)
            error.extensions = {"code": code} | _extensions(original)
            return False
        return original is not None and not isinstance(original, GraphQLError)

    return lambda: MaskErrors(should_mask_error=unexpected)
