"""The gmina page's "Popraw" / "Wycofaj": an animator records a step event, corrects it, withdraws
another, and the gmina's plan follows; a refused correction stays in its dialog."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kooperacja import warehouse

GMINA = "3401011"  # Zawiśle, animator1's
PLAN_COLUMNS = ["Podkrok", "Rozpoczęto", "Zakończono", "Status"]


def widget(elements, label: str):
    found = [w for w in elements if w.label == label]
    assert len(found) == 1, [w.label for w in elements]
    return found[0]


def plan(at) -> pd.DataFrame:
    """The plan table of the page ("Podkroki w tabeli"), by sub-step."""
    (frame,) = [d.value for d in at.dataframe if set(PLAN_COLUMNS) <= set(d.value.columns)]
    return frame.set_index("Podkrok")


def completed(at, substep: str) -> str:
    """The plan's "Zakończono" of a sub-step as ISO text ("" when not completed)."""
    value = plan(at).loc[substep, "Zakończono"]
    return "" if pd.isna(value) or value == "" else str(value)[:10]


def event_id(app_db, **where) -> int:
    conn = warehouse.connect(app_db)
    try:
        clause = " AND ".join(f"{k} = ?" for k in where)
        return conn.execute(
            f"SELECT event_id FROM step_event WHERE {clause}", list(where.values())
        ).fetchall()[0][0]
    finally:
        conn.close()


def test_an_animator_corrects_and_withdraws_step_events_on_the_gmina_page(page_test, app_db):
    entry = page_test("dane", "animator1")
    entry.run(timeout=30)
    entry.selectbox("dane_section").set_value("Zdarzenie kroku").run()
    entry.selectbox("f_gmina").set_value(GMINA).run()
    widget(entry.selectbox, "Podkrok").set_value("9.1")
    widget(entry.radio, "Zdarzenie").set_value("completed")
    widget(entry.date_input, "Data").set_value(date(2026, 11, 20))
    widget(entry.text_input, "Dokument (protokół, porozumienie)").input("Protokół 60/2026")
    entry.button("f_step_save").click().run()
    assert [s.value for s in entry.success] == ["Zapisano zdarzenie kroku."]
    new = event_id(app_db, evidence="Protokół 60/2026")

    at = page_test("gmina", "animator1")
    at.run(timeout=30)
    at.selectbox("gmina_pick").set_value(GMINA).run()
    assert not at.exception
    assert completed(at, "9.1") == "2026-11-20"

    at.selectbox("fix_step_event_pick").set_value(new).run()
    at.button("fix_step_event_edit").click().run()
    at.date_input(f"fix_event_{new}_date").set_value(date(2026, 12, 2))
    at.text_area(f"fix_event_{new}_reason").input("Pomyłka w dacie protokołu")
    at.button(f"fix_event_{new}_save").click().run()
    assert not at.exception and not at.success
    assert r"Data: 02\.12\.2026 jest w przyszłości" in at.error[0].value  # as a new event would be told
    at.date_input(f"fix_event_{new}_date").set_value(date(2026, 11, 18))
    at.button(f"fix_event_{new}_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Poprawiono zdarzenie kroku."]
    assert completed(at, "9.1") == "2026-11-18"
    assert f"fix_event_{new}_save" not in [b.key for b in at.button]  # the dialog closed

    old = event_id(app_db, terc=GMINA, substep="7.2", kind="completed")
    at.selectbox("fix_step_event_pick").set_value(old).run()
    at.button("fix_step_event_withdraw").click().run()
    at.button(f"fix_event_{old}_withdraw").click().run()
    assert "Powód zmiany: pole nie może być puste" in at.error[0].value
    at.text_area(f"fix_event_{old}_withdraw_reason").input("Protokół dotyczył podkroku 7.3")
    at.button(f"fix_event_{old}_withdraw").click().run()
    assert [s.value for s in at.success] == ["Wycofano zdarzenie kroku."]
    assert completed(at, "7.2") == ""
    assert not [o for o in at.selectbox("fix_step_event_pick").options if "Protokół nr 14/2026" in o]

    conn = warehouse.connect(app_db)
    try:
        trail = conn.execute(
            "SELECT action, username, reason FROM audit_log WHERE table_name = 'step_event' "
            "AND record_key IN (?, ?) ORDER BY audit_id",
            [str(new), str(old)],
        ).fetchall()
    finally:
        conn.close()
    assert trail == [
        ("insert", "animator1", None),
        ("update", "animator1", "Pomyłka w dacie protokołu"),
        ("delete", "animator1", "Protokół dotyczył podkroku 7.3"),
    ]


def test_a_reader_of_another_gmina_is_offered_no_corrections(page_test):
    at = page_test("gmina", "animator2")
    at.run(timeout=30)
    at.selectbox("gmina_pick").set_value(GMINA).run()
    assert not at.exception
    assert "fix_step_event_pick" not in [s.key for s in at.selectbox]
    wzk = page_test("gmina", "wzk")
    wzk.run(timeout=30)
    assert not wzk.exception and "fix_step_event_pick" not in [s.key for s in wzk.selectbox]


def test_a_correction_over_someone_elses_newer_save_is_refused_and_names_who(page_test, app_db):
    from kooperacja.model.access import Actor
    from kooperacja.programme import services as programme

    at = page_test("gmina", "animator1")
    at.run(timeout=30)
    at.selectbox("gmina_pick").set_value(GMINA).run()
    event = event_id(app_db, terc=GMINA, substep="7.1", kind="completed")
    at.selectbox("fix_step_event_pick").set_value(event).run()
    at.button("fix_step_event_edit").click().run()
    conn = warehouse.connect(app_db)  # meanwhile the coordinator corrects the same event
    try:
        programme.edit_step_event(
            conn, Actor("admin", "admin"), event, kind="completed", event_on=date(2026, 11, 9),
            evidence="Sprawozdanie animatora", note=None, reason="Skrócony opis", today=date(2026, 11, 24),
        )  # fmt: skip
    finally:
        conn.close()
    at.text_area(f"fix_event_{event}_reason").input("Dopisuję uwagę")
    at.text_area(f"fix_event_{event}_note").input("Uwaga animatorki")
    at.button(f"fix_event_{event}_save").click().run()
    assert not at.success
    assert "Zmienił(a) admin" in at.error[0].value and "odśwież" in at.error[0].value
