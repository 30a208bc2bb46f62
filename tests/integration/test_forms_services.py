"""The services behind each data-entry form: happy path, Polish refusals, and the audit row of each write."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput, KooperacjaError
from kooperacja.programme import data_entry
from kooperacja.programme import services as programme
from kooperacja.warehouse import history as audit

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")
GMINA = "3401011"  # animator1's pilot gmina
OTHER = "3403011"  # animator2's
CANDIDATE = "3401022"  # in the register, not in the pilot


@pytest.fixture
def wh(demo_conn):
    return demo_conn


@pytest.fixture
def animator1(wh):
    return Actor(
        "animator1", "animator", frozenset(data_entry.pilot_choices(wh, Actor("animator1", "animator")))
    )


def last_audit(conn, table: str) -> tuple:
    row = conn.execute(
        "SELECT username, action, record_key, before, after FROM audit_log WHERE table_name = ? "
        "ORDER BY audit_id DESC LIMIT 1",
        [table],
    ).fetchall()[0]
    return row[:3] + tuple(json.loads(v) if v else None for v in row[3:])


def test_step_event_is_written_and_audited(wh, animator1):
    event_id = programme.record_step_event(
        wh,
        animator1,
        terc=GMINA,
        substep="5.2",
        kind="completed",
        event_on=date(2026, 11, 20),
        today=TODAY,
        evidence="Porozumienie 5/2026",
    )
    user, action, key, before, after = last_audit(wh, "step_event")
    assert (user, action, key, before) == ("animator1", "insert", str(event_id), None)
    assert after["evidence"] == "Porozumienie 5/2026" and after["terc"] == GMINA


STEP_REFUSALS = {
    "future date": (dict(substep="5.2", event_on=date(2026, 12, 1)), "jest w przyszłości"),
    "unknown substep": (dict(substep="9.9"), "nie występuje w harmonogramie gminy"),
    "region step": (dict(substep="1.1"), "realizuje ROPS dla całego regionu"),
    "bad substep": (dict(substep="K5"), "Podkrok: niepoprawny format"),
}


@pytest.mark.parametrize("change, message", STEP_REFUSALS.values(), ids=STEP_REFUSALS.keys())
def test_step_event_refusals_are_polish_and_write_nothing(wh, animator1, change, message):
    before = wh.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
    args = {"terc": GMINA, "kind": "started", "event_on": date(2026, 11, 1), "today": TODAY, **change}
    with pytest.raises(InvalidInput, match=message):
        programme.record_step_event(wh, animator1, **args)
    assert wh.execute("SELECT count(*) FROM audit_log").fetchall()[0][0] == before


def test_an_animator_cannot_write_another_animators_gmina(wh, animator1):
    with pytest.raises(AccessDenied, match="nie może zmieniać gminy o kodzie TERC 3403011"):
        programme.record_step_event(
            wh, animator1, terc=OTHER, substep="5.2", kind="started", event_on=date(2026, 11, 1), today=TODAY
        )


def test_plan_shift_needs_a_reason_and_is_audited(wh, animator1):
    with pytest.raises(InvalidInput, match="Powód przesunięcia"):
        programme.shift_plan(wh, animator1, terc=GMINA, days=30, reason="", today=TODAY)
    shift_id = programme.shift_plan(
        wh, animator1, terc=GMINA, days=30, reason="Zmiana władz gminy", today=TODAY, substep="6.1"
    )
    assert last_audit(wh, "plan_shift")[:3] == ("animator1", "insert", str(shift_id))
    assert last_audit(wh, "plan_shift")[4]["reason"] == "Zmiana władz gminy"


def test_zgloszenie_then_first_contact_with_before_and_after(wh, animator1):
    data = {"terc": CANDIDATE, "route": "rops", "received_on": date(2026, 11, 20), "has_diagnosis": True}
    zid = programme.record_zgloszenie(wh, animator1, data, TODAY)
    assert zid in data_entry.open_zgloszenia(wh, animator1)
    with pytest.raises(InvalidInput, match="wcześniejsza niż data wpływu"):
        programme.record_first_contact(wh, animator1, zid, date(2026, 11, 19), TODAY)
    programme.record_first_contact(wh, animator1, zid, date(2026, 11, 23), TODAY)
    user, action, key, before, after = last_audit(wh, "zgloszenie")
    assert (user, action, key) == ("animator1", "update", str(zid))
    assert before["first_contact_on"] is None and after["first_contact_on"] == "2026-11-23"
    assert zid not in data_entry.open_zgloszenia(wh, animator1)


def test_a_self_formed_zgloszenie_without_signing_date_is_refused(wh):
    data = {"terc": CANDIDATE, "route": "self_formed", "received_on": date(2026, 11, 20)}
    with pytest.raises(InvalidInput, match="wymagana dla samodzielnie zawiązanej współpracy"):
        programme.record_zgloszenie(wh, ADMIN, data, TODAY)


def test_institution_pzk_join_and_leave_are_audited(wh, animator1):
    iid = programme.add_institution(
        wh, animator1, {"name": "Klub Seniora", "sector": "ngo", "level": "gmina", "seat_terc": GMINA}
    )
    assert last_audit(wh, "institution")[:3] == ("animator1", "insert", str(iid))
    assert iid in data_entry.institution_choices(wh, GMINA)
    mid = programme.add_pzk_member(wh, animator1, terc=GMINA, institution_id=iid, signed_on=date(2026, 11, 2))
    with pytest.raises(InvalidInput, match="już należy do PZK"):
        programme.add_pzk_member(wh, animator1, terc=GMINA, institution_id=iid, signed_on=date(2026, 11, 3))
    programme.leave_pzk(wh, animator1, mid, date(2026, 11, 22))
    user, action, key, before, after = last_audit(wh, "pzk_member")
    assert (user, action, key, before["left_on"], after["left_on"]) == (
        "animator1",
        "update",
        str(mid),
        None,
        "2026-11-22",
    )
    with pytest.raises(InvalidInput, match="już wystąpiła"):
        programme.leave_pzk(wh, animator1, mid, date(2026, 11, 23))


def test_an_animator_cannot_add_an_institution_outside_their_powiaty(wh, animator1):
    with pytest.raises(AccessDenied, match="swoich gminach"):
        programme.add_institution(
            wh, animator1, {"name": "Szkoła", "sector": "edukacja", "level": "gmina", "seat_terc": OTHER}
        )


def test_meeting_with_attendees_and_a_late_notification_refused(wh, animator1):
    near = list(data_entry.institution_choices(wh, GMINA))[:2]
    data = {"kind": "pzk", "terc": GMINA, "held_on": date(2026, 11, 10), "decisions": "Plan pracy przyjęty"}
    with pytest.raises(InvalidInput, match="Data powiadomienia: późniejsza niż data spotkania"):
        programme.record_meeting(wh, animator1, data, [(near[0], date(2026, 11, 11))])
    mid = programme.record_meeting(wh, animator1, data, [(near[0], date(2026, 11, 3)), (near[1], None)])
    assert last_audit(wh, "meeting")[:3] == ("animator1", "insert", str(mid))
    assert last_audit(wh, "meeting_attendee")[4]["meeting_id"] == mid
    with pytest.raises(AccessDenied):
        programme.record_meeting(wh, animator1, {**data, "kind": "wzk", "terc": None}, [])


def test_pilot_set_up_takes_the_variant_of_the_gminas_type(wh):
    assert data_entry.default_variant(wh, CANDIDATE) == "rural"
    programme.add_pilot_gmina(
        wh, ADMIN, CANDIDATE, joined_on=date(2026, 11, 1), animator="animator1", plan_start=date(2026, 11, 2)
    )
    user, action, key, _, after = last_audit(wh, "pilot_gmina")
    assert (user, action, key, after["variant"]) == ("admin", "insert", CANDIDATE, "rural")
    assert CANDIDATE not in data_entry.register_choices(wh, outside_pilot=True)
    with pytest.raises(InvalidInput, match="jest już w pilotażu"):
        programme.add_pilot_gmina(
            wh,
            ADMIN,
            CANDIDATE,
            joined_on=date(2026, 11, 1),
            animator="animator1",
            plan_start=date(2026, 11, 2),
        )
    with pytest.raises(AccessDenied):
        programme.add_pilot_gmina(
            wh,
            Actor("animator1", "animator"),
            "3401062",
            joined_on=TODAY,
            animator="animator1",
            plan_start=TODAY,
        )


def test_an_edited_template_becomes_a_new_version_and_plans_keep_theirs(wh):
    versions = data_entry.templates(wh)
    tid, version = int(versions.template_id[0]), int(versions.version[0])
    text = data_entry.template_csv(wh, tid, version).replace(",4,4,", ",4,5,", 1)
    assert data_entry.save_template_version(wh, ADMIN, text, tid) == (tid, version + 1)
    assert last_audit(wh, "template")[:3] == ("admin", "insert", f"{tid}/{version + 1}")
    pinned = wh.execute("SELECT DISTINCT template_version FROM pilot_gmina").fetchall()
    assert pinned == [(version,)]
    with pytest.raises(InvalidInput, match="Wiersz 2"):
        data_entry.save_template_version(wh, ADMIN, text.replace(",region,", ",swiat,", 1), tid)
    with pytest.raises(AccessDenied):
        data_entry.save_template_version(wh, Actor("animator1", "animator"), text, tid)


def test_register_imports_are_for_admins_only(wh):
    with pytest.raises(AccessDenied):
        data_entry.import_terc_register(wh, Actor("animator1", "animator"), b"x", None)
    with pytest.raises(KooperacjaError, match="nie jest rejestrem TERC"):
        data_entry.import_terc_register(wh, ADMIN, b"to nie jest rejestr", None)


def test_history_filters_by_user_table_and_gmina_on_six_digits(wh, animator1):
    programme.shift_plan(wh, animator1, terc=GMINA, days=10, reason="Wybory", today=TODAY)
    wh.execute("UPDATE audit_log SET terc = '3401012' WHERE audit_id = (SELECT max(audit_id) FROM audit_log)")
    changes = audit.list_changes(wh, ADMIN, user="animator1", table="plan_shift", terc=GMINA)
    assert len(changes) == 1 and changes.iloc[0]["Kto"] == "Anna Nowakowska, animatorka (demo)"
    assert "Powód przesunięcia: Wybory" in changes.iloc[0]["Po"]
    assert audit.list_changes(wh, ADMIN, user="animator1", since=date(2030, 1, 1)).empty
    with pytest.raises(AccessDenied):
        audit.list_changes(wh, animator1)
