"""Signing in through the page: the session survives a reload, the user buys as themself, and
signs out."""

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot

EMAIL_WITHIN_MS = 30_000
SHOPPER, EMAIL = "Edsger Dijkstra", "edsger.dijkstra@example.com"  # user 4


async def test_sign_in_reload_buy_and_sign_out(page: Page, spa_url: str):
    await page.goto(spa_url)
    await page.get_by_role("link", name="Sign in").click()
    await page.get_by_label("Email").fill(EMAIL)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")

    await page.get_by_label("Password").fill("fedshop-demo")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name=SHOPPER)).to_be_visible()
    session = page.get_by_role("navigation", name="Session")
    await expect(session).to_contain_text(f"Signed in as {SHOPPER}")
    await screenshot(page, "8-signed-in")

    # The access token lived in memory only: the reload gets a new one with the refresh cookie.
    await page.reload()
    await expect(session).to_contain_text(f"Signed in as {SHOPPER}")
    await expect(page.get_by_role("heading", name=SHOPPER)).to_be_visible()

    await page.get_by_role("button", name="Buy Table", exact=True).click()
    outcome = page.get_by_role("status")
    await expect(outcome).to_contain_text("Table: purchase succeeded")
    await expect(outcome).to_contain_text("confirmation email sent", timeout=EMAIL_WITHIN_MS)

    # Someone else's page: buying there is for its owner only.
    await page.goto(f"{spa_url}/users/2")
    await expect(page.get_by_text("You are signed in as someone else")).to_be_visible()
    await expect(page.get_by_role("button", name="Buy Table", exact=True)).to_be_disabled()

    await session.get_by_role("button", name="Sign out").click()
    await expect(session.get_by_role("link", name="Sign in")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("navigation", name="Session")).to_contain_text("Sign in")
    await screenshot(page, "9-signed-out")
