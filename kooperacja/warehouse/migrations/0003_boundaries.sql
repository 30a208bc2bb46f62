-- Gmina boundaries for the regional map, keyed by the first 6 TERC digits: the 7th (RODZ) digit of
-- GUGiK's PRG can lag behind GUS's register when a gmina changes its type.

CREATE TABLE gmina_boundary (
    terc6 VARCHAR PRIMARY KEY CHECK (regexp_full_match(terc6, '[0-9]{6}')),
    name VARCHAR,
    geometry JSON NOT NULL
);
