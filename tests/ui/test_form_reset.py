"""After a successful save a data-entry form starts empty: the next entry never takes the last one's note."""

from __future__ import annotations

from datetime import date

from kooperacja import warehouse

GMINA = "3401011"  # animator1's pilot gmina
CANDIDATE = "3401022"  # in the register, not in the pilot


def widget(elements, label: str):
    """The form's widget by its label (its key changes with each fresh form)."""
    found = [w for w in elements if w.label == label]
    assert len(found) == 1, [w.label for w in elements]
    return found[0]


def _step_form(at, evidence: str, note: str | None = None):
    widget(at.selectbox, "Podkrok").set_value("5.2")
    widget(at.radio, "Zdarzenie").set_value("completed")
    widget(at.date_input, "Data").set_value(date(2026, 11, 20))
    widget(at.text_input, "Dokument (protokół, porozumienie)").input(evidence)
    if note is not None:
        widget(at.text_area, "Uwagi").input(note)
    at.button("f_step_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Zapisano zdarzenie kroku."]


def test_the_second_step_event_does_not_carry_the_first_ones_note(page_test, app_db):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value("Zdarzenie kroku").run()
    at.selectbox("f_gmina").set_value(GMINA).run()
    _step_form(at, "Protokół 51/2026", "Uwaga do pierwszego zdarzenia")
    assert widget(at.text_area, "Uwagi").value == ""
    assert widget(at.text_input, "Dokument (protokół, porozumienie)").value == ""
    assert widget(at.radio, "Zdarzenie").value == "started"
    assert at.selectbox("f_gmina").value == GMINA  # the gmina picked stays: it is not the form's
    _step_form(at, "Protokół 52/2026")
    conn = warehouse.connect(app_db)
    try:
        saved = conn.execute(
            "SELECT evidence, note FROM step_event WHERE evidence LIKE 'Protokół 5_/2026' ORDER BY evidence"
        ).fetchall()
    finally:
        conn.close()
    assert saved == [("Protokół 51/2026", "Uwaga do pierwszego zdarzenia"), ("Protokół 52/2026", None)]


def test_a_click_on_the_emptied_form_after_a_save_writes_nothing(page_test, app_db):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value("Zdarzenie kroku").run()
    _step_form(at, "Protokół 53/2026", "Jedna uwaga")
    before = _count(app_db, "step_event")
    at.button("f_step_save").click().run()  # a double click lands on the fresh, untouched form
    assert "już zapisano" in at.info[0].value
    assert _count(app_db, "step_event") == before


def test_the_notification_form_is_empty_after_a_save(page_test, app_db):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value("Zgłoszenie do ROPS").run()
    widget(at.selectbox, "Gmina zgłaszająca").set_value(CANDIDATE)
    widget(at.date_input, "Data wpływu").set_value(date(2026, 11, 20))
    widget(at.checkbox, "Diagnoza gminy").check()
    widget(at.text_area, "Uwagi").input("Gmina dosłała diagnozę")
    at.button("f_zgl_save").click().run()
    assert [s.value for s in at.success] == ["Zapisano zgłoszenie."]
    assert widget(at.text_area, "Uwagi").value == ""
    assert widget(at.checkbox, "Diagnoza gminy").value is False


def _count(path, table: str) -> int:
    conn = warehouse.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    finally:
        conn.close()


def _section(page_test, section: str, gmina: bool = True):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value(section).run()
    if gmina:
        at.selectbox("f_gmina").set_value(GMINA).run()
    return at


def test_the_plan_shift_form_is_empty_after_a_save(page_test):
    at = _section(page_test, "Przesunięcie planu")
    widget(at.number_input, "Przesunięcie (dni, ujemne: wcześniej)").set_value(14)
    widget(at.text_area, "Powód przesunięcia").input("Zmiana władz gminy")
    at.button("f_shift_save").click().run()
    assert [s.value for s in at.success] == ["Zapisano przesunięcie planu."]
    assert widget(at.text_area, "Powód przesunięcia").value == ""
    assert widget(at.number_input, "Przesunięcie (dni, ujemne: wcześniej)").value == 30


def test_the_meeting_form_is_empty_after_a_save(page_test):
    at = _section(page_test, "Spotkanie")
    widget(at.date_input, "Data spotkania").set_value(date(2026, 11, 20))
    widget(at.text_area, "Porządek").input("Plan pracy PZK")
    widget(at.text_area, "Ustalenia").input("Przyjęto plan")
    attendees = widget(at.multiselect, "Obecne instytucje")
    attendees.select(attendees.options[0]).run()
    at.button("f_meet_save").click().run()
    assert [s.value for s in at.success] == ["Zapisano spotkanie."]
    assert widget(at.text_area, "Porządek").value == "" and widget(at.text_area, "Ustalenia").value == ""
    assert widget(at.multiselect, "Obecne instytucje").value == []


def test_the_institution_and_pzk_forms_are_empty_after_a_save(page_test):
    at = _section(page_test, "Instytucja", gmina=False)
    widget(at.text_input, "Nazwa instytucji").input("Klub Seniora „Pogodna Jesień”")
    at.button("f_inst_save").click().run()
    assert [s.value for s in at.success] == ["Zapisano instytucję."]
    assert widget(at.text_input, "Nazwa instytucji").value == ""
    at = _section(page_test, "Członkostwo w PZK")
    widget(at.date_input, "Data podpisania / przystąpienia").set_value(date(2026, 11, 2))
    at.button("f_pzk_join").click().run()
    assert [s.value for s in at.success] == ["Zapisano przystąpienie do PZK."]
    assert widget(at.date_input, "Data podpisania / przystąpienia").value == date(2026, 11, 24)
