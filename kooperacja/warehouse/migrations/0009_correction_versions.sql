-- Corrections of monthly reports, services and WZK members: each row carries a version, so that an
-- edit or a withdrawal from a screen read before somebody else's save is refused (store.update/delete).

ALTER TABLE monthly_report ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE service ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE wzk_member ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
