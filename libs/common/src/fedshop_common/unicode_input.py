"""Strings a client sends must be valid Unicode: a lone surrogate ("\\ud800", which JSON can
spell) cannot be stored, encoded as UTF-8 or logged. It is refused at the door, once for every
service, before any use case runs: 422 on REST, BAD_USER_INPUT on GraphQL."""

import json
import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from graphql import GraphQLError, StringValueNode, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

_SURROGATE = re.compile("[\ud800-\udfff]")
MESSAGE = "not valid Unicode: the string holds a lone surrogate"


def has_lone_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def surrogate_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """Where in a JSON-like value a string (or a key) holds a lone surrogate."""
    if isinstance(value, str):
        if has_lone_surrogate(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and has_lone_surrogate(key):
                yield (*path, key.encode("utf-8", "backslashreplace").decode())
            yield from surrogate_paths(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from surrogate_paths(item, (*path, index))


class _StringLiterals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.bad = False

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        if has_lone_surrogate(node.value):
            self.bad = True


class RefuseLoneSurrogates(SchemaExtension):
    """On the validation step: a string literal or variable holding a lone surrogate makes the
    whole operation a BAD_USER_INPUT error; nothing is executed."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        where = next(surrogate_paths(context.variables or {}), None)
        if where is None and context.graphql_document is not None:
            literals = _StringLiterals()
            visit(context.graphql_document, literals)
            where = ("query",) if literals.bad else None
        if where is not None:
            field = ".".join(map(str, where)) or "variables"
            error = GraphQLError(
                f"{field}: {MESSAGE}", extensions={"code": "BAD_USER_INPUT", "field": field}
            )
            context.pre_execution_errors = [*(context.pre_execution_errors or []), error]
        yield


async def refuse_lone_surrogates(request: Request) -> None:
    """A FastAPI dependency on every REST route: the JSON body, the query string and the path
    parameters, checked after FastAPI parsed them and before the route runs."""
    places: list[tuple] = []
    places += [("path", *p) for p in surrogate_paths(dict(request.path_params))]
    places += [("query", *p) for p in surrogate_paths(dict(request.query_params))]
    # Only JSON: a form body was read by FastAPI as a stream, and cannot be read twice.
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        try:
            places += [("body", *p) for p in surrogate_paths(json.loads(body))]
        except ValueError:
            pass  # FastAPI already answered malformed JSON with its own 422
    if places:
        raise RequestValidationError(
            [
                {"type": "string_unicode", "loc": list(place), "msg": MESSAGE, "input": None}
                for place in places
            ]
        )
