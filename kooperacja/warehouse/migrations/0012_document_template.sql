-- The ROPS's own Word templates: one uploaded .docx per document kind replaces the built-in one
-- (kooperacja.documents); deleting the row restores the built-in template.

CREATE TABLE document_template (
    kind VARCHAR PRIMARY KEY CHECK (regexp_full_match(kind, '[a-z_]{2,40}')),
    content BLOB NOT NULL,
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);
