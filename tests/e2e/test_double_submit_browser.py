"""A double click in a real browser: two clicks on "Zapisz zdarzenie" 150 ms apart save one event."""

from __future__ import annotations

import pytest
from streamlit_page import fill_step_completion, wait_idle

pytestmark = pytest.mark.e2e

EVIDENCE = "Protokół nr 99/2026 (podwójne kliknięcie)"


def test_two_clicks_150_ms_apart_on_the_step_event_form_save_one_event(app_url, page):
    page.goto(app_url)
    main = fill_step_completion(page, "animator1", EVIDENCE, "Dwa kliknięcia")
    button = main.get_by_role("button", name="Zapisz zdarzenie")
    button.click()
    page.wait_for_timeout(150)
    button.click()
    wait_idle(page, settle=1.0)
    main.get_by_text("Zapisano zdarzenie kroku.").wait_for()

    page.get_by_role("link", name="Gmina", exact=True).click()
    wait_idle(page, settle=1.0)
    main.get_by_role("heading", name="Zdarzenia i dowody").wait_for()
    # the grid draws its cells after the run is over: under load they were not there yet (no cell at all)
    page.locator("[data-testid='stDataFrame'] td", has_text=EVIDENCE).first.wait_for(state="attached")
    cells = page.locator("[data-testid='stDataFrame'] td").all_inner_texts()
    assert cells.count(EVIDENCE) == 1
