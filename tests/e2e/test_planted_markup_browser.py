"""Planted Markdown/HTML in a browser: the service card and the case card show it as text (finding 7).

The server runs on a copy of the demo region with links, images and HTML in every text field; the
page must hold no link to and no image from the planted site, and the browser must never ask it
for anything.
"""

from __future__ import annotations

import shutil

import pytest
from streamlit_page import login, wait_idle

from tests.ui.test_planted_markup import EVIL, plant

pytestmark = pytest.mark.e2e

SESSION_LINK = "[Sesja wygasła — zaloguj się tutaj]"


@pytest.fixture(scope="module")
def demo_db(demo_db, tmp_path_factory):
    """The demo region with the planted texts: the module's server (start_server) serves a copy of it."""
    path = tmp_path_factory.mktemp("planted") / "planted.duckdb"
    shutil.copy(demo_db, path)
    plant(path)
    return path


def _open(page, url: str, user: str, path: str) -> list[str]:
    """Log in, open the page at `path`; the URLs the browser asks for from then on."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(url)
    login(page, user)
    page.get_by_role("heading", name="Przegląd regionu").wait_for()
    wait_idle(page, settle=1.0)  # the login cookie is set
    page.goto(f"{url}/{path}")
    wait_idle(page, settle=1.0)
    return asked


def _assert_shown_as_text(page, asked: list[str]) -> None:
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text(SESSION_LINK, exact=False).count() > 0  # the text is there, as text
    assert page.locator(f"a[href^='{EVIL}']").count() == 0
    assert page.locator(f"img[src^='{EVIL}'], img[src='x']").count() == 0
    html = page.content()
    assert f'<a href="{EVIL}' not in html and f'<img src="{EVIL}' not in html
    assert "<img src=x" not in html and '<img src="x"' not in html
    assert not [u for u in asked if "evil.example" in u], asked


def test_the_service_card_shows_planted_links_and_images_as_text(app_url, page):
    asked = _open(page, app_url, "animator1", "uslugi")
    page.get_by_role("heading", name="Lokalny koszyk usług").wait_for()
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 38 + 17)  # the first row's selection box
    wait_idle(page, settle=1.0)
    page.get_by_text("Jak skorzystać:", exact=False).first.wait_for()
    page.wait_for_timeout(1000)  # time for any image to be asked for
    _assert_shown_as_text(page, asked)


def test_the_case_card_shows_planted_goals_as_text(app_url, page):
    asked = _open(page, app_url, "admin", "sprawy")
    page.get_by_text("Cel główny:", exact=False).first.wait_for()
    wait_idle(page, settle=1.0)
    _assert_shown_as_text(page, asked)
