-- Corrections: an edit or a withdrawal of a saved record carries the reason the user gave, kept in the
-- audit trail beside the record's before/after (a withdrawal is a delete that is never silent).

ALTER TABLE audit_log ADD COLUMN reason VARCHAR;
