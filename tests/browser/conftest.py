"""The SPA served by Vite's dev server against the running system, and Debian's Chromium."""

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from tests.support import LOG_DIR, ROOT, ServiceProcess
from tests.system import RunningSystem

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # no calls home: the machines here reach no network but the package registries
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = LOG_DIR.parent / "browser"
README_IMAGES = ROOT / "docs" / "images"


@pytest.fixture(scope="session")
def spa_url(system: RunningSystem) -> Iterator[str]:
    """The SPA, as `make dev` serves it: Vite proxies /graphql to the system's router and /auth
    to its users service, so the page talks to its own origin only. Opened at 127.0.0.1, which
    the router's CORS does not list: no cross-origin request is made (tests/system.py reserves
    the port)."""
    vite = ServiceProcess(
        "system-spa",
        [
            str(ROOT / "frontend/node_modules/.bin/vite"),
            "--host",
            "127.0.0.1",
            "--port",
            str(system.spa_port),
            "--strictPort",
        ],
        {
            **os.environ,
            "FEDSHOP_ROUTER_URL": system.router_url,
            "FEDSHOP_USERS_URL": system.users_url,
        },
        cwd=ROOT / "frontend",
    )
    try:
        vite.wait_ready(f"http://127.0.0.1:{system.spa_port}/")
        yield f"http://127.0.0.1:{system.spa_port}"
    finally:
        vite.stop()


# Playwright's async API, on the event loop the whole pytest session shares: its sync API would
# hold a loop of its own running, and the suite's async tests and clean-ups could not run.
@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/ensure-debian-packages.sh (make test does)"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh tab of a laptop-sized window; a script error in the page fails the test."""
    context = await browser.new_context(viewport={"width": 1024, "height": 768})
    tab = await context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    await context.close()
    assert not errors, f"the page threw: {errors}"


async def screenshot(page: Page, name: str, readme_image: str | None = None) -> None:
    """Save the whole page to test-artifacts/browser/<name>.png, and, with
    UPDATE_README_IMAGES=1 (`make readme-images`), to docs/images/ when it is one of the
    README's pictures; a plain test run leaves the committed pictures alone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=path, full_page=True)
    if readme_image and os.environ.get("UPDATE_README_IMAGES") == "1":
        README_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_IMAGES / readme_image)
