"""Every page URL of a freshly started server shows only the login form, before anybody has logged in."""

from __future__ import annotations

import pytest
from streamlit_page import wait_idle
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
            wait_idle(page, settle=0.5)
            page.get_by_role("button", name="Zaloguj się").wait_for()
            assert_login_form_only(page)
        finally:
            context.close()
