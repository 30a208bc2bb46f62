"""The kept per-case counts (table case_count, migration 0013): a case's services, reports and tasks.

The case list and the funnel need, for every one of ~100,000 cases, how many services are in its
basket and how many monthly reports its tasks have; counting the million monthly reports on every read
cost more than the rest of the read. So the counts are kept: every write that adds, moves or removes a
case service, a monthly report or a task recomputes the rows of its cases with `refresh_case_counts`, in
the same transaction (the forms in cases.delivery and cases.team, the import in exchange.apply, the
demo builds). `CASE_COUNTS` is the one home of the rule; a case with no service, report nor task has no
row (a read takes 0 for it), so registering a case needs no refresh.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

COUNT_INPUTS = frozenset({"case_service", "monthly_report", "case_task"})  # the tables counted

# The counts of the cases $codes (NULL: every case). The million reports are counted per task (an
# integer key) before they meet the cases.
CASE_COUNTS = """
WITH t AS (SELECT task_id, case_code FROM case_task WHERE $codes IS NULL OR list_contains($codes, case_code)),
     m AS (SELECT task_id, count(*) AS reports FROM monthly_report SEMI JOIN t USING (task_id) GROUP BY ALL),
     r AS (SELECT t.case_code, count(*) AS tasks, sum(m.reports) AS reports
           FROM t LEFT JOIN m USING (task_id) GROUP BY ALL),
     s AS (SELECT case_code, count(*) AS services FROM case_service
           WHERE $codes IS NULL OR list_contains($codes, case_code) GROUP BY ALL)
SELECT case_code, coalesce(s.services, 0)::BIGINT AS services, coalesce(r.reports, 0)::BIGINT AS reports,
       coalesce(r.tasks, 0)::BIGINT AS tasks
FROM s FULL JOIN r USING (case_code)
"""


def refresh_case_counts(cur: duckdb.DuckDBPyConnection, case_codes: Iterable[str] | None = None) -> None:
    """Recompute case_count for the cases `case_codes` (None: every case), inside the caller's
    transaction."""
    codes = None if case_codes is None else sorted(set(case_codes))
    if codes == []:
        return
    params = {"codes": codes}
    cur.execute("DELETE FROM case_count WHERE $codes IS NULL OR list_contains($codes, case_code)", params)
    cur.execute(f"INSERT INTO case_count BY NAME {CASE_COUNTS}", params)
