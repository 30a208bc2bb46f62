-- The cooperation network of a gmina (issue 17): its diagnosis (problem map and resources card, each
-- versioned by the date it describes), the cooperation survey waves with each responding
-- institution's answers about every other institution, and the measures of each wave kept beside it.

-- Mapa problemów klientów: for each problem area (problem_area) how big it is — a count of families or
-- a 1–5 rating — and its trend, as of a date. A new date is a new version of the map.
CREATE SEQUENCE problem_map_seq START 1;
CREATE TABLE problem_map (
    entry_id BIGINT PRIMARY KEY DEFAULT nextval('problem_map_seq'),
    terc VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    problem_code VARCHAR NOT NULL,
    families INTEGER CHECK (families BETWEEN 0 AND 1000000),
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    trend VARCHAR NOT NULL CHECK (trend IN ('rosnie', 'stabilny', 'maleje')),
    note VARCHAR,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (terc, as_of, problem_code),
    CHECK ((families IS NULL) <> (rating IS NULL))
);

-- Karta zasobów: which institutions of the registry serve the gmina (their sector is the
-- institution's), as of a date. A new date is a new version of the card.
CREATE SEQUENCE resource_card_seq START 1;
CREATE TABLE resource_card (
    entry_id BIGINT PRIMARY KEY DEFAULT nextval('resource_card_seq'),
    terc VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    institution_id BIGINT NOT NULL,
    note VARCHAR,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (terc, as_of, institution_id)
);

-- A survey wave: diagnoza (baseline, usually at K2), ewaluacja (endline, K9) or an extra one.
CREATE SEQUENCE survey_wave_seq START 1;
CREATE TABLE survey_wave (
    wave_id BIGINT PRIMARY KEY DEFAULT nextval('survey_wave_seq'),
    terc VARCHAR NOT NULL,
    held_on DATE NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('diagnoza', 'ewaluacja', 'dodatkowa')),
    note VARCHAR,
    row_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (terc, held_on, kind)
);

-- One responding institution's answer about one partner institution in one wave. `terc` repeats the
-- wave's gmina so that the audit trail's gmina filter finds the answers. One answer per pair per wave
-- is the rule of kooperacja.network.checks (every door calls it) and of `check`; no index enforces it
-- here: a national region holds a million answers, and the index would double the time of every load.
CREATE TABLE survey_answer (
    wave_id BIGINT NOT NULL,
    terc VARCHAR NOT NULL,
    respondent_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    cooperates BOOLEAN NOT NULL,
    initiates VARCHAR CHECK (initiates IN ('my', 'oni', 'obie')),
    frequency VARCHAR NOT NULL CHECK (frequency IN ('nigdy', 'sporadycznie', 'co_miesiac', 'co_tydzien')),
    quality INTEGER CHECK (quality BETWEEN 1 AND 5),
    CHECK (respondent_id <> partner_id)
);

-- The measures of a wave, computed (networkx) from its answers in the transaction that saves them:
-- the region table reads these instead of building 2,479 graphs. `row_version` is the wave's when
-- they were computed; a wave whose version differs (an import wrote its answers) is recomputed.
CREATE TABLE wave_measure (
    wave_id BIGINT PRIMARY KEY,
    row_version INTEGER NOT NULL,
    institutions INTEGER NOT NULL,
    links INTEGER NOT NULL,
    density DOUBLE NOT NULL,
    reciprocity DOUBLE,
    average_degree DOUBLE NOT NULL,
    degree_centralisation DOUBLE,
    isolated INTEGER NOT NULL,
    ops_share DOUBLE,
    cross_sector_links INTEGER NOT NULL,
    mean_quality DOUBLE,
    mean_frequency DOUBLE,
    sectors_never_linked VARCHAR[] NOT NULL
);
