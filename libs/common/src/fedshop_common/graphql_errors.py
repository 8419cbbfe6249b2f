"""GraphQL errors that carry `extensions.code`, as clients of the router expect."""

from graphql import GraphQLError


def not_found(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "NOT_FOUND"})


def bad_user_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


def unavailable(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "SERVICE_UNAVAILABLE"})
