"""A gmina's cooperation network in Chromium: the link opens it, baseline and endline side by side with the
change table, the switch shows one wave with its measures, plotly draws every graph as SVG."""

from __future__ import annotations

import pytest
from streamlit_page import login, wait_idle

from tests.ui.test_network_page import ZAWISLE, demo_waves

pytestmark = pytest.mark.e2e
SCREENSHOT = "/tmp/kooperacja_network.png"
GRAPH = "[data-testid='stPlotlyChart'] .main-svg"
NODES = "[data-testid='stPlotlyChart'] g.scatterlayer g.trace"


@pytest.fixture(scope="module")
def labels(demo_db) -> tuple[str, str]:
    """The switch's labels of Zawiśle's baseline and endline in the demo."""
    from kooperacja import warehouse
    from kooperacja.network import queries
    from kooperacja.ui.network_views import wave_label

    base, end = demo_waves(demo_db)
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        waves = queries.waves(conn, ZAWISLE).set_index("wave_id", drop=False)
    finally:
        conn.close()
    return wave_label(waves.loc[base]), wave_label(waves.loc[end])


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


def test_a_gminas_network_switches_between_baseline_endline_and_both(app_url, page, labels):
    baseline, endline = labels
    page.goto(f"{app_url}/siec?terc={ZAWISLE}")
    login(page, "admin")
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("heading", name="Sieć współpracy instytucji gminy Zawiśle").wait_for()
    wait_idle(page)
    # the picker shows the linked gmina too (it showed the region's first one 3 times in 6 under load,
    # and the next click then moved the page there)
    assert main.locator("[data-testid='stSelectbox'] input").first.input_value().startswith("Zawiśle")
    # both waves side by side: two graphs and the change chart, the table of the change under them
    main.get_by_role("heading", name="Zmiana miar: przed i po").wait_for()
    page.wait_for_selector(NODES)
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3
    assert main.get_by_text(f"Przed: {baseline}").is_visible()
    assert main.get_by_text(f"Po: {endline}").is_visible()
    change = main.locator("[data-testid='stDataFrame']").first
    change.scroll_into_view_if_needed()
    assert change.is_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    # the baseline alone: one graph, its measures
    _choose(page, baseline)
    main.get_by_role("heading", name="Miary sieci").wait_for()
    assert page.locator("[data-testid='stPlotlyChart']").count() == 1
    assert page.locator(GRAPH).count() >= 1 and page.locator(NODES).count() >= 2
    assert not main.get_by_role("heading", name="Zmiana miar: przed i po").count()
    # the endline alone, then both again
    _choose(page, endline)
    main.get_by_role("heading", name="Miary sieci").wait_for()
    assert page.locator("[data-testid='stPlotlyChart']").count() == 1
    _choose(page, "przed i po, obok siebie")
    main.get_by_role("heading", name="Zmiana miar: przed i po").wait_for()
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3
    assert "terc=3401011" in page.url
