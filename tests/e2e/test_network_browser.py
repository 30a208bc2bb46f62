"""A gmina's cooperation network in Chromium: the link opens it, baseline and endline side by side with the
change table, the switch shows one wave with its measures, plotly draws every graph as SVG."""

from __future__ import annotations

import shutil

import pytest
from streamlit_page import login, wait_idle

from tests.ui.test_network_page import ZAWISLE, _seed

pytestmark = pytest.mark.e2e
SCREENSHOT = "/tmp/kooperacja_network.png"
GRAPH = "[data-testid='stPlotlyChart'] .main-svg"
NODES = "[data-testid='stPlotlyChart'] g.scatterlayer g.trace"


@pytest.fixture(scope="module")
def demo_db(demo_db, tmp_path_factory):
    """This module's server runs on the demo with Zawiśle's baseline and endline."""
    path = tmp_path_factory.mktemp("network-e2e") / "demo.duckdb"
    shutil.copy(demo_db, path)
    _seed(path)
    return path


def _choose(page, label: str) -> None:
    """Pick a wave in the switch; a click landing while the app still reruns is lost, so click again."""
    option = page.locator("[data-testid='stRadio'] label", has_text=label)
    for _ in range(3):
        wait_idle(page)
        option.click()
        wait_idle(page)
        if option.locator("input").is_checked():
            return
    raise AssertionError(f"the switch did not take {label!r}")


def test_a_gminas_network_switches_between_baseline_endline_and_both(app_url, page):
    page.goto(f"{app_url}/siec?terc={ZAWISLE}")
    login(page, "admin")
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("heading", name="Sieć współpracy instytucji gminy Zawiśle").wait_for()
    wait_idle(page)
    # both waves side by side: two graphs and the change chart, the table of the change under them
    main.get_by_role("heading", name="Zmiana miar: przed i po").wait_for()
    page.wait_for_selector(NODES)
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3
    assert main.get_by_text("Przed: diagnoza (badanie wyjściowe), 03.02.2025").is_visible()
    assert main.get_by_text("Po: ewaluacja (badanie końcowe), 07.09.2026").is_visible()
    change = main.locator("[data-testid='stDataFrame']").first
    change.scroll_into_view_if_needed()
    assert change.is_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    # the baseline alone: one graph, its measures
    _choose(page, "diagnoza (badanie wyjściowe), 03.02.2025")
    main.get_by_role("heading", name="Miary sieci").wait_for()
    assert page.locator("[data-testid='stPlotlyChart']").count() == 1
    assert page.locator(GRAPH).count() >= 1 and page.locator(NODES).count() >= 2
    assert not main.get_by_role("heading", name="Zmiana miar: przed i po").count()
    # the endline alone, then both again
    _choose(page, "ewaluacja (badanie końcowe), 07.09.2026")
    main.get_by_role("heading", name="Miary sieci").wait_for()
    assert page.locator("[data-testid='stPlotlyChart']").count() == 1
    _choose(page, "przed i po, obok siebie")
    main.get_by_role("heading", name="Zmiana miar: przed i po").wait_for()
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3
    assert "terc=3401011" in page.url
