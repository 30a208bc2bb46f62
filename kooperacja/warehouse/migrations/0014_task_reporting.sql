-- The kept reporting of every case task, for the missing-monthly-report alert: the months reported (the
-- first, the last and the gaps between them, months as integers year * 12 + month - 1) and what the rule
-- needs of the task and its case (institution, done month, the case's plan month and closure). Kept as a
-- table because the alert compared ~250,000 expected task-months with ~325,000 reports on every read;
-- every write of a monthly report, a task or a case's plan or closure recomputes its case's rows in the
-- same transaction (kooperacja.cases.counts.refresh_task_reporting; the one home of the rule is
-- counts.TASK_REPORTING). One row per task. The INSERT below is that query as it stood when this
-- migration was written, for warehouses made before it.

CREATE TABLE task_reporting (
    task_id BIGINT NOT NULL,
    case_code VARCHAR NOT NULL,
    institution_id BIGINT,
    plan_month INTEGER,
    closed_on DATE,
    done_month INTEGER,
    reported_from INTEGER,
    reported_to INTEGER,
    gaps INTEGER[] NOT NULL
);

INSERT INTO task_reporting
WITH t AS (SELECT task_id, case_code, institution_id, done_on FROM case_task),
     r AS (SELECT task_id, (year(month) * 12 + month(month) - 1)::INTEGER AS i
           FROM monthly_report SEMI JOIN t USING (task_id)),
     s AS (SELECT task_id, min(i) AS lo, max(i) AS hi, count(*) AS n FROM r GROUP BY ALL),
     g AS (SELECT task_id, list(i ORDER BY i) AS gaps
           FROM (SELECT task_id, unnest(range(lo, hi + 1))::INTEGER AS i FROM s WHERE n < hi - lo + 1)
           ANTI JOIN r USING (task_id, i)
           GROUP BY ALL)
SELECT t.task_id, t.case_code, t.institution_id,
       (year(c.plan_on) * 12 + month(c.plan_on) - 1)::INTEGER AS plan_month, c.closed_on,
       (year(t.done_on) * 12 + month(t.done_on) - 1)::INTEGER AS done_month,
       s.lo AS reported_from, s.hi AS reported_to, coalesce(g.gaps, []::INTEGER[]) AS gaps
FROM t
LEFT JOIN case_file c USING (case_code)
LEFT JOIN s USING (task_id)
LEFT JOIN g USING (task_id);
