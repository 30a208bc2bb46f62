"""In a real browser the step-event form is empty after a save: the browser's own copy of the typed
note does not come back (the widgets of the next entry are new ones)."""

from __future__ import annotations

import pytest
from streamlit_page import fill_step_completion, wait_idle

pytestmark = pytest.mark.e2e


def test_the_note_is_gone_from_the_form_after_a_save(app_url, page):
    page.goto(app_url)
    main = fill_step_completion(page, "animator1", "Protokół nr 88/2026", "Uwaga tylko do tego zdarzenia")
    main.get_by_role("button", name="Zapisz zdarzenie").click()
    wait_idle(page, settle=1.0)
    main.get_by_text("Zapisano zdarzenie kroku.").wait_for()
    assert main.get_by_label("Uwagi").input_value() == ""
    assert main.get_by_label("Dokument (protokół, porozumienie)").input_value() == ""
    main.get_by_label("Dokument (protokół, porozumienie)").fill("Protokół nr 89/2026")
    wait_idle(page)
    assert main.get_by_label("Uwagi").input_value() == ""
