"""Subgraphs answer `/graphql` only with the router's secret; other paths stay public."""

import pytest
from fastapi import FastAPI
from fedshop_common.router_trust import (
    ROUTER_SECRET_HEADER,
    MissingRouterSecret,
    RequireRouterSecret,
    require_router_secret,
)

from tests.support import client_of


def app_with(secret: str) -> FastAPI:
    app = FastAPI()

    @app.post("/graphql")
    async def graphql() -> dict:
        return {"data": {"ok": True}}

    @app.get("/users")
    async def users() -> list:
        return []

    app.add_middleware(RequireRouterSecret, secret=secret)
    return app


async def test_graphql_without_or_with_a_wrong_secret_is_refused():
    async with client_of(app_with("s3cret")) as client:
        missing = await client.post("/graphql", json={})
        wrong = await client.post("/graphql", json={}, headers={ROUTER_SECRET_HEADER: "guess"})
        right = await client.post("/graphql", json={}, headers={ROUTER_SECRET_HEADER: "s3cret"})
        public = await client.get("/users")
    assert missing.status_code == wrong.status_code == 403
    assert missing.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert right.status_code == 200
    assert public.status_code == 200


async def test_a_trailing_slash_or_subpath_is_guarded_too():
    async with client_of(app_with("s3cret")) as client:
        assert (await client.post("/graphql/", json={})).status_code == 403
        assert (await client.post("/graphql/batch", json={})).status_code == 403


def test_outside_dev_an_empty_secret_stops_the_start():
    with pytest.raises(MissingRouterSecret, match="ROUTER_SHARED_SECRET"):
        require_router_secret("", is_dev=False)
    require_router_secret("", is_dev=True)  # a laptop may run without it
    require_router_secret("s3cret", is_dev=False)
