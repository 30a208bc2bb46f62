"""The PZK page's corrections: a membership ended, corrected, withdrawn; an institution corrected; a
meeting's attendance changed and the meeting withdrawn — each shown at once in the page's lists."""

from __future__ import annotations

from datetime import date

from kooperacja import warehouse

GMINA = "3401011"  # Zawiśle, animator1's


def query(app_db, sql: str, params: list) -> list[tuple]:
    conn = warehouse.connect(app_db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def opened(page_test):
    at = page_test("pzk", "animator1")
    at.run(timeout=30)
    at.selectbox("pzk_gmina_pick").set_value(GMINA).run()
    assert not at.exception
    return at


def members_table(at):
    (frame,) = [d.value for d in at.dataframe if "Członkostwo" in d.value.columns]
    return frame


def test_a_membership_is_ended_corrected_and_withdrawn_on_the_pzk_page(page_test, app_db):
    at = opened(page_test)
    (mid, name), (other, other_name) = query(
        app_db,
        "SELECT m.membership_id, i.name FROM pzk_member m JOIN institution i USING (institution_id) "
        "WHERE m.terc = ? ORDER BY m.membership_id LIMIT 2",
        [GMINA],
    )
    at.selectbox("fix_pzk_member_pick").set_value(mid).run()
    at.button("fix_pzk_member_leave").click().run()
    at.date_input(f"fix_member_{mid}_left").set_value(date(2026, 1, 2))
    at.button(f"fix_member_{mid}_leave").click().run()
    assert "jest przed podpisaniem" in at.error[0].value
    at.date_input(f"fix_member_{mid}_left").set_value(date(2026, 11, 20))
    at.button(f"fix_member_{mid}_leave").click().run()
    assert [s.value for s in at.success] == ["Zapisano wystąpienie z PZK."]
    row = members_table(at).set_index("Instytucja").loc[name]
    assert row["Członkostwo"] == "wystąpiła"

    at.selectbox("fix_pzk_member_pick").set_value(other).run()
    at.button("fix_pzk_member_withdraw").click().run()
    at.text_area(f"fix_member_{other}_withdraw_reason").input("Instytucja nie podpisała porozumienia")
    at.button(f"fix_member_{other}_withdraw").click().run()
    assert [s.value for s in at.success] == ["Wycofano członkostwo w PZK."]
    assert other_name not in set(members_table(at)["Instytucja"])
    assert query(app_db, "SELECT action, reason FROM audit_log WHERE table_name = 'pzk_member' "
                 "AND record_key = ? ORDER BY audit_id DESC LIMIT 1", [str(other)]) == [
        ("delete", "Instytucja nie podpisała porozumienia")
    ]  # fmt: skip


def test_an_institution_is_corrected_from_its_membership(page_test, app_db):
    at = opened(page_test)
    ((mid, iid),) = query(
        app_db,
        "SELECT membership_id, institution_id FROM pzk_member WHERE terc = ? ORDER BY 1 LIMIT 1",
        [GMINA],
    )
    at.selectbox("fix_pzk_member_pick").set_value(mid).run()
    at.button("fix_pzk_member_institution").click().run()
    at.text_input(f"fix_inst_{iid}_name").input("Miejski Ośrodek Pomocy Społecznej im. Jana Pawła II")
    at.text_area(f"fix_inst_{iid}_reason").input("Pełna nazwa ze statutu")
    at.button(f"fix_inst_{iid}_save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Poprawiono instytucję."]
    assert "Miejski Ośrodek Pomocy Społecznej im. Jana Pawła II" in set(members_table(at)["Instytucja"])


def test_a_meetings_attendance_is_corrected_and_the_meeting_withdrawn(page_test, app_db):
    at = opened(page_test)
    ((meeting, attendees),) = query(
        app_db,
        "SELECT m.meeting_id, count(*) FROM meeting m JOIN meeting_attendee a USING (meeting_id) "
        "WHERE m.terc = ? AND m.case_code IS NULL GROUP BY m.meeting_id, m.held_on "
        "ORDER BY m.held_on DESC LIMIT 1",
        [GMINA],
    )
    at.selectbox("fix_meeting_pick").set_value(meeting).run()
    at.button("fix_meeting_attendance").click().run()
    at.radio(f"fix_att_{meeting}_change").set_value("remove").run()
    at.text_area(f"fix_att_{meeting}_reason").input("Instytucja nie przyszła")
    at.button(f"fix_att_{meeting}_save").click().run()
    assert [s.value for s in at.success] == ["Poprawiono obecność na spotkaniu."]
    left = query(app_db, "SELECT count(*) FROM meeting_attendee WHERE meeting_id = ?", [meeting])
    assert left == [(attendees - 1,)]

    at.selectbox("fix_meeting_pick").set_value(meeting).run()
    at.button("fix_meeting_withdraw").click().run()
    at.text_area(f"fix_meet_{meeting}_withdraw_reason").input("Spotkanie wpisane dwa razy")
    at.button(f"fix_meet_{meeting}_withdraw").click().run()
    assert [s.value for s in at.success] == ["Wycofano spotkanie z listą obecności."]
    assert query(app_db, "SELECT count(*) FROM meeting_attendee WHERE meeting_id = ?", [meeting]) == [(0,)]
    trail = query(
        app_db,
        "SELECT table_name, action, reason FROM audit_log WHERE record_key = ? AND action = 'delete' "
        "AND table_name IN ('meeting', 'meeting_attendee') ORDER BY audit_id",
        [str(meeting)],
    )
    assert trail[0] == ("meeting_attendee", "delete", "Instytucja nie przyszła")
    assert trail[-1] == ("meeting", "delete", "Spotkanie wpisane dwa razy")
    assert len(trail) == attendees + 1


def test_a_wzk_member_sees_the_pzk_page_without_corrections(page_test):
    at = page_test("pzk", "wzk")
    at.run(timeout=30)
    assert not at.exception
    assert not [s for s in at.selectbox if (s.key or "").startswith("fix_")]


def test_a_saved_institution_is_corrected_under_the_institution_form(page_test, app_db):
    at = page_test("dane", "animator1")
    at.run(timeout=30)
    at.selectbox("dane_section").set_value("Instytucja").run()
    assert not at.exception
    ((iid,),) = query(app_db, "SELECT min(institution_id) FROM institution WHERE seat_terc = ?", [GMINA])
    at.selectbox("fix_institution_pick").set_value(iid).run()
    at.button("fix_institution_edit").click().run()
    at.selectbox(f"fix_inst_{iid}_sector").set_value("ngo")
    at.text_area(f"fix_inst_{iid}_reason").input("Zły sektor przy wpisie")
    at.button(f"fix_inst_{iid}_save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Poprawiono instytucję."]
    assert query(app_db, "SELECT sector FROM institution WHERE institution_id = ?", [iid]) == [("ngo",)]
    outside = query(app_db, "SELECT count(*) FROM institution WHERE seat_terc LIKE '3403%'", [])[0][0]
    assert outside and not [o for o in at.selectbox("fix_institution_pick").options if "3403011" in o]
