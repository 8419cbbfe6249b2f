"""Issue 19 in Chromium: an admin puts one Table on a flash sale starting in a few seconds; two
shoppers, each signed in in a browser of their own, watch the countdown, enter the queue one
after the other; the first is told it is their turn and buys the unit, the second is told the
sale is sold out (and still is after a reload, which keeps the place in the queue).

Needs the purchases service's flash sales (createSale, enterSale, the queue worker that hands
out purchase tokens, Subscription.saleTicket, buyWithTicket)."""

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_warehouse import admin_headers
from tests.graphql_client import execute

FIRST, SECOND = "ada.lovelace@example.com", "alan.turing@example.com"
PASSWORD = "fedshop-demo"
TABLE = "1"
STARTS_IN = timedelta(seconds=20)  # time for both to sign in and see it upcoming
OPENS_WITHIN_MS = 45_000  # the countdown's end, then the sale asked again
TURN_WITHIN_MS = 30_000  # the queue worker's decision, told over the subscription
ORDER_URL = re.compile(r"/orders/([^/?#]+)$")

CREATE_SALE = """
mutation CreateSale($input: NewSaleInput!) {
  createSale(input: $input) { id state units unitsLeft }
}"""


async def create_sale(system, units: int) -> str:
    """A sale of `units` Tables at 5.00, opening in a few seconds, for ten minutes."""
    starts = datetime.now(UTC) + STARTS_IN
    sale_input = {
        "itemId": TABLE,
        "price": 5.0,
        "units": units,
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(minutes=10)).isoformat(),
    }
    result = await execute(
        system.graphql_url, CREATE_SALE, headers=admin_headers(system), input=sale_input
    )
    sale = result["createSale"]
    assert (sale["units"], sale["unitsLeft"]) == (units, units)
    return sale["id"]


@pytest.fixture
async def two_shoppers(browser: Browser) -> AsyncIterator[tuple[Page, Page]]:
    """A tab in each of two browsers of their own (cookies, sessionStorage: two shoppers); a
    script error in either page fails the test."""
    contexts, pages, errors = [], [], []
    for _ in range(2):
        context = await browser.new_context(viewport={"width": 1024, "height": 768})
        tab = await context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        contexts.append(context)
        pages.append(tab)
    yield pages[0], pages[1]
    for context in contexts:
        await context.close()
    assert not errors, f"a page threw: {errors}"


async def sign_in(page: Page, spa_url: str, email: str) -> None:
    await page.goto(f"{spa_url}/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("navigation", name="Session")).to_contain_text("Signed in as")


async def test_two_shoppers_one_unit_the_first_buys_it_the_second_is_told_sold_out(
    two_shoppers: tuple[Page, Page], spa_url: str, system
):
    first, second = two_shoppers
    sale_id = await create_sale(system, units=1)
    for shopper, email in ((first, FIRST), (second, SECOND)):
        await sign_in(shopper, spa_url, email)
        # The way there: the nav's flash sales, then the sale.
        await shopper.get_by_role("link", name="Flash sales").click()
        await expect(shopper.get_by_role("heading", name="Flash sales")).to_be_visible()
        await shopper.locator(f'a[href="/sales/{sale_id}"]').click()
        await expect(shopper).to_have_url(re.compile(f"/sales/{sale_id}$"))
        await expect(shopper.get_by_role("heading", name="Flash sale: Table")).to_be_visible()

    # Upcoming: a countdown, and no way in yet.
    await expect(first.get_by_text("Starts in")).to_be_visible()
    await expect(first.get_by_text("The queue opens when the sale starts.")).to_be_visible()
    await screenshot(first, "20-sale-upcoming")

    # Open: both see the way in (each page asks for the sale once its countdown ends: a page
    # that asked after the first had entered would show the one unit gone, with no button),
    # then the first enters, then the second.
    enter_first = first.get_by_role("button", name="Enter the queue")
    enter_second = second.get_by_role("button", name="Enter the queue")
    await expect(enter_first).to_be_visible(timeout=OPENS_WITHIN_MS)
    await expect(enter_second).to_be_visible(timeout=OPENS_WITHIN_MS)
    await enter_first.click()
    first_room = first.get_by_role("region", name="Your place in the queue")
    await expect(first_room).to_be_visible()
    await enter_second.click()

    # The first's turn: the unit is held for them; they buy it and get the order.
    buy_now = first_room.get_by_role("button", name="Buy now")
    await expect(buy_now).to_be_visible(timeout=TURN_WITHIN_MS)
    await screenshot(first, "21-sale-your-turn")
    await buy_now.click()
    order_link = first_room.get_by_role("link", name="see your order")
    await expect(order_link).to_be_visible()

    # The second is told the sale is sold out: at the door when the worker had already given
    # the unit (the usual case: it decides in milliseconds), else live in the waiting room;
    # and again after a reload. No way to buy either way.
    sold_out = re.compile("sold out", re.IGNORECASE)
    await expect(second.locator("body")).to_contain_text(sold_out, timeout=TURN_WITHIN_MS)
    await expect(second.get_by_role("button", name="Buy now")).to_have_count(0)
    await screenshot(second, "22-sale-sold-out")
    await second.reload()
    await expect(second.locator("body")).to_contain_text(sold_out, timeout=TURN_WITHIN_MS)
    await expect(second.get_by_role("button", name="Buy now")).to_have_count(0)

    await order_link.click()
    await expect(first).to_have_url(ORDER_URL)
    await expect(first.get_by_role("heading", name="Order", exact=True)).to_be_visible()
    ordered = first.get_by_role("region", name="Items").get_by_role("listitem")
    await expect(ordered).to_have_count(1)
    await expect(ordered).to_contain_text("1 × 5.00")
