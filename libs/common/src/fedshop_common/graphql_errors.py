"""GraphQL errors that carry `extensions.code`, as clients of the router expect."""

from collections.abc import Callable

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from fedshop_common.auth.graphql import coded_access_error


def not_found(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "NOT_FOUND"})


def bad_user_input(message: str, field: str | None = None) -> GraphQLError:
    extensions = {"code": "BAD_USER_INPUT"} | ({"field": field} if field else {})
    return GraphQLError(message, extensions=extensions)


def unavailable(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "SERVICE_UNAVAILABLE"})


def conflict(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "CONFLICT"})


def mask_unexpected_errors() -> Callable[[], MaskErrors]:
    """Errors the code raised on purpose (GraphQLError) and validation errors reach the client;
    anything else becomes "Unexpected error." — no internals leak (they are logged)."""

    def unexpected(error: GraphQLError) -> bool:
        return error.original_error is not None and not isinstance(
            error.original_error, GraphQLError
        )

    return lambda: _MaskErrors(should_mask_error=unexpected)


class _MaskErrors(MaskErrors):
    """Access errors (401/403/429 in REST) first become coded GraphQL errors, then the rest is
    masked as before."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return super()._process_errors([coded_access_error(error) for error in errors])
