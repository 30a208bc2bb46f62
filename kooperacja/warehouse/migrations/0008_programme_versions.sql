-- Corrections of step events, PZK memberships and meetings: each row carries a version, so that an
-- edit or a withdrawal from a screen read before somebody else's save is refused (store.update/delete).
-- A meeting's version also covers its attendance (adding, removing an attendee, a notice date).

ALTER TABLE step_event ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE pzk_member ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE meeting ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
