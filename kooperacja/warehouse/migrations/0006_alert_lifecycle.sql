-- Alerts with a lifecycle: an animator's (or admin's) explanation takes an alert off the to-do list,
-- and a notification from a gmina outside the pilot is assigned to an animator by the admin.

CREATE TABLE alert_explanation (
    alert_id VARCHAR PRIMARY KEY,   -- rule:record key:period, e.g. monthly_report:P-0201011-0001/7:2026-10
    rule VARCHAR NOT NULL,
    terc VARCHAR,                   -- NULL for a region-level alert (the WZK meeting)
    reason VARCHAR NOT NULL,
    explained_by VARCHAR NOT NULL,
    explained_at TIMESTAMP NOT NULL
);

CREATE TABLE zgloszenie_assignment (
    zgloszenie_id BIGINT PRIMARY KEY,
    animator VARCHAR NOT NULL,      -- who answers the notification's 7-day clock
    assigned_by VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);
