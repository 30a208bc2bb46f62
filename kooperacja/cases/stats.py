"""Read side of case monitoring: case lists and cards for the ROPS staff, suppressed aggregates for all."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

from kooperacja.cases.core import CASE_STAGE_SQL, STAGE_COLUMNS, STAGE_LABELS, STAGES
from kooperacja.model import disclosure, rules
from kooperacja.model.access import SYSTEM, Actor, require_case_read
from kooperacja.model.vocab import CLOSURE_REASONS, SECTORS
from kooperacja.programme import alerts

# The count columns of each summary table, and the figures derived from them (blanked where hidden).
COUNTS: dict[str, tuple[str, ...]] = {
    "funnel": ("cases", "reached"),
    "closures": ("cases",),
    "time_to_plan": ("cases",),
    "completeness": ("expected", "received"),
    "overdue_meetings": ("open_cases", "overdue"),
    "notice_breaches": ("meetings", "invitations", "breaches"),
    "task_sectors": ("tasks", "open_tasks", "cases"),
}
DERIVED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # table: (blanked columns, their bases)
    "time_to_plan": (("median_days", "min_days", "max_days"), ("cases",)),
    "completeness": (("rate",), ("expected", "received")),
    "overdue_meetings": (("max_days",), ("overdue",)),
}


def relations(tables: dict[str, pd.DataFrame]) -> list[disclosure.Relation]:
    """The sums an attacker could subtract within and across the summary tables.

    The funnel: reached stage k = the cases now at stages k, k+1, …; closed cases = Σ closure
    reasons; cases with a plan = Σ over gminy of the time to plan; open planned cases (Σ of the
    monitoring table) = planned − closed (each kept only where it holds on the true figures).
    """
    out: list[disclosure.Relation] = []
    if "funnel" in tables:
        n = len(tables["funnel"])
        out += [
            disclosure.total([("funnel", j, "cases") for j in range(k, n)], ("funnel", k, "reached"))
            for k in range(n)
        ]
        reached = {s: ("funnel", STAGES.index(s), "reached") for s in STAGES}
        for name, col, stage in (("closures", "cases", "closed"), ("time_to_plan", "cases", "plan")):
            if name in tables:
                parts = [(name, i, col) for i in range(len(tables[name]))]
                out.append(disclosure.total(parts, reached[stage]))
        if "overdue_meetings" in tables:  # open planned cases = planned − closed
            parts = [("overdue_meetings", i, "open_cases") for i in range(len(tables["overdue_meetings"]))]
            out.append([*disclosure.total(parts, reached["plan"]), (reached["closed"], 1)])
    return out


def disclosed(actor: Actor, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The summary tables as `actor` may see them: for the WZK and the Zarząd small counts "<5",
    their complements "x" (so that no sum gives a "<5" back, see `disclosure`) and the rates and
    medians over hidden counts blanked; the others see every number."""
    if not disclosure.hides(actor):
        return tables
    out = disclosure.protect_frames(tables, {n: COUNTS[n] for n in tables}, relations(tables))
    for name, (columns, bases) in DERIVED.items():
        if name in out:
            out[name] = disclosure.blank_where_hidden(out[name], columns, bases)
    return out


def _for(actor: Actor, name: str, df: pd.DataFrame) -> pd.DataFrame:
    return disclosed(actor, {name: df})[name]


# Every case with its kept counts (case_count, see cases.counts: a case without a row has none).
CASE_COUNTS = """
SELECT c.*, coalesce(n.services, 0) AS services, coalesce(n.reports, 0) AS reports
FROM case_file c
LEFT JOIN case_count n USING (case_code)
WHERE ($terc IS NULL OR c.terc = $terc) AND ($code IS NULL OR c.case_code = $code)
"""
STAGE = CASE_STAGE_SQL.format(**{c: f"c.{c}" for c in STAGE_COLUMNS})
CASE_ROWS = f"""
WITH c AS ({CASE_COUNTS})
SELECT c.case_code, c.terc, g.name AS gmina, c.kind, c.referred_on, c.consent_on, c.diagnosed_on,
       c.plan_on, c.contract_kind, c.contract_from, c.contract_to, c.evaluated_on, c.evaluation,
       c.closed_on, c.closure_reason, c.followup_until, c.row_version, c.services, c.reports,
       {STAGE} AS stage
FROM c
LEFT JOIN gmina g USING (terc)
ORDER BY c.referred_on DESC, c.case_code
"""
# Grouped by the facts the stage is made of first (a handful of groups), then each group's stage: the
# stage is built as text for those few groups, not for each of the 100k cases.
FLAGS = {
    "closed_on": "closed", "evaluated_on": "evaluated", "plan_on": "plan", "contract_kind": "contract",
    "diagnosed_on": "diagnosed",
}  # fmt: skip
MILESTONES = ("diagnosed", "plan", "contract", "delivery", "evaluated", "closed")
STAGE_OF_FLAGS = CASE_STAGE_SQL.format(
    **{c: f"nullif({flag}, false)" for c, flag in FLAGS.items()}, services="delivery::INT", reports="0"
)
FUNNEL = f"""
WITH c AS ({CASE_COUNTS}), flags AS (
    SELECT {", ".join(f"{c} IS NOT NULL AS {flag}" for c, flag in FLAGS.items())},
           plan_on IS NOT NULL AND (services > 0 OR reports > 0) AS delivery, count(*) AS cases
    FROM c GROUP BY ALL
)
SELECT {STAGE_OF_FLAGS} AS stage, sum(cases)::BIGINT AS cases,
       {", ".join(f"coalesce(sum(cases) FILTER (WHERE {f}), 0)::BIGINT AS {f}" for f in MILESTONES)}
FROM flags GROUP BY ALL
"""


def _case_rows(conn: duckdb.DuckDBPyConnection, terc: str | None, code: str | None = None) -> pd.DataFrame:
    params = {"terc": terc, "code": code}
    if terc is None and code is None:  # the region's 100k cases; a gmina's few keep `.df()`'s dtypes
        return arrow_frame(conn.cursor().sql(CASE_ROWS, params=params))
    return conn.cursor().execute(CASE_ROWS, params).df()


def arrow_frame(rel: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """The rows as `.df()` gives them (dates as datetime64[us]), through Arrow: 100k cases with eight
    text columns convert 2× faster than by `.df()`, which builds a Python string per cell; the dates
    are cast in Arrow (one pass in C++), not column by column in pandas."""
    table = rel.to_arrow_table()
    if any(pa.types.is_date(kind) for kind in table.schema.types):
        columns = [c.cast(pa.timestamp("us")) if pa.types.is_date(c.type) else c for c in table.columns]
        table = pa.table(columns, names=table.column_names)
    return table.to_pandas()


# The case list: only what the list shows and filters on (the card reads its one case whole, `case_row`);
# the stage filter and the stage's label in the query. The region's 100k cases sorted with 9 columns,
# not 21, and no pandas pass over them afterwards (national, one thread: ~165 -> ~105 ms CPU).
LIST_COLUMNS = (
    "case_code",
    "terc",
    "gmina",
    "kind",
    "referred_on",
    "plan_on",
    "closed_on",
    "stage",
    "stage_label",
)
STAGE_LABEL = "CASE stage {} END".format(
    " ".join(f"WHEN '{s}' THEN '{label.replace(chr(39), chr(39) * 2)}'" for s, label in STAGE_LABELS.items())
)
CASE_LIST = f"""
WITH c AS ({CASE_COUNTS}), listed AS (
    SELECT c.case_code, c.terc, g.name AS gmina, c.kind, c.referred_on, c.plan_on, c.closed_on,
           {STAGE} AS stage
    FROM c LEFT JOIN gmina g USING (terc)
)
SELECT *, {STAGE_LABEL} AS stage_label FROM listed
WHERE $stage IS NULL OR stage = $stage
ORDER BY referred_on DESC, case_code
"""


def list_cases(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str | None = None,
    stage: str | None = None,
    case_code: str | None = None,
) -> pd.DataFrame:
    """Every case (of a gmina, at a stage, or the one case) with its stage and the stage's label, the
    columns LIST_COLUMNS, newest referral first; ROPS staff only."""
    require_case_read(actor)
    params = {"terc": terc, "code": case_code, "stage": stage}
    # through Arrow also for a gmina's few: an empty list keeps the text columns' dtype (`.df()` gives
    # object columns for no rows; the stage was filtered in pandas, after the read)
    return arrow_frame(conn.cursor().sql(CASE_LIST, params=params))


def case_row(conn: duckdb.DuckDBPyConnection, actor: Actor, case_code: str) -> pd.DataFrame:
    """The one case with every column of case_file it shows (no free-text notes), its counts, stage and
    stage label (empty if there is no such case); ROPS staff only."""
    require_case_read(actor)
    rows = _case_rows(conn, None, case_code)
    return rows.assign(stage_label=rows.stage.map(STAGE_LABELS))


def funnel(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str | None = None) -> pd.DataFrame:
    """Per stage: cases now at it, and cases that have reached its milestone (referral … closure)."""
    by_stage = conn.cursor().execute(FUNNEL, {"terc": terc, "code": None}).df().set_index("stage")
    reached = by_stage.sum().rename({"cases": "referred"})
    now = by_stage.cases
    out = pd.DataFrame(
        {
            "stage": STAGES,
            "label": [STAGE_LABELS[s] for s in STAGES],
            "cases": [int(now.get(s, 0)) for s in STAGES],
            "reached": [int(reached[s]) for s in STAGES],
        }
    )
    return _for(actor, "funnel", out)


CLOSURES = """
SELECT closure_reason AS reason, count(*) AS cases FROM case_file
WHERE closed_on IS NOT NULL AND ($terc IS NULL OR terc = $terc) GROUP BY ALL
"""


def closure_reasons(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str | None = None) -> pd.DataFrame:
    """Closed cases by reason (every reason listed, 0 included)."""
    found = dict(conn.cursor().execute(CLOSURES, {"terc": terc}).fetchall())
    out = pd.DataFrame(
        {
            "reason": list(CLOSURE_REASONS),
            "label": list(CLOSURE_REASONS.values()),
            "cases": [int(found.get(r, 0)) for r in CLOSURE_REASONS],
        }
    )
    return _for(actor, "closures", out)


PILOT = """
SELECT p.terc, g.name AS gmina FROM pilot_gmina p JOIN gmina g USING (terc)
WHERE $terc IS NULL OR p.terc = $terc ORDER BY g.name, p.terc
"""
TIME_TO_PLAN = """
SELECT terc, count(*) AS cases, median(plan_on - referred_on) AS median_days,
       min(plan_on - referred_on) AS min_days, max(plan_on - referred_on) AS max_days
FROM case_file WHERE plan_on IS NOT NULL AND ($terc IS NULL OR terc = $terc) GROUP BY ALL
"""


def pilot_gminy(conn: duckdb.DuckDBPyConnection, terc: str | None = None) -> pd.DataFrame:
    """Pilot gminy (terc, gmina) by name: the rows of every per-gmina summary."""
    return conn.cursor().execute(PILOT, {"terc": terc}).df()


def _per_gmina(
    conn: duckdb.DuckDBPyConnection, terc: str | None, figures: pd.DataFrame, pilot: pd.DataFrame | None
) -> pd.DataFrame:
    return (pilot_gminy(conn, terc) if pilot is None else pilot).merge(figures, on="terc", how="left")


def time_to_plan(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str | None = None,
    *,
    pilot: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Days from referral to the work plan per gmina: cases with a plan, median, shortest, longest.
    `pilot`: `pilot_gminy(conn, terc)` when the caller has it (the summary reads it once)."""
    figures = conn.cursor().execute(TIME_TO_PLAN, {"terc": terc}).df()
    out = _per_gmina(conn, terc, figures, pilot)
    out["cases"] = out.cases.fillna(0).astype(int)
    return _for(actor, "time_to_plan", out)


# The expected reports are counted per gmina and month from the tasks' first and last months (the rule
# of alerts.EXPECTED_REPORTS), not unnested to a row per task and month; the received ones are the
# reports of those months that fall in their task's range: the same figures as joining the ~600k
# expected (task, month) rows to the reports, at a fraction of the cost. The months are integers
# (year * 12 + month - 1), a report's month is a month's first day when its day is 1 (not a date
# truncated per report), a gmina's TERC an integer while counting (seven digits, records.TercGmina;
# national, one thread: 195 -> 148 ms CPU against counting on the text); the grid of every pilot gmina
# and month in the order of the page is built here rather than by merging frames in pandas.
COMPLETENESS = (
    alerts.EXPECTED_REPORTS
    + """
, ended AS (  -- the months looked at that have ended: $since … the month before today's
    SELECT i, make_date((i // 12)::INT, (i % 12 + 1)::INT, 1) AS month
    FROM range(year($since::DATE) * 12 + month($since::DATE) - 1,
               year($today::DATE) * 12 + month($today::DATE) - 1) AS r(i)
), mine AS (
    SELECT task_id, terc::INTEGER AS terc, year(first_month) * 12 + month(first_month) - 1 AS first_i,
           year(last_month) * 12 + month(last_month) - 1 AS last_i
    FROM tasks WHERE $terc IS NULL OR terc = $terc
), spans AS (  -- the tasks of a gmina with the same first and last month, counted once
    SELECT terc, first_i, last_i, count(*) AS tasks FROM mine GROUP BY ALL
), due_counts AS (
    SELECT t.terc, e.i, sum(t.tasks)::BIGINT AS expected
    FROM spans t JOIN ended e ON e.i BETWEEN t.first_i AND t.last_i
    GROUP BY ALL
), received AS (
    SELECT t.terc, r.i, count(*) AS received
    FROM (SELECT task_id, year(month) * 12 + month(month) - 1 AS i FROM reported
          WHERE month < date_trunc('month', $today::DATE) AND day(month) = 1) r
    JOIN mine t USING (task_id)
    WHERE r.i BETWEEN t.first_i AND t.last_i
    GROUP BY ALL
), pilot AS ("""
    + PILOT.replace("ORDER BY g.name, p.terc", "")
    + """)
SELECT p.terc, p.gmina, e.month, coalesce(d.expected, 0) AS expected, coalesce(r.received, 0) AS received
FROM pilot p CROSS JOIN ended e
LEFT JOIN due_counts d ON d.terc = p.terc::INTEGER AND d.i = e.i
LEFT JOIN received r ON r.terc = p.terc::INTEGER AND r.i = e.i
ORDER BY p.gmina, p.terc, e.i
"""
)


def report_completeness(
    conn: duckdb.DuckDBPyConnection, actor: Actor, today: date, terc: str | None = None, months: int = 6
) -> pd.DataFrame:
    """Monthly reports expected vs received per gmina and ended month (the DHIS2 reporting rate).

    Expected: every institution task of a planned case, each month of its life that has ended.
    """
    since = rules.add_months(today.replace(day=1), -months)
    out = conn.cursor().execute(COMPLETENESS, {"today": today, "since": since, "terc": terc}).df()
    out["rate"] = (out.received / out.expected.where(out.expected > 0)).round(3)
    out["month"] = out.month.dt.date
    return _for(actor, "completeness", out)


def completeness_grid(completeness: pd.DataFrame) -> pd.DataFrame:
    """Gmina × month (mm.rrrr) of the reporting rate in per cent; empty where nothing was expected.

    A row per gmina (TERC): two gminy of one name (the two Bolesławiec) are two rows, each named
    with its TERC code, not one row with the first one's figures.
    """
    if completeness.empty:
        return pd.DataFrame({"Gmina": []})
    names = {m: f"{m:%m.%Y}" for m in completeness.month.unique()}  # the months once, not every row
    view = completeness.assign(
        col=completeness.month.map(names),
        pct=pd.to_numeric(completeness.rate, errors="coerce") * 100,
    )
    grid = view.pivot_table(
        index="terc", columns="col", values="pct", aggfunc="first", dropna=False, sort=False
    )
    gminy = completeness.drop_duplicates("terc").set_index("terc").gmina
    labels = gminy.where(~gminy.duplicated(keep=False), gminy + " (" + gminy.index + ")")
    return (
        grid.reindex(columns=list(dict.fromkeys(view.col)))
        .set_axis(grid.index.map(labels.to_dict()), axis=0)
        .rename_axis(index="Gmina", columns=None)
        .reset_index()
    )


COMPLETENESS_HEADERS = {
    "gmina": "Gmina",
    "month": "Miesiąc",
    "expected": "Oczekiwane",
    "received": "Otrzymane",
    "rate": "Odsetek",
}


def completeness_xlsx(completeness: pd.DataFrame) -> bytes:
    """The Sprawy page's download: `report_completeness` (as the actor saw it) a row per gmina
    and month, with the Polish headers."""
    from kooperacja.model import xlsx

    long = completeness.drop(columns=["terc"]).rename(columns=COMPLETENESS_HEADERS)
    return xlsx.to_xlsx(long, sheet_name="kompletnosc")


# Per gmina in SQL: the 56k open planned cases (and 236k invitations) never reach pandas.
OVERDUE_MEETINGS = f"""
SELECT terc, count(*) AS open_cases, count(*) FILTER (WHERE days > 0) AS overdue, max(days) AS max_days
FROM ({alerts.MONITORING}) WHERE $terc IS NULL OR terc = $terc GROUP BY ALL
"""
# The invitations of alerts.NOTICES without its join to the case (a left join on the case's key adds
# no row, and its closure is not counted here; DuckDB does not drop such a join by itself: 60 % of the
# read), the short notice by the same rule (rules.NOTICE_SHORT_SQL). Counted per meeting (an integer
# key) first, then per gmina, not a distinct count of (gmina, meeting) over the 236k invitations.
NOTICE_BREACHES = f"""
SELECT terc, count(*) AS meetings, sum(invitations)::BIGINT AS invitations, sum(breaches)::BIGINT AS breaches
FROM (SELECT m.meeting_id, any_value(m.terc) AS terc, count(*) AS invitations,
             count(*) FILTER (WHERE short IS NULL OR short > 0) AS breaches
      FROM (SELECT m.meeting_id, m.terc,
                   {rules.NOTICE_SHORT_SQL.format(meeting="m.held_on", notified="a.notified_on")} AS short
            FROM meeting m
            JOIN meeting_attendee a USING (meeting_id)
            JOIN institution i USING (institution_id)
            WHERE m.kind = 'ggk' AND m.held_on >= $since AND ($terc IS NULL OR m.terc = $terc)) m
      GROUP BY m.meeting_id)
GROUP BY ALL
"""


def overdue_meetings(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    today: date,
    terc: str | None = None,
    *,
    pilot: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Open planned cases per gmina and how many are past their quarterly monitoring meeting."""
    figures = conn.cursor().execute(OVERDUE_MEETINGS, {"today": today, "terc": terc}).df()
    out = _per_gmina(conn, terc, figures, pilot)
    out[["open_cases", "overdue", "max_days"]] = (
        out[["open_cases", "overdue", "max_days"]].fillna(0).astype(int)
    )
    return _for(actor, "overdue_meetings", out)


def notice_breaches(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    today: date,
    terc: str | None = None,
    days: int = 365,
    *,
    pilot: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """GGK/ZZK invitations of the last `days` per gmina, and those told under 5 days ahead (or never)."""
    params = {"since": today - timedelta(days=days), "terc": terc}
    figures = conn.cursor().execute(NOTICE_BREACHES, params).df()
    out = _per_gmina(conn, terc, figures, pilot)
    cols = ["meetings", "invitations", "breaches"]
    out[cols] = out[cols].fillna(0).astype(int)
    return _for(actor, "notice_breaches", out)


# Per (sector, case) first, the case as its row number in case_file (an integer, not the code's text:
# the distinct count of the 226k national tasks' codes was the read's costliest step), then per sector.
TASK_SECTORS = """
SELECT sector, sum(tasks)::BIGINT AS tasks, sum(open_tasks)::BIGINT AS open_tasks, count(*) AS cases
FROM (SELECT coalesce(i.sector, 'rodzina') AS sector, c.rowid AS case_row, count(*) AS tasks,
             count(*) FILTER (WHERE t.done_on IS NULL AND c.closed_on IS NULL) AS open_tasks
      FROM case_task t JOIN case_file c USING (case_code) LEFT JOIN institution i USING (institution_id)
      WHERE $terc IS NULL OR c.terc = $terc
      GROUP BY ALL)
GROUP BY ALL ORDER BY tasks DESC, sector
"""


def task_sectors(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str | None = None) -> pd.DataFrame:
    """Which sectors carry the plan tasks (the family's own tasks as "rodzina / osoba")."""
    out = conn.cursor().execute(TASK_SECTORS, {"terc": terc}).df()
    labels: dict[str, Any] = {**SECTORS, "rodzina": "rodzina / osoba (zadania własne)"}
    out.insert(1, "label", out.sector.map(labels))
    return _for(actor, "task_sectors", out)


def summary(
    conn: duckdb.DuckDBPyConnection, actor: Actor, today: date, terc: str | None = None
) -> dict[str, pd.DataFrame]:
    """Every table of the Sprawy summary, protected together (the funnel's "reached" figures
    are the sums of the closure reasons and of the cases with a plan per gmina)."""
    pilot = pilot_gminy(conn, terc)  # the rows of three of the tables, read once
    tables = {
        "funnel": funnel(conn, SYSTEM, terc),
        "closures": closure_reasons(conn, SYSTEM, terc),
        "time_to_plan": time_to_plan(conn, SYSTEM, terc, pilot=pilot),
        "completeness": report_completeness(conn, SYSTEM, today, terc),
        "overdue_meetings": overdue_meetings(conn, SYSTEM, today, terc, pilot=pilot),
        "notice_breaches": notice_breaches(conn, SYSTEM, today, terc, pilot=pilot),
        "task_sectors": task_sectors(conn, SYSTEM, terc),
    }
    return disclosed(actor, tables)
