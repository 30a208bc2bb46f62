"""The WZK meeting mode in a real browser: a WZK member opens it and steps through every slide."""

from __future__ import annotations

import pytest
from streamlit_page import login, wait_idle

pytestmark = pytest.mark.e2e

SCREENSHOT = "/tmp/kooperacja_meeting_mode.png"
TITLES = ["Postęp wdrażania", "Gminy opóźnione", "Sprawy osób i rodzin", "Luki w koszyku usług",
          "Współpraca instytucji: przed i po", "Rekomendacje otwarte"]  # fmt: skip


def slide_title(page) -> str:
    return page.locator(".wzk-slide h1").inner_text()


def test_a_wzk_member_steps_through_the_meeting_slides_and_back(app_url, page):
    page.goto(app_url)
    login(page, "wzk")
    page.locator("[data-testid='stSidebarNav'] a", has_text="WZK").click()
    page.get_by_role("heading", name="Wojewódzki Zespół Kooperacji").wait_for()
    wait_idle(page)
    page.get_by_text("Tryb posiedzenia").click()
    page.locator(".wzk-slide").wait_for()
    wait_idle(page)
    seen = []
    for n in range(1, len(TITLES) + 1):
        assert page.locator(".wzk-counter").inner_text() == f"{n} / {len(TITLES)}"
        seen.append(slide_title(page))
        if n < len(TITLES):
            page.get_by_role("button", name="Dalej").click()
            page.locator(".wzk-counter", has_text=f"{n + 1} / {len(TITLES)}").wait_for()
            wait_idle(page)
    assert [s.split(" — ")[0] for s in seen] == TITLES
    assert page.get_by_role("button", name="Dalej").is_disabled()
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.get_by_role("button", name="Wstecz").click()
    page.locator(".wzk-counter", has_text=f"{len(TITLES) - 1} / {len(TITLES)}").wait_for()
    wait_idle(page)  # the counter can be drawn before the rest of the slide
    assert slide_title(page) == TITLES[-2]
    font = page.locator(".wzk-slide h1").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 40  # readable on a projector
