"""`purchaseUpdated` across two purchases processes: a subscriber on either hears the email."""

import asyncio
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fedshop_common.events import EmailSent
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from tests.support import AMQP_URL, VENV_BIN, ServiceProcess, TestBroker, eventually, free_port

FOLLOW = """
subscription($id: ID!) { purchaseUpdated(id: $id) { id status email { kind subject } } }
"""


@pytest.fixture(scope="module")
def live_stack(make_stack):
    return make_stack("live")


@pytest.fixture(scope="module")
def replicas(live_stack, users_url):
    """Two purchases processes sharing one database and one set of queues, as in compose."""
    urls, processes = [], []
    try:
        for n in (1, 2):
            port = free_port()
            env = live_stack.env("purchases", port, USERS_URL=users_url)
            processes.append(
                ServiceProcess(f"purchases-replica-{n}", [str(VENV_BIN / "fedshop-purchases")], env)
            )
            urls.append(f"http://127.0.0.1:{port}")
            processes[-1].wait_ready(f"{urls[-1]}/health")
        yield urls
    finally:
        for process in processes:
            process.stop()


@pytest.fixture(scope="module")
async def live_broker(live_stack):
    broker = await TestBroker.connect(AMQP_URL, live_stack.namespace)
    yield broker
    await broker.close()


def subscriber(base_url: str) -> Client:
    ws_url = base_url.replace("http://", "ws://") + "/graphql"
    return Client(transport=WebsocketsTransport(url=ws_url, subprotocols=["graphql-transport-ws"]))


async def test_a_subscriber_on_either_replica_hears_the_email_and_the_stream_completes(
    replicas, live_broker
):
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{replicas[0]}/purchase", json={"user_id": 1, "item_id": 1})
    purchase_id = response.json()["id"]

    async with (
        asyncio.timeout(30),
        subscriber(replicas[0]) as first,
        subscriber(replicas[1]) as second,
    ):
        request = GraphQLRequest(FOLLOW, variable_values={"id": purchase_id})
        streams = [first.subscribe(request), second.subscribe(request)]
        initial = [await anext(stream) for stream in streams]
        assert [s["purchaseUpdated"]["email"] for s in initial] == [None, None]

        report = EmailSent(
            purchase_id=uuid.UUID(purchase_id),
            kind="confirmation",
            recipient="a@example.com",
            subject="Your purchase of Table is confirmed",
            sent_at=datetime.now(UTC),
        )
        await live_broker.publish(
            report.routing_key, report.model_dump_json().encode(), str(report.event_id)
        )

        for stream in streams:
            rest = [state async for state in stream]  # ends: the subscription completes
            assert [s["purchaseUpdated"]["email"] for s in rest] == [
                {"kind": "CONFIRMATION", "subject": "Your purchase of Table is confirmed"}
            ]


async def test_a_late_subscriber_gets_the_final_state_at_once(replicas, live_broker):
    async with httpx.AsyncClient() as http:
        purchase = (
            await http.post(f"{replicas[1]}/purchase", json={"user_id": 2, "item_id": 3})
        ).json()
        report = EmailSent(
            purchase_id=uuid.UUID(purchase["id"]),
            kind="rejection",
            recipient="b@example.com",
            subject="Your purchase of Lamp could not be completed",
            sent_at=datetime.now(UTC),
        )
        await live_broker.publish(
            report.routing_key, report.model_dump_json().encode(), str(report.event_id)
        )

        async def emailed() -> bool:
            response = await http.get(f"{replicas[0]}/purchases/{purchase['id']}")
            return response.json()["email_status"] == "sent"

        await eventually(emailed)

    async with asyncio.timeout(10), subscriber(replicas[0]) as session:
        request = GraphQLRequest(FOLLOW, variable_values={"id": purchase["id"]})
        states = [state async for state in session.subscribe(request)]
    assert [s["purchaseUpdated"]["email"]["kind"] for s in states] == ["REJECTION"]


@pytest.mark.parametrize("unknown", [str(uuid.uuid4()), "not-an-id"])
async def test_an_unknown_purchase_is_a_clear_error(replicas, unknown):
    async with asyncio.timeout(10), subscriber(replicas[0]) as session:
        with pytest.raises(TransportQueryError) as raised:
            request = GraphQLRequest(FOLLOW, variable_values={"id": unknown})
            async for _ in session.subscribe(request):
                pass
    assert raised.value.errors[0]["message"] == f"purchase {unknown} not found"
    assert raised.value.errors[0]["extensions"]["code"] == "NOT_FOUND"
