"""Wprowadzanie danych and Historia zmian through AppTest on a copy of the demo region."""

from __future__ import annotations

from datetime import date

from kooperacja import warehouse

GMINA = "3401011"  # animator1's pilot gmina


def _fill_step_event(at, event_on: date, evidence: str):
    at.selectbox("dane_section").set_value("Zdarzenie kroku").run()
    at.selectbox("f_gmina").set_value(GMINA).run()
    at.selectbox(f"f_step_substep_{GMINA}").set_value("5.2")
    at.radio("f_step_kind").set_value("completed")
    at.date_input("f_step_date").set_value(event_on)
    at.text_input("f_step_evidence").input(evidence)
    at.button("f_step_save").click().run()
    return at


def test_an_animator_records_a_step_event_that_lands_in_the_warehouse_and_the_audit_log(page_test, app_db):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    assert not at.exception
    assert set(at.selectbox("f_gmina").options) <= {
        "Zawiśle (powiat zawiślański)",
        "Brzozów Mały (powiat zawiślański)",
        "Dębowa Wola (powiat dębowolski)",
        "Kępnica (powiat zawiślański)",
        "Lipowiec (powiat dębowolski)",
        "Olszynka (powiat zawiślański)",
    }
    _fill_step_event(at, date(2026, 11, 20), "Porozumienie PZK nr 7/2026")
    assert not at.exception and not at.error
    assert at.success[0].value == "Zapisano zdarzenie kroku."
    conn = warehouse.connect(app_db)
    try:
        event = conn.execute(
            "SELECT event_id, kind, event_on, recorded_by FROM step_event WHERE evidence = ?",
            ["Porozumienie PZK nr 7/2026"],
        ).fetchall()
        assert [e[1:] for e in event] == [("completed", date(2026, 11, 20), "animator1")]
        log = conn.execute(
            "SELECT username, action, terc FROM audit_log WHERE table_name = 'step_event' AND record_key = ?",
            [str(event[0][0])],
        ).fetchall()
        assert log == [("animator1", "insert", GMINA)]
    finally:
        conn.close()


def test_a_refused_form_shows_a_polish_error_not_a_traceback(page_test):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    _fill_step_event(at, date(2026, 12, 1), "Protokół")
    assert not at.exception and not at.success
    assert "jest w przyszłości" in at.error[0].value


def test_an_animator_is_not_offered_the_admin_forms(page_test):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    assert "Rejestr TERC" not in at.selectbox("dane_section").options
    admin = page_test("dane", "admin")
    admin.run(timeout=30)
    assert "Rejestr TERC" in admin.selectbox("dane_section").options


def test_history_filters_by_user(page_test):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    _fill_step_event(at, date(2026, 11, 21), "Protokół 3")
    history = page_test("historia", "admin")
    history.run(timeout=30)
    assert not history.exception
    history.selectbox("hist_user").set_value("animator1").run()
    shown = history.dataframe[0].value
    assert len(shown) >= 1 and set(shown["Kto"]) == {"Anna Nowakowska, animatorka (demo)"}
    assert any("Protokół 3" in text for text in shown["Po"])


def test_an_animator_is_refused_the_history_page(page_test):
    at = page_test("historia", "animator1")
    at.run(timeout=30)
    assert not at.exception
    assert [e.value for e in at.error] == ["Brak uprawnień do tej strony."]
    assert not at.dataframe


def test_a_double_click_on_the_step_event_form_saves_one_event(page_test, app_db):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    _fill_step_event(at, date(2026, 11, 20), "Protokół 31/2026")
    at.button("f_step_save").click().run()  # the same form again, unchanged
    assert not at.exception and not at.error
    assert at.success[0].value == "Zapisano zdarzenie kroku."
    assert "już zapisano" in at.info[0].value
    # the form was emptied after the save (its widgets are new ones): a changed form is a new entry
    evidence = next(w for w in at.text_input if w.label == "Dokument (protokół, porozumienie)")
    evidence.input("Protokół 32/2026").run()
    at.button("f_step_save").click().run()
    conn = warehouse.connect(app_db)
    try:
        saved = conn.execute(
            "SELECT evidence FROM step_event WHERE evidence LIKE 'Protokół 3_/2026' ORDER BY evidence"
        ).fetchall()
        assert saved == [("Protokół 31/2026",), ("Protokół 32/2026",)]
    finally:
        conn.close()


def test_the_step_event_date_accepts_what_the_records_accept_and_a_refusal_is_told(page_test):
    """Streamlit's default bounds (ten years around today) made an older date turn red and kept today."""
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value("Zdarzenie kroku").run()
    at.selectbox("f_gmina").set_value(GMINA).run()
    widget = at.date_input("f_step_date")
    assert (widget.min, widget.max) == (date(2010, 1, 1), date(2040, 12, 31))
    assert widget.help and widget.help.startswith("Od ")
    _fill_step_event(at, date(2015, 6, 1), "Protokół z 2015")
    assert not at.success and "przed przystąpieniem gminy do pilotażu" in at.error[0].value
