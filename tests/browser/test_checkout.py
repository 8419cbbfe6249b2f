"""A shopper's cart in Chromium: two items in the cart (kept across a reload), a checkout with the
test card, the order followed live until it is paid and its email reported; a declined card
cancels the order, whose items can go back into the cart.

Needs the purchases service's checkout and the payment worker (issue 17) running in the system."""

import re

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot

# From the checkout to "Paid": outbox relay, payment worker, purchases; then the email worker.
PAID_WITHIN_MS = 30_000
EMAIL_WITHIN_MS = 30_000
SHOPPER, SHOPPER_EMAIL = "Grace Hopper", "grace.hopper@example.com"  # user 3
ORDER_URL = re.compile(r"/orders/([^/?#]+)$")


async def fill_cart(page: Page, spa_url: str, items: dict[str, int]) -> None:
    """On the shopper's page, press "Add to cart" as many times as each item's quantity."""
    await page.goto(f"{spa_url}/users/3")
    await expect(page.get_by_role("heading", name=SHOPPER)).to_be_visible()
    for name, quantity in items.items():
        for _ in range(quantity):
            await page.get_by_role("button", name=f"Add {name} to cart", exact=True).click()
    await expect(page.get_by_role("link", name=f"Cart ({sum(items.values())})")).to_be_visible()


async def test_check_out_two_items_and_see_the_order_paid_and_its_email(page: Page, spa_url: str):
    await fill_cart(page, spa_url, {"Table": 2, "Chair": 1})
    await screenshot(page, "12-user-with-cart")

    # The cart is kept in the browser: a reload still has it.
    await page.reload()
    cart_link = page.get_by_role("link", name="Cart (3)")
    await expect(cart_link).to_be_visible()
    await cart_link.click()
    await expect(page).to_have_url(re.compile(r"/users/3/cart$"))
    await expect(page.get_by_role("heading", name=f"Cart of {SHOPPER}")).to_be_visible()
    lines = page.get_by_role("listitem")
    await expect(lines).to_have_count(2)
    await expect(lines.filter(has_text="Table")).to_contain_text("10.00")
    await expect(page.get_by_text("Total")).to_contain_text("40.00")

    await page.get_by_label("Quantity of Chair").fill("2")
    await expect(page.get_by_text("Total")).to_contain_text("60.00")
    await expect(page.get_by_label("Card number")).to_have_value("4242424242424242")
    await screenshot(page, "13-cart")

    await page.get_by_role("button", name="Check out").click()
    await expect(page).to_have_url(ORDER_URL)
    order_id = ORDER_URL.search(page.url).group(1)
    await expect(page.get_by_role("heading", name="Order", exact=True)).to_be_visible()
    ordered = page.get_by_role("region", name="Items").get_by_role("listitem")
    await expect(ordered.filter(has_text="Table")).to_contain_text("2 × 10.00")
    await expect(ordered.filter(has_text="Chair")).to_contain_text("2 × 20.00")
    await expect(page.get_by_role("region", name="Items")).to_contain_text("Total 60.00")

    # Followed live, without a reload: paid, then its email.
    status = page.get_by_role("status")
    await expect(status).to_contain_text(re.compile(r"^Paid"), timeout=PAID_WITHIN_MS)
    await expect(status).to_contain_text(
        f"Order confirmation email sent to {SHOPPER_EMAIL}", timeout=EMAIL_WITHIN_MS
    )
    await screenshot(page, "14-order-paid")

    # The server has it: a reload shows the same.
    await page.reload()
    await expect(status).to_contain_text("Paid")
    await expect(status).to_contain_text("Order confirmation email sent")

    # The checkout emptied the cart; the order is in the shopper's orders.
    await page.get_by_role("link", name="← Back to the shop").click()
    await expect(page.get_by_role("link", name="Cart (0)")).to_be_visible()
    await page.get_by_role("link", name="Orders", exact=True).click()
    await expect(page.get_by_role("heading", name=f"Orders of {SHOPPER}")).to_be_visible()
    order_link = page.locator(f'a[href="/orders/{order_id}"]')
    await expect(order_link).to_contain_text("Table")
    await expect(order_link).to_contain_text("Chair")
    await expect(order_link).to_contain_text("60.00")
    await expect(order_link).to_contain_text("Paid")
    await screenshot(page, "15-orders")
    await order_link.click()
    await expect(page).to_have_url(re.compile(f"/orders/{order_id}$"))


async def test_a_declined_card_cancels_the_order_and_its_items_can_go_back(
    page: Page, spa_url: str
):
    await fill_cart(page, spa_url, {"Table": 1})
    await page.get_by_role("link", name="Cart (1)").click()
    await page.get_by_label("Card number").fill("4000000000000002")
    await page.get_by_role("button", name="Check out").click()
    await expect(page).to_have_url(ORDER_URL)

    status = page.get_by_role("status")
    await expect(status).to_contain_text(
        "Cancelled: payment failed (card declined)", timeout=PAID_WITHIN_MS
    )
    await expect(status).to_contain_text(
        f"Cancellation email sent to {SHOPPER_EMAIL}", timeout=EMAIL_WITHIN_MS
    )
    await screenshot(page, "16-order-cancelled")

    await page.get_by_role("button", name="Put these items back in the cart").click()
    await expect(page).to_have_url(re.compile(r"/users/3/cart$"))
    await expect(page.get_by_role("listitem").filter(has_text="Table")).to_be_visible()
