"""Programme writes and the plan/alert reads on a small region built by hand, today pinned."""

from __future__ import annotations

from datetime import date

import pytest

from kooperacja import warehouse
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput
from kooperacja.model.records import Gmina
from kooperacja.programme import alerts, queries
from kooperacja.programme import services as programme
from kooperacja.warehouse.store import insert_many

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")
RURAL, TOWN, OTHER_POWIAT = "0201032", "0201011", "0202012"


@pytest.fixture
def region(conn):
    with warehouse.transaction(conn) as cur:
        insert_many(
            cur,
            [
                Gmina.parse(g)
                for g in [
                    {"terc": RURAL, "name": "Gromadka", "kind": "wiejska"},
                    {"terc": TOWN, "name": "Bolesławiec", "kind": "miejska"},
                    {"terc": OTHER_POWIAT, "name": "Bielawa", "kind": "miejska"},
                ]
            ],
            "test",
        )
        for user, role in [("admin", "admin"), ("animator1", "animator"), ("animator2", "animator")]:
            cur.execute(
                "INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, 'x')",
                [user, user, role],
            )
    programme.add_pilot_gmina(
        conn, ADMIN, RURAL, joined_on=date(2026, 1, 10), animator="animator1", plan_start=date(2026, 2, 1)
    )
    return conn


def animator1():
    return Actor("animator1", "animator", frozenset({RURAL}))


def plan_row(conn, substep, occurrence=None):
    plan = queries.gmina_plans(conn, TODAY, RURAL)
    rows = plan[plan.substep == substep]
    if occurrence is not None:
        rows = rows[rows.occurrence == occurrence]
    return rows.iloc[0]


def test_a_gmina_takes_the_variant_of_its_type_unless_an_admin_overrides_it(region):
    pilot = queries.list_pilot_gminy(region)
    assert pilot.set_index("terc").loc[RURAL, "variant"] == "rural"
    programme.set_variant_override(region, ADMIN, TOWN, "rural")
    assert programme.gmina_variant(region.cursor(), TOWN) == "rural"
    with pytest.raises(AccessDenied):
        programme.set_variant_override(region, animator1(), TOWN, "urban")


def test_the_plan_lays_each_substep_in_its_months_from_the_plan_start(region):
    row = plan_row(region, "3")  # K3 in month 3 of a plan starting 1 Feb 2026
    assert (row.planned_start, row.planned_due) == (date(2026, 4, 1), date(2026, 4, 30))
    assert row.status == "overdue" and row.days == (TODAY - date(2026, 4, 30)).days


def test_k8_recurs_every_three_months_and_is_met_by_a_wzk_meeting(region):
    plan = queries.gmina_plans(region, TODAY, RURAL)
    assert list(plan[plan.substep == "8"].occurrence) == [6, 9, 12, 15, 18]
    programme.record_meeting(region, ADMIN, {"kind": "wzk", "held_on": date(2026, 7, 15)}, [])
    assert plan_row(region, "8", 6).status == "done"  # month 6 = July 2026


def test_completing_a_step_after_its_due_date_shows_it_done_late_by_the_days(region):
    programme.record_step_event(
        region,
        animator1(),
        terc=RURAL,
        substep="3",
        kind="completed",
        event_on=date(2026, 5, 10),
        today=TODAY,
        evidence="Porozumienie z 10.05.2026",
    )
    row = plan_row(region, "3")
    assert (row.status, row.days, row.evidence) == ("done_late", 10, "Porozumienie z 10.05.2026")


def test_a_shift_moves_the_substep_and_every_later_one_but_not_earlier_ones(region):
    programme.shift_plan(
        region, animator1(), terc=RURAL, substep="5.1", days=30, reason="Zmiana kierownika GOPS", today=TODAY
    )
    assert plan_row(region, "5.1").planned_due == date(2026, 7, 30)  # month 5 = June, +30 days
    assert plan_row(region, "9.1").planned_start == date(2027, 5, 31)  # month 16 = May 2027, +30 days
    assert plan_row(region, "3").planned_due == date(2026, 4, 30)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"event_on": date(2025, 1, 1)}, "przed przystąpieniem"),
        ({"event_on": date(2026, 12, 1)}, "w przyszłości"),
        ({"substep": "11.1"}, "Podkrok"),
        ({"substep": "1.1"}, "ROPS dla całego regionu"),
    ],
)
def test_step_events_that_break_the_plan_are_refused_in_polish(region, change, message):
    data = {"terc": RURAL, "substep": "3", "kind": "completed", "event_on": date(2026, 5, 1)} | change
    with pytest.raises(InvalidInput, match=message):
        programme.record_step_event(region, animator1(), today=TODAY, **data)
    assert region.execute("SELECT count(*) FROM step_event").fetchall() == [(0,)]


def test_an_animator_cannot_write_to_another_animators_gmina(region):
    other = Actor("animator2", "animator", frozenset())
    with pytest.raises(AccessDenied, match="animator2"):
        programme.record_step_event(
            region, other, terc=RURAL, substep="3", kind="started", event_on=date(2026, 4, 2), today=TODAY
        )
    with pytest.raises(AccessDenied):
        programme.add_pilot_gmina(
            region, animator1(), TOWN, joined_on=TODAY, animator="animator1", plan_start=TODAY
        )


def test_pzk_composition_on_a_date_follows_signing_and_leaving(region):
    ids = [
        programme.add_institution(
            region, ADMIN, {"name": n, "sector": s, "level": "gmina", "seat_terc": RURAL}
        )
        for n, s in [("GOPS w Gromadce", "pomoc_spoleczna"), ("Szkoła Podstawowa w Gromadce", "edukacja")]
    ]
    first = programme.add_pzk_member(
        region, animator1(), terc=RURAL, institution_id=ids[0], signed_on=date(2026, 7, 1)
    )
    programme.add_pzk_member(
        region, animator1(), terc=RURAL, institution_id=ids[1], signed_on=date(2026, 9, 1)
    )
    programme.leave_pzk(region, animator1(), first, date(2026, 10, 1))
    names = lambda on: sorted(queries.pzk_on(region, RURAL, on).name)  # noqa: E731
    assert names(date(2026, 6, 30)) == []
    assert names(date(2026, 8, 1)) == ["GOPS w Gromadce"]
    assert names(date(2026, 9, 15)) == ["GOPS w Gromadce", "Szkoła Podstawowa w Gromadce"]
    assert names(date(2026, 10, 1)) == ["Szkoła Podstawowa w Gromadce"]


def test_an_institution_from_another_powiat_cannot_join_the_pzk(region):
    inst = programme.add_institution(
        region,
        ADMIN,
        {"name": "MOPS Bielawa", "sector": "pomoc_spoleczna", "level": "gmina", "seat_terc": OTHER_POWIAT},
    )
    with pytest.raises(InvalidInput, match="poza powiatem"):
        programme.add_pzk_member(
            region, animator1(), terc=RURAL, institution_id=inst, signed_on=date(2026, 7, 1)
        )


def test_a_notification_not_answered_in_seven_days_is_an_overdue_alert(region):
    programme.record_zgloszenie(
        region, animator1(), {"terc": TOWN, "route": "rops", "received_on": date(2026, 11, 10)}, TODAY
    )
    found = alerts.list_alerts(region, TODAY)
    row = found[found.rule == "first_contact"].iloc[0]
    assert (row.terc, row.gmina, row.days_over) == (TOWN, "Bolesławiec", 7)
    zid = region.execute("SELECT zgloszenie_id FROM zgloszenie").fetchall()[0][0]
    programme.record_first_contact(region, animator1(), zid, date(2026, 11, 20), TODAY)
    assert "first_contact" not in set(alerts.list_alerts(region, TODAY).rule)


def test_a_self_formed_cooperation_needs_its_signing_date(region):
    with pytest.raises(InvalidInput, match="Data podpisania"):
        programme.record_zgloszenie(
            region, ADMIN, {"terc": TOWN, "route": "self_formed", "received_on": date(2026, 11, 1)}, TODAY
        )


def test_overdue_steps_appear_as_alerts_with_the_gminas_animator(region):
    found = alerts.list_alerts(region, TODAY)
    steps = found[found.rule == "step_overdue"]
    assert len(steps) > 5
    assert set(steps.animator) == {"animator1"}
    assert steps.days_over.is_monotonic_decreasing


def test_the_overview_marks_a_gmina_with_old_overdue_steps_and_no_events_as_stalled(region):
    row = queries.region_overview(region, TODAY).set_index("terc").loc[RURAL]
    assert row.progress_state == "stalled"
    assert row.current_step == "2.1" and row.delay_days > 90
