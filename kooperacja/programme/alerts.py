"""The alerts of every dated rule across the region: the animators' to-do list."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from kooperacja.model import rules
from kooperacja.model.formatting import row_tuples
from kooperacja.model.rules import Status
from kooperacja.programme.queries import gmina_plans

COLUMNS = ["rule", "rule_label", "terc", "gmina", "animator", "subject", "due_on", "days_over", "message"]
RECENT_DAYS = 92  # breaches older than a quarter are history, not to-dos

ZGLOSZENIA = """
SELECT z.zgloszenie_id, z.terc, z.route, z.received_on, z.signed_on, z.first_contact_on
FROM zgloszenie z
"""
NOTICES = f"""
SELECT m.meeting_id, m.terc, m.case_code, m.held_on, a.notified_on, i.name AS institution,
       {rules.NOTICE_SHORT_SQL.format(meeting="m.held_on", notified="a.notified_on")} AS short
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
MISSING_REPORTS = (
    EXPECTED_REPORTS
    + """
SELECT e.case_code, e.terc, e.institution, e.month, count(*) AS tasks
FROM due e
ANTI JOIN monthly_report r ON r.task_id = e.task_id AND r.month = e.month
GROUP BY ALL
"""
)
MONITORING = f"""
SELECT case_code, terc, plan_on, last_on,
       {
    rules.QUARTERLY_OVERDUE_SQL.format(last="coalesce(last_on, plan_on)", every=rules.MONITORING_EVERY_MONTHS)
} AS days
FROM (SELECT c.case_code, c.terc, c.plan_on, max(m.held_on) AS last_on
      FROM case_file c
      LEFT JOIN meeting m ON m.case_code = c.case_code AND m.kind = 'monitoring'
      WHERE c.plan_on IS NOT NULL AND c.closed_on IS NULL
      GROUP BY ALL)
"""


def _alert(rule: str, terc: str | None, subject: str, due_on: date, days_over: int, message: str) -> dict:
    return {
        "rule": rule,
        "rule_label": rules.RULE_LABELS[rule],
        "terc": terc,
        "subject": subject,
        "due_on": due_on,
        "days_over": days_over,
        "message": message,
    }


def _frame(rule: str, found: pd.DataFrame, **columns: object) -> pd.DataFrame:
    """Alerts of one rule from a result frame: `columns` are Series or scalars by alert column."""
    out = pd.DataFrame({"terc": found["terc"], **columns}, index=found.index)
    return out.assign(rule=rule, rule_label=rules.RULE_LABELS[rule])


def _dates(series: pd.Series) -> list[date]:
    return [v.date() if hasattr(v, "date") else v for v in series]


def _step_alerts(plan: pd.DataFrame) -> list[pd.DataFrame]:
    own = plan[plan.level == "gmina"]
    overdue = own[own.status == Status.OVERDUE]
    soon = own[(own.status == Status.DUE) & (own.days <= rules.DUE_SOON_DAYS)]
    return [
        _frame(
            rule,
            rows,
            subject=rows.step + " / " + rows.substep,
            due_on=rows.planned_due,
            days_over=sign * rows.days,
            message=rows.substep + " " + rows.title + ": " + rows.label,
        )
        for rule, rows, sign in (("step_overdue", overdue, 1), ("step_due", soon, -1))
    ]


def _zgloszenie_alerts(cur: duckdb.DuckDBPyConnection, today: date) -> list[dict]:
    out = []
    for z in row_tuples(cur.execute(ZGLOSZENIA).df()):
        received = z.received_on.date()
        contact = None if pd.isna(z.first_contact_on) else z.first_contact_on.date()
        state = rules.first_contact_state(received, contact, today)
        deadline = rules.first_contact_deadline(received)
        if state.status in (Status.DUE, Status.OVERDUE):
            over = state.days if state.status == Status.OVERDUE else -state.days
            out.append(
                _alert(
                    "first_contact",
                    z.terc,
                    f"zgłoszenie z {received:%d.%m.%Y}",
                    deadline,
                    over,
                    f"Kontakt z gminą po zgłoszeniu: {state.label}",
                )
            )
        if (
            z.route == "self_formed"
            and not pd.isna(z.signed_on)
            and received >= today - timedelta(RECENT_DAYS)
        ):
            late = rules.self_formed_report_late_days(z.signed_on.date(), received)
            if late > 0:
                signed = z.signed_on.date()
                out.append(
                    _alert(
                        "self_formed_report",
                        z.terc,
                        f"porozumienie z {signed:%d.%m.%Y}",
                        rules.self_formed_report_deadline(signed),
                        late,
                        f"Samodzielnie zawiązaną współpracę zgłoszono {rules.days_pl(late)} po terminie",
                    )
                )
    return out


def _notice_alerts(cur: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    found = cur.execute(NOTICES, {"since": today - timedelta(days=RECENT_DAYS)}).df()
    found = found[found.short.isna() | (found.short > 0)]
    held = _dates(found.held_on)
    told = [
        "nie powiadomiono"
        if pd.isna(s)
        else f"powiadomiono {rules.days_pl(rules.GGK_NOTICE_DAYS - int(s))} przed"
        for s in found.short
    ]
    return _frame(
        "ggk_notice",
        found,
        subject=found.case_code + ": " + found.institution,
        due_on=[rules.notice_deadline(h) for h in held],
        days_over=found.short.fillna(rules.GGK_NOTICE_DAYS).astype(int),
        message=[
            f"Spotkanie {h:%d.%m.%Y}: {t} (wymagane {rules.GGK_NOTICE_DAYS} dni)"
            for h, t in zip(held, told, strict=True)
        ],
    )


def _report_alerts(cur: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    since = rules.add_months(today.replace(day=1), -3)
    found = cur.execute(MISSING_REPORTS, {"today": today, "since": since}).df()
    months = _dates(found.month)
    due = [rules.add_months(m, 1) - timedelta(days=1) for m in months]
    return _frame(
        "monthly_report",
        found,
        subject=found.case_code + ": " + found.institution,
        due_on=due,
        days_over=[(today - d).days for d in due],
        message=[
            f"Brak sprawozdania za {m:%m.%Y} ({n} zad.)" for m, n in zip(months, found.tasks, strict=True)
        ],
    )


def _monitoring_alerts(cur: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    found = cur.execute(MONITORING, {"today": today}).df()
    found = found[found.days > 0]
    since = _dates(found.last_on.fillna(found.plan_on))
    return _frame(
        "monitoring",
        found,
        subject=found.case_code,
        due_on=[today - timedelta(days=int(d)) for d in found.days],
        days_over=found.days.astype(int),
        message=[f"Ostatnie spotkanie monitorujące / plan: {s:%d.%m.%Y}" for s in since],
    )


def _wzk_alerts(cur: duckdb.DuckDBPyConnection, today: date, programme_start: date | None) -> list[dict]:
    last = cur.execute("SELECT max(held_on) FROM meeting WHERE kind = 'wzk'").fetchall()[0][0]
    if programme_start is None and last is None:
        return []
    over = rules.wzk_overdue_days(last, programme_start or last, today)
    if over <= 0:
        return []
    since = f"ostatnie {last:%d.%m.%Y}" if last else "jeszcze się nie odbyło"
    return [
        _alert("wzk_quarterly", None, "WZK", today - timedelta(days=over), over, f"Posiedzenie WZK ({since})")
    ]


def list_alerts(
    conn: duckdb.DuckDBPyConnection,
    today: date,
    plan: pd.DataFrame | None = None,
    programme_start: date | None = None,
) -> pd.DataFrame:
    """Every open alert in the region, most overdue first, with the gmina's name and animator."""
    cur = conn.cursor()
    if plan is None:
        plan = gmina_plans(conn, today)
    parts = [
        *_step_alerts(plan),
        _notice_alerts(cur, today),
        _report_alerts(cur, today),
        _monitoring_alerts(cur, today),
        pd.DataFrame(_zgloszenie_alerts(cur, today) + _wzk_alerts(cur, today, programme_start)),
    ]
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True)
    frame = frame.reindex(columns=[c for c in COLUMNS if c not in ("gmina", "animator")])
    frame["due_on"] = _dates(frame.due_on)
    frame["days_over"] = frame.days_over.astype(int)
    names = cur.execute(
        "SELECT g.terc, g.name AS gmina, p.animator FROM gmina g LEFT JOIN pilot_gmina p USING (terc)"
    ).df()
    frame = frame.merge(names, on="terc", how="left")[COLUMNS]
    return frame.sort_values(["days_over", "rule"], ascending=[False, True], ignore_index=True)
