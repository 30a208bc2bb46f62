-- One-time tokens of the create forms (kooperacja.warehouse.store.once): a second submit of the same
-- filled-in form writes nothing and gets the first submit's result back.

CREATE TABLE form_token (
    token VARCHAR PRIMARY KEY CHECK (regexp_full_match(token, '[0-9a-f]{32}')),
    username VARCHAR NOT NULL,
    action VARCHAR NOT NULL,        -- the domain function, e.g. programme.services.record_step_event
    result JSON,                    -- what the first submit returned
    used_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
