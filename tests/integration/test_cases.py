"""Case work on a small region built by hand: referral to closure, every refusal, suppressed summaries."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from kooperacja import warehouse
from kooperacja.cases import core as cases
from kooperacja.cases import delivery as case_delivery
from kooperacja.cases import stats as case_stats
from kooperacja.cases import team as case_team
from kooperacja.cases.card import case_card
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput, StaleRecord
from kooperacja.model.records import Gmina, ProblemArea, Service
from kooperacja.model.vocab import PROBLEM_AREAS
from kooperacja.programme import alerts
from kooperacja.programme import services as programme
from kooperacja.warehouse.store import insert, insert_many

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")
GMINA, OTHER = "0201032", "0201043"
ANIMATOR = Actor("animator1", "animator", frozenset({GMINA}))
STRANGER = Actor("animator2", "animator", frozenset({OTHER}))
WZK = Actor("wzk", "wzk")
VALID_PESEL = "44051401359"


@pytest.fixture
def region(conn):
    with warehouse.transaction(conn) as cur:
        insert_many(
            cur,
            [
                Gmina(terc=GMINA, name="Gromadka", kind="wiejska"),
                Gmina(terc=OTHER, name="Osiecznica", kind="wiejska"),
            ],
            "test",
        )
        insert_many(cur, [ProblemArea(code=c, label=lbl) for c, lbl in PROBLEM_AREAS.items()], "test")
        for user, role in [("admin", "admin"), ("animator1", "animator"), ("animator2", "animator")]:
            cur.execute(
                "INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, 'x')",
                [user, user, role],
            )
    programme.add_pilot_gmina(
        conn, ADMIN, GMINA, joined_on=date(2026, 1, 10), animator="animator1", plan_start=date(2026, 2, 1)
    )
    programme.add_pilot_gmina(
        conn, ADMIN, OTHER, joined_on=date(2026, 1, 10), animator="animator2", plan_start=date(2026, 2, 1)
    )
    ids = {}
    for key, name, sector, level, seat in [
        ("ops", "GOPS w Gromadce", "pomoc_spoleczna", "gmina", GMINA),
        ("pup", "PUP w Bolesławcu", "rynek_pracy", "powiat", "0201"),
        ("school", "Szkoła Podstawowa w Gromadce", "edukacja", "gmina", GMINA),
        ("police", "Posterunek Policji w Gromadce", "policja", "gmina", GMINA),
    ]:
        ids[key] = programme.add_institution(
            conn, ADMIN, {"name": name, "sector": sector, "level": level, "seat_terc": seat}
        )
    for key in ("ops", "pup", "school"):
        programme.add_pzk_member(conn, ADMIN, terc=GMINA, institution_id=ids[key], signed_on=date(2026, 3, 1))
    programme.add_pzk_member(
        conn, ADMIN, terc=GMINA, institution_id=ids["police"], signed_on=date(2026, 6, 1)
    )
    with warehouse.transaction(conn) as cur:
        for key, area, level, valid_to in [
            ("svc_gmina", GMINA, "gmina", None),
            ("svc_powiat", "0201", "powiat", None),
            ("svc_region", "02", "region", None),
            ("svc_elsewhere", "0202", "powiat", None),
            ("svc_expired", GMINA, "gmina", date(2026, 3, 31)),
        ]:
            ids[key] = insert(
                cur,
                "test",
                Service(
                    institution_id=ids["ops"],
                    name=f"Usługa {key}",
                    category="poradnictwo",
                    target_groups=["rodziny"],
                    problem_areas=["ubostwo"],
                    level=level,
                    area_terc=area,
                    valid_from=date(2026, 1, 1),
                    valid_to=valid_to,
                ),
            )
    return conn, ids


def stage(conn, code):
    rows = case_stats.list_cases(conn, ADMIN, case_code=code)
    return rows.stage.iloc[0]


def referred_case(conn):
    """A family case referred on 1 April, nothing recorded after that."""
    return cases.register_case(
        conn, ANIMATOR, terc=GMINA, kind="rodzina", referred_on=date(2026, 4, 1), today=TODAY
    )


def convened_case(conn, ids):
    """A referred case diagnosed on 10 April whose team, the GOPS alone, met on 20 April."""
    code = referred_case(conn)
    cases.record_diagnosis(
        conn, ANIMATOR, code, diagnosed_on=date(2026, 4, 10), problems=["ubostwo"], today=TODAY
    )
    case_team.convene_team(
        conn,
        ANIMATOR,
        code,
        held_on=date(2026, 4, 20),
        today=TODAY,
        attendees={ids["ops"]: date(2026, 4, 10)},
    )
    return code


def planned_case(conn, ids, actor=ANIMATOR):
    """A case taken through registration, diagnosis, the team meeting and the plan."""
    code = cases.register_case(
        conn,
        actor,
        terc=GMINA,
        kind="rodzina",
        referred_on=date(2026, 4, 1),
        consent_on=date(2026, 4, 3),
        problems=["ubostwo"],
        today=TODAY,
    )
    cases.record_diagnosis(
        conn, actor, code, diagnosed_on=date(2026, 4, 10), problems=["ubostwo", "bezrobocie"], today=TODAY
    )
    case_team.convene_team(
        conn,
        actor,
        code,
        held_on=date(2026, 4, 20),
        today=TODAY,
        attendees={ids["ops"]: date(2026, 4, 10), ids["pup"]: date(2026, 4, 17)},
    )
    case_team.save_plan(
        conn,
        actor,
        code,
        plan_on=date(2026, 4, 21),
        today=TODAY,
        main_goal="Poprawa sytuacji materialnej rodziny 5-osobowej",
        goals=["Podjęcie pracy przez jednego z rodziców", "Regularne opłacanie czynszu"],
        tasks=[
            {
                "description": "Oferta pracy i staż",
                "goal": 0,
                "institution_id": ids["pup"],
                "due_on": date(2026, 9, 30),
            },
            {
                "description": "Pomoc w budżecie domowym",
                "goal": 1,
                "institution_id": ids["ops"],
                "due_on": date(2026, 8, 31),
            },
            {
                "description": "Udział w rozmowach kwalifikacyjnych",
                "goal": 0,
                "institution_id": None,
                "due_on": date(2026, 7, 31),
            },
        ],
    )
    return code


def task_of(conn, code, institution_id):
    return conn.execute(
        "SELECT task_id FROM case_task WHERE case_code = ? AND institution_id IS NOT DISTINCT FROM ?",
        [code, institution_id],
    ).fetchall()[0][0]


def test_a_case_goes_from_referral_to_closure_through_every_stage(region):
    conn, ids = region
    code = referred_case(conn)
    assert code == f"P-{GMINA}-0001" and stage(conn, code) == "referred"
    cases.record_diagnosis(
        conn, ANIMATOR, code, diagnosed_on=date(2026, 4, 10), problems=["ubostwo"], today=TODAY
    )
    assert stage(conn, code) == "diagnosed"
    _, warnings = case_team.convene_team(
        conn,
        ANIMATOR,
        code,
        held_on=date(2026, 4, 20),
        today=TODAY,
        attendees={ids["ops"]: date(2026, 4, 10), ids["pup"]: date(2026, 4, 17)},
    )
    assert warnings == ["PUP w Bolesławcu: powiadomiono 3 dni przed (wymagane 5 dni)"]
    case_team.save_plan(
        conn,
        ANIMATOR,
        code,
        plan_on=date(2026, 4, 21),
        today=TODAY,
        main_goal="Stabilizacja",
        goals=["Praca"],
        tasks=[{"description": "Staż", "goal": 0, "institution_id": ids["pup"], "due_on": date(2026, 9, 30)}],
    )
    assert stage(conn, code) == "plan"
    case_delivery.set_contract(
        conn,
        ANIMATOR,
        code,
        kind="kontrakt_socjalny",
        from_on=date(2026, 4, 25),
        to_on=date(2026, 10, 25),
        today=TODAY,
    )
    assert stage(conn, code) == "contract"
    assert (
        case_delivery.assign_services(
            conn,
            ANIMATOR,
            code,
            service_ids=[ids["svc_gmina"], ids["svc_region"]],
            from_on=date(2026, 5, 1),
            today=TODAY,
        )
        == 2
    )
    assert stage(conn, code) == "delivery"
    task = task_of(conn, code, ids["pup"])
    case_delivery.record_monthly_report(
        conn,
        ANIMATOR,
        task,
        month=date(2026, 4, 1),
        progress="on_track",
        institution_id=ids["pup"],
        today=TODAY,
    )
    case_delivery.record_monitoring_meeting(
        conn,
        ANIMATOR,
        code,
        held_on=date(2026, 7, 15),
        family_present=False,
        family_told=True,
        attendees={ids["pup"]: None},
        today=TODAY,
    )
    case_delivery.evaluate(
        conn,
        ANIMATOR,
        code,
        evaluated_on=date(2026, 10, 1),
        result="full",
        note="Cel osiągnięty, rodzina samodzielna",
        today=TODAY,
    )
    assert stage(conn, code) == "evaluated"
    case_delivery.close_case(
        conn, ANIMATOR, code, closed_on=date(2026, 10, 10), reason="goals_achieved", today=TODAY
    )
    assert stage(conn, code) == "closed"
    case_delivery.record_followup(
        conn, ANIMATOR, code, until=date(2027, 4, 10), note="Kontakt co miesiąc", today=TODAY
    )
    card = case_card(conn, ADMIN, code)
    assert card["case"]["followup_note"] == "Kontakt co miesiąc"
    assert set(card["services"].to_on.dt.date) == {date(2026, 10, 10)}  # the basket ends with the case
    assert list(card["meetings"].kind) == ["ggk", "monitoring"]
    assert card["meetings"].short_notice.tolist() == [1, 1]  # PUP short; monitoring invite unrecorded
    assert (
        conn.execute("SELECT count(*) FROM audit_log WHERE record_key LIKE ?", [f"{code}%"]).fetchall()[0][0]
        >= 8
    )


def test_case_codes_are_numbered_per_gmina_and_carry_no_name(region):
    conn, _ = region
    first = cases.register_case(
        conn, ANIMATOR, terc=GMINA, kind="osoba", referred_on=date(2026, 5, 1), today=TODAY
    )
    second = cases.register_case(
        conn, ANIMATOR, terc=GMINA, kind="grupa", referred_on=date(2026, 5, 2), today=TODAY
    )
    other = cases.register_case(
        conn, STRANGER, terc=OTHER, kind="osoba", referred_on=date(2026, 5, 2), today=TODAY
    )
    assert (first, second, other) == (f"P-{GMINA}-0001", f"P-{GMINA}-0002", f"P-{OTHER}-0001")


def test_an_institution_outside_the_pzk_on_the_meeting_day_cannot_sit_in_the_team(region):
    conn, ids = region
    code = referred_case(conn)
    with pytest.raises(InvalidInput, match=r"nie należała do PZK gminy \w+ w dniu 20\.05\.2026"):
        case_team.convene_team(
            conn,
            ANIMATOR,
            code,
            held_on=date(2026, 5, 20),
            today=TODAY,
            attendees={ids["police"]: date(2026, 5, 10)},
        )  # joins on 1 June
    _, warnings = case_team.convene_team(
        conn,
        ANIMATOR,
        code,
        held_on=date(2026, 6, 20),
        today=TODAY,
        attendees={ids["police"]: date(2026, 6, 10)},
    )
    assert warnings == []


def test_every_invited_institution_needs_a_notification_date(region):
    conn, ids = region
    code = referred_case(conn)
    with pytest.raises(InvalidInput, match="kiedy powiadomiono GOPS w Gromadce"):
        case_team.convene_team(
            conn, ANIMATOR, code, held_on=date(2026, 5, 20), today=TODAY, attendees={ids["ops"]: None}
        )


def test_a_task_goes_to_a_team_institution_or_the_family_only(region):
    conn, ids = region
    code = convened_case(conn, ids)
    with pytest.raises(InvalidInput, match=r"Zadanie 1: instytucja .* nie jest w zespole"):
        case_team.save_plan(
            conn,
            ANIMATOR,
            code,
            plan_on=date(2026, 4, 21),
            today=TODAY,
            main_goal="Cel",
            goals=["Cel 1"],
            tasks=[{"description": "Lekcje", "institution_id": ids["school"], "due_on": date(2026, 6, 1)}],
        )


def test_a_report_for_another_institutions_task_is_refused(region):
    conn, ids = region
    code = planned_case(conn, ids)
    task = task_of(conn, code, ids["pup"])
    with pytest.raises(InvalidInput, match="przypisano je PUP w Bolesławcu"):
        case_delivery.record_monthly_report(
            conn,
            ANIMATOR,
            task,
            month=date(2026, 5, 1),
            progress="on_track",
            institution_id=ids["ops"],
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("month", "message"),
    [
        (date(2026, 12, 1), "jeszcze się nie zaczął"),
        (date(2026, 3, 1), "przed planem pracy"),
    ],
)
def test_a_report_for_a_future_month_or_before_the_plan_is_refused(region, month, message):
    conn, ids = region
    code = planned_case(conn, ids)
    task = task_of(conn, code, ids["pup"])
    with pytest.raises(InvalidInput, match=message):
        case_delivery.record_monthly_report(
            conn, ANIMATOR, task, month=month, progress="on_track", institution_id=ids["pup"], today=TODAY
        )


def test_a_done_report_closes_the_task_and_a_second_report_for_the_month_is_refused(region):
    conn, ids = region
    code = planned_case(conn, ids)
    task = task_of(conn, code, ids["ops"])
    case_delivery.record_monthly_report(
        conn, ANIMATOR, task, month=date(2026, 8, 1), progress="done", institution_id=ids["ops"], today=TODAY
    )
    assert conn.execute("SELECT done_on FROM case_task WHERE task_id = ?", [task]).fetchall()[0][0] == date(
        2026, 8, 31
    )
    with pytest.raises(InvalidInput, match="już zapisano"):
        case_delivery.record_monthly_report(
            conn,
            ANIMATOR,
            task,
            month=date(2026, 8, 1),
            progress="done",
            institution_id=ids["ops"],
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (f"Wsparcie dla osoby o PESEL {VALID_PESEL}", "PESEL"),
        ("Kontakt z rodziną: jan.kowalski@example.com", "e-mail"),
    ],
)
def test_personal_data_in_a_specific_goal_is_refused_naming_the_field(region, text, why):
    conn, ids = region
    code = convened_case(conn, ids)
    with pytest.raises(InvalidInput, match=f"Cel szczegółowy 2: .*{why}") as caught:
        case_team.save_plan(
            conn,
            ANIMATOR,
            code,
            plan_on=date(2026, 4, 21),
            today=TODAY,
            main_goal="Cel główny",
            goals=["Praca", text],
            tasks=[{"description": "Doradztwo", "institution_id": ids["ops"], "due_on": date(2026, 6, 1)}],
        )
    assert "dane osobowe" in caught.value.message
    assert conn.execute("SELECT plan_on FROM case_file WHERE case_code = ?", [code]).fetchall()[0][0] is None


def test_personal_data_in_the_main_goal_is_refused_naming_the_field(region):
    conn, ids = region
    code = convened_case(conn, ids)
    with pytest.raises(InvalidInput, match="Cel główny: wygląda na numer telefonu"):
        case_team.save_plan(
            conn,
            ANIMATOR,
            code,
            plan_on=date(2026, 4, 21),
            today=TODAY,
            main_goal="Telefon 601 234 567",
            goals=["Praca"],
            tasks=[{"description": "Doradztwo", "institution_id": ids["ops"], "due_on": date(2026, 6, 1)}],
        )
    assert conn.execute("SELECT count(*) FROM case_goal").fetchall()[0][0] == 0  # nothing half-written


def test_closure_needs_a_reason_and_goals_achieved_needs_an_evaluation(region):
    conn, ids = region
    code = planned_case(conn, ids)
    with pytest.raises(InvalidInput, match="Powód zakończenia: podaj powód"):
        case_delivery.close_case(conn, ANIMATOR, code, closed_on=date(2026, 10, 1), reason=None, today=TODAY)
    with pytest.raises(InvalidInput, match="ewaluacja"):
        case_delivery.close_case(
            conn, ANIMATOR, code, closed_on=date(2026, 10, 1), reason="goals_achieved", today=TODAY
        )
    case_delivery.close_case(
        conn, ANIMATOR, code, closed_on=date(2026, 10, 1), reason="resigned", today=TODAY
    )
    with pytest.raises(InvalidInput, match="jest zakończona"):
        case_delivery.evaluate(
            conn, ANIMATOR, code, evaluated_on=date(2026, 10, 2), result="none", today=TODAY
        )


def test_a_social_contract_does_not_fit_a_group_and_services_come_from_the_gminas_basket(region):
    conn, ids = region
    code = planned_case(conn, ids)
    conn.execute("UPDATE case_file SET kind = 'grupa' WHERE case_code = ?", [code])
    with pytest.raises(InvalidInput, match="kontrakt socjalny nie dotyczy"):
        case_delivery.set_contract(
            conn, ANIMATOR, code, kind="kontrakt_socjalny", from_on=date(2026, 5, 1), to_on=None, today=TODAY
        )
    with pytest.raises(InvalidInput) as caught:
        case_delivery.assign_services(
            conn,
            ANIMATOR,
            code,
            from_on=date(2026, 5, 1),
            today=TODAY,
            service_ids=[ids["svc_powiat"], ids["svc_elsewhere"], ids["svc_expired"]],
        )
    assert len(caught.value.problems) == 2  # another powiat's, and one that expired before May


def test_the_monitoring_meeting_needs_the_family_present_or_told(region):
    conn, ids = region
    code = planned_case(conn, ids)
    with pytest.raises(InvalidInput, match="Obecność rodziny"):
        case_delivery.record_monitoring_meeting(
            conn,
            ANIMATOR,
            code,
            held_on=date(2026, 7, 15),
            family_present=False,
            family_told=False,
            attendees={ids["ops"]: None},
            today=TODAY,
        )


def test_the_animator_of_another_gmina_cannot_touch_the_case(region):
    conn, ids = region
    code = planned_case(conn, ids)
    with pytest.raises(AccessDenied):
        cases.register_case(
            conn, STRANGER, terc=GMINA, kind="osoba", referred_on=date(2026, 5, 1), today=TODAY
        )
    with pytest.raises(AccessDenied):
        case_delivery.evaluate(
            conn, STRANGER, code, evaluated_on=date(2026, 10, 1), result="full", today=TODAY
        )
    with pytest.raises(AccessDenied):
        cases.add_problem_area(conn, ANIMATOR, "samotnosc", "samotność")
    cases.add_problem_area(conn, ADMIN, "samotnosc", "samotność")
    cases.record_diagnosis(
        conn, ANIMATOR, code, diagnosed_on=date(2026, 4, 10), problems=["samotnosc"], today=TODAY
    )


def test_the_wzk_never_reads_case_rows(region):
    conn, ids = region
    code = planned_case(conn, ids)
    with pytest.raises(AccessDenied):
        case_stats.list_cases(conn, WZK)
    with pytest.raises(AccessDenied):
        case_card(conn, Actor("zarzad", "zarzad"), code)


def test_small_counts_are_suppressed_for_the_wzk_but_not_for_the_rops(region):
    conn, ids = region
    planned_case(conn, ids)
    seen = case_stats.funnel(conn, WZK).set_index("stage")
    assert seen.loc["referred", "reached"] == "<5" and seen.loc["closed", "reached"] == 0
    assert case_stats.funnel(conn, ADMIN).set_index("stage").loc["referred", "reached"] == 1
    sectors = case_stats.task_sectors(conn, WZK)
    assert set(sectors.tasks) == {"<5"}
    timing = case_stats.time_to_plan(conn, WZK, GMINA)
    assert timing.cases.tolist() == ["<5"] and timing.median_days.tolist() == [None]


def test_a_missed_monthly_report_and_an_overdue_meeting_reach_the_alerts(region):
    conn, ids = region
    code = planned_case(conn, ids)
    found = alerts.list_alerts(conn, TODAY)
    mine = found[found.subject.str.startswith(code)]
    assert {"monthly_report", "monitoring"} <= set(mine.rule)
    overdue = case_stats.overdue_meetings(conn, ADMIN, TODAY, GMINA)
    assert overdue.overdue.tolist() == [1]


def test_the_funnel_agrees_with_direct_counts_on_the_demo_region(demo_db):
    conn = duckdb.connect(str(demo_db), read_only=True)
    try:
        funnel = case_stats.funnel(conn, ADMIN).set_index("stage")

        def count(where):
            return conn.execute(f"SELECT count(*) FROM case_file WHERE {where}").fetchall()[0][0]

        assert funnel.loc["referred", "reached"] == count("true")
        assert funnel.loc["diagnosed", "reached"] == count("diagnosed_on IS NOT NULL")
        assert funnel.loc["plan", "reached"] == count("plan_on IS NOT NULL")
        assert funnel.loc["contract", "reached"] == count("contract_kind IS NOT NULL")
        assert funnel.loc["evaluated", "reached"] == count("evaluated_on IS NOT NULL")
        assert (
            funnel.loc["closed", "reached"] == count("closed_on IS NOT NULL") == funnel.loc["closed", "cases"]
        )
        assert funnel.cases.sum() == count("true")
        reasons = case_stats.closure_reasons(conn, ADMIN)
        assert reasons.cases.sum() == count("closed_on IS NOT NULL")
        rate = case_stats.report_completeness(conn, ADMIN, TODAY)
        assert (rate.received <= rate.expected).all() and rate.expected.sum() > 0
    finally:
        conn.close()


def _version(conn, code):
    return conn.execute("SELECT row_version FROM case_file WHERE case_code = ?", [code]).fetchall()[0][0]


@pytest.mark.parametrize("form", ["evaluation", "contract"])
def test_a_second_save_from_the_same_loaded_case_is_refused_naming_who_and_when(region, form):
    """Two people opened the same case; the first saves, the second's save must not overwrite it."""
    conn, ids = region
    code = planned_case(conn, ids)
    seen = _version(conn, code)  # both screens show this version

    def save(actor, day, value):
        if form == "evaluation":
            case_delivery.evaluate(
                conn, actor, code, evaluated_on=date(2026, 10, day), result=value, today=TODAY,
                expected_version=seen,
            )  # fmt: skip
        else:
            case_delivery.set_contract(
                conn, actor, code, kind=value, from_on=date(2026, 5, day), to_on=None, today=TODAY,
                expected_version=seen,
            )  # fmt: skip

    first, second = ("full", "none") if form == "evaluation" else ("kontrakt_socjalny", "projekt_socjalny")
    save(ADMIN, 1, first)
    with pytest.raises(StaleRecord) as stale:
        save(ANIMATOR, 2, second)
    assert re.fullmatch(
        r"Zmienił\(a\) admin \d\d\.\d\d\.\d{4} \d\d:\d\d — odśwież i spróbuj ponownie\.", stale.value.message
    )
    column = "evaluation" if form == "evaluation" else "contract_kind"
    stored = conn.execute(f"SELECT {column} FROM case_file WHERE case_code = ?", [code]).fetchall()
    assert stored == [(first,)]
    assert _version(conn, code) == seen + 1
