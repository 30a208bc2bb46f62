"""In a real browser a form saved through `kooperacja.ui.saving` is empty after the save: the browser's own
copy of what was typed does not come back (the form's next round has new widgets). The form: WZK →
"Dodaj członka WZK", whose fields are all typed (the programme's step-event form:
tests/e2e/test_form_reset_browser.py)."""

from __future__ import annotations

import pytest
from streamlit_page import login, wait_idle

pytestmark = pytest.mark.e2e

NAME = "Maria Testowa"
ROLE = "ekspertka ds. pieczy zastępczej"


def test_the_wzk_member_form_is_empty_after_a_save(app_url, page):
    page.goto(app_url)
    login(page, "admin")
    page.get_by_role("link", name="WZK", exact=True).click()
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Dodaj członka WZK", exact=True).click()
    wait_idle(page)
    form = main.locator("[data-testid='stExpander']").filter(has_text="Zapisz członka").first
    form.get_by_label("Imię i nazwisko").fill(NAME)
    form.get_by_label("Funkcja").fill(ROLE)
    wait_idle(page)
    form.get_by_role("button", name="Zapisz członka").click()
    wait_idle(page, settle=1.0)
    main.get_by_text("Zapisano członka WZK.").wait_for()
    assert form.get_by_label("Imię i nazwisko").input_value() == ""
    assert form.get_by_label("Funkcja").input_value() == ""
    if not form.get_by_label("Imię i nazwisko").is_visible():  # the message on top redrew the expander
        main.get_by_text("Dodaj członka WZK", exact=True).click()
        wait_idle(page)
    form.get_by_label("Imię i nazwisko").fill("Jan Próbny")  # the next entry: the page runs again
    wait_idle(page)
    assert form.get_by_label("Funkcja").input_value() == ""
    assert main.get_by_text(ROLE).count() >= 1  # saved: the member is in the table above
