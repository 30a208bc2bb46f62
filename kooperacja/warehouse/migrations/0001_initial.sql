-- Territory, pilot programme, harmonogram, notifications, institutions and PZK, meetings, users, audit.
-- No FOREIGN KEY constraints: a gmina's TERC changes when GUS changes its type, and DuckDB cannot
-- cascade; `python -m kooperacja check` verifies referential integrity instead.

CREATE TABLE settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE wojewodztwo (
    terc VARCHAR PRIMARY KEY CHECK (regexp_full_match(terc, '[0-9]{2}')),
    name VARCHAR NOT NULL
);

CREATE TABLE powiat (
    terc VARCHAR PRIMARY KEY CHECK (regexp_full_match(terc, '[0-9]{4}')),
    name VARCHAR NOT NULL,
    is_city BOOLEAN NOT NULL DEFAULT false
);

-- kind: miejska / wiejska / miejsko-wiejska (RODZ 1/2/3); variant_override set by an admin only.
CREATE TABLE gmina (
    terc VARCHAR PRIMARY KEY CHECK (regexp_full_match(terc, '[0-9]{6}[123]')),
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('miejska', 'wiejska', 'miejsko-wiejska')),
    variant_override VARCHAR CHECK (variant_override IN ('rural', 'urban_rural', 'urban')),
    population INTEGER,
    register_date DATE
);

CREATE SEQUENCE template_seq START 1;
CREATE TABLE template (
    template_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by VARCHAR NOT NULL,
    PRIMARY KEY (template_id, version)
);

CREATE TABLE template_step (
    template_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    step VARCHAR NOT NULL CHECK (regexp_full_match(step, 'K([1-9]|10)')),
    substep VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('region', 'gmina')),
    responsible VARCHAR NOT NULL,
    start_month INTEGER NOT NULL CHECK (start_month BETWEEN 1 AND 36),
    end_month INTEGER NOT NULL CHECK (end_month BETWEEN 1 AND 36),
    every_months INTEGER CHECK (every_months BETWEEN 1 AND 12),
    PRIMARY KEY (template_id, version, substep),
    CHECK (end_month >= start_month)
);

CREATE TABLE pilot_powiat (
    terc VARCHAR PRIMARY KEY CHECK (regexp_full_match(terc, '[0-9]{4}')),
    joined_on DATE NOT NULL
);

-- One row per gmina in the pilot: its plan is template (pinned version) + plan_start + shifts.
CREATE TABLE pilot_gmina (
    terc VARCHAR PRIMARY KEY,
    joined_on DATE NOT NULL,
    animator VARCHAR NOT NULL,
    variant VARCHAR NOT NULL CHECK (variant IN ('rural', 'urban_rural', 'urban')),
    template_id INTEGER NOT NULL,
    template_version INTEGER NOT NULL,
    plan_start DATE NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE plan_shift_seq START 1;
CREATE TABLE plan_shift (
    shift_id BIGINT PRIMARY KEY DEFAULT nextval('plan_shift_seq'),
    terc VARCHAR NOT NULL,
    substep VARCHAR,                -- NULL: the whole plan
    days INTEGER NOT NULL CHECK (days BETWEEN -366 AND 731),
    reason VARCHAR NOT NULL,
    shifted_on DATE NOT NULL
);

CREATE SEQUENCE step_event_seq START 1;
CREATE TABLE step_event (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('step_event_seq'),
    terc VARCHAR,                   -- NULL: a region-level step done by the ROPS
    substep VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('started', 'completed')),
    event_on DATE NOT NULL,
    evidence VARCHAR,
    note VARCHAR,
    recorded_by VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE zgloszenie_seq START 1;
CREATE TABLE zgloszenie (
    zgloszenie_id BIGINT PRIMARY KEY DEFAULT nextval('zgloszenie_seq'),
    terc VARCHAR NOT NULL,
    route VARCHAR NOT NULL CHECK (route IN ('rops', 'self_formed')),
    received_on DATE NOT NULL,
    signed_on DATE,                 -- self-formed cooperation: when the agreement was signed
    has_diagnosis BOOLEAN NOT NULL DEFAULT false,
    has_resources_card BOOLEAN NOT NULL DEFAULT false,
    has_network_analysis BOOLEAN NOT NULL DEFAULT false,
    has_agreement_copy BOOLEAN NOT NULL DEFAULT false,
    first_contact_on DATE,
    note VARCHAR,
    row_version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE institution_seq START 1;
CREATE TABLE institution (
    institution_id BIGINT PRIMARY KEY DEFAULT nextval('institution_seq'),
    name VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('gmina', 'powiat', 'region')),
    seat_terc VARCHAR NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE pzk_member_seq START 1;
CREATE TABLE pzk_member (
    membership_id BIGINT PRIMARY KEY DEFAULT nextval('pzk_member_seq'),
    terc VARCHAR NOT NULL,          -- the gmina whose PZK this is
    institution_id BIGINT NOT NULL,
    signed_on DATE NOT NULL,
    left_on DATE,
    CHECK (left_on IS NULL OR left_on >= signed_on)
);

CREATE SEQUENCE meeting_seq START 1;
CREATE TABLE meeting (
    meeting_id BIGINT PRIMARY KEY DEFAULT nextval('meeting_seq'),
    kind VARCHAR NOT NULL CHECK (kind IN ('authorities', 'institutions', 'pzk_formal', 'pzk',
                                          'ggk', 'monitoring', 'wzk')),
    terc VARCHAR,                   -- NULL for WZK meetings
    case_code VARCHAR,              -- GGK/ZZK and monitoring meetings of one case
    held_on DATE NOT NULL,
    agenda VARCHAR,
    decisions VARCHAR,
    family_present BOOLEAN
);

CREATE TABLE meeting_attendee (
    meeting_id BIGINT NOT NULL,
    institution_id BIGINT NOT NULL,
    notified_on DATE,
    PRIMARY KEY (meeting_id, institution_id)
);

CREATE TABLE app_user (
    username VARCHAR PRIMARY KEY CHECK (regexp_full_match(username, '[a-z0-9_.-]{2,32}')),
    display_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'animator', 'wzk', 'zarzad')),
    password_hash VARCHAR NOT NULL,
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE audit_seq START 1;
CREATE TABLE audit_log (
    audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    username VARCHAR NOT NULL,
    action VARCHAR NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    table_name VARCHAR NOT NULL,
    record_key VARCHAR NOT NULL,
    terc VARCHAR,
    before JSON,
    after JSON
);
