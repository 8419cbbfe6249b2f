"""One table from domain error to HTTP status and GraphQL code, used by both doors."""

import strawberry
from fastapi import FastAPI
from fedshop_common.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooManyRequests,
    add_domain_error_handler,
    graphql_errors,
    status_and_code,
)

from tests.support import client_of


class ItemGone(NotFound):
    pass


def test_subclasses_inherit_their_row():
    assert status_and_code(ItemGone("item 3 not found")) == (404, "NOT_FOUND")
    assert status_and_code(Conflict("taken")) == (409, "CONFLICT")
    assert status_and_code(Forbidden("not yours")) == (403, "FORBIDDEN")


async def test_rest_answers_the_status_with_the_message_and_its_headers():
    app = FastAPI()
    add_domain_error_handler(app)

    @app.get("/gone")
    async def gone() -> None:
        raise ItemGone("item 3 not found")

    @app.get("/busy")
    async def busy() -> None:
        raise TooManyRequests("slow down", retry_after_seconds=7)

    async with client_of(app) as client:
        response = await client.get("/gone")
        assert (response.status_code, response.json()) == (404, {"detail": "item 3 not found"})
        response = await client.get("/busy")
        assert response.status_code == 429
        assert response.headers["retry-after"] == "7"


async def test_graphql_carries_the_code_and_masks_anything_unexpected():
    @strawberry.type
    class Query:
        @strawberry.field
        def gone(self) -> str:
            raise NotFound("item 3 not found", field="id")

        @strawberry.field
        def broken(self) -> str:
            raise RuntimeError("password=hunter2 in a stack trace")

    schema = strawberry.Schema(query=Query, extensions=[graphql_errors()])
    gone = await schema.execute("{ gone }")
    assert gone.errors[0].message == "item 3 not found"
    assert gone.errors[0].extensions == {"code": "NOT_FOUND", "field": "id"}
    broken = await schema.execute("{ broken }")
    assert broken.errors[0].message == "Unexpected error."


class ShortOfStock(Conflict):
    def __init__(self, item_ids: list[int]) -> None:
        super().__init__(f"not enough stock of items {item_ids}", short_items=item_ids)


async def test_details_reach_the_rest_body_and_the_graphql_extensions_in_camel_case():
    app = FastAPI()
    add_domain_error_handler(app)

    @app.get("/short")
    async def short() -> None:
        raise ShortOfStock([3, 5])

    async with client_of(app) as client:
        response = await client.get("/short")
    assert response.status_code == 409
    assert response.json() == {"detail": "not enough stock of items [3, 5]", "short_items": [3, 5]}

    @strawberry.type
    class Query:
        @strawberry.field
        def short(self) -> str:
            raise ShortOfStock([3, 5])

        @strawberry.field
        def busy(self) -> str:
            raise TooManyRequests("slow down", retry_after_seconds=7)

    schema = strawberry.Schema(query=Query, extensions=[graphql_errors()])
    short_error = (await schema.execute("{ short }")).errors[0]
    assert short_error.extensions == {"code": "CONFLICT", "shortItems": [3, 5]}
    busy_error = (await schema.execute("{ busy }")).errors[0]
    assert busy_error.extensions == {"code": "RATE_LIMITED", "retryAfter": 7}
