"""The alerts of every dated rule across the region: the to-do list, its explained alerts, the breaches.

An alert stays on the to-do list only while someone can act on it: a closed case has none, and a
deadline that passed with nothing left to do (a meeting held without the notice, a cooperation
reported late, a first contact made late) is a recorded breach (`list_breaches`), not a to-do. Each
alert has a stable `alert_id` (rule:record key:period); an explanation (`alert_services`) takes it off
the list into `list_explained`. Every count shown of these lists is one function here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from kooperacja import warehouse
from kooperacja.model import links, rules
from kooperacja.model.rules import Status
from kooperacja.programme.network_alerts import SURVEY_ALERTS
from kooperacja.programme.queries import rated

COLUMNS = [
    "alert_id",
    "rule",
    "rule_label",
    "terc",
    "gmina",
    "animator",
    "subject",
    "due_on",
    "days_over",
    "message",
    "link",
]
EXPLAINED_COLUMNS = [*COLUMNS, "reason", "explained_by", "explained_at"]
_PART = ["alert_id", "rule", "terc", "subject", "due_on", "days_over", "message", "link", "assigned"]
NAMES = "SELECT g.terc, g.name AS gmina, p.animator FROM gmina g LEFT JOIN pilot_gmina p USING (terc)"


def _link(page: str, keys: pd.Series) -> pd.Series:
    """links.url(page, key) over a column of keys that need no escaping (TERC codes, case codes)."""
    return links.url(page, "") + keys.astype(str)


def _ids(rule: str, key: pd.Series, period: pd.Series) -> pd.Series:
    """Alert ids "rule:record key:period", stable from day to day while the alert lasts."""
    return rule + ":" + key.astype(str) + ":" + period


def _day(series: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(series).dt.strftime(fmt)


def _per_day(days: pd.Series, rule: Callable[[date], date]) -> pd.Series:
    """A dated rule over a column of dates: called once per distinct day, not once per row."""
    found = pd.to_datetime(days).dt.date
    return found.map({d: rule(d) for d in found.unique()})


def _frame(rule: str, found: pd.DataFrame, **columns: object) -> pd.DataFrame:
    """Alerts of one rule from a result frame: `columns` are Series or scalars by alert column."""
    return pd.DataFrame({"terc": found["terc"], **columns}, index=found.index).assign(rule=rule)


def _step_alerts(plan: pd.DataFrame) -> list[pd.DataFrame]:
    own = plan[plan.level == "gmina"]
    overdue = own[own.status == Status.OVERDUE]
    soon = own[(own.status == Status.DUE) & (own.days <= rules.DUE_SOON_DAYS)]
    return [
        _frame(
            rule,
            rows,
            alert_id=rule
            + ":"
            + rows.terc
            + "/"
            + rows.substep
            + ":"
            + rows.occurrence.astype("string").fillna(""),
            subject=rows.step + " / " + rows.substep,
            due_on=rows.planned_due,
            days_over=sign * rows.days,
            message=rows.substep + " " + rows.title + ": " + rows.label,
            link=_link("gmina", rows.terc),
        )
        for rule, rows, sign in (("step_overdue", overdue, 1), ("step_due", soon, -1))
    ]


def _contacts_sql() -> str:
    # Built on each call: the deadline follows rules.FIRST_CONTACT_DAYS as it is then.
    deadline = rules.first_contact_deadline_sql("z.received_on")
    return f"""
SELECT z.zgloszenie_id, z.terc, z.received_on, a.animator AS assigned, p.terc IS NOT NULL AS in_pilot,
       {deadline} AS due_on, date_diff('day', {deadline}, $today) AS days_over
FROM zgloszenie z
LEFT JOIN zgloszenie_assignment a USING (zgloszenie_id)
LEFT JOIN pilot_gmina p ON p.terc = z.terc
WHERE z.first_contact_on IS NULL AND z.received_on <= $today AND ($terc IS NULL OR z.terc = $terc)
"""


def _state_labels(days_over: pd.Series) -> pd.Series:
    """The Polish status of each deadline ("po terminie 3 dni", "do zrobienia, termin dziś")."""
    labels = {
        d: rules.StepState(Status.OVERDUE, d).label if d > 0 else rules.StepState(Status.DUE, -d).label
        for d in set(days_over.astype(int))
    }
    return days_over.astype(int).map(labels)


def _contact_alerts(cur: duckdb.DuckDBPyConnection, today: date, terc: str | None = None) -> pd.DataFrame:
    found = cur.execute(_contacts_sql(), {"today": today, "terc": terc}).df()
    if found.empty:
        return pd.DataFrame()
    ids = "first_contact:" + found.zgloszenie_id.astype(str) + ":" + _day(found.received_on, "%Y-%m-%d")
    outside = ~found.in_pilot.astype(bool)
    link = _link("gmina", found.terc).astype(object)
    link[outside] = [links.url("alerty", a) for a in ids[outside]]  # the admin's queue: no gmina page yet
    return _frame(
        "first_contact",
        found,
        alert_id=ids,
        subject="zgłoszenie z " + _day(found.received_on, "%d.%m.%Y"),
        due_on=found.due_on,
        days_over=found.days_over,
        message="Kontakt z gminą po zgłoszeniu: " + _state_labels(found.days_over),
        link=link,
        assigned=found.assigned,
    )


_NOTICE_ROWS = f"""
SELECT m.meeting_id, a.institution_id, m.terc, m.case_code, m.held_on, a.notified_on,
       i.name AS institution, c.closed_on,
       {rules.NOTICE_SHORT_SQL.format(meeting="m.held_on", notified="a.notified_on")} AS short
FROM meeting m
JOIN meeting_attendee a USING (meeting_id)
JOIN institution i USING (institution_id)
LEFT JOIN case_file c ON c.case_code = m.case_code
WHERE m.kind = 'ggk'
"""
# Every GGK/ZZK invitation since $since (cases.stats counts the notice breaches per gmina over it).
NOTICES = _NOTICE_ROWS + " AND m.held_on >= $since"
# To do: a meeting still ahead, of a running case, whose invitee has not been told yet (shown from a
# week before the notice deadline). Recorded: told too late, or a meeting held without telling.
NOTICES_TO_DO = (
    f"SELECT * FROM ({_NOTICE_ROWS})"
    + f"""WHERE held_on > $today AND notified_on IS NULL AND (closed_on IS NULL OR closed_on > $today)
  AND date_diff('day', $today, held_on) <= {rules.GGK_NOTICE_DAYS + rules.DUE_SOON_DAYS}
  AND ($terc IS NULL OR terc = $terc)"""
)
NOTICES_BREACHED = (
    f"SELECT * FROM ({_NOTICE_ROWS})" + "WHERE short > 0 OR (held_on <= $today AND notified_on IS NULL)"
)


def _notices(found: pd.DataFrame, **columns: object) -> pd.DataFrame:
    held = _day(found.held_on, "%Y-%m-%d")
    return _frame(
        "ggk_notice",
        found,
        alert_id="ggk_notice:"
        + found.meeting_id.astype(str)
        + "/"
        + found.institution_id.astype(str)
        + ":"
        + held,
        subject=found.case_code + ": " + found.institution,
        due_on=_per_day(found.held_on, rules.notice_deadline),
        link=_link("sprawy", found.case_code),
        **columns,
    )


def _notice_alerts(cur: duckdb.DuckDBPyConnection, today: date, terc: str | None = None) -> pd.DataFrame:
    found = cur.execute(NOTICES_TO_DO, {"today": today, "terc": terc}).df()
    if found.empty:
        return pd.DataFrame()
    due = pd.to_datetime(found.held_on) - pd.Timedelta(days=rules.GGK_NOTICE_DAYS)
    return _notices(
        found,
        days_over=(pd.Timestamp(today) - due).dt.days,
        message="Spotkanie " + _day(found.held_on, "%d.%m.%Y") + ": instytucji jeszcze nie powiadomiono "
        f"(wymagane {rules.days_pl(rules.GGK_NOTICE_DAYS)} wcześniej)",
    )


def _notice_breaches(cur: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    found = cur.execute(NOTICES_BREACHED, {"today": today}).df()
    if found.empty:
        return pd.DataFrame()
    told: pd.Series = pd.Series(
        np.where(
            found.short.isna(),
            "nie powiadomiono",
            "powiadomiono "
            + (rules.GGK_NOTICE_DAYS - found.short.fillna(0)).astype(int).map(rules.days_pl)
            + " przed",
        ),
        index=found.index,
        dtype=object,
    )
    return _notices(
        found,
        days_over=found.short.fillna(rules.GGK_NOTICE_DAYS).astype(int),
        message="Spotkanie " + _day(found.held_on, "%d.%m.%Y") + ": " + told
        + f" (wymagane {rules.days_pl(rules.GGK_NOTICE_DAYS)})",
    )  # fmt: skip


# The monthly-report rule (rules.missing_report_months) over every open task of an institution:
# each calendar month from the plan's month to the last month ended before today, within the
# task's life, must have a report. Done in SQL because the national warehouse holds millions.
# Shared with case_stats (reporting completeness), so that the rule lives in one place.
EXPECTED_REPORTS = """
WITH tasks AS (
    SELECT t.task_id, c.case_code, c.terc, t.institution_id, i.name AS institution, c.closed_on,
           date_trunc('month', greatest(c.plan_on, $since))::DATE AS first_month,
           date_trunc('month', least(coalesce(t.done_on, c.closed_on, $today), $today))::DATE AS last_month
    FROM case_task t
    JOIN case_file c USING (case_code)
    JOIN institution i USING (institution_id)
    WHERE c.plan_on IS NOT NULL AND (c.closed_on IS NULL OR c.closed_on >= $since)
), expected AS (
    -- the months as integers (year * 12 + month - 1): an integer range unnests ~10x a date series
    SELECT task_id, case_code, terc, institution_id, institution, closed_on, i,
           make_date((i // 12)::INT, (i % 12 + 1)::INT, 1) AS month
    FROM (SELECT *, unnest(range(year(first_month) * 12 + month(first_month) - 1,
                                 year(last_month) * 12 + month(last_month))) AS i
          FROM tasks WHERE first_month <= last_month)
), due AS (  -- the months that have ended (before today's month)
    SELECT * EXCLUDE (i) FROM expected WHERE i < year($today) * 12 + month($today) - 1
), reported AS (  -- the reports of the months looked at (each expected month is $since or later)
    SELECT report_id, task_id, month FROM monthly_report WHERE month >= $since
)
"""


_MONTH_I = "(year({day}) * 12 + month({day}) - 1)"  # a day's month as an integer


def _missing_reports(where: str = "") -> str:
    """The to-do side of the rule (EXPECTED_REPORTS' months without their report), from the kept
    reporting of each task (cases.counts.TASK_REPORTING), not from the reports.

    Only while the case runs: a closed case's missing reports end at its closure. The months are
    integers (year * 12 + month - 1); $since is a month's first day. A task has nothing missing when
    its reported months cover its months of the window (reported_from..reported_to without a gap
    there), a comparison of integers per task: only the ~20k others meet the window's months, and the
    gmina and the institution's name are joined to their rows (national: the anti-join of ~250k
    expected task-months with ~325k reports is gone). The same rows as `EXPECTED_REPORTS` + an
    anti-join on `due` (tests/integration/test_perf_alerts.py, test_perf5_alerts.py). `where`: more
    conditions on the task's row (its case_code).
    """
    since_i, today_i = _MONTH_I.format(day="$since"), _MONTH_I.format(day="$today")
    return f"""
WITH tasks AS (
    SELECT case_code, institution_id, reported_from, reported_to, gaps,
           greatest(plan_month, {since_i}) AS first_i,
           -- one past the last month: the month after the one the task was done in, or today's
           least(coalesce(done_month + 1, {today_i}), {today_i}) AS end_i
    FROM task_reporting
    WHERE plan_month < {today_i} AND (closed_on IS NULL OR closed_on > $today)
      AND institution_id IS NOT NULL AND (done_month IS NULL OR done_month >= {since_i}) {where}
), open_ AS (  -- the tasks with a month of [first_i, end_i) that may not be reported
    SELECT * FROM tasks
    WHERE first_i < end_i
      AND (reported_from IS NULL OR reported_from > first_i OR reported_to < end_i - 1
           OR (len(gaps) > 0 AND list_max(gaps) >= first_i AND list_min(gaps) < end_i))
), missing AS (
    SELECT o.case_code, o.institution_id, w.i, count(*) AS tasks
    FROM open_ o
    JOIN (SELECT unnest(range({since_i}, {today_i})) AS i) w ON w.i >= o.first_i AND w.i < o.end_i
    WHERE o.reported_from IS NULL OR w.i < o.reported_from OR w.i > o.reported_to
       OR list_contains(o.gaps, w.i)
    GROUP BY ALL
)
SELECT m.case_code, c.terc, m.institution_id, n.name AS institution, m.month,
       (m.month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS due_on, m.tasks
FROM (SELECT *, make_date((i // 12)::INT, (i % 12 + 1)::INT, 1) AS month FROM missing) m
JOIN case_file c USING (case_code)
JOIN institution n ON n.institution_id = m.institution_id
"""


_OF_GMINA = "AND case_code IN (SELECT case_code FROM case_file WHERE terc = $terc)"
# Per case, institution and ended month since $since: the reports missing (tasks: how many of its tasks).
MISSING_REPORTS = _missing_reports()
GMINA_MISSING_REPORTS = _missing_reports(_OF_GMINA)  # of the gmina $terc
# The cases running on $today with a plan, each with its last monitoring meeting (the plan when none).
MONITORING = f"""
SELECT c.case_code, c.terc, coalesce(l.last_on, c.plan_on) AS since,
       (coalesce(l.last_on, c.plan_on) + to_months({rules.MONITORING_EVERY_MONTHS}))::DATE AS due_on,
       {
    rules.QUARTERLY_OVERDUE_SQL.format(
        last="coalesce(l.last_on, c.plan_on)", every=rules.MONITORING_EVERY_MONTHS
    )
} AS days
FROM case_file c
LEFT JOIN (SELECT case_code, max(held_on) AS last_on FROM meeting WHERE kind = 'monitoring'
           GROUP BY case_code) l USING (case_code)
WHERE c.plan_on IS NOT NULL AND (c.closed_on IS NULL OR c.closed_on > $today)
"""


# The alerts of the two case rules with many rows, their texts built in the query.
def _report_alerts(where: str = "") -> str:
    return f"""
SELECT terc, 'monthly_report:' || case_code || '/' || institution_id || ':' || strftime(month, '%Y-%m')
           AS alert_id,
       case_code || ': ' || institution AS subject, due_on, date_diff('day', due_on, $today) AS days_over,
       'Brak sprawozdania za ' || strftime(month, '%m.%Y') || ' (' || tasks || ' zad.)' AS message,
       '{links.url("sprawy", "")}' || case_code AS link, 'monthly_report' AS rule
FROM ({_missing_reports(where)})
"""


REPORT_ALERTS = _report_alerts()  # the region's
GMINA_REPORT_ALERTS = _report_alerts(_OF_GMINA)  # one gmina's
MONITORING_ALERTS = f"""
SELECT terc, 'monitoring:' || case_code || ':' || strftime(due_on, '%Y-%m-%d') AS alert_id,
       case_code AS subject, due_on, days::INT AS days_over,
       'Ostatnie spotkanie monitorujące / plan: ' || strftime(since, '%d.%m.%Y') AS message,
       '{links.url("sprawy", "")}' || case_code AS link, 'monitoring' AS rule
FROM ({MONITORING}) WHERE days > 0 AND ($terc IS NULL OR terc = $terc)
"""
# The gminy's own sub-steps overdue or due within the week (what _step_alerts turns into alerts).
# Both have started by $today (overdue: its due day, after its start, has passed), so the sub-steps
# ahead (most of a plan) are not rated at all.
STEP_ALERT_ROWS = f"""{rated("AND level = 'gmina' AND planned_start <= $today")}
SELECT terc, step, substep, occurrence, title, level, planned_due, status, days,
       {rules.STEP_LABEL_SQL.format(status="status", days="days")} AS label
FROM rated
WHERE level = 'gmina' AND (status = 'overdue' OR (status = 'due' AND days <= {rules.DUE_SOON_DAYS}))
"""
# _step_alerts in SQL, for the list built from STEP_ALERT_ROWS (a caller's plan goes through pandas).
STEP_ALERTS = f"""
SELECT terc, CASE WHEN status = 'overdue' THEN 'step_overdue' ELSE 'step_due' END AS rule,
       rule || ':' || terc || '/' || substep || ':' || coalesce(occurrence::VARCHAR, '') AS alert_id,
       step || ' / ' || substep AS subject, planned_due AS due_on,
       CASE WHEN status = 'overdue' THEN days ELSE -days END AS days_over,
       substep || ' ' || title || ': ' || label AS message, '{links.url("gmina", "")}' || terc AS link
FROM ({STEP_ALERT_ROWS})
"""


def _wzk_alerts(cur: duckdb.DuckDBPyConnection, today: date, programme_start: date | None) -> pd.DataFrame:
    last = cur.execute("SELECT max(held_on) FROM meeting WHERE kind = 'wzk'").fetchall()[0][0]
    if programme_start is None and last is None:
        return pd.DataFrame()
    over = rules.wzk_overdue_days(last, programme_start or last, today)
    if over <= 0:
        return pd.DataFrame()
    due = today - timedelta(days=over)
    since = f"ostatnie {last:%d.%m.%Y}" if last else "jeszcze się nie odbyło"
    row = {"terc": None, "subject": "WZK", "due_on": due, "days_over": over, "link": "wzk"}
    row |= {"alert_id": f"wzk_quarterly:region:{due:%Y-%m-%d}", "message": f"Posiedzenie WZK ({since})"}
    return pd.DataFrame([row]).assign(rule="wzk_quarterly")


def self_formed_breaches(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    deadline = rules.self_formed_report_deadline_sql("signed_on")
    found = cur.execute(
        f"SELECT zgloszenie_id, terc, signed_on, received_on, {deadline} AS due_on, "
        f"date_diff('day', {deadline}, received_on) AS days_over FROM zgloszenie "
        f"WHERE route = 'self_formed' AND received_on > {deadline}"
    ).df()
    if found.empty:
        return pd.DataFrame()
    return _frame(
        "self_formed_report",
        found,
        alert_id="self_formed_report:"
        + found.zgloszenie_id.astype(str)
        + ":"
        + _day(found.signed_on, "%Y-%m-%d"),
        subject="porozumienie z " + _day(found.signed_on, "%d.%m.%Y"),
        due_on=found.due_on,
        days_over=found.days_over,
        message="Samodzielnie zawiązaną współpracę zgłoszono "
        + found.days_over.astype(int).map(rules.days_pl)
        + " po terminie",
        link=_link("gmina", found.terc),
    )


def contact_breaches(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    deadline = rules.first_contact_deadline_sql("received_on")
    found = cur.execute(
        f"SELECT zgloszenie_id, terc, received_on, first_contact_on, {deadline} AS due_on, "
        f"date_diff('day', {deadline}, first_contact_on) AS days_over FROM zgloszenie "
        f"WHERE first_contact_on > {deadline}"
    ).df()
    if found.empty:
        return pd.DataFrame()
    return _frame(
        "first_contact",
        found,
        alert_id=_ids("first_contact", found.zgloszenie_id, _day(found.received_on, "%Y-%m-%d")),
        subject="zgłoszenie z " + _day(found.received_on, "%d.%m.%Y"),
        due_on=found.due_on,
        days_over=found.days_over,
        message="Pierwszy kontakt " + _day(found.first_contact_on, "%d.%m.%Y") + ", "
        + found.days_over.astype(int).map(rules.days_pl) + " po terminie",
        link=_link("gmina", found.terc),
    )  # fmt: skip


def _finish(
    cur: duckdb.DuckDBPyConnection, parts: list[pd.DataFrame], labels: dict[str, str]
) -> pd.DataFrame:
    """One frame of COLUMNS from the rules' parts (none: empty), most overdue first."""
    found = [p.reindex(columns=_PART) for p in parts if len(p)]
    frame = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=_PART)
    frame["due_on"] = pd.to_datetime(frame.due_on).dt.date
    frame["days_over"] = frame.days_over.astype(int)
    frame["terc"] = frame.terc.astype(object).where(frame.terc.notna(), None)
    frame = frame.merge(cur.execute(NAMES).df(), on="terc", how="left")
    frame["animator"] = frame.animator.astype(object).where(frame.animator.notna(), frame.assigned)
    frame["rule_label"] = frame.rule.map(labels)
    frame = frame[COLUMNS].sort_values(["days_over", "rule", "alert_id"], ascending=[False, True, True])
    return frame.reset_index(drop=True)


def read_programme_start(conn: duckdb.DuckDBPyConnection) -> date | None:
    """The programme's start from settings (the first WZK meeting is due a quarter after it)."""
    start = warehouse.get_setting(conn, "programme_start")
    return date.fromisoformat(start) if start else None


EXPLANATIONS = "SELECT alert_id, reason, explained_by, explained_at FROM alert_explanation"
# The rules with many rows (alerts in SQL, texts built in the query) and the few rows of the others
# (registered as `_alert_parts`: _PART columns) as one list of COLUMNS, most overdue first: the
# gmina, the animator and the rule's label joined and the rows ordered in SQL, no pandas merge/sort.
_ALERTS_SQL = f"""
WITH parts AS (
    SELECT alert_id, rule, terc, subject, due_on, days_over::BIGINT AS days_over, message, link,
           NULL::VARCHAR AS assigned
    FROM ({{reports}})
    UNION ALL
    SELECT alert_id, rule, terc, subject, due_on, days_over::BIGINT, message, link, NULL
    FROM ({MONITORING_ALERTS})
    UNION ALL
    SELECT alert_id, rule, terc, subject, due_on, days_over::BIGINT, message, link, NULL
    FROM ({SURVEY_ALERTS})
    {{steps}}
    {{others}}
)
SELECT p.alert_id, p.rule, ($labels)[list_position($rules, p.rule)] AS rule_label, p.terc, n.gmina,
       coalesce(n.animator, p.assigned) AS animator, p.subject, p.due_on, p.days_over, p.message, p.link
FROM parts p
LEFT JOIN ({NAMES}) n ON n.terc = p.terc
ORDER BY p.days_over DESC, p.rule, p.alert_id
"""
_STEPS = f"""UNION ALL
    SELECT alert_id, rule, terc, subject, due_on, days_over::BIGINT, message, link, NULL
    FROM ({STEP_ALERTS})"""
_OTHERS = """UNION ALL
    SELECT alert_id::VARCHAR, rule::VARCHAR, terc::VARCHAR, subject::VARCHAR, due_on::DATE,
           days_over::BIGINT, message::VARCHAR, link::VARCHAR, assigned::VARCHAR
    FROM _alert_parts"""


def _to_do(
    cur: duckdb.DuckDBPyConnection,
    today: date,
    terc: str | None,
    others: list[pd.DataFrame],
    steps: bool,
) -> pd.DataFrame:
    """The to-do list (COLUMNS, as `_finish` gives them) from `others`, the frames of the rules
    with few rows, and the SQL rules (`steps`: STEP_ALERTS too): one query, fetched through Arrow."""
    found = [p.reindex(columns=_PART) for p in others if len(p)]
    labels = dict(rules.RULE_LABELS)
    params = {
        "today": today,
        "since": rules.add_months(today.replace(day=1), -3),
        "terc": terc,
        "rules": list(labels),
        "labels": list(labels.values()),
    }
    if found:
        small = pd.concat(found, ignore_index=True)
        small["due_on"] = pd.to_datetime(small.due_on)
        cur.register("_alert_parts", small)
    try:
        sql = _ALERTS_SQL.format(
            reports=REPORT_ALERTS if terc is None else GMINA_REPORT_ALERTS,
            steps=_STEPS if steps else "",
            others=_OTHERS if found else "",
        )
        table = cur.sql(sql, params=params).to_arrow_table()
    finally:
        if found:
            cur.unregister("_alert_parts")
    frame = table.to_pandas()
    for name in ("terc", "animator"):  # as `_finish`: objects, None where missing
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


def alert_lists(
    conn: duckdb.DuckDBPyConnection,
    today: date,
    plan: pd.DataFrame | None = None,
    programme_start: date | None = None,
    terc: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the to-do list, its explained alerts) of the region: every alert someone can act on.

    `plan`: the caller's `queries.gmina_plans` rows, if it has them (else only the sub-steps due or
    overdue are read). `programme_start` defaults to the setting. The explained frame adds reason,
    explained_by and explained_at. `terc`: only that gmina's alerts (the rows of the region's lists
    whose terc is it, region-wide ones left out), each rule filtered in its query.
    """
    cur = conn.cursor()
    others = [] if plan is None else _step_alerts(plan if terc is None else plan[plan.terc == terc])
    others += [
        _contact_alerts(cur, today, terc),
        _notice_alerts(cur, today, terc),
    ]
    if terc is None:
        others.append(_wzk_alerts(cur, today, programme_start or read_programme_start(conn)))
    current = _to_do(cur, today, terc, others, steps=plan is None)
    notes = cur.execute(EXPLANATIONS).df()
    done = current.alert_id.isin(notes.alert_id)
    explained = current[done].merge(notes, on="alert_id")[EXPLAINED_COLUMNS]
    return current[~done].reset_index(drop=True), explained.reset_index(drop=True)


def list_alerts(
    conn: duckdb.DuckDBPyConnection,
    today: date,
    plan: pd.DataFrame | None = None,
    programme_start: date | None = None,
    terc: str | None = None,
) -> pd.DataFrame:
    """The to-do list: every open, unexplained alert in the region (`terc`: of that gmina only),
    most overdue first."""
    return alert_lists(conn, today, plan, programme_start, terc)[0]


def list_explained(conn: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    """The alerts marked "wyjaśnione", with who explained them, when and why."""
    return alert_lists(conn, today)[1]


def list_breaches(conn: duckdb.DuckDBPyConnection, today: date, terc: str | None = None) -> pd.DataFrame:
    """Recorded breaches: deadlines that passed with nothing left to do (rules.BREACH_LABELS)."""
    cur = conn.cursor()
    parts = [_notice_breaches(cur, today), self_formed_breaches(cur), contact_breaches(cur)]
    found = _finish(cur, parts, dict(rules.BREACH_LABELS))
    return found if terc is None else found[found.terc == terc].reset_index(drop=True)


def overdue_count(alerts: pd.DataFrame) -> int:
    """Alerts past their deadline ("Alerty po terminie"): the one count of that label.

    >>> overdue_count(pd.DataFrame({"days_over": [3, 0, -2, 1]}))
    2
    """
    return int((alerts.days_over > 0).sum())


def due_today_count(alerts: pd.DataFrame) -> int:
    """Alerts whose deadline is today ("Alerty z terminem dziś")."""
    return int((alerts.days_over == 0).sum())


def due_soon_count(alerts: pd.DataFrame) -> int:
    """Alerts still ahead of their deadline ("Alerty na ten tydzień")."""
    return int((alerts.days_over < 0).sum())


def unassigned(alerts: pd.DataFrame) -> pd.DataFrame:
    """Alerts of a gmina with nobody to act on them: notifications from gminy outside the pilot."""
    return alerts[alerts.terc.notna() & alerts.animator.isna()].reset_index(drop=True)


def breach_counts(breaches: pd.DataFrame) -> pd.DataFrame:
    """Recorded breaches per rule, every rule of rules.BREACH_LABELS (zero where none)."""
    found = breaches.rule.value_counts()
    return pd.DataFrame(
        {
            "Reguła": list(rules.BREACH_LABELS.values()),
            "Naruszenia": [int(found.get(r, 0)) for r in rules.BREACH_LABELS],
        }
    )
