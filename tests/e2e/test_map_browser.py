"""The default demo's overview in Chromium: kujawsko-pomorskie's 144 gminy drawn, a click opens a gmina."""

from __future__ import annotations

import pytest
from streamlit_page import login, wait_idle

pytestmark = pytest.mark.e2e
SHAPES = "[data-testid='stPlotlyChart'] path.choroplethlocation"


@pytest.fixture(scope="module")
def demo_db(real_demo_db):
    """This module's server runs on the default demo (the real region) instead of the fictional one."""
    return real_demo_db


def test_the_overview_draws_every_gmina_and_a_click_opens_a_pilot_gmina(app_url, page):
    page.goto(app_url)
    login(page, "admin")
    page.wait_for_selector(SHAPES)
    wait_idle(page)
    assert page.locator(SHAPES).count() == 144
    page.locator("[data-testid='stPlotlyChart']").scroll_into_view_if_needed()
    # the pilot gminy are the last 12 shapes (the grey context comes first); click a point inside one
    # (plotly picks the shape under the pointer itself: its drag layer lies over the shapes)
    point = page.evaluate(
        """(sel) => {
            const paths = [...document.querySelectorAll(sel)].slice(-12);
            for (const p of paths) {
                const b = p.getBBox(), m = p.getScreenCTM();
                for (let i = 1; i < 10; i++) for (let j = 1; j < 10; j++) {
                    const x = b.x + b.width * i / 10, y = b.y + b.height * j / 10;
                    if (b.width > 15 && b.height > 15 && p.isPointInFill(new DOMPoint(x, y))) {
                        const s = new DOMPoint(x, y).matrixTransform(m);
                        return [s.x, s.y];
                    }
                }
            }
            return "no point inside a pilot gmina";
        }""",
        SHAPES,
    )
    assert isinstance(point, list), point
    page.mouse.move(point[0], point[1])
    page.wait_for_timeout(300)
    page.mouse.click(point[0], point[1])
    page.wait_for_url("**/gmina**")
    wait_idle(page)
    assert "/gmina?terc=04" in page.url  # the gmina's own link, to send to a colleague
    assert not page.locator("[data-testid='stException']").count()
