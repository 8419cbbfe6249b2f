"""Subscriptions listen through one Redis pub/sub connection per process, not one each."""

import asyncio
import json
import uuid

import httpx
import pytest
import websockets
from fedshop_common.cache import connect_redis
from fedshop_common.errors import NotFound
from fedshop_purchases.live import LiveChanges

from tests.support import REDIS_URL, VENV_BIN, ServiceProcess, free_port

SUBSCRIBERS = 200
FOLLOW = "subscription($id: ID!) { purchaseUpdated(id: $id) { id status email { kind } } }"


async def test_an_id_that_names_no_purchase_is_refused_before_any_channel_is_subscribed():
    redis = connect_redis(REDIS_URL, 1.0)
    changes = LiveChanges(redis, f"test-{uuid.uuid4().hex[:8]}.")
    try:
        for raw in ("../other", "*", "1 OR 1", ""):
            with pytest.raises(NotFound):
                async with changes.listen(raw):
                    pass
        assert changes.listening == 0
        assert changes._pubsub is None  # no connection was even opened
    finally:
        await changes.close()
        await redis.aclose()


async def test_many_listeners_share_one_connection_and_each_hears_its_change():
    # A pool of 5 connections: 200 listeners each holding one could never fit.
    redis = connect_redis(REDIS_URL, 1.0)
    redis.connection_pool.max_connections = 5
    changes = LiveChanges(redis, f"test-{uuid.uuid4().hex[:8]}.")
    ids = [uuid.uuid4() for _ in range(SUBSCRIBERS)]
    heard: list[uuid.UUID] = []
    ready = asyncio.Barrier(SUBSCRIBERS + 1)

    async def follow(purchase_id: uuid.UUID) -> None:
        async with changes.listen(str(purchase_id)) as listener:
            await ready.wait()
            await listener.wait(10)
            heard.append(purchase_id)

    try:
        async with asyncio.timeout(30):
            followers = [asyncio.create_task(follow(purchase_id)) for purchase_id in ids]
            await ready.wait()
            assert changes.listening == SUBSCRIBERS
            assert await redis.ping()  # the pool still has room: the cache keeps working
            for purchase_id in ids:
                await changes.announce(purchase_id)
            await asyncio.gather(*followers)
        assert sorted(heard) == sorted(ids)
        assert changes.listening == 0
    finally:
        await changes.close()
        await redis.aclose()


@pytest.fixture(scope="module")
def replica(make_stack, users_url):
    """One purchases process and no email worker: its purchases stay pending, and so do their
    subscriptions."""
    stack = make_stack("many")
    port, secret = free_port(), "live-secret"
    env = stack.env("purchases", port, USERS_URL=users_url, ROUTER_SHARED_SECRET=secret)
    process = ServiceProcess(
        "purchases-many-subscribers", [str(VENV_BIN / "fedshop-purchases")], env
    )
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_ready(f"{url}/health/ready")
        yield url, secret
    finally:
        process.stop()


async def open_subscriptions(url: str, secret: str, purchase_id: str, count: int, first_id: int):
    """`count` subscriptions on one graphql-transport-ws connection; returns it once each has
    sent its first state."""
    socket = await websockets.connect(
        url.replace("http://", "ws://") + "/graphql",
        subprotocols=["graphql-transport-ws"],
        additional_headers={"x-fedshop-router-secret": secret},
        max_size=None,
    )
    await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    for n in range(first_id, first_id + count):
        payload = {"query": FOLLOW, "variables": {"id": purchase_id}}
        await socket.send(json.dumps({"id": str(n), "type": "subscribe", "payload": payload}))
    started: set[str] = set()
    async with asyncio.timeout(60):
        while len(started) < count:
            message = json.loads(await socket.recv())
            assert message["type"] == "next", message
            assert message["payload"]["data"]["purchaseUpdated"]["id"] == purchase_id
            started.add(message["id"])
    return socket


async def test_200_subscriptions_on_one_replica_leave_the_cache_up_and_room_for_more(replica):
    url, secret = replica
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        bought = (await client.post("/purchase", json={"user_id": 1, "item_id": 1})).json()
    # Strawberry takes at most 100 subscriptions on one connection: 4 connections of 50.
    sockets = [
        await open_subscriptions(url, secret, bought["id"], 50, 1 + 50 * n) for n in range(4)
    ]
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            health = (await client.get("/health")).json()
        assert health["dependencies"]["cache"] == "ok", health
        one_more = await open_subscriptions(url, secret, bought["id"], 1, SUBSCRIBERS + 1)
        await one_more.close()
    finally:
        for socket in sockets:
            await socket.close()
