-- The planned window of every sub-step of every pilot gmina (a recurring one once per occurrence),
-- derived from the gmina's template version, plan start and plan shifts. Kept as a table because the
-- region's reads rate ~70,000 windows at national scale; every write that changes one of those three
-- recomputes the gmina's rows in the same transaction (kooperacja.programme.harmonogram
-- .refresh_plan_dates, the one home of the rule is queries.PLAN_DATES). The INSERT below is that
-- query as it stood when this migration was written, for warehouses made before it.

CREATE TABLE plan_date (
    terc VARCHAR NOT NULL,
    substep VARCHAR NOT NULL,
    occurrence BIGINT,              -- the harmonogram month of a recurring sub-step's occurrence; NULL: once
    planned_start DATE NOT NULL,
    planned_due DATE NOT NULL,
    -- the sub-step as the gmina's template version has it (no join to the template on every read)
    step VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    responsible VARCHAR NOT NULL,
    every_months INTEGER
);

INSERT INTO plan_date
WITH pilot AS (
    SELECT terc, plan_start, template_id, template_version FROM pilot_gmina
), steps AS (
    SELECT p.terc, p.plan_start, s.substep, s.start_month, s.end_month, s.every_months,
           s.step, s.title, s.level, s.responsible,
           unnest(CASE WHEN s.every_months IS NULL THEN [s.start_month]
                       ELSE generate_series(s.start_month, s.end_month, s.every_months) END) AS month
    FROM pilot p
    JOIN template_step s ON s.template_id = p.template_id AND s.version = p.template_version
), shifts AS (
    SELECT ps.terc, ps.days, coalesce(ts.start_month, 0) AS from_month
    FROM plan_shift ps
    JOIN pilot p USING (terc)
    LEFT JOIN template_step ts ON ts.template_id = p.template_id AND ts.version = p.template_version
         AND ts.substep = ps.substep
), moved AS (
    SELECT st2.terc, st2.substep, sum(sh.days)::INT AS days
    FROM (SELECT DISTINCT terc, substep, start_month FROM steps) st2
    JOIN shifts sh ON sh.terc = st2.terc AND st2.start_month >= sh.from_month
    GROUP BY ALL
)
SELECT st.terc, st.substep, CASE WHEN st.every_months IS NULL THEN NULL ELSE st.month END AS occurrence,
       ((st.plan_start + to_months(st.month - 1))::DATE + coalesce(sh.days, 0)) AS planned_start,
       ((st.plan_start + to_months(CASE WHEN st.every_months IS NULL THEN st.end_month ELSE st.month END))::DATE
            - 1 + coalesce(sh.days, 0)) AS planned_due,
       st.step, st.title, st.level, st.responsible, st.every_months
FROM steps st
LEFT JOIN moved sh ON sh.terc = st.terc AND sh.substep = st.substep;
