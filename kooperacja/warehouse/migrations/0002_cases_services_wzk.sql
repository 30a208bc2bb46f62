-- Pseudonymous case monitoring (GGK/ZZK), the lokalny koszyk usług, and the WZK.
-- A case holds a generated code, never a name: free text is screened by kooperacja.privacy.

CREATE TABLE problem_area (
    code VARCHAR PRIMARY KEY CHECK (regexp_full_match(code, '[a-z_]{2,40}')),
    label VARCHAR NOT NULL
);

CREATE TABLE case_file (
    case_code VARCHAR PRIMARY KEY CHECK (regexp_full_match(case_code, 'P-[0-9]{7}-[0-9]{4,6}')),
    terc VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('osoba', 'rodzina', 'grupa')),
    referred_on DATE NOT NULL,
    consent_on DATE,
    diagnosed_on DATE,
    plan_on DATE,
    main_goal VARCHAR,
    contract_kind VARCHAR CHECK (contract_kind IN ('kontrakt_socjalny', 'projekt_socjalny')),
    contract_from DATE,
    contract_to DATE,
    evaluated_on DATE,
    evaluation VARCHAR CHECK (evaluation IN ('full', 'partial', 'none')),
    evaluation_note VARCHAR,
    closed_on DATE,
    closure_reason VARCHAR CHECK (closure_reason IN ('goals_achieved', 'no_cooperation',
                                                     'resigned', 'other')),
    followup_until DATE,
    followup_note VARCHAR,
    row_version INTEGER NOT NULL DEFAULT 1,
    CHECK ((closed_on IS NULL) = (closure_reason IS NULL))
);

CREATE TABLE case_problem (
    case_code VARCHAR NOT NULL,
    problem_code VARCHAR NOT NULL,
    PRIMARY KEY (case_code, problem_code)
);

CREATE SEQUENCE case_goal_seq START 1;
CREATE TABLE case_goal (
    goal_id BIGINT PRIMARY KEY DEFAULT nextval('case_goal_seq'),
    case_code VARCHAR NOT NULL,
    text VARCHAR NOT NULL
);

CREATE SEQUENCE case_task_seq START 1;
CREATE TABLE case_task (
    task_id BIGINT PRIMARY KEY DEFAULT nextval('case_task_seq'),
    case_code VARCHAR NOT NULL,
    goal_id BIGINT,
    description VARCHAR NOT NULL,
    institution_id BIGINT,          -- NULL: a task of the family/person itself
    due_on DATE NOT NULL,
    done_on DATE
);

CREATE SEQUENCE monthly_report_seq START 1;
CREATE TABLE monthly_report (
    report_id BIGINT PRIMARY KEY DEFAULT nextval('monthly_report_seq'),
    task_id BIGINT NOT NULL,
    month DATE NOT NULL CHECK (day(month) = 1),
    reported_on DATE NOT NULL,
    progress VARCHAR NOT NULL CHECK (progress IN ('on_track', 'delayed', 'done', 'not_started')),
    note VARCHAR,
    UNIQUE (task_id, month)
);

CREATE SEQUENCE service_seq START 1;
CREATE TABLE service (
    service_id BIGINT PRIMARY KEY DEFAULT nextval('service_seq'),
    institution_id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    target_groups VARCHAR[] NOT NULL,
    problem_areas VARCHAR[] NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('gmina', 'powiat', 'region')),
    area_terc VARCHAR NOT NULL,     -- 7 digits (gmina), 4 (powiat) or 2 (region) by level
    access VARCHAR,
    contact VARCHAR,
    valid_from DATE NOT NULL,
    valid_to DATE,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE case_service (
    case_code VARCHAR NOT NULL,
    service_id BIGINT NOT NULL,
    from_on DATE NOT NULL,
    to_on DATE,
    PRIMARY KEY (case_code, service_id)
);

CREATE SEQUENCE wzk_member_seq START 1;
CREATE TABLE wzk_member (
    member_id BIGINT PRIMARY KEY DEFAULT nextval('wzk_member_seq'),
    full_name VARCHAR NOT NULL,     -- staff of public bodies, not clients
    role VARCHAR NOT NULL,
    institution_id BIGINT,
    from_on DATE NOT NULL,
    to_on DATE
);

CREATE TABLE wzk_attendance (
    meeting_id BIGINT NOT NULL,
    member_id BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);

CREATE SEQUENCE recommendation_seq START 1;
CREATE TABLE recommendation (
    recommendation_id BIGINT PRIMARY KEY DEFAULT nextval('recommendation_seq'),
    meeting_id BIGINT,
    made_on DATE NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('legal', 'organisational', 'ozps')),
    text VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'rejected')),
    status_on DATE NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);
