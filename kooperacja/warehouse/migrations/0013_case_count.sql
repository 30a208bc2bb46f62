-- The kept counts of every case: services in its basket, monthly reports of its tasks, tasks. Kept as a
-- table because the case list and the funnel read them for ~100,000 cases and counting ~1,000,000
-- monthly reports on every read was most of their cost; every write of a case service, a monthly report
-- or a task recomputes its case's row in the same transaction (kooperacja.cases.counts
-- .refresh_case_counts; the one home of the rule is counts.CASE_COUNTS). A case with none of the three
-- has no row. The INSERT below is that query as it stood when this migration was written, for
-- warehouses made before it.

CREATE TABLE case_count (
    case_code VARCHAR NOT NULL,
    services BIGINT NOT NULL,
    reports BIGINT NOT NULL,
    tasks BIGINT NOT NULL
);

INSERT INTO case_count
WITH t AS (SELECT task_id, case_code FROM case_task),
     m AS (SELECT task_id, count(*) AS reports FROM monthly_report GROUP BY ALL),
     r AS (SELECT t.case_code, count(*) AS tasks, sum(m.reports) AS reports
           FROM t LEFT JOIN m USING (task_id) GROUP BY ALL),
     s AS (SELECT case_code, count(*) AS services FROM case_service GROUP BY ALL)
SELECT case_code, coalesce(s.services, 0)::BIGINT AS services, coalesce(r.reports, 0)::BIGINT AS reports,
       coalesce(r.tasks, 0)::BIGINT AS tasks
FROM s FULL JOIN r USING (case_code);
