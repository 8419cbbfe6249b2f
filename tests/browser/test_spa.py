"""A shopper in Chromium: the users, one user's page, buying under and over 50, both emails."""

import re

from playwright.async_api import Locator, Page, expect

from tests.browser.conftest import screenshot

# From the purchase to the email on screen: outbox relay, email worker, report, subscription.
EMAIL_WITHIN_MS = 30_000
BUYER = "Barbara Liskov"  # user 5; the end-to-end test buys for Alan


def row_of(rows: Locator, page: Page, name: str) -> Locator:
    """The row whose name is exactly `name` ("Lamp", not "Desk Lamp")."""
    return rows.filter(has=page.get_by_text(name, exact=True))


async def test_buy_one_item_under_50_and_one_at_50_and_see_both_emails(page: Page, spa_url: str):
    await page.goto(spa_url)
    await expect(page.get_by_role("heading", name="Users")).to_be_visible()
    buyer_card = page.get_by_role("link", name=re.compile(BUYER))
    await expect(buyer_card).to_contain_text("barbara.liskov@example.com")
    await screenshot(page, "1-home")

    await buyer_card.click()
    await expect(page).to_have_url(re.compile(r"/users/5$"))
    await expect(page.get_by_role("heading", name=BUYER)).to_be_visible()
    items = page.get_by_role("region", name="Items for sale").get_by_role("listitem")
    await expect(row_of(items, page, "Table")).to_contain_text("10.00purchase will succeed")
    await expect(row_of(items, page, "Lamp")).to_contain_text("50.00rejected: 50 or more")
    history = page.get_by_role("region", name="Purchase history").get_by_role("listitem")
    bought_before = await history.count()
    await screenshot(page, "2-user")

    outcome = page.get_by_role("status")
    buy_table = page.get_by_role("button", name="Buy Table", exact=True)
    await buy_table.press("Enter")  # by keyboard
    await expect(outcome).to_contain_text("Table: purchase succeeded")
    await expect(buy_table).to_be_focused()
    await expect(outcome).to_contain_text("confirmation email sent", timeout=EMAIL_WITHIN_MS)

    await page.get_by_role("button", name="Buy Lamp", exact=True).click()
    await expect(outcome).to_contain_text("Lamp: purchase rejected")
    await expect(outcome).to_contain_text("rejection email sent", timeout=EMAIL_WITHIN_MS)

    # The history grew without a reload, newest first, each purchase with its email.
    await expect(history).to_have_count(bought_before + 2)
    await expect(history.nth(0)).to_contain_text(
        re.compile(r"^Lamp50\.00rejectedrejection email sent")
    )
    await expect(history.nth(1)).to_contain_text(
        re.compile(r"^Table10\.00succeededconfirmation email sent")
    )
    await screenshot(page, "3-user-after-both-emails", readme_image="user.png")

    # The server has the same history: a reload shows it.
    await page.reload()
    await expect(history).to_have_count(bought_before + 2)
    await expect(history.nth(0)).to_contain_text("rejection email sent")

    await page.get_by_role("link", name="← All users").click()
    await expect(buyer_card).to_contain_text(f"{bought_before + 2} purchases")
    await expect(buyer_card).to_contain_text("last: Lamp")
    await screenshot(page, "4-home-after-purchases", readme_image="home.png")


async def test_user_page_is_readable_at_phone_width(page: Page, spa_url: str):
    await page.set_viewport_size({"width": 375, "height": 740})
    await page.goto(f"{spa_url}/users/5")
    await expect(page.get_by_role("button", name="Buy Laptop", exact=True)).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling.
    assert await page.evaluate("document.documentElement.scrollWidth") <= 375
    await screenshot(page, "5-user-phone")


async def test_unknown_user_is_said_so(page: Page, spa_url: str):
    await page.goto(f"{spa_url}/users/999")
    await expect(page.get_by_text("There is no user with id 999.")).to_be_visible()
    await screenshot(page, "6-unknown-user")


async def test_router_down_is_said_so(page: Page, spa_url: str):
    # The shared router keeps running for the other tests; this browser just cannot reach it.
    await page.route(re.compile(r"/graphql$"), lambda route: route.abort("connectionrefused"))
    await page.goto(spa_url)
    await expect(page.get_by_role("alert")).to_contain_text("Could not reach the shop's API")
    await screenshot(page, "7-router-down")
