"""The alerts of every dated rule across the region: the animators' to-do list."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from kooperacja import rules
from kooperacja.queries import gmina_plans
from kooperacja.rules import Status

COLUMNS = ["rule", "rule_label", "terc", "gmina", "animator", "subject", "due_on", "days_over",
           "message"]
RECENT_DAYS = 92  # breaches older than a quarter are history, not to-dos

ZGLOSZENIA = """
SELECT z.zgloszenie_id, z.terc, z.route, z.received_on, z.signed_on, z.first_contact_on
FROM zgloszenie z
"""
NOTICES = """
SELECT m.meeting_id, m.terc, m.case_code, m.held_on, a.notified_on, i.name AS institution
FROM meeting m
JOIN meeting_attendee a USING (meeting_id)
JOIN institution i USING (institution_id)
WHERE m.kind = 'ggk' AND m.held_on >= $since
"""
# The monthly-report rule (rules.missing_report_months) over every open task of an institution:
# each calendar month from the plan's month to the last month ended before today, within the
# task's life, must have a report. Done in SQL because the national warehouse holds millions.
# Shared with case_stats (reporting completeness), so that the rule lives in one place.
EXPECTED_REPORTS = """
WITH tasks AS (
    SELECT t.task_id, c.case_code, c.terc, i.name AS institution,
           date_trunc('month', greatest(c.plan_on, $since))::DATE AS first_month,
           date_trunc('month', least(coalesce(t.done_on, c.closed_on, $today), $today))::DATE AS last_month
    FROM case_task t
    JOIN case_file c USING (case_code)
    JOIN institution i USING (institution_id)
    WHERE c.plan_on IS NOT NULL AND (c.closed_on IS NULL OR c.closed_on >= $since)
), expected AS (
    SELECT task_id, case_code, terc, institution,
           unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH))::DATE AS month
    FROM tasks WHERE first_month <= last_month
), due AS (
    SELECT * FROM expected WHERE month + INTERVAL 1 MONTH <= $today
)
"""
MISSING_REPORTS = EXPECTED_REPORTS + """
SELECT e.case_code, e.terc, e.institution, e.month, count(*) AS tasks
FROM due e
ANTI JOIN monthly_report r ON r.task_id = e.task_id AND r.month = e.month
GROUP BY ALL
"""
MONITORING = """
SELECT c.case_code, c.terc, c.plan_on, max(m.held_on) AS last_on
FROM case_file c
LEFT JOIN meeting m ON m.case_code = c.case_code AND m.kind = 'monitoring'
WHERE c.plan_on IS NOT NULL AND c.closed_on IS NULL
GROUP BY ALL
"""


def _alert(rule: str, terc: str | None, subject: str, due_on: date, days_over: int,
           message: str) -> dict:
    return {"rule": rule, "rule_label": rules.RULE_LABELS[rule], "terc": terc, "subject": subject,
            "due_on": due_on, "days_over": days_over, "message": message}


def _step_alerts(plan: pd.DataFrame, today: date) -> list[dict]:
    out = []
    own = plan[plan.level == "gmina"]
    for r in own[own.status == Status.OVERDUE].itertuples():
        out.append(_alert("step_overdue", r.terc, f"{r.step} / {r.substep}", r.planned_due, r.days,
                          f"{r.substep} {r.title}: {r.label}"))
    soon = own[(own.status == Status.DUE) & (own.days <= rules.DUE_SOON_DAYS)]
    for r in soon.itertuples():
        out.append(_alert("step_due", r.terc, f"{r.step} / {r.substep}", r.planned_due, -r.days,
                          f"{r.substep} {r.title}: {r.label}"))
    return out


def _zgloszenie_alerts(cur: duckdb.DuckDBPyConnection, today: date) -> list[dict]:
    out = []
    for z in cur.execute(ZGLOSZENIA).df().itertuples():
        received = z.received_on.date()
        contact = None if pd.isna(z.first_contact_on) else z.first_contact_on.date()
        state = rules.first_contact_state(received, contact, today)
        deadline = received + timedelta(days=rules.FIRST_CONTACT_DAYS)
        if state.status in (Status.DUE, Status.OVERDUE):
            over = state.days if state.status == Status.OVERDUE else -state.days
            out.append(_alert("first_contact", z.terc, f"zgłoszenie z {received:%d.%m.%Y}", deadline,
                              over, f"Kontakt z gminą po zgłoszeniu: {state.label}"))
        if z.route == "self_formed" and not pd.isna(z.signed_on) and received >= today - timedelta(RECENT_DAYS):
            late = rules.self_formed_report_late_days(z.signed_on.date(), received)
            if late > 0:
                signed = z.signed_on.date()
                out.append(_alert("self_formed_report", z.terc, f"porozumienie z {signed:%d.%m.%Y}",
                                  signed + timedelta(days=rules.SELF_FORMED_REPORT_DAYS), late,
                                  f"Samodzielnie zawiązaną współpracę zgłoszono {rules.days_pl(late)} po terminie"))
    return out


def _notice_alerts(cur: duckdb.DuckDBPyConnection, today: date) -> list[dict]:
    out = []
    since = today - timedelta(days=RECENT_DAYS)
    for n in cur.execute(NOTICES, {"since": since}).df().itertuples():
        held = n.held_on.date()
        notified = None if pd.isna(n.notified_on) else n.notified_on.date()
        short = rules.notice_short_days(held, notified)
        if short == 0:
            continue
        why = "nie powiadomiono" if short is None else f"powiadomiono {rules.days_pl(rules.GGK_NOTICE_DAYS - short)} przed"
        out.append(_alert("ggk_notice", n.terc, f"{n.case_code}: {n.institution}",
                          held - timedelta(days=rules.GGK_NOTICE_DAYS), short or rules.GGK_NOTICE_DAYS,
                          f"Spotkanie {held:%d.%m.%Y}: {why} (wymagane {rules.GGK_NOTICE_DAYS} dni)"))
    return out


def _report_alerts(cur: duckdb.DuckDBPyConnection, today: date) -> list[dict]:
    since = rules.add_months(today.replace(day=1), -3)
    out = []
    for m in cur.execute(MISSING_REPORTS, {"today": today, "since": since}).df().itertuples():
        month = m.month.date() if hasattr(m.month, "date") else m.month
        due = rules.add_months(month, 1) - timedelta(days=1)
        out.append(_alert("monthly_report", m.terc, f"{m.case_code}: {m.institution}", due,
                          (today - due).days, f"Brak sprawozdania za {month:%m.%Y} ({m.tasks} zad.)"))
    return out


def _monitoring_alerts(cur: duckdb.DuckDBPyConnection, today: date) -> list[dict]:
    out = []
    for c in cur.execute(MONITORING).df().itertuples():
        last = None if pd.isna(c.last_on) else c.last_on.date()
        over = rules.monitoring_overdue_days(c.plan_on.date(), last, None, today)
        if over > 0:
            since = last or c.plan_on.date()
            out.append(_alert("monitoring", c.terc, c.case_code, today - timedelta(days=over), over,
                              f"Ostatnie spotkanie monitorujące / plan: {since:%d.%m.%Y}"))
    return out


def _wzk_alerts(cur: duckdb.DuckDBPyConnection, today: date, programme_start: date | None) -> list[dict]:
    last = cur.execute("SELECT max(held_on) FROM meeting WHERE kind = 'wzk'").fetchall()[0][0]
    if programme_start is None and last is None:
        return []
    over = rules.wzk_overdue_days(last, programme_start or last, today)
    if over <= 0:
        return []
    since = f"ostatnie {last:%d.%m.%Y}" if last else "jeszcze się nie odbyło"
    return [_alert("wzk_quarterly", None, "WZK", today - timedelta(days=over), over,
                   f"Posiedzenie WZK ({since})")]


def list_alerts(conn: duckdb.DuckDBPyConnection, today: date, plan: pd.DataFrame | None = None,
                programme_start: date | None = None) -> pd.DataFrame:
    """Every open alert in the region, most overdue first, with the gmina's name and animator."""
    cur = conn.cursor()
    if plan is None:
        plan = gmina_plans(conn, today)
    rows = (_step_alerts(plan, today) + _zgloszenie_alerts(cur, today) + _notice_alerts(cur, today)
            + _report_alerts(cur, today) + _monitoring_alerts(cur, today)
            + _wzk_alerts(cur, today, programme_start))
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("gmina", "animator")])
    names = cur.execute("SELECT g.terc, g.name AS gmina, p.animator FROM gmina g "
                        "LEFT JOIN pilot_gmina p USING (terc)").df()
    frame = frame.merge(names, on="terc", how="left")[COLUMNS]
    return frame.sort_values(["days_over", "rule"], ascending=[False, True], ignore_index=True)
