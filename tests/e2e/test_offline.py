"""Nothing is fetched from outside the machine: every page an admin can open loads from the app alone."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from streamlit_page import login, nav_titles, wait_idle

pytestmark = pytest.mark.e2e


def test_every_page_loads_without_a_request_leaving_the_machine(app_url, page):
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None)
            else None
        ),
    )
    page.goto(app_url)
    login(page, "admin")
    titles = nav_titles(page)
    assert len(titles) >= 10  # admin is offered every page
    for title in titles:
        page.get_by_role("link", name=title, exact=True).click()
        wait_idle(page, settle=0.8)
        assert not page.locator("[data-testid='stException']").count(), title
    assert outside == []
