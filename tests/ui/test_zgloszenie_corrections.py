"""Notifications corrected in the app: a candidate gmina's on the data-entry page, a pilot gmina's first
contact withdrawn on the gmina page (its 7-day clock then shows as running again)."""

from __future__ import annotations

from datetime import date

from kooperacja import warehouse

GMINA = "3401011"  # Zawiśle, animator1's
CANDIDATE = "3401022"  # in the register, not in the pilot


def query(app_db, sql: str, params: list) -> list[tuple]:
    conn = warehouse.connect(app_db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def widget(elements, label: str):
    found = [w for w in elements if w.label == label]
    assert len(found) == 1, [w.label for w in elements]
    return found[0]


def test_a_candidate_gminas_notification_is_corrected_then_withdrawn(page_test, app_db):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value("Zgłoszenie do ROPS").run()
    widget(at.selectbox, "Gmina zgłaszająca").set_value(CANDIDATE)
    widget(at.date_input, "Data wpływu").set_value(date(2026, 11, 20))
    at.button("f_zgl_save").click().run()
    assert [s.value for s in at.success] == ["Zapisano zgłoszenie."]
    ((zid,),) = query(app_db, "SELECT zgloszenie_id FROM zgloszenie WHERE terc = ?", [CANDIDATE])

    at.selectbox("fix_zgl_gmina").set_value(CANDIDATE).run()
    at.selectbox("fix_zgloszenie_pick").set_value(zid).run()
    at.button("fix_zgloszenie_edit").click().run()
    at.date_input(f"fix_zgl_{zid}_received").set_value(date(2026, 11, 19))
    at.text_area(f"fix_zgl_{zid}_note").input("Data z pieczęci wpływu")
    at.text_area(f"fix_zgl_{zid}_reason").input("Pomyłka w dacie wpływu")
    at.button(f"fix_zgl_{zid}_save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Poprawiono zgłoszenie."]
    assert query(app_db, "SELECT received_on, note FROM zgloszenie WHERE zgloszenie_id = ?", [zid]) == [
        (date(2026, 11, 19), "Data z pieczęci wpływu")
    ]

    at.selectbox("fix_zgloszenie_pick").set_value(zid).run()
    at.button("fix_zgloszenie_withdraw").click().run()
    at.text_area(f"fix_zgl_{zid}_withdraw_reason").input("Gmina wycofała zgłoszenie pismem")
    at.button(f"fix_zgl_{zid}_withdraw").click().run()
    assert [s.value for s in at.success] == ["Wycofano zgłoszenie."]
    assert "Ta gmina nie ma zapisanych zgłoszeń." in [i.value for i in at.info]


def test_a_first_contact_recorded_by_mistake_is_withdrawn_on_the_gmina_page(page_test, app_db):
    at = page_test("gmina", "animator1")
    at.run(timeout=30)
    at.selectbox("gmina_pick").set_value(GMINA).run()
    ((zid,),) = query(app_db, "SELECT zgloszenie_id FROM zgloszenie WHERE terc = ?", [GMINA])
    at.selectbox("fix_zgloszenie_pick").set_value(zid).run()
    at.button("fix_zgloszenie_edit").click().run()
    at.checkbox(f"fix_zgl_{zid}_none").check().run()
    at.text_area(f"fix_zgl_{zid}_reason").input("Kontakt wpisano do złego zgłoszenia")
    at.button(f"fix_zgl_{zid}_save").click().run()
    assert [s.value for s in at.success] == ["Poprawiono zgłoszenie."]
    assert query(app_db, "SELECT first_contact_on FROM zgloszenie WHERE zgloszenie_id = ?", [zid]) == [
        (None,)
    ]
    (frame,) = [d.value for d in at.dataframe if "Pierwszy kontakt" in d.value.columns]
    assert set(frame["Pierwszy kontakt"]) <= {"", None}
