"""Security in a browser: no page URL before login on a fresh server; a copied cookie dies at logout."""

from __future__ import annotations

import pytest
from streamlit_page import login, wait_idle
from test_login_browser import assert_login_form_only

from kooperacja.ui import nav

pytestmark = pytest.mark.e2e


def test_no_page_url_renders_without_login_on_a_fresh_server(start_server, browser):
    url = start_server()  # nobody has loaded "/" on this server: the legacy pages/ mode is still on
    for name in nav.PAGES:  # the first request of all is nav.PAGES' first URL
        context = browser.new_context(locale="pl-PL")
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            page.goto(f"{url}/{name}")
            assert_login_form_only(page)  # waits for the run to settle, then for the form
        finally:
            context.close()


def test_a_copied_login_cookie_no_longer_logs_in_after_logout(app_url, browser):
    victim = browser.new_context(locale="pl-PL")
    page = victim.new_page()
    page.set_default_timeout(20_000)
    page.goto(app_url)
    login(page, "animator1")
    page.get_by_role("heading", name="Przegląd regionu").wait_for()
    wait_idle(page, settle=1.0)
    stolen = [c for c in victim.cookies() if c["name"] == "kooperacja_auth"]
    assert stolen, "the login cookie was not set"
    thief = browser.new_context(locale="pl-PL")
    thief.add_cookies(stolen)
    other = thief.new_page()
    other.set_default_timeout(20_000)
    other.goto(app_url)
    wait_idle(other, settle=1.5)
    other.get_by_role("button", name="Wyloguj").wait_for()  # the copy works now...
    page.get_by_role("button", name="Wyloguj").click()
    wait_idle(page, settle=1.0)
    other.goto(app_url)  # ...and not after the owner logged out
    wait_idle(other, settle=1.5)
    other.get_by_role("button", name="Zaloguj się").wait_for()
    assert_login_form_only(other)
    victim.close()
    thief.close()


def test_changing_ones_own_password_keeps_this_browser_logged_in_and_ends_the_copies(app_url, browser):
    owner = browser.new_context(locale="pl-PL")
    page = owner.new_page()
    page.set_default_timeout(20_000)
    page.goto(app_url)
    login(page, "wzk")
    page.get_by_role("heading", name="Przegląd regionu").wait_for()
    wait_idle(page, settle=1.0)
    copied = [c for c in owner.cookies() if c["name"] == "kooperacja_auth"]
    assert copied, "the login cookie was not set"
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Zmień hasło").first.click()
    sidebar.get_by_label("Obecne hasło", exact=True).fill("demo")
    sidebar.get_by_label("Nowe hasło", exact=True).fill("trzy słowa wiosną")
    sidebar.get_by_label("Powtórz nowe hasło", exact=True).fill("trzy słowa wiosną")
    sidebar.get_by_role("button", name="Zmień hasło").click()
    wait_idle(page, settle=1.0)
    sidebar.get_by_text("Hasło zmienione.").wait_for()
    page.reload()  # the fresh cookie logs this browser in again
    wait_idle(page, settle=1.5)
    assert "Wyloguj" in page.locator("[data-testid='stSidebar']").inner_text()
    thief = browser.new_context(locale="pl-PL")
    thief.add_cookies(copied)  # a cookie from before the change no longer logs in
    other = thief.new_page()
    other.set_default_timeout(20_000)
    other.goto(app_url)
    wait_idle(other, settle=1.5)
    other.get_by_role("button", name="Zaloguj się").wait_for()
    assert_login_form_only(other)
    owner.close()
    thief.close()
