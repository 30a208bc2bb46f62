-- A gmina that left the pilot: its pilot row as it was on the day it left, when and why (an admin's
-- decision). The gmina's step events, notifications and PZK stay where they are; it may rejoin later
-- (a new pilot_gmina row), and every earlier stay remains here.

CREATE SEQUENCE pilot_exit_seq START 1;
CREATE TABLE pilot_exit (
    exit_id BIGINT PRIMARY KEY DEFAULT nextval('pilot_exit_seq'),
    terc VARCHAR NOT NULL,
    joined_on DATE NOT NULL,
    animator VARCHAR NOT NULL,
    variant VARCHAR NOT NULL CHECK (variant IN ('rural', 'urban_rural', 'urban')),
    template_id INTEGER NOT NULL,
    template_version INTEGER NOT NULL,
    plan_start DATE NOT NULL,
    left_on DATE NOT NULL,
    reason VARCHAR NOT NULL,
    recorded_by VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (left_on >= joined_on)
);
