"""A form in a real browser: an animator completes a sub-step, then sees it on the gmina page."""

from __future__ import annotations

import pytest
from streamlit_page import fill_step_completion, wait_idle

pytestmark = pytest.mark.e2e

EVIDENCE = "Protokół PZK nr 12/2026 (test przeglądarki)"


def test_an_animator_records_a_step_completion_and_the_gmina_page_shows_it(app_url, page):
    page.goto(app_url)
    main = fill_step_completion(page, "animator1", EVIDENCE, "Wpisane w teście przeglądarki")
    main.get_by_role("button", name="Zapisz zdarzenie").click()
    wait_idle(page)
    main.get_by_text("Zapisano zdarzenie kroku.").wait_for()

    # The gmina page opens on the same gmina (the picker is shared) and lists the new evidence.
    page.get_by_role("link", name="Gmina", exact=True).click()
    wait_idle(page, settle=1.0)
    main.get_by_role("heading", name="Zdarzenia i dowody").wait_for()
    cells = page.locator("[data-testid='stDataFrame'] td").all_inner_texts()
    assert EVIDENCE in cells
    row = cells.index(EVIDENCE)
    assert "zakończenie" in cells[row - 5 : row]
