"""The warehouse in Chromium: an admin changes a price and takes an item off sale on the admin
page; a shopper sees both on the shop's page, buys the last unit, and cannot buy a sold-out item."""

import re
import time
import uuid

import httpx
from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot

ADMIN = ("admin@fedshop.example", "fedshop-admin")


def admin_headers(system) -> dict:
    response = httpx.post(
        f"{system.users_url}/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def new_item(system, headers: dict, name: str, price: float, quantity: int | None) -> dict:
    body = {"item": {"name": name, "price": price, "quantity": quantity}}
    response = httpx.post(f"{system.inventory_url}/api/item", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def until_shown(page: Page, check, within: float = 30) -> None:
    """Reload the page until `check()` passes: the shop's copy follows the warehouse's events."""
    deadline = time.monotonic() + within
    while True:
        try:
            await check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            await page.reload()


async def test_an_admin_changes_the_catalog_and_a_shopper_sees_it(page: Page, spa_url, system):
    tag = uuid.uuid4().hex[:6]
    perch, swing = f"Perch {tag}", f"Swing {tag}"
    headers = admin_headers(system)
    new_item(system, headers, perch, 12, 1)
    new_item(system, headers, swing, 7, None)

    await page.goto(f"{spa_url}/sign-in")
    await page.get_by_label("Email").fill(ADMIN[0])
    await page.get_by_label("Password").fill(ADMIN[1])
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("navigation", name="Session")).to_contain_text("Signed in as")
    await page.get_by_role("link", name="Warehouse").click()
    await expect(page.get_by_role("heading", name="Warehouse")).to_be_visible()

    # The new items are on a later page of the catalog.
    price = page.get_by_role("textbox", name=f"Price of {perch}")
    for _ in range(20):
        if await price.count():
            break
        await page.get_by_role("button", name=re.compile("Next")).click()
        await page.wait_for_timeout(300)
    await expect(price).to_be_visible()
    await price.fill("15")
    await page.get_by_role("button", name=f"Save {perch}").click()
    perch_row = page.get_by_role("row").filter(has=price)
    await expect(perch_row).to_contain_text("saved")
    await page.get_by_role("button", name=f"Take off sale: {swing}").click()
    await expect(page.get_by_role("button", name=f"Put on sale: {swing}")).to_be_visible()
    await screenshot(page, "10-warehouse")
    await (
        page.get_by_role("navigation", name="Session")
        .get_by_role("button", name="Sign out")
        .click()
    )

    # A shopper (open mode, anonymous) sees the new price, the stock, and not the item off sale.
    await page.goto(f"{spa_url}/users/5")
    items = page.get_by_role("region", name="Items for sale").get_by_role("listitem")
    perch_row = items.filter(has=page.get_by_text(perch, exact=True))

    async def changed() -> None:
        await expect(perch_row).to_contain_text("15.00", timeout=1000)
        await expect(perch_row).to_contain_text("1 left", timeout=1000)
        await expect(items.filter(has=page.get_by_text(swing, exact=True))).to_have_count(
            0, timeout=1000
        )

    await until_shown(page, changed)
    buy = page.get_by_role("button", name=f"Buy {perch}", exact=True)
    await buy.click()
    await expect(page.get_by_role("status")).to_contain_text(f"{perch}: purchase succeeded")
    # The last unit is gone: sold out, and its button cannot be pressed.
    await expect(perch_row).to_contain_text("sold out")
    await expect(buy).to_be_disabled()
    await page.reload()
    await expect(perch_row).to_contain_text("sold out")
    await expect(page.get_by_role("button", name=f"Buy {perch}", exact=True)).to_be_disabled()
    await screenshot(page, "11-sold-out")
