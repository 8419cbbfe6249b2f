"""The Redis cache in front of the users table: hits, misses, batching, and Redis being down."""

import asyncio

import pytest
from sqlalchemy import create_engine, text

from tests.support import free_port, recorded_sql, started

from .conftest import graphql, users_app

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }"


@pytest.fixture(scope="module")
def database(stack):
    """Changes rows behind the service's back, to tell a cached answer from a fresh one."""
    engine = create_engine(stack.database_url("users"))

    def execute(sql: str, **params) -> None:
        with engine.begin() as connection:
            connection.execute(text(sql), params)

    yield execute
    engine.dispose()


async def test_a_read_is_served_from_the_cache_until_its_key_is_gone(
    client, redis, stack, database, sql_statements
):
    key = f"{stack.namespace}fedshop:users:id:4"
    await redis.delete(key)
    assert (await client.get("/users/4")).json()["last_name"] == "Dijkstra"  # miss: fills
    assert len(sql_statements) == 1
    assert await redis.pttl(key) > 50_000  # about 60 s, with jitter

    database("UPDATE users SET last_name = 'Changed' WHERE id = 4")
    try:
        assert (await client.get("/users/4")).json()["last_name"] == "Dijkstra"  # hit
        assert len(sql_statements) == 1
        await redis.delete(key)
        assert (await client.get("/users/4")).json()["last_name"] == "Changed"  # miss again
    finally:
        database("UPDATE users SET last_name = 'Dijkstra' WHERE id = 4")
        await redis.delete(key)


async def test_resolving_a_hundred_user_entities_costs_one_query_then_none(
    client, redis, stack, sql_statements
):
    ids = []
    for n in range(100):
        body = {"first_name": f"Batch{n}", "last_name": "User", "email": f"batch{n}@b.example"}
        response = await client.post("/users", json=body)
        ids.append(response.json()["id"])
    await redis.delete(*(f"{stack.namespace}fedshop:users:id:{i}" for i in ids))
    representations = [{"__typename": "User", "id": str(i)} for i in ids]
    sql_statements.clear()

    result = await graphql(client, ENTITIES, r=representations)
    assert [e["email"] for e in result["data"]["_entities"]] == [
        f"batch{n}@b.example" for n in range(100)
    ]
    assert len(sql_statements) == 1

    await graphql(client, ENTITIES, r=representations)
    assert len(sql_statements) == 1  # the second time, one Redis round trip and no SQL


async def test_with_redis_down_the_service_answers_from_postgresql_and_says_so(stack, capsys):
    app = users_app(stack, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    async with started(app) as client:
        for _ in range(3):
            assert (await client.get("/users/1")).json()["first_name"] == "Ada"
            assert len((await client.get("/users")).json()) >= 5
        created = await client.post(
            "/users", json={"first_name": "No", "last_name": "Cache", "email": "nc@x.example"}
        )
        assert created.status_code == 201
        health = await client.get("/health")

    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["dependencies"]["database"] == "ok"
    assert health.json()["dependencies"]["cache"].startswith("down")
    assert capsys.readouterr().out.count("cache unavailable") == 1


async def test_concurrent_misses_of_one_key_fill_it_once(redis, stack):
    # Its own app, with Redis given 2 s (not 250 ms): on a loaded machine a slow answer makes
    # the cache step aside, and this test is about the misses being joined, not about latency.
    app = users_app(stack, redis_timeout_seconds=2.0)
    async with started(app) as client:
        await redis.delete(f"{stack.namespace}fedshop:users:all")
        with recorded_sql(app.state.engine) as sql_statements:
            responses = await asyncio.gather(*(client.get("/users") for _ in range(20)))
    assert {len(r.json()) for r in responses} == {len(responses[0].json())}
    assert len(sql_statements) == 1
