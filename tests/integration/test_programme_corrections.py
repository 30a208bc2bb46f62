"""Corrections of programme records: each edit runs the create path's checks, takes a guarded reason,
refuses a stale screen, and leaves who/when/why with the before-image in the audit trail."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput, StaleRecord
from kooperacja.programme import data_entry, pzk, queries
from kooperacja.programme import services as programme

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")
WZK = Actor("wzk", "wzk")
GMINA = "3401011"  # Zawiśle, animator1's
OTHER = "3403011"  # animator2's
CANDIDATE = "3401022"  # in the register, not in the pilot
PESEL = "Pomyłka, dotyczy 44051401359"
ANIMATOR1 = Actor("animator1", "animator", frozenset({"3401011", "3401032", "3401043", "3401052"}))
ANIMATOR2 = Actor("animator2", "animator", frozenset({"3403011", "3402053"}))


@pytest.fixture
def wh(demo_conn):
    return demo_conn


def last_audit(conn, table: str) -> dict:
    row = conn.execute(
        "SELECT username, action, record_key, before, after, reason FROM audit_log WHERE table_name = ? "
        "ORDER BY audit_id DESC LIMIT 1",
        [table],
    ).fetchall()[0]
    user, action, key, before, after, reason = row
    return {
        "user": user,
        "action": action,
        "key": key,
        "before": json.loads(before) if before else None,
        "after": json.loads(after) if after else None,
        "reason": reason,
    }


def version(conn, table: str, key_column: str, key: int) -> int:
    sql = f"SELECT row_version FROM {table} WHERE {key_column} = ?"
    return conn.execute(sql, [key]).fetchall()[0][0]


def count(conn, sql: str, params: list) -> int:
    return conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchall()[0][0]


# --- step events ---------------------------------------------------------------------------------


def _new_event(conn, actor=ANIMATOR1, terc=GMINA, **kw) -> int:
    args = dict(substep="9.1", kind="completed", event_on=date(2026, 11, 20), evidence="Protokół 40/2026")
    return programme.record_step_event(conn, actor, terc=terc, today=TODAY, **{**args, **kw})


def _edit_event(conn, event_id, actor=ANIMATOR1, **kw):
    row = conn.execute(
        "SELECT kind, event_on, evidence, note, row_version FROM step_event WHERE event_id = ?", [event_id]
    ).fetchall()[0]
    args = dict(kind=row[0], event_on=row[1], evidence=row[2], note=row[3], expected_version=row[4])
    args |= {"reason": "Pomyłka w dacie", **kw}
    return programme.edit_step_event(conn, actor, event_id, today=TODAY, **args)


def test_an_edited_step_event_is_saved_with_its_reason_and_before_image(wh):
    event_id = _new_event(wh)
    _edit_event(wh, event_id, event_on=date(2026, 11, 18), note="Protokół podpisany później")
    saved = wh.execute("SELECT event_on, note, recorded_by FROM step_event WHERE event_id = ?", [event_id])
    assert saved.fetchall() == [(date(2026, 11, 18), "Protokół podpisany później", "animator1")]
    log = last_audit(wh, "step_event")
    assert (log["user"], log["action"], log["key"], log["reason"]) == (
        "animator1",
        "update",
        str(event_id),
        "Pomyłka w dacie",
    )
    assert log["before"]["event_on"] == "2026-11-20" and log["after"]["event_on"] == "2026-11-18"


def test_the_gminas_carer_corrects_an_event_the_admin_entered_in_their_name(wh):
    event_id = _new_event(wh, actor=ADMIN, recorded_by="animator1")
    _edit_event(wh, event_id, evidence="Protokół 41/2026")
    event_id = _new_event(wh, actor=ADMIN)  # the admin's own entry, in the carer's gmina
    _edit_event(wh, event_id, kind="started")
    assert wh.execute("SELECT kind FROM step_event WHERE event_id = ?", [event_id]).fetchall() == [
        ("started",)
    ]


EDIT_REFUSALS = {
    "future date": (dict(event_on=date(2026, 12, 1)), "Data: 01.12.2026 jest w przyszłości"),
    "before joining": (
        dict(event_on=date(2025, 1, 2)),
        r"Data: 02\.01\.2025 jest przed przystąpieniem gminy do pilotażu \(10\.07\.2025\)",
    ),
    "bad kind": (dict(kind="finished"), "Zdarzenie: dozwolone wartości"),
    "note with a PESEL": (dict(note="Dotyczy 44051401359"), "Uwagi: "),
    "empty reason": (dict(reason=" "), "Powód zmiany: pole nie może być puste"),
    "reason with a PESEL": (dict(reason=PESEL), "Powód zmiany: "),
}


@pytest.mark.parametrize("change, message", EDIT_REFUSALS.values(), ids=EDIT_REFUSALS.keys())
def test_an_edit_breaking_a_rule_of_a_new_event_is_refused_with_the_same_message(wh, change, message):
    event_id = _new_event(wh)
    before = count(wh, "SELECT * FROM audit_log", [])
    with pytest.raises(InvalidInput, match=message):
        _edit_event(wh, event_id, **change)
    assert count(wh, "SELECT * FROM audit_log", []) == before
    if "event_on" in change and "przyszłości" not in message:  # the create path says the same
        with pytest.raises(InvalidInput, match=message):
            _new_event(wh, **change)


def test_an_edit_from_a_stale_screen_is_refused(wh):
    event_id = _new_event(wh)
    _edit_event(wh, event_id, note="Pierwsza poprawka")
    with pytest.raises(StaleRecord, match="Zmienił\\(a\\) animator1"):
        _edit_event(wh, event_id, note="Druga poprawka", expected_version=1)
    with pytest.raises(StaleRecord):
        programme.withdraw_step_event(wh, ANIMATOR1, event_id, reason="Zdublowane", expected_version=1)


def test_another_animators_event_is_refused_naming_the_gmina_and_the_person(wh):
    event_id = _new_event(wh, actor=ANIMATOR2, terc=OTHER, event_on=date(2026, 11, 2))
    with pytest.raises(AccessDenied) as refused:
        _edit_event(wh, event_id, note="Nie moja gmina")
    message = refused.value.message
    assert "Anna Nowakowska" in message and "Kamionka Wielka" in message
    assert OTHER not in message and "(animator)" not in message
    with pytest.raises(AccessDenied):
        programme.withdraw_step_event(wh, ANIMATOR1, event_id, reason="Nie moja gmina")
    with pytest.raises(AccessDenied):
        programme.withdraw_step_event(wh, WZK, event_id, reason="Nie moja gmina")


def test_a_withdrawn_event_leaves_the_list_and_the_plan_and_the_audit_keeps_it(wh):
    completed = queries.gmina_plans(wh, TODAY, GMINA).set_index("substep").completed_on
    assert completed["7.2"] == date(2026, 11, 13)
    event_id = wh.execute(
        "SELECT event_id FROM step_event WHERE terc = ? AND substep = '7.2' AND kind = 'completed'", [GMINA]
    ).fetchall()[0][0]
    with pytest.raises(InvalidInput, match="Powód zmiany: pole nie może być puste"):
        programme.withdraw_step_event(wh, ANIMATOR1, event_id, reason="")
    with pytest.raises(InvalidInput, match="Powód zmiany: "):
        programme.withdraw_step_event(wh, ANIMATOR1, event_id, reason=PESEL)
    programme.withdraw_step_event(
        wh, ANIMATOR1, event_id, reason="Protokół dotyczył innego podkroku", expected_version=1
    )
    assert event_id not in set(queries.step_events(wh, GMINA).event_id)
    assert queries.gmina_plans(wh, TODAY, GMINA).set_index("substep").completed_on.isna()["7.2"]
    log = last_audit(wh, "step_event")
    assert (log["user"], log["action"], log["after"], log["reason"]) == (
        "animator1",
        "delete",
        None,
        "Protokół dotyczył innego podkroku",
    )
    assert log["before"]["evidence"] == "Protokół nr 14/2026"


def test_a_region_event_is_corrected_by_the_admin_only(wh):
    event_id = wh.execute("SELECT min(event_id) FROM step_event WHERE terc IS NULL").fetchall()[0][0]
    with pytest.raises(AccessDenied, match="danych regionu"):
        _edit_event(wh, event_id, note="Uwaga")
    _edit_event(wh, event_id, actor=ADMIN, note="Uwaga koordynatora")


# --- notifications and first contact -------------------------------------------------------------


def _zgloszenie(conn, actor=ANIMATOR1) -> int:
    data = {"terc": CANDIDATE, "route": "rops", "received_on": date(2026, 11, 20), "note": "Pierwsza"}
    return programme.record_zgloszenie(conn, actor, data, TODAY)


def test_a_notification_is_edited_with_the_create_rules_and_withdrawn_with_a_reason(wh):
    zid = _zgloszenie(wh)
    changes = {"received_on": date(2026, 11, 19), "has_diagnosis": True, "note": None}
    programme.edit_zgloszenie(
        wh, ANIMATOR1, zid, changes, reason="Data z pieczęci", today=TODAY, expected_version=1
    )
    row = wh.execute(
        "SELECT received_on, has_diagnosis, note, row_version FROM zgloszenie WHERE zgloszenie_id = ?", [zid]
    ).fetchall()
    assert row == [(date(2026, 11, 19), True, None, 2)]
    assert last_audit(wh, "zgloszenie")["reason"] == "Data z pieczęci"
    with pytest.raises(InvalidInput, match="Data wpływu: jest w przyszłości"):
        programme.edit_zgloszenie(
            wh, ANIMATOR1, zid, {"received_on": date(2026, 12, 2)}, reason="x", today=TODAY
        )
    with pytest.raises(InvalidInput, match="wymagana dla samodzielnie zawiązanej współpracy"):
        programme.edit_zgloszenie(wh, ANIMATOR1, zid, {"route": "self_formed"}, reason="x", today=TODAY)
    with pytest.raises(StaleRecord):
        programme.edit_zgloszenie(
            wh, ANIMATOR1, zid, {"note": "Nowa"}, reason="x", today=TODAY, expected_version=1
        )
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.withdraw_zgloszenie(wh, ANIMATOR1, zid, reason="")
    programme.withdraw_zgloszenie(
        wh, ANIMATOR1, zid, reason="Zgłoszenie wpisane dwa razy", expected_version=2
    )
    assert count(wh, "SELECT * FROM zgloszenie WHERE zgloszenie_id = ?", [zid]) == 0
    log = last_audit(wh, "zgloszenie")
    assert (log["action"], log["reason"], log["before"]["terc"]) == (
        "delete",
        "Zgłoszenie wpisane dwa razy",
        CANDIDATE,
    )


def test_a_first_contact_is_corrected_or_withdrawn_with_a_reason(wh):
    zid = _zgloszenie(wh)
    programme.record_first_contact(wh, ANIMATOR1, zid, date(2026, 11, 21), TODAY)
    with pytest.raises(InvalidInput, match="Data pierwszego kontaktu ROPS: wcześniejsza niż data wpływu"):
        programme.correct_first_contact(wh, ANIMATOR1, zid, date(2026, 11, 19), reason="x", today=TODAY)
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.correct_first_contact(wh, ANIMATOR1, zid, date(2026, 11, 22), reason="", today=TODAY)
    programme.correct_first_contact(
        wh, ANIMATOR1, zid, date(2026, 11, 22), reason="Telefon był 22.11", today=TODAY, expected_version=2
    )
    with pytest.raises(StaleRecord):
        programme.correct_first_contact(wh, ANIMATOR1, zid, None, reason="x", today=TODAY, expected_version=2)
    programme.correct_first_contact(wh, ANIMATOR1, zid, None, reason="Kontaktu jeszcze nie było", today=TODAY)
    assert zid in data_entry.open_zgloszenia(wh, ANIMATOR1)
    assert last_audit(wh, "zgloszenie")["reason"] == "Kontaktu jeszcze nie było"


def test_a_pilot_gminas_notification_is_its_carers_to_correct(wh):
    zid = wh.execute("SELECT zgloszenie_id FROM zgloszenie WHERE terc = ?", [OTHER]).fetchall()[0][0]
    with pytest.raises(AccessDenied) as refused:
        programme.edit_zgloszenie(wh, ANIMATOR1, zid, {"note": "x"}, reason="x", today=TODAY)
    assert OTHER not in refused.value.message
    with pytest.raises(AccessDenied):
        programme.withdraw_zgloszenie(wh, WZK, zid, reason="x")


# --- meetings and attendance ---------------------------------------------------------------------


def _meeting(conn) -> tuple[int, list[int]]:
    near = list(data_entry.institution_choices(conn, GMINA))[:3]
    data = {"kind": "pzk", "terc": GMINA, "held_on": date(2026, 11, 10), "agenda": "Plan pracy"}
    mid = programme.record_meeting(conn, ANIMATOR1, data, [(near[0], date(2026, 11, 3)), (near[1], None)])
    return mid, near


def test_a_meeting_is_edited_and_a_late_notice_is_refused_as_on_create(wh):
    mid, _ = _meeting(wh)
    programme.edit_meeting(
        wh,
        ANIMATOR1,
        mid,
        {"held_on": date(2026, 11, 12), "decisions": "Przyjęto plan", "family_present": None},
        reason="Przełożone spotkanie",
        expected_version=1,
    )
    row = wh.execute(
        "SELECT held_on, decisions, row_version FROM meeting WHERE meeting_id = ?", [mid]
    ).fetchall()
    assert row == [(date(2026, 11, 12), "Przyjęto plan", 2)]
    assert last_audit(wh, "meeting")["reason"] == "Przełożone spotkanie"
    with pytest.raises(InvalidInput, match="Data powiadomienia: późniejsza niż data spotkania"):
        programme.edit_meeting(wh, ANIMATOR1, mid, {"held_on": date(2026, 11, 2)}, reason="x")
    with pytest.raises(StaleRecord):
        programme.edit_meeting(wh, ANIMATOR1, mid, {"agenda": "x"}, reason="x", expected_version=1)
    with pytest.raises(AccessDenied):
        programme.edit_meeting(wh, ANIMATOR2, mid, {"agenda": "x"}, reason="x")


def test_attendees_are_added_removed_and_their_notice_dates_changed_with_a_reason(wh):
    mid, near = _meeting(wh)
    with pytest.raises(InvalidInput, match="Data powiadomienia: późniejsza niż data spotkania"):
        programme.add_attendee(wh, ANIMATOR1, mid, near[2], date(2026, 11, 11), reason="Pominięta")
    with pytest.raises(InvalidInput, match="już jest na liście obecności"):
        programme.add_attendee(wh, ANIMATOR1, mid, near[0], None, reason="Pominięta")
    programme.add_attendee(
        wh, ANIMATOR1, mid, near[2], date(2026, 11, 4), reason="Pominięta na liście", expected_version=1
    )
    assert last_audit(wh, "meeting_attendee")["action"] == "insert"
    assert last_audit(wh, "meeting_attendee")["reason"] == "Pominięta na liście"
    programme.change_notice(
        wh, ANIMATOR1, mid, near[1], date(2026, 11, 5), reason="Mail z 5.11", expected_version=2
    )
    log = last_audit(wh, "meeting_attendee")
    assert (log["action"], log["before"]["notified_on"], log["after"]["notified_on"]) == (
        "update",
        None,
        "2026-11-05",
    )
    with pytest.raises(StaleRecord):
        programme.remove_attendee(wh, ANIMATOR1, mid, near[0], reason="x", expected_version=2)
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.remove_attendee(wh, ANIMATOR1, mid, near[0], reason="")
    programme.remove_attendee(wh, ANIMATOR1, mid, near[0], reason="Nieobecna", expected_version=3)
    left = wh.execute(
        "SELECT institution_id, notified_on FROM meeting_attendee WHERE meeting_id = ? "
        "ORDER BY institution_id",
        [mid],
    ).fetchall()
    assert left == sorted([(near[1], date(2026, 11, 5)), (near[2], date(2026, 11, 4))])
    log = last_audit(wh, "meeting_attendee")
    assert (log["action"], log["before"]["institution_id"], log["reason"]) == ("delete", near[0], "Nieobecna")


def test_a_withdrawn_meeting_takes_its_attendees_along_each_audited(wh):
    mid, _ = _meeting(wh)
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.withdraw_meeting(wh, ANIMATOR1, mid, reason=PESEL)
    programme.withdraw_meeting(wh, ANIMATOR1, mid, reason="Spotkanie się nie odbyło", expected_version=1)
    assert count(wh, "SELECT * FROM meeting WHERE meeting_id = ?", [mid]) == 0
    assert count(wh, "SELECT * FROM meeting_attendee WHERE meeting_id = ?", [mid]) == 0
    deletes = wh.execute(
        "SELECT table_name, reason FROM audit_log WHERE action = 'delete' AND record_key = ? "
        "AND table_name IN ('meeting', 'meeting_attendee') ORDER BY audit_id",
        [str(mid)],
    ).fetchall()
    assert deletes == [("meeting_attendee", "Spotkanie się nie odbyło")] * 2 + [
        ("meeting", "Spotkanie się nie odbyło")
    ]


# --- institutions and PZK memberships -------------------------------------------------------------


def _institution(conn) -> int:
    data = {"name": "Klub Seniora", "sector": "ngo", "level": "gmina", "seat_terc": GMINA}
    return programme.add_institution(conn, ANIMATOR1, data)


def test_an_institution_is_edited_within_the_actors_reach(wh):
    iid = _institution(wh)
    programme.edit_institution(
        wh,
        ANIMATOR1,
        iid,
        {"name": "Klub Seniora „Złota Jesień”", "sector": "kultura"},
        reason="Pełna nazwa",
        expected_version=1,
    )
    assert wh.execute("SELECT name, sector FROM institution WHERE institution_id = ?", [iid]).fetchall() == [
        ("Klub Seniora „Złota Jesień”", "kultura")
    ]
    assert last_audit(wh, "institution")["reason"] == "Pełna nazwa"
    with pytest.raises(StaleRecord):
        programme.edit_institution(wh, ANIMATOR1, iid, {"name": "x"}, reason="x", expected_version=1)
    with pytest.raises(AccessDenied):
        programme.edit_institution(wh, ANIMATOR1, iid, {"seat_terc": OTHER}, reason="Przeprowadzka")
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.edit_institution(wh, ANIMATOR1, iid, {"name": "Klub"}, reason="")


def test_an_institution_in_a_pzk_cannot_move_out_of_its_reach(wh):
    iid = _institution(wh)
    programme.add_pzk_member(
        wh, ANIMATOR1, terc=GMINA, institution_id=iid, signed_on=date(2026, 11, 2), today=TODAY
    )
    with pytest.raises(InvalidInput, match="ma siedzibę poza powiatem gminy Zawiśle"):
        programme.edit_institution(wh, ADMIN, iid, {"seat_terc": OTHER}, reason="Przeprowadzka")


def test_a_membership_is_ended_corrected_and_withdrawn(wh):
    iid = _institution(wh)
    mid = programme.add_pzk_member(
        wh, ANIMATOR1, terc=GMINA, institution_id=iid, signed_on=date(2026, 11, 2), today=TODAY
    )
    programme.correct_membership(
        wh,
        ANIMATOR1,
        mid,
        signed_on=date(2026, 10, 30),
        left_on=None,
        reason="Data z porozumienia",
        today=TODAY,
        expected_version=1,
    )
    assert last_audit(wh, "pzk_member")["reason"] == "Data z porozumienia"
    with pytest.raises(InvalidInput, match=r"Data wystąpienia: 29\.10\.2026 jest przed podpisaniem"):
        programme.leave_pzk(wh, ANIMATOR1, mid, date(2026, 10, 29), today=TODAY)
    with pytest.raises(StaleRecord):
        programme.leave_pzk(wh, ANIMATOR1, mid, date(2026, 11, 20), today=TODAY, expected_version=1)
    programme.leave_pzk(wh, ANIMATOR1, mid, date(2026, 11, 20), today=TODAY, expected_version=2)
    with pytest.raises(InvalidInput, match=r"Data podpisania: 01\.12\.2026 jest w przyszłości"):
        programme.correct_membership(
            wh, ANIMATOR1, mid, signed_on=date(2026, 12, 1), left_on=None, reason="x", today=TODAY
        )
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.withdraw_membership(wh, ANIMATOR1, mid, reason="")
    with pytest.raises(AccessDenied):
        programme.withdraw_membership(wh, ANIMATOR2, mid, reason="Pomyłka")
    programme.withdraw_membership(wh, ANIMATOR1, mid, reason="Wpisane przez pomyłkę", expected_version=3)
    assert mid not in set(pzk.list_members(wh, GMINA).membership_id)
    log = last_audit(wh, "pzk_member")
    assert (log["action"], log["reason"], log["before"]["institution_id"]) == (
        "delete",
        "Wpisane przez pomyłkę",
        iid,
    )


def test_a_corrected_membership_does_not_count_itself_as_already_a_member(wh):
    mid = wh.execute("SELECT min(membership_id) FROM pzk_member WHERE terc = ?", [GMINA]).fetchall()[0][0]
    programme.correct_membership(
        wh,
        ANIMATOR1,
        mid,
        signed_on=date(2026, 1, 13),
        left_on=None,
        reason="Data z porozumienia",
        today=TODAY,
    )
    iid = _institution(wh)
    first = programme.add_pzk_member(
        wh, ADMIN, terc=GMINA, institution_id=iid, signed_on=date(2026, 11, 2), today=TODAY
    )
    programme.leave_pzk(wh, ADMIN, first, date(2026, 11, 10), today=TODAY)
    programme.add_pzk_member(
        wh, ADMIN, terc=GMINA, institution_id=iid, signed_on=date(2026, 11, 12), today=TODAY
    )
    with pytest.raises(InvalidInput, match="Klub Seniora już należy do PZK tej gminy"):
        programme.correct_membership(
            wh, ADMIN, first, signed_on=date(2026, 11, 2), left_on=None, reason="Nie wystąpiła", today=TODAY
        )
