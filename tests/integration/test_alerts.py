"""Case-level alerts in SQL agree with the pure rules of kooperacja.model.rules, with today pinned."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kooperacja import warehouse
from kooperacja.cases.counts import refresh_case_counts, refresh_task_reporting
from kooperacja.model import links, rules
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput, NotFound
from kooperacja.model.records import CaseFile, CaseTask, Institution, Meeting, MeetingAttendee, MonthlyReport
from kooperacja.programme import alert_services, alerts, dashboard
from kooperacja.programme import services as programme
from kooperacja.warehouse.store import insert, update

TODAY = date(2026, 11, 24)
TERC = "0201032"


@pytest.fixture
def case_conn(conn):
    with warehouse.transaction(conn) as cur:
        cur.execute("INSERT INTO gmina VALUES (?, 'Gromadka', 'wiejska', NULL, NULL, NULL)", [TERC])
        inst = insert(
            cur,
            "t",
            Institution.parse(
                {"name": "PCPR", "sector": "pomoc_spoleczna", "level": "powiat", "seat_terc": "0201"}
            ),
        )
        insert(
            cur,
            "t",
            CaseFile.parse(
                {
                    "case_code": "P-0201032-0001",
                    "terc": TERC,
                    "kind": "rodzina",
                    "referred_on": date(2026, 6, 1),
                    "plan_on": date(2026, 7, 20),
                }
            ),
        )
        tasks = {}
        for name, done in [("open", None), ("done", date(2026, 9, 10))]:
            tasks[name] = insert(
                cur,
                "t",
                CaseTask.parse(
                    {
                        "case_code": "P-0201032-0001",
                        "description": f"Zadanie {name}",
                        "institution_id": inst,
                        "due_on": date(2026, 12, 31),
                        "done_on": done,
                    }
                ),
            )
        for month in [date(2026, 7, 1), date(2026, 9, 1)]:
            insert(
                cur,
                "t",
                MonthlyReport.parse(
                    {"task_id": tasks["open"], "month": month, "reported_on": month, "progress": "on_track"}
                ),
            )
        refresh_case_counts(cur)  # written below the forms: the kept tables as a form keeps them
    return conn, tasks


def test_missing_monthly_reports_match_the_rule_for_the_recent_quarter(case_conn):
    conn, _ = case_conn
    found = alerts.list_alerts(conn, TODAY)
    reports = found[found.rule == "monthly_report"]
    got = sorted((r.due_on, r.message) for r in reports.itertuples())
    since = rules.add_months(TODAY.replace(day=1), -3)  # the alert window: three months back
    expected_open = [
        m
        for m in rules.missing_report_months(
            date(2026, 7, 20), None, {date(2026, 7, 1), date(2026, 9, 1)}, TODAY
        )
        if m >= since
    ]
    expected_done = [
        m
        for m in rules.missing_report_months(date(2026, 7, 20), date(2026, 9, 10), set(), TODAY)
        if m >= since
    ]
    assert expected_open == [date(2026, 8, 1), date(2026, 10, 1)]
    assert expected_done == [date(2026, 8, 1), date(2026, 9, 1)]
    # August misses both tasks' reports (one row, 2 tasks), September the done task's, October the open one's.
    assert [m for _, m in got] == [
        "Brak sprawozdania za 08.2026 (2 zad.)",
        "Brak sprawozdania za 09.2026 (1 zad.)",
        "Brak sprawozdania za 10.2026 (1 zad.)",
    ]


def test_a_case_without_a_monitoring_meeting_for_a_quarter_is_overdue(case_conn):
    conn, _ = case_conn
    row = alerts.list_alerts(conn, TODAY).query("rule == 'monitoring'").iloc[0]
    assert row.days_over == (TODAY - date(2026, 10, 20)).days
    with warehouse.transaction(conn) as cur:
        insert(
            cur,
            "t",
            Meeting.parse(
                {
                    "kind": "monitoring",
                    "terc": TERC,
                    "case_code": "P-0201032-0001",
                    "held_on": date(2026, 11, 1),
                    "family_present": True,
                }
            ),
        )
    assert "monitoring" not in set(alerts.list_alerts(conn, TODAY).rule)


def test_an_institution_told_less_than_five_days_before_a_held_ggk_meeting_is_a_recorded_breach(case_conn):
    conn, _ = case_conn
    with warehouse.transaction(conn) as cur:
        mid = insert(
            cur,
            "t",
            Meeting.parse(
                {"kind": "ggk", "terc": TERC, "case_code": "P-0201032-0001", "held_on": date(2026, 11, 10)}
            ),
        )
        insert(
            cur,
            "t",
            MeetingAttendee.parse({"meeting_id": mid, "institution_id": 1, "notified_on": date(2026, 11, 7)}),
        )
    assert "ggk_notice" not in set(alerts.list_alerts(conn, TODAY).rule)  # held: nothing left to do
    row = alerts.list_breaches(conn, TODAY).query("rule == 'ggk_notice'").iloc[0]
    assert row.days_over == 2 and "3 dni przed" in row.message


def test_no_wzk_meeting_for_a_quarter_raises_the_region_alert(case_conn):
    conn, _ = case_conn
    with warehouse.transaction(conn) as cur:
        insert(cur, "t", Meeting.parse({"kind": "wzk", "held_on": date(2026, 8, 1)}))
    row = alerts.list_alerts(conn, TODAY).query("rule == 'wzk_quarterly'").iloc[0]
    assert row.days_over == (TODAY - date(2026, 11, 1)).days and pd.isna(row.terc)


# --- The lifecycle of an alert (issue 13): it stays on the to-do list only while someone can act. ---

CASE = "P-0201032-0001"
TOWN = "0201011"  # a gmina outside the pilot
ADMIN = Actor("admin", "admin")
ANIMATOR1 = Actor("animator1", "animator", frozenset({TERC}))
ANIMATOR2 = Actor("animator2", "animator")
WZK = Actor("wzk", "wzk")


@pytest.fixture
def pilot(case_conn):
    """case_conn with the gmina in the pilot (animator1), a gmina outside it, and the users."""
    conn, tasks = case_conn
    with warehouse.transaction(conn) as cur:
        cur.execute("INSERT INTO gmina VALUES (?, 'Bolesławiec', 'miejska', NULL, NULL, NULL)", [TOWN])
        for user, role in [("admin", "admin"), ("animator1", "animator"), ("animator2", "animator")]:
            cur.execute(
                "INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, 'x')",
                [user, f"Konto {user}", role],
            )
    programme.add_pilot_gmina(
        conn, ADMIN, TERC, joined_on=date(2026, 1, 10), animator="animator1", plan_start=date(2026, 2, 1)
    )
    return conn, tasks


def _close_case(conn, on):
    with warehouse.transaction(conn) as cur:
        update(cur, "t", CaseFile, CASE, {"closed_on": on, "closure_reason": "goals_achieved"})
        refresh_task_reporting(cur, [CASE])


def _ggk(conn, held_on, notified_on):
    with warehouse.transaction(conn) as cur:
        mid = insert(
            cur, "t", Meeting.parse({"kind": "ggk", "terc": TERC, "case_code": CASE, "held_on": held_on})
        )
        insert(
            cur,
            "t",
            MeetingAttendee.parse({"meeting_id": mid, "institution_id": 1, "notified_on": notified_on}),
        )
    return mid


def test_a_closed_case_has_no_open_alerts(pilot):
    conn, _ = pilot
    _ggk(conn, date(2026, 11, 28), None)  # a future meeting lacking notice: actionable while the case runs
    before = alerts.list_alerts(conn, TODAY)
    assert {"monthly_report", "monitoring", "ggk_notice"} <= set(
        before[before.subject.str.startswith(CASE)].rule
    )
    _close_case(conn, date(2026, 11, 20))
    after = alerts.list_alerts(conn, TODAY)
    assert not after.subject.str.startswith(CASE).any(), after[["rule", "subject"]]


def test_a_held_meeting_with_short_notice_is_a_recorded_breach_not_an_alert(pilot):
    conn, _ = pilot
    mid = _ggk(conn, date(2026, 11, 10), date(2026, 11, 7))
    assert "ggk_notice" not in set(alerts.list_alerts(conn, TODAY).rule)
    breaches = alerts.list_breaches(conn, TODAY)
    row = breaches.query("rule == 'ggk_notice'").iloc[0]
    assert row.alert_id == f"ggk_notice:{mid}/1:2026-11-10"
    assert row.days_over == 2 and "3 dni przed" in row.message


def test_a_future_meeting_still_lacking_notice_stays_on_the_to_do_list(pilot):
    conn, _ = pilot
    mid = _ggk(conn, date(2026, 11, 28), None)
    row = alerts.list_alerts(conn, TODAY).query("rule == 'ggk_notice'").iloc[0]
    assert row.alert_id == f"ggk_notice:{mid}/1:2026-11-28"
    assert row.due_on == date(2026, 11, 23) and row.days_over == 1
    assert row.link == links.url("sprawy", CASE)
    assert "ggk_notice" not in set(alerts.list_breaches(conn, TODAY).rule)


def test_a_self_formed_cooperation_reported_late_is_a_breach_only(pilot):
    conn, _ = pilot
    programme.record_zgloszenie(
        conn,
        ADMIN,
        {
            "terc": TERC,
            "route": "self_formed",
            "signed_on": date(2026, 11, 1),
            "received_on": date(2026, 11, 12),
        },
        TODAY,
    )
    assert "self_formed_report" not in set(alerts.list_alerts(conn, TODAY).rule)
    row = alerts.list_breaches(conn, TODAY).query("rule == 'self_formed_report'").iloc[0]
    assert row.days_over == 4 and row.terc == TERC


def test_every_alert_has_a_stable_id_and_a_link_to_what_resolves_it(pilot):
    conn, _ = pilot
    found = alerts.list_alerts(conn, TODAY)
    assert found.alert_id.is_unique and found.alert_id.notna().all()
    assert found.alert_id.equals(alerts.list_alerts(conn, TODAY).alert_id)
    report = found.query("rule == 'monthly_report'").sort_values("due_on").iloc[0]
    assert report.alert_id == f"monthly_report:{CASE}/1:2026-08"
    steps = found[found.rule == "step_overdue"]
    assert set(steps.link) == {links.url("gmina", TERC)}
    assert set(found[found.rule == "monthly_report"].link) == {links.url("sprawy", CASE)}


def test_an_explained_alert_leaves_the_to_do_list_is_listed_and_audited(pilot):
    conn, _ = pilot
    alert_id = alerts.list_alerts(conn, TODAY).query("rule == 'monitoring'").alert_id.iloc[0]
    alert_services.explain_alert(conn, ANIMATOR1, alert_id, "spotkanie przełożone na prośbę rodziny", TODAY)
    assert alert_id not in set(alerts.list_alerts(conn, TODAY).alert_id)
    explained = alerts.list_explained(conn, TODAY).set_index("alert_id").loc[alert_id]
    assert (
        explained.explained_by == "animator1" and explained.reason == "spotkanie przełożone na prośbę rodziny"
    )
    trail = conn.execute(
        "SELECT action, username FROM audit_log WHERE table_name = 'alert_explanation' AND record_key = ?",
        [alert_id],
    ).fetchall()
    assert trail == [("insert", "animator1")]
    alert_services.withdraw_explanation(conn, ANIMATOR1, alert_id, "wyjaśnienie nieaktualne", TODAY)
    assert alert_id in set(alerts.list_alerts(conn, TODAY).alert_id)
    assert alert_id not in set(alerts.list_explained(conn, TODAY).alert_id)
    last = conn.execute(
        "SELECT action, reason FROM audit_log WHERE table_name = 'alert_explanation' "
        "ORDER BY audit_id DESC LIMIT 1"
    ).fetchall()
    assert last == [("delete", "wyjaśnienie nieaktualne")]


def test_an_explanation_needs_a_reason_without_personal_data_and_the_right_role(pilot):
    conn, _ = pilot
    alert_id = alerts.list_alerts(conn, TODAY).query("rule == 'monitoring'").alert_id.iloc[0]
    with pytest.raises(InvalidInput, match="PESEL"):
        alert_services.explain_alert(conn, ANIMATOR1, alert_id, "dotyczy PESEL 44051401359", TODAY)
    with pytest.raises(InvalidInput):
        alert_services.explain_alert(conn, ANIMATOR1, alert_id, "  ", TODAY)
    for actor in (ANIMATOR2, WZK, Actor("zarzad", "zarzad")):  # not their gmina / read only
        with pytest.raises(AccessDenied):
            alert_services.explain_alert(conn, actor, alert_id, "nie moje", TODAY)
    with pytest.raises(NotFound):
        alert_services.explain_alert(conn, ADMIN, "monitoring:P-0201032-0001:1999-01-01", "brak", TODAY)
    assert conn.execute("SELECT count(*) FROM alert_explanation").fetchall() == [(0,)]


def test_a_notification_outside_the_pilot_waits_unassigned_until_the_admin_assigns_it(pilot):
    conn, _ = pilot
    zid = programme.record_zgloszenie(
        conn, ADMIN, {"terc": TOWN, "route": "rops", "received_on": date(2026, 11, 20)}, TODAY
    )
    found = alerts.list_alerts(conn, TODAY)
    row = found[found.rule == "first_contact"].iloc[0]
    assert pd.isna(row.animator) and row.link == links.url("alerty", row.alert_id)
    assert list(alerts.unassigned(found).alert_id) == [row.alert_id]
    assert dashboard.filter_alerts(found, animators=["animator2"]).query("rule == 'first_contact'").empty
    with pytest.raises(AccessDenied):
        alert_services.assign_zgloszenie(conn, ANIMATOR1, zid, "animator2")
    with pytest.raises(InvalidInput, match="Animator"):
        alert_services.assign_zgloszenie(conn, ADMIN, zid, "wzk-nobody")
    alert_services.assign_zgloszenie(conn, ADMIN, zid, "animator2")
    after = alerts.list_alerts(conn, TODAY)
    mine = dashboard.filter_alerts(after, animators=["animator2"]).query("rule == 'first_contact'")
    assert list(mine.alert_id) == [row.alert_id] and alerts.unassigned(after).empty
    assert mine.days_over.iloc[0] == -3  # the 7-day clock: 3 days left
    alert_services.explain_alert(
        conn, ANIMATOR2, row.alert_id, "gmina odwołała zgłoszenie telefonicznie", TODAY
    )
    alert_services.assign_zgloszenie(conn, ADMIN, zid, "animator1")  # reassigning is an audited update
    actions = conn.execute(
        "SELECT action FROM audit_log WHERE table_name = 'zgloszenie_assignment' ORDER BY audit_id"
    ).fetchall()
    assert actions == [("insert",), ("update",)]


def test_an_empty_warehouse_has_empty_alert_lists_with_their_columns(conn):
    for frame in (
        alerts.list_alerts(conn, TODAY),
        alerts.list_breaches(conn, TODAY),
        alerts.list_explained(conn, TODAY),
    ):
        assert frame.empty
        assert {"alert_id", "rule", "rule_label", "terc", "gmina", "animator", "days_over", "link"} <= set(
            frame.columns
        )
    assert alerts.overdue_count(alerts.list_alerts(conn, TODAY)) == 0


def test_the_effects_report_counts_the_recorded_breaches_per_rule(pilot):
    import io

    import openpyxl

    from kooperacja.report import effects

    conn, _ = pilot
    _ggk(conn, date(2026, 11, 10), date(2026, 11, 7))
    report = effects.effects(conn, ADMIN, TODAY)
    table = report.tables()["Zapisane naruszenia terminów"]
    counts = dict(zip(table["Reguła"], table["Naruszenia"], strict=True))
    assert counts == {label: int(rule == "ggk_notice") for rule, label in rules.BREACH_LABELS.items()}
    book = openpyxl.load_workbook(io.BytesIO(effects.to_xlsx(report)))
    assert "Zapisane naruszenia terminów" in book.sheetnames
    assert effects.to_pdf(report)[:4] == b"%PDF"
    hidden = effects.effects(conn, WZK, TODAY).breaches  # the WZK: small counts as "<5"
    assert "<5" in set(hidden["Naruszenia"])
