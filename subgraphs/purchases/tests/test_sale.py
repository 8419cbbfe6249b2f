"""The flash sale through both doors: the admin creates a sale, users enter its queue, the
worker decides in order, a purchase token buys one unit once; every refusal with its code."""

import asyncio
import json
from datetime import timedelta

import httpx
import pytest
import websockets
from asgi_lifespan import LifespanManager
from fedshop_purchases.sale.tokens import DEV_SECRET, TokenKind

from tests.support import client_of, eventually

from .conftest import purchases_app
from .sale import (
    ADA,
    buy,
    enter,
    exchange,
    hand_signed,
    hours,
    iso,
    new_sale,
    sale_worker,
    sign_in,
)
from .shop import stocked_item

CAPACITY = 3  # places in a sale's queue, here
WRONG_KEY = "a-key-this-shop-does-not-sign-with"


@pytest.fixture(scope="module")
def tokens(users_url):
    return {
        "ada": sign_in(users_url, "ada.lovelace@example.com"),
        "alan": sign_in(users_url, "alan.turing@example.com"),
        "grace": sign_in(users_url, "grace.hopper@example.com"),
        "admin": sign_in(users_url, "admin@fedshop.example", "fedshop-admin"),
    }


@pytest.fixture(scope="module")
async def shop(stack, users_url):
    from .sale import SECRET

    app = purchases_app(stack, users_url, sale_token_secret=SECRET, sale_queue_capacity=CAPACITY)
    async with LifespanManager(app), client_of(app) as client:
        yield client


async def gql(client, query: str, headers: dict | None = None, **variables) -> dict:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    return response.json()


def code_of(result: dict) -> str:
    return result["errors"][0]["extensions"]["code"]


CREATE = """
mutation($input: NewSaleInput!) {
  createSale(input: $input) { id price units unitsLeft state item { id name } }
}"""
ENTER = "mutation($s: ID!) { enterSale(saleId: $s) { queueToken position status } }"
TICKET = """
query($t: String!) {
  saleTicket(queueToken: $t) {
    status position purchaseToken sale { id unitsLeft state } order { id status total }
  }
}"""
BUY = """
mutation($t: String!) { buyWithTicket(purchaseToken: $t) { id status total lines { unitPrice } } }
"""


async def test_only_an_admin_creates_a_sale_and_anyone_reads_it(shop, broker, tokens):
    item = await stocked_item(shop, broker, quantity=5, price=120)
    body = {
        "item_id": item,
        "price": 99.5,
        "units": 2,
        "starts_at": iso(hours(-1)),
        "ends_at": iso(hours(1)),
    }
    assert (await shop.post("/api/sales", json=body)).status_code == 401
    refused = await shop.post("/api/sales", json=body, headers=tokens["ada"])
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "only an admin may create a sale"},
    )
    created = await shop.post("/api/sales", json=body, headers=tokens["admin"])
    assert created.status_code == 201, created.text
    sale = created.json()
    assert (sale["units_left"], sale["state"], sale["price"]) == (2, "open", 99.5)
    assert (await shop.get(f"/api/sales/{sale['id']}")).json() == sale
    assert (await shop.get("/api/sales/not-a-sale")).status_code == 404

    graphql_input = {
        "itemId": str(item),
        "price": 10,
        "units": 3,
        "startsAt": iso(hours(1)),
        "endsAt": iso(hours(2)),
    }
    assert code_of(await gql(shop, CREATE, tokens["alan"], input=graphql_input)) == "FORBIDDEN"
    made = (await gql(shop, CREATE, tokens["admin"], input=graphql_input))["data"]["createSale"]
    assert (made["state"], made["unitsLeft"], made["item"]["id"]) == ("UPCOMING", 3, str(item))
    read = await gql(shop, "query($id: ID!) { sale(id: $id) { id state } }", id=made["id"])
    assert read["data"]["sale"] == {"id": made["id"], "state": "UPCOMING"}
    listed = await gql(shop, "{ sales(first: 2) { totalCount edges { node { id } } } }")
    assert [e["node"]["id"] for e in listed["data"]["sales"]["edges"]] == [made["id"], sale["id"]]


async def test_a_bad_sale_is_refused_naming_its_field(shop, broker, tokens):
    item = await stocked_item(shop, broker, quantity=5)
    good = {"item_id": item, "price": 5, "units": 1, "starts_at": iso(hours(0))}
    cases = [
        ({**good, "ends_at": iso(hours(-1))}, 422, "the sale must end after it starts"),
        ({**good, "ends_at": iso(hours(1)), "price": 1.001}, 422, None),
        ({**good, "ends_at": iso(hours(1)), "item_id": 1_999_999_999}, 404, None),
        ({**good, "ends_at": iso(hours(1)), "units": 0}, 422, None),
    ]
    for body, status, detail in cases:
        response = await shop.post("/api/sales", json=body, headers=tokens["admin"])
        assert response.status_code == status, (body, response.text)
        if detail:
            assert response.json()["detail"] == detail


async def test_entering_refuses_each_case_with_its_message(shop, broker, tokens):
    item = await stocked_item(shop, broker, quantity=5)
    upcoming = await new_sale(shop, tokens["admin"], item, opens=1, closes=2)
    over = await new_sale(shop, tokens["admin"], item, opens=-2, closes=-1)
    open_sale = await new_sale(shop, tokens["admin"], item, units=1)

    assert (await enter(shop, open_sale["id"], {})).status_code == 401
    not_yet = await enter(shop, upcoming["id"], tokens["ada"])
    assert not_yet.status_code == 409
    assert not_yet.json()["detail"].startswith("the sale has not opened yet: it opens at ")
    gone = await enter(shop, over["id"], tokens["ada"])
    assert (gone.status_code, gone.json()) == (410, {"detail": "the sale is over"})
    result = await gql(shop, ENTER, tokens["ada"], s=over["id"])
    assert code_of(result) == "GONE"
    assert (await enter(shop, "no-such-sale", tokens["ada"])).status_code == 404

    first = await enter(shop, open_sale["id"], tokens["ada"])
    assert first.status_code == 200
    assert first.json()["position"] == 0
    again = await enter(shop, open_sale["id"], tokens["ada"])
    assert again.json() == first.json()  # the same token back, not a second place
    ticket = (await gql(shop, ENTER, tokens["ada"], s=open_sale["id"]))["data"]["enterSale"]
    assert ticket == {"queueToken": first.json()["queue_token"], "position": 0, "status": "WAITING"}
    assert (await enter(shop, open_sale["id"], tokens["alan"])).json()["position"] == 1
    assert (await enter(shop, open_sale["id"], tokens["grace"])).status_code == 200
    full = await enter(shop, open_sale["id"], tokens["admin"])  # the fourth of three places
    assert (full.status_code, full.json()) == (
        409,
        {"detail": "the queue of this sale is full: try again later"},
    )


async def test_the_worker_gives_the_units_in_order_and_a_purchase_token_buys_once(
    stack, shop, broker, tokens
):
    item = await stocked_item(shop, broker, quantity=5, price=300)
    sale = await new_sale(shop, tokens["admin"], item, units=1, price=150)
    ada = (await enter(shop, sale["id"], tokens["ada"])).json()["queue_token"]
    alan = (await enter(shop, sale["id"], tokens["alan"])).json()["queue_token"]

    # No worker yet: both wait, Alan behind Ada.
    waiting = await exchange(shop, alan, tokens["alan"])
    assert (waiting.status_code, waiting.json()) == (202, {"detail": "not yet", "position": 1})

    async with sale_worker(stack):

        async def decided() -> httpx.Response | None:
            response = await exchange(shop, alan, tokens["alan"])
            return response if response.status_code != 202 else None

        sold_out = await eventually(decided)
    assert sold_out.status_code == 410
    assert sold_out.json()["detail"].startswith("sold out")
    exchanged = await exchange(shop, ada, tokens["ada"])
    assert exchanged.status_code == 200
    purchase_token = exchanged.json()["purchase_token"]
    read = (await gql(shop, TICKET, tokens["ada"], t=ada))["data"]["saleTicket"]
    assert (read["status"], read["purchaseToken"], read["sale"]["unitsLeft"]) == (
        "READY",
        purchase_token,
        0,
    )
    assert read["sale"]["state"] == "SOLD_OUT"
    assert (await enter(shop, sale["id"], tokens["grace"])).status_code == 410

    assert (await buy(shop, purchase_token, tokens["alan"])).status_code == 403
    bought = await buy(shop, purchase_token, tokens["ada"])
    assert bought.status_code == 201, bought.text
    order = bought.json()
    assert (order["status"], order["total"], order["user_id"]) == ("awaiting_payment", 150, ADA)
    assert [(line["item_id"], line["unit_price"]) for line in order["lines"]] == [(item, 150)]
    again = await buy(shop, purchase_token, tokens["ada"])
    assert (again.status_code, again.json()) == (
        409,
        {"detail": "this purchase token was used already", "order_id": order["id"]},
    )
    assert code_of(await gql(shop, BUY, tokens["ada"], t=purchase_token)) == "CONFLICT"
    used = (await gql(shop, TICKET, tokens["ada"], t=ada))["data"]["saleTicket"]
    assert (used["status"], used["order"]["id"], used["order"]["total"]) == (
        "USED",
        order["id"],
        150,
    )
    alans = (await gql(shop, TICKET, tokens["alan"], t=alan))["data"]["saleTicket"]
    assert (alans["status"], alans["purchaseToken"]) == ("SOLD_OUT", None)


async def test_tokens_not_issued_to_the_caller_are_refused_with_their_code(
    stack, shop, broker, tokens
):
    item = await stocked_item(shop, broker, quantity=5)
    sale = await new_sale(shop, tokens["admin"], item, units=1)
    adas = (await enter(shop, sale["id"], tokens["ada"])).json()["queue_token"]
    refusals = {
        "forged": (hand_signed(TokenKind.QUEUE, ADA, sale["id"], secret=WRONG_KEY), 401),
        "expired": (
            hand_signed(TokenKind.QUEUE, ADA, sale["id"], expires_in=timedelta(minutes=-5)),
            401,
        ),
        "never issued": (hand_signed(TokenKind.QUEUE, ADA, sale["id"]), 401),
        "a purchase token": (hand_signed(TokenKind.PURCHASE, ADA, sale["id"]), 401),
        "garbage": ("not.a.token", 401),
    }
    for case, (token, status) in refusals.items():
        response = await exchange(shop, token, tokens["ada"])
        assert response.status_code == status, (case, response.text)
        assert code_of(await gql(shop, TICKET, tokens["ada"], t=token)) == "UNAUTHENTICATED"
    expired = await exchange(shop, refusals["expired"][0], tokens["ada"])
    assert expired.json() == {"detail": "the queue token expired"}
    never = await exchange(shop, refusals["never issued"][0], tokens["ada"])
    assert never.json() == {"detail": "this queue token was never issued by this shop"}
    others = await exchange(shop, adas, tokens["alan"])
    assert (others.status_code, others.json()) == (
        403,
        {"detail": "this queue token is another user's"},
    )
    assert code_of(await gql(shop, TICKET, tokens["alan"], t=adas)) == "FORBIDDEN"
    assert (await exchange(shop, adas, {})).status_code == 401

    # The same with purchase tokens.
    for token, detail in (
        (hand_signed(TokenKind.PURCHASE, ADA, sale["id"], secret=WRONG_KEY), None),
        (
            hand_signed(TokenKind.PURCHASE, ADA, sale["id"], expires_in=timedelta(minutes=-5)),
            "the purchase token expired",
        ),
        (
            hand_signed(TokenKind.PURCHASE, ADA, sale["id"]),
            "this purchase token was never issued by this shop",
        ),
        (adas, None),  # a queue token is no purchase token
    ):
        response = await buy(shop, token, tokens["ada"])
        assert response.status_code == 401, response.text
        if detail:
            assert response.json()["detail"] == detail
    others = await buy(shop, hand_signed(TokenKind.PURCHASE, ADA, sale["id"]), tokens["alan"])
    assert others.status_code == 403
    never_issued = hand_signed(TokenKind.PURCHASE, ADA, sale["id"])
    assert code_of(await gql(shop, BUY, tokens["ada"], t=never_issued)) == "UNAUTHENTICATED"
    assert code_of(await gql(shop, BUY, tokens["alan"], t=never_issued)) == "FORBIDDEN"
    assert code_of(await gql(shop, BUY, t=never_issued)) == "UNAUTHENTICATED"  # signed out


FOLLOW = """
subscription($t: String!) { saleTicket(queueToken: $t) { status position purchaseToken } }
"""


async def test_a_subscriber_follows_the_ticket_until_it_is_used(
    stack, client, broker, tokens, real_service
):
    url, secret = real_service  # a real process (WebSocket), with the dev token secret
    item = await stocked_item(client, broker, quantity=5)
    async with httpx.AsyncClient(base_url=url) as shop:
        sale = await new_sale(shop, tokens["admin"], item, units=1, price=7)
        ada = (await enter(shop, sale["id"], tokens["ada"])).json()["queue_token"]
        async with websockets.connect(
            url.replace("http://", "ws://") + "/graphql",
            subprotocols=["graphql-transport-ws"],
            additional_headers={"x-fedshop-router-secret": secret},
        ) as socket:
            init = {"type": "connection_init", "payload": tokens["ada"]}
            await socket.send(json.dumps(init))
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            payload = {"query": FOLLOW, "variables": {"t": ada}}
            await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            seen = []
            async with asyncio.timeout(30):
                seen.append(json.loads(await socket.recv())["payload"]["data"]["saleTicket"])
                async with sale_worker(stack, DEV_SECRET):
                    ready = json.loads(await socket.recv())["payload"]["data"]["saleTicket"]
                seen.append(ready)
                bought = await buy(shop, ready["purchaseToken"], tokens["ada"])
                assert bought.status_code == 201, bought.text
                while (message := json.loads(await socket.recv()))["type"] == "next":
                    seen.append(message["payload"]["data"]["saleTicket"])
                assert message["type"] == "complete"
    assert seen == [
        {"status": "WAITING", "position": 0, "purchaseToken": None},
        {"status": "READY", "position": 0, "purchaseToken": ready["purchaseToken"]},
        {"status": "USED", "position": 0, "purchaseToken": None},
    ]


async def test_openapi_documents_every_sale_route_with_its_refusals(shop):
    paths = (await shop.get("/openapi.json")).json()["paths"]
    documented = {
        ("post", "/api/sales"): {"201", "401", "403", "404", "422"},
        ("get", "/api/sales/{sale_id}"): {"200", "404"},
        ("get", "/api/queue/enter"): {"200", "401", "404", "409", "410"},
        ("post", "/api/queue/exchange-qt-for-pt"): {"200", "202", "401", "403", "410"},
        ("post", "/api/shop/purchase"): {"201", "401", "403", "409", "422", "503"},
    }
    for (method, path), statuses in documented.items():
        assert statuses <= set(paths[path][method]["responses"]), (method, path)
