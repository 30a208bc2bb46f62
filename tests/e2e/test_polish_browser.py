"""Polish throughout, in a real browser: every page as every role, searched for Streamlit's English
and for raw codes, drawn without an exception and without a request leaving the machine; bookmarked
and unknown URLs; a link to a gmina that survives the login."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
from streamlit_page import MAIN, forbidden_tokens, login, nav_titles, screen_text, wait_idle

from kooperacja.model import access
from kooperacja.model.access import pages_for
from kooperacja.ui import nav

pytestmark = pytest.mark.e2e

USERS = {access.ADMIN: "admin", access.ANIMATOR: "animator1", access.WZK: "wzk", access.ZARZAD: "zarzad"}


@pytest.mark.parametrize("role", list(USERS))  # a role per test: the two workers share the walk
def test_every_page_as_every_role_speaks_polish_offline_without_an_error(app_url, browser, role):
    started, problems, outside = time.monotonic(), {}, []
    user = USERS[role]
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("request", lambda r: _outside(r.url, outside))  # no CDN font, tile or script
    page.goto(app_url)
    login(page, user)
    for name in pages_for(role):
        title = nav.PAGES[name][0]
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
        wait_idle(page, settle=0.2)
        hits = forbidden_tokens(screen_text(page))
        if page.locator("[data-testid='stException']").count():
            hits.append("stException")
        if hits:
            problems[f"{name} ({user})"] = sorted(set(hits))
    context.close()
    elapsed = time.monotonic() - started
    print(f"walked {len(pages_for(role))} pages as {user} in {elapsed:.0f} s")
    assert not problems, "\n".join(f"{where}: {', '.join(hits)}" for where, hits in problems.items())
    assert outside == []
    assert elapsed < 90  # all four roles: ~50 s on an idle machine, 106 s with 7 sessions on 2 cores


def _outside(url: str, found: list[str]) -> None:
    if urlparse(url).hostname not in ("127.0.0.1", "localhost", None):
        found.append(url)


def _past_the_first_request(page, url: str) -> None:
    """A server's very first request may run a page file directly (the legacy pages/ mechanism),
    which returns to "/" (tests/e2e/test_login_browser.py covers it): warm the server up first."""
    page.goto(url)
    wait_idle(page, settle=1.0)


def test_a_bookmarked_page_url_opens_that_page_after_login(app_url, page):
    _past_the_first_request(page, app_url)
    page.goto(f"{app_url}/przeglad")
    login(page, "wzk")
    page.get_by_role("heading", name="Przegląd regionu").wait_for()
    assert page.url.endswith("/przeglad")
    page.goto(f"{app_url}/raport")  # logged in by the cookie: the bookmark of another page
    wait_idle(page, settle=1.0)
    page.get_by_role("heading", name="Efekty modelu kooperacji").wait_for()
    page.goto(f"{app_url}/przeglad")
    wait_idle(page, settle=1.0)
    body = page.inner_text("body")
    assert "Page not found" not in body and "Przegląd regionu" in body
    assert nav_titles(page) == [nav.PAGES[n][0] for n in pages_for("wzk")]


@pytest.mark.parametrize(
    ("path", "note"),
    [
        ("alerty", "Strona „Alerty” nie jest dostępna dla Twojej roli"),
        ("nie-ma-takiej", "Nie ma strony „nie-ma-takiej”"),
    ],
)
def test_a_url_the_role_may_not_open_says_so_in_polish(app_url, page, path, note):
    page.goto(app_url)
    login(page, "zarzad")
    page.goto(f"{app_url}/{path}")
    wait_idle(page, settle=1.0)
    page.get_by_text(note).wait_for()
    body = page.inner_text("body")
    assert "Page not found" not in body and "Przegląd regionu" in body


def test_a_gmina_link_sent_to_a_colleague_opens_that_gmina_after_their_login(start_server, page):
    app_url = start_server()  # a fresh server: the link is its very first request (legacy pages/ run)
    page.goto(f"{app_url}/gmina?terc=3403022")  # Borowina: animator2's, opened by animator1
    login(page, "animator1")
    main = page.locator(MAIN)
    main.get_by_text("Borowina · wiejska").wait_for()
    assert page.url.endswith("/gmina?terc=3403022")
    main.get_by_text("Kopiuj link").click()
    assert main.locator("code").filter(has_text="gmina?terc=3403022").count() == 1
