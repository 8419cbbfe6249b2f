"""Issue 18 in Chromium: prices switched to ETH (kept across a reload), a Table in the cart paid
by transaction: the amount due in ETH, a demo transaction made from the cart page, the checkout
with its hash, and the order followed live until it is paid.

Needs the purchases service's crypto quotes (a quote of ETH held, or soon), its demo transactions
(makeTestTransaction on) and the payment worker's check of the simulated ledger."""

import re
import time

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot

SHOPPER = "Ada Lovelace"  # user 1
PAID_WITHIN_MS = 30_000
QUOTE_WITHIN_S = 30  # the shop may not hold its first quote when the system has just started
ORDER_URL = re.compile(r"/orders/([^/?#]+)$")
ETH_AMOUNT = re.compile(r"\d+(\.\d{1,8})? ETH")


async def until_quoted(page: Page) -> None:
    """Reload until the items for sale are priced in ETH: no quote yet says so, in USD."""
    table = (
        page.get_by_role("region", name="Items for sale")
        .get_by_role("listitem")
        .filter(has=page.get_by_text("Table", exact=True))
    )
    deadline = time.monotonic() + QUOTE_WITHIN_S
    while True:
        try:
            await expect(table).to_contain_text(ETH_AMOUNT, timeout=2000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            await page.reload()


async def test_prices_in_eth_and_an_order_paid_by_a_test_transaction(page: Page, spa_url: str):
    await page.goto(f"{spa_url}/users/1")
    await expect(page.get_by_role("heading", name=SHOPPER)).to_be_visible()
    currency = page.get_by_label("Prices in")
    await expect(currency).to_have_value("USD")
    await expect(currency.get_by_role("option", name=re.compile(r"^ETH\b"))).to_have_count(1)
    await currency.select_option("ETH")
    await until_quoted(page)

    # The choice is kept: a reload still shows the prices in ETH, each with its quote's age.
    await page.reload()
    await expect(page.get_by_label("Prices in")).to_have_value("ETH")
    items = page.get_by_role("region", name="Items for sale").get_by_role("listitem")
    table = items.filter(has=page.get_by_text("Table", exact=True))
    await expect(table).to_contain_text(ETH_AMOUNT)
    await expect(table).to_contain_text(re.compile(r"quote \d+ (s|min|h) old"))
    await screenshot(page, "17-prices-in-eth")

    await page.get_by_role("button", name="Add Table to cart", exact=True).click()
    await page.get_by_role("link", name="Cart (1)").click()
    await expect(page.get_by_role("heading", name=f"Cart of {SHOPPER}")).to_be_visible()
    await expect(page.get_by_role("listitem").filter(has_text="Table")).to_contain_text(ETH_AMOUNT)

    # Paying by transaction starts with the token the prices are shown in.
    await page.get_by_role("radio", name="Crypto").check()
    await expect(page.get_by_label("Token")).to_have_value("ETH")
    due = page.get_by_text("Amount due")
    await expect(due).to_contain_text(ETH_AMOUNT)
    tx_hash = page.get_by_role("textbox", name="Transaction hash")
    await expect(tx_hash).to_have_value("")
    await page.get_by_role("button", name="Make a test transaction").click()
    await expect(tx_hash).not_to_have_value("")
    await screenshot(page, "18-cart-paid-by-transaction")

    await page.get_by_role("button", name="Check out").click()
    await expect(page).to_have_url(ORDER_URL)
    await expect(page.get_by_role("heading", name="Order", exact=True)).to_be_visible()
    items_region = page.get_by_role("region", name="Items")
    await expect(items_region).to_contain_text(re.compile(r"Due in ETH \d+(\.\d{1,8})? ETH"))

    # The payment worker finds the transaction on the ledger: paid, followed live.
    status = page.get_by_role("status")
    await expect(status).to_contain_text(re.compile(r"^Paid"), timeout=PAID_WITHIN_MS)
    await screenshot(page, "19-order-paid-in-eth")
    await page.reload()
    await expect(page.get_by_role("status")).to_contain_text("Paid")
    await expect(page.get_by_role("region", name="Items")).to_contain_text("Due in ETH")
