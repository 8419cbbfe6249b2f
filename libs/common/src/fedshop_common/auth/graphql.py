"""Access errors as GraphQL errors with `extensions.code`, whichever resolver raised them."""

from graphql import GraphQLError

from fedshop_common.auth.principal import AuthUnavailable, Forbidden, Unauthenticated
from fedshop_common.rate_limits import RateLimited


def access_error_extensions(error: BaseException | None) -> dict | None:
    if isinstance(error, Unauthenticated):
        return {"code": "UNAUTHENTICATED"}
    if isinstance(error, Forbidden):
        return {"code": "FORBIDDEN"}
    if isinstance(error, RateLimited):
        return {"code": "RATE_LIMITED", "retryAfter": error.retry_after}
    if isinstance(error, AuthUnavailable):
        return {"code": "SERVICE_UNAVAILABLE"}
    return None


def coded_access_error(error: GraphQLError) -> GraphQLError:
    """The same error, its message kept and its code set, when it is an access error."""
    extensions = access_error_extensions(error.original_error)
    if extensions is None:
        return error
    return GraphQLError(
        str(error.original_error),
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
