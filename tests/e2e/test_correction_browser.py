"""A correction in a real browser: "Popraw zdarzenie" opens a dialog (a fragment there, unlike in
AppTest), a refusal stays in it, a save closes it and the gmina's events list shows the correction."""

from __future__ import annotations

import pytest
from streamlit_page import login, wait_idle

pytestmark = pytest.mark.e2e

EVIDENCE = "Protokół nr 77/2026 (poprawiony w przeglądarce)"


def test_an_animator_corrects_a_step_event_in_its_dialog(app_url, page):
    page.goto(app_url)
    login(page, "animator1")
    page.get_by_role("link", name="Gmina", exact=True).click()
    wait_idle(page, settle=1.0)
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("button", name="Popraw zdarzenie").click()
    wait_idle(page)
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Dokument (protokół, porozumienie)").fill(EVIDENCE)
    dialog.get_by_role("button", name="Zapisz poprawkę").click()
    wait_idle(page)
    dialog.get_by_text("Powód zmiany: pole nie może być puste").wait_for()  # the dialog stays open
    dialog.get_by_role("textbox", name="Powód poprawki").fill("Zły numer protokołu")
    dialog.get_by_role("button", name="Zapisz poprawkę").click()
    wait_idle(page, settle=1.0)
    main.get_by_text("Poprawiono zdarzenie kroku.").wait_for()
    assert page.get_by_role("dialog").count() == 0
    cells = page.locator("[data-testid='stDataFrame'] td").all_inner_texts()
    assert EVIDENCE in cells
