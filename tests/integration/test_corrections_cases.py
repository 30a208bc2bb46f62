"""Corrections of case delivery, the LKU and the WZK on the demo: edit and withdraw with a reason.

Each service: a good edit is saved and audited with its reason; an edit that breaks a rule of the
record's own form is refused with that form's message; a stale version, a missing reason and a PESEL
in the reason are refused; the WZK and the Zarząd cannot write; an animator only in their own gminy.
"""

from __future__ import annotations

from datetime import date

import pytest

from kooperacja import lku, wzk
from kooperacja.cases import delivery, meetings
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput, StaleRecord
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
ADMIN = Actor("admin", "admin")
READERS = [Actor("wzk", "wzk"), Actor("zarzad", "zarzad")]
PESEL = "pomyłka, chodzi o PESEL 44051401359"
REPORT = 35  # task 6 of P-3401011-0003 (animator1's Zawiśle), 10.2026, on track
FREE_SERVICE = 1  # Zawiśle's, in no case's basket
USED_SERVICE = 4  # Zawiśle's, in the basket of P-3401011-0003
LEFT_MEMBER = 2  # left the WZK on 30.01.2026, attended the meetings of 19.09.2025 and 16.12.2025


def animator(conn, name="animator1") -> Actor:
    gminy = conn.execute("SELECT terc FROM pilot_gmina WHERE animator = ?", [name]).fetchall()
    return Actor(name, "animator", frozenset(r[0] for r in gminy))


def last_audit(conn, table):
    return conn.execute(
        "SELECT action, record_key, reason FROM audit_log WHERE table_name = ? "
        "ORDER BY audit_id DESC LIMIT 1",
        [table],
    ).fetchall()[0]


def count(conn, sql, params=()):
    return conn.execute(sql, list(params)).fetchall()[0][0]


# --- monthly reports ---


def test_an_animator_corrects_a_monthly_report_with_a_reason(demo_conn):
    delivery.correct_monthly_report(
        demo_conn,
        animator(demo_conn),
        REPORT,
        progress="delayed",
        note="Instytucja zgłosiła opóźnienie",
        reported_on=date(2026, 11, 10),
        today=TODAY,
        reason="pomyłka w postępie",
        expected_version=1,
    )
    row = demo_conn.execute(
        "SELECT progress, note, reported_on, row_version FROM monthly_report WHERE report_id = ?", [REPORT]
    ).fetchall()[0]
    assert row == ("delayed", "Instytucja zgłosiła opóźnienie", date(2026, 11, 10), 2)
    assert last_audit(demo_conn, "monthly_report") == ("update", str(REPORT), "pomyłka w postępie")


def test_a_corrected_report_is_refused_for_the_reason_a_new_one_is(demo_conn):
    with pytest.raises(InvalidInput) as exc:
        delivery.correct_monthly_report(
            demo_conn,
            animator(demo_conn),
            REPORT,
            progress="on_track",
            reported_on=date(2026, 12, 2),
            today=TODAY,
            reason="data",
        )
    assert exc.value.problems == ["Data sprawozdania: 02.12.2026 jest w przyszłości"]


def test_report_corrections_need_a_fresh_version_and_a_clean_reason(demo_conn):
    actor = animator(demo_conn)
    fix = dict(progress="done", reported_on=date(2026, 11, 8), today=TODAY)
    with pytest.raises(StaleRecord):
        delivery.correct_monthly_report(demo_conn, actor, REPORT, **fix, reason="x", expected_version=0)
    with pytest.raises(InvalidInput, match="Powód zmiany: pole nie może być puste"):
        delivery.correct_monthly_report(demo_conn, actor, REPORT, **fix, reason="  ")
    with pytest.raises(InvalidInput, match="Powód zmiany: wygląda na numer PESEL"):
        delivery.correct_monthly_report(demo_conn, actor, REPORT, **fix, reason=PESEL)
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        delivery.withdraw_monthly_report(demo_conn, actor, REPORT, reason=PESEL)
    assert count(demo_conn, "SELECT row_version FROM monthly_report WHERE report_id = ?", [REPORT]) == 1


@pytest.mark.parametrize("who", ["animator2", "wzk", "zarzad"])
def test_only_the_gminas_animator_or_an_admin_correct_its_reports(demo_conn, who):
    actor = animator(demo_conn, who) if who == "animator2" else Actor(who, who)
    with pytest.raises(AccessDenied):
        delivery.correct_monthly_report(
            demo_conn, actor, REPORT, progress="done", reported_on=TODAY, today=TODAY, reason="x"
        )
    with pytest.raises(AccessDenied):
        delivery.withdraw_monthly_report(demo_conn, actor, REPORT, reason="x")


def test_a_report_saved_by_mistake_is_withdrawn_and_the_month_can_be_reported_again(demo_conn):
    actor = animator(demo_conn)
    saved = delivery.saved_report(demo_conn, 6, date(2026, 10, 1))
    assert saved is not None and saved["report_id"] == REPORT
    delivery.withdraw_monthly_report(demo_conn, actor, REPORT, reason="zapisano dla złego zadania")
    assert delivery.saved_report(demo_conn, 6, date(2026, 10, 1)) is None
    assert last_audit(demo_conn, "monthly_report") == ("delete", str(REPORT), "zapisano dla złego zadania")
    delivery.record_monthly_report(
        demo_conn, actor, 6, month=date(2026, 10, 1), progress="delayed", institution_id=1, today=TODAY
    )


# --- meetings of a case ---


def test_a_ggk_meeting_is_corrected_with_its_attendance(demo_conn):
    actor = animator(demo_conn)
    warnings = meetings.correct_case_meeting(
        demo_conn,
        actor,
        26,
        held_on=date(2026, 3, 6),
        attendees={1: date(2026, 2, 27), 14: date(2026, 3, 4), 15: date(2026, 2, 24)},
        today=TODAY,
        reason="szkoła nie była obecna",
        agenda="Diagnoza i plan",
    )
    assert warnings and "powiadomiono 2 dni przed" in warnings[0]
    found = dict(
        demo_conn.execute(
            "SELECT institution_id, notified_on FROM meeting_attendee WHERE meeting_id = 26"
        ).fetchall()
    )
    assert found == {1: date(2026, 2, 27), 14: date(2026, 3, 4), 15: date(2026, 2, 24)}
    reasons = demo_conn.execute(
        "SELECT action, record_key FROM audit_log WHERE reason = 'szkoła nie była obecna' ORDER BY audit_id"
    ).fetchall()
    assert reasons == [("update", "26"), ("delete", "26/9"), ("update", "26/14")]


def test_a_meeting_correction_is_refused_for_the_reasons_of_its_form(demo_conn):
    actor = animator(demo_conn)
    with pytest.raises(InvalidInput, match="Data powiadomienia: podaj, kiedy powiadomiono"):
        meetings.correct_case_meeting(
            demo_conn, actor, 26, held_on=date(2026, 3, 6), attendees={1: None}, today=TODAY, reason="x"
        )
    with pytest.raises(InvalidInput, match="Obecność rodziny"):
        meetings.correct_case_meeting(
            demo_conn, actor, 83, held_on=date(2026, 6, 12), attendees={1: None}, today=TODAY, reason="x"
        )
    with pytest.raises(AccessDenied):
        meetings.withdraw_case_meeting(demo_conn, animator(demo_conn, "animator2"), 26, reason="x")


def test_the_last_team_meeting_of_a_task_holder_cannot_be_withdrawn(demo_conn):
    actor = animator(demo_conn)
    meetings.withdraw_case_meeting(demo_conn, actor, 35, reason="spotkanie wpisane dwa razy")
    assert count(demo_conn, "SELECT count(*) FROM meeting_attendee WHERE meeting_id = 35") == 0
    assert last_audit(demo_conn, "meeting") == ("delete", "35", "spotkanie wpisane dwa razy")
    with pytest.raises(InvalidInput, match="ma zadanie w planie pracy sprawy"):
        meetings.withdraw_case_meeting(demo_conn, actor, 26, reason="pomyłka")


# --- services ---


def _service(conn, service_id):
    return lku.service_card(conn, service_id)


def test_an_animator_corrects_a_service_of_their_gmina(demo_conn):
    lku.update_service(
        demo_conn,
        animator(demo_conn),
        FREE_SERVICE,
        {"name": "Interwencja kryzysowa", "contact": "tel. 81 555 12 34"},
        reason="literówka w nazwie",
        expected_version=1,
    )
    card = _service(demo_conn, FREE_SERVICE)
    assert (card["name"], card["contact"], card["row_version"]) == (
        "Interwencja kryzysowa",
        "tel. 81 555 12 34",
        2,
    )
    assert last_audit(demo_conn, "service") == ("update", str(FREE_SERVICE), "literówka w nazwie")


def test_a_service_edit_is_refused_with_the_message_a_new_service_gets(demo_conn):
    actor = animator(demo_conn)
    card = _service(demo_conn, FREE_SERVICE)
    new = {k: card[k] for k in ("institution_id", "name", "category", "target_groups", "level", "area_terc")}
    for change in ({"problem_areas": []}, {"valid_to": date(2020, 1, 1)}):
        with pytest.raises(InvalidInput) as created:
            lku.add_service(
                demo_conn,
                actor,
                {**new, "problem_areas": ["ubostwo"], "valid_from": card["valid_from"], **change},
            )
        with pytest.raises(InvalidInput) as edited:
            lku.update_service(demo_conn, actor, FREE_SERVICE, change, reason="x")
        assert edited.value.problems == created.value.problems
    assert created.value.problems == ["Ważna do: wcześniej niż początek ważności (12.02.2026)"]


def test_service_corrections_need_a_fresh_version_and_a_clean_reason(demo_conn):
    actor = animator(demo_conn)
    with pytest.raises(StaleRecord):
        lku.update_service(demo_conn, actor, FREE_SERVICE, {"name": "X"}, reason="x", expected_version=0)
    with pytest.raises(InvalidInput, match="Powód zmiany: pole nie może być puste"):
        lku.update_service(demo_conn, actor, FREE_SERVICE, {"name": "X"}, reason="")
    with pytest.raises(InvalidInput, match="PESEL"):
        lku.withdraw_service(demo_conn, actor, FREE_SERVICE, reason=PESEL)
    with pytest.raises(StaleRecord):
        lku.withdraw_service(demo_conn, actor, FREE_SERVICE, reason="pomyłka", expected_version=0)


@pytest.mark.parametrize(
    "actor", [*READERS, Actor("animator2", "animator", frozenset({"3403011"}))], ids=lambda a: a.username
)
def test_readers_and_other_animators_cannot_change_a_service(demo_conn, actor):
    with pytest.raises(AccessDenied):
        lku.update_service(demo_conn, actor, FREE_SERVICE, {"name": "X"}, reason="x")
    with pytest.raises(AccessDenied):
        lku.end_service(demo_conn, actor, FREE_SERVICE, TODAY)
    with pytest.raises(AccessDenied):
        lku.withdraw_service(demo_conn, actor, FREE_SERVICE, reason="x")


def test_a_service_in_a_basket_is_ended_not_withdrawn(demo_conn):
    actor = animator(demo_conn)
    with pytest.raises(InvalidInput) as exc:
        lku.withdraw_service(demo_conn, actor, USED_SERVICE, reason="pomyłka")
    assert "P-3401011-0003" in exc.value.problems[0] and "zakończ ją" in exc.value.problems[0]
    with pytest.raises(InvalidInput, match="jest w koszyku sprawy P-3401011-0003 od"):
        lku.end_service(demo_conn, actor, USED_SERVICE, date(2025, 12, 20))
    lku.end_service(demo_conn, actor, USED_SERVICE, TODAY)
    assert _service(demo_conn, USED_SERVICE)["valid_to"] == TODAY
    lku.withdraw_service(demo_conn, actor, FREE_SERVICE, reason="usługa wpisana dwa razy")
    assert count(demo_conn, "SELECT count(*) FROM service WHERE service_id = ?", [FREE_SERVICE]) == 0
    assert last_audit(demo_conn, "service") == ("delete", str(FREE_SERVICE), "usługa wpisana dwa razy")


# --- the WZK ---


def test_a_member_with_an_institution_is_added_edited_and_ends_the_membership(demo_conn):
    member = wzk.add_member(
        demo_conn,
        ADMIN,
        {
            "full_name": "Jan Nowak",
            "role": "przedstawiciel PUP",
            "institution_id": 320,
            "from_on": date(2026, 10, 1),
        },
    )
    assert wzk.list_members(demo_conn, TODAY).set_index("member_id").loc[member].institution
    wzk.edit_member(
        demo_conn, ADMIN, member, {"role": "dyrektor WUP"}, reason="zmiana funkcji", expected_version=1
    )
    assert last_audit(demo_conn, "wzk_member") == ("update", str(member), "zmiana funkcji")
    with pytest.raises(InvalidInput, match=r"Do: nie może być wcześniej niż 01\.10\.2026"):
        wzk.end_membership(demo_conn, ADMIN, member, date(2026, 9, 30))
    with pytest.raises(StaleRecord):
        wzk.end_membership(demo_conn, ADMIN, member, TODAY, expected_version=1)
    wzk.end_membership(demo_conn, ADMIN, member, TODAY, expected_version=2)
    assert not wzk.list_members(demo_conn, date(2026, 12, 1)).set_index("member_id").loc[member].active
    with pytest.raises(InvalidInput, match="Instytucja: nie ma instytucji nr 99999"):
        wzk.add_member(
            demo_conn,
            ADMIN,
            {"full_name": "Anna Lis", "role": "członek", "institution_id": 99999, "from_on": TODAY},
        )


def test_a_member_who_left_does_not_count_for_later_meetings(demo_conn):
    member = wzk.add_member(
        demo_conn, ADMIN, {"full_name": "Jan Nowak", "role": "członek", "from_on": date(2026, 1, 1)}
    )
    before = wzk.list_meetings(demo_conn).set_index("meeting_id").members
    wzk.end_membership(demo_conn, ADMIN, member, date(2026, 4, 30))
    after = wzk.list_meetings(demo_conn).set_index("meeting_id").members
    assert after.loc[3] == before.loc[3]  # 18.03.2026: still serving
    assert after.loc[4] == before.loc[4] - 1  # 17.06.2026: had left
    with pytest.raises(
        InvalidInput, match=r"Obecność: Jan Nowak — nie byli członkami WZK w dniu 17\.06\.2026"
    ):
        wzk.edit_meeting(
            demo_conn,
            ADMIN,
            4,
            held_on=date(2026, 6, 17),
            agenda="Przegląd",
            decisions=None,
            member_ids=[member],
            today=TODAY,
            reason="x",
        )


def test_a_membership_cannot_end_before_a_meeting_the_member_attended(demo_conn):
    with pytest.raises(
        InvalidInput, match=r"jest na liście obecności posiedzeń spoza okresu członkostwa \(16\.12\.2025\)"
    ):
        wzk.end_membership(demo_conn, ADMIN, LEFT_MEMBER, date(2025, 11, 30))


def test_a_member_on_an_attendance_list_is_not_withdrawn_one_entered_by_mistake_is(demo_conn):
    with pytest.raises(InvalidInput, match="nie można go wycofać; zapisz koniec członkostwa"):
        wzk.withdraw_member(demo_conn, ADMIN, LEFT_MEMBER, reason="pomyłka")
    member = wzk.add_member(demo_conn, ADMIN, {"full_name": "Jan Nowak", "role": "członek", "from_on": TODAY})
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        wzk.withdraw_member(demo_conn, ADMIN, member, reason=PESEL)
    wzk.withdraw_member(demo_conn, ADMIN, member, reason="wpisany przez pomyłkę", expected_version=1)
    assert member not in set(wzk.list_members(demo_conn, TODAY).member_id)
    assert last_audit(demo_conn, "wzk_member") == ("delete", str(member), "wpisany przez pomyłkę")


def test_a_wzk_meeting_is_corrected_with_its_attendance_and_withdrawn_without_recommendations(demo_conn):
    present = wzk.meeting_members(demo_conn, 5)
    wzk.edit_meeting(
        demo_conn,
        ADMIN,
        5,
        held_on=date(2026, 9, 9),
        agenda="Przegląd postępów",
        decisions="Przyjęto",
        member_ids=present[1:],
        today=TODAY,
        reason="nieobecny",
    )
    assert wzk.meeting_members(demo_conn, 5) == present[1:]
    assert last_audit(demo_conn, "wzk_attendance") == ("delete", f"5/{present[0]}", "nieobecny")
    with pytest.raises(InvalidInput, match="ma 1 rekomendację — odłącz je najpierw"):
        wzk.withdraw_meeting(demo_conn, ADMIN, 5, reason="pomyłka")
    wzk.edit_recommendation(demo_conn, ADMIN, 8, {"meeting_id": None}, reason="nie z tego posiedzenia")
    wzk.withdraw_meeting(demo_conn, ADMIN, 5, reason="posiedzenie wpisane przez pomyłkę")
    assert 5 not in set(wzk.list_meetings(demo_conn).meeting_id)
    assert count(demo_conn, "SELECT count(*) FROM wzk_attendance WHERE meeting_id = 5") == 0


def test_a_recommendation_is_edited_and_linked_to_another_meeting(demo_conn):
    wzk.edit_recommendation(
        demo_conn,
        ADMIN,
        5,
        {
            "text": "Ująć mieszkania chronione w OZPS",
            "owner": "Zarząd Województwa",
            "kind": "legal",
            "meeting_id": 4,
        },
        reason="doprecyzowanie",
        expected_version=1,
    )
    row = wzk.list_recommendations(demo_conn).set_index("recommendation_id").loc[5]
    assert (row.text, row.owner, row.kind, row.meeting_id) == (
        "Ująć mieszkania chronione w OZPS",
        "Zarząd Województwa",
        "legal",
        4,
    )
    assert last_audit(demo_conn, "recommendation") == ("update", "5", "doprecyzowanie")
    with pytest.raises(InvalidInput, match="Posiedzenie WZK: nie ma takiego posiedzenia"):
        wzk.edit_recommendation(demo_conn, ADMIN, 5, {"meeting_id": 26}, reason="x")
    with pytest.raises(StaleRecord):
        wzk.edit_recommendation(demo_conn, ADMIN, 5, {"owner": "WZK"}, reason="x", expected_version=1)
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        wzk.edit_recommendation(demo_conn, ADMIN, 5, {"owner": "WZK"}, reason=PESEL)


@pytest.mark.parametrize(
    "actor", [*READERS, Actor("animator1", "animator", frozenset({"3401011"}))], ids=lambda a: a.username
)
def test_only_admins_correct_the_wzk_registry(demo_conn, actor):
    calls = [
        lambda: wzk.edit_member(demo_conn, actor, 1, {"role": "x"}, reason="x"),
        lambda: wzk.end_membership(demo_conn, actor, 1, TODAY),
        lambda: wzk.withdraw_member(demo_conn, actor, 1, reason="x"),
        lambda: wzk.edit_meeting(
            demo_conn,
            actor,
            5,
            held_on=TODAY,
            agenda="x",
            decisions=None,
            member_ids=[],
            today=TODAY,
            reason="x",
        ),
        lambda: wzk.withdraw_meeting(demo_conn, actor, 5, reason="x"),
        lambda: wzk.edit_recommendation(demo_conn, actor, 5, {"owner": "x"}, reason="x"),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()


# --- refusals name what they refuse ---


def test_refusals_name_the_institution_the_gmina_and_the_service(demo_conn):
    from kooperacja.cases import team

    actor = animator(demo_conn)
    with pytest.raises(InvalidInput) as exc:
        team.convene_team(demo_conn, actor, "P-3401011-0001", held_on=date(2026, 11, 20),
                          attendees={3: date(2026, 11, 10)}, today=TODAY)  # fmt: skip
    assert (
        "Szkoła Podstawowa nr 1 w Zawiślu nie należała do PZK gminy Zawiśle w dniu 20.11.2026"
        in (exc.value.problems[0])
    )
    with pytest.raises(InvalidInput) as exc:
        delivery.assign_services(demo_conn, actor, "P-3401011-0001", service_ids=[118],
                                 from_on=date(2026, 11, 20), today=TODAY)  # fmt: skip
    assert exc.value.problems[0].startswith("Usługa „Mieszkanie chronione treningowe”: nie ma jej w koszyku")


def _import_errors(conn, actor, table, row):
    from kooperacja.exchange import apply, workbook
    from kooperacja.exchange.mapping import REGISTRIES

    heads = REGISTRIES[table].headers()
    text = ";".join(heads[f] for f in row) + "\n" + ";".join(str(v) for v in row.values()) + "\n"
    parsed = workbook.parse_file(text.encode(), "plik.csv", table)
    assert not parsed.errors, parsed.errors
    result = apply.apply_import(conn, actor, parsed, "all_or_nothing", today=TODAY)
    return [f"{e.column}: {e.reason}" for e in result.errors]


def test_an_edit_and_the_import_refuse_the_same_row_with_the_same_reason(demo_conn):
    actor = animator(demo_conn)
    with pytest.raises(InvalidInput) as edited:
        delivery.correct_monthly_report(
            demo_conn,
            actor,
            REPORT,
            progress="on_track",
            reported_on=date(2026, 12, 2),
            today=TODAY,
            reason="x",
        )
    report = {"task_id": 6, "month": "01.11.2026", "reported_on": "02.12.2026", "progress": "on_track"}
    assert _import_errors(demo_conn, actor, "monthly_report", report) == edited.value.problems
    with pytest.raises(InvalidInput) as edited:
        lku.update_service(demo_conn, actor, FREE_SERVICE, {"valid_to": date(2026, 2, 1)}, reason="x")
    card = _service(demo_conn, FREE_SERVICE)
    service = {
        "institution_id": card["institution_id"],
        "name": card["name"],
        "category": card["category"],
        "target_groups": card["target_groups"][0],  # one of each: ";" parts the cells of a CSV
        "problem_areas": card["problem_areas"][0],
        "level": card["level"],
        "area_terc": card["area_terc"],
        "valid_from": f"{card['valid_from']:%d.%m.%Y}",
        "valid_to": "01.02.2026",
    }
    assert _import_errors(demo_conn, actor, "service", service) == edited.value.problems
