"""The login in a real browser: no page before the login, the role's menu, refusals, logout."""

from __future__ import annotations

import time

import pytest
from streamlit_page import login, nav_titles, wait_idle

from kooperacja.model.access import pages_for
from kooperacja.ui import nav

pytestmark = pytest.mark.e2e

SCREENSHOT = "/tmp/kooperacja_overview.png"


def assert_login_form_only(page) -> None:
    wait_idle(page, settle=1.0)  # the cookie component's report-back re-runs the script once more
    expect_form = page.get_by_role("button", name="Zaloguj się")
    expect_form.wait_for()
    assert page.get_by_label("Hasło", exact=True).is_visible()
    assert nav_titles(page) == []
    body = page.locator("[data-testid='stMain']").inner_text()
    for marker in ("Oś czasu", "Harmonogram", "Alerty", "Dodaj użytkownika", "Gminy w pilotażu"):
        assert marker not in body, marker


@pytest.mark.parametrize("path", ["gmina", "uzytkownicy"])
def test_the_first_request_to_a_page_url_after_a_start_shows_only_the_login(start_server, page, path):
    url = start_server()  # a fresh server: its very first request is this page URL
    page.goto(f"{url}/{path}")
    wait_idle(page, settle=1.0)
    page.get_by_role("button", name="Zaloguj się").wait_for()
    assert_login_form_only(page)


def test_an_animator_logs_in_and_sees_the_overview_and_their_menu(app_url, page):
    page.goto(app_url)
    started = time.monotonic()
    login(page, "animator1")
    page.get_by_role("heading", name="Przegląd regionu").wait_for()
    elapsed = time.monotonic() - started
    assert nav_titles(page) == [nav.PAGES[n][0] for n in pages_for("animator")]
    assert nav_titles(page)[:5] == ["Przegląd regionu", "Gmina", "PZK", "Sieć współpracy", "Alerty"]
    assert "Użytkownicy" not in nav_titles(page)
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "animator współpracy" in sidebar and "Wyloguj" in sidebar
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert elapsed < 15


def test_a_wrong_password_is_refused_in_polish(app_url, page):
    page.goto(app_url)
    login(page, "animator1", "zle-haslo")
    assert page.get_by_text("Nieprawidłowy login lub hasło.").is_visible()
    assert_login_form_only(page)


def test_after_logout_a_reload_shows_the_login_form(app_url, page):
    page.goto(app_url)
    login(page, "wzk")
    page.get_by_role("heading", name="Przegląd regionu").wait_for()
    page.reload()  # the cookie logs the user back in
    wait_idle(page, settle=1.0)
    assert "Wyloguj" in page.locator("[data-testid='stSidebar']").inner_text()
    page.get_by_role("button", name="Wyloguj").click()
    wait_idle(page, settle=1.0)
    assert_login_form_only(page)
    page.reload()
    wait_idle(page, settle=1.0)
    assert_login_form_only(page)


def test_zarzad_opening_the_alerts_url_lands_on_an_allowed_page(app_url, page):
    page.goto(app_url)
    login(page, "zarzad")
    page.get_by_role("heading", name="Przegląd regionu").wait_for()
    page.goto(f"{app_url}/alerty")
    wait_idle(page, settle=1.0)
    page.get_by_role("heading", name="Przegląd regionu").wait_for()
    assert "Alerty" not in nav_titles(page)
    assert not page.get_by_role("heading", name="Alerty").is_visible()
