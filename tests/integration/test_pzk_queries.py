"""PZK read side: composition on a date, joins and leaves over time, sector coverage of the region."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kooperacja import warehouse
from kooperacja.model import vocab
from kooperacja.programme import pzk, queries

A, B = "0201011", "0201022"  # two pilot gminy
OUTSIDER = "0201032"  # registered, not in the pilot


@pytest.fixture
def region(conn):
    conn.execute(
        "INSERT INTO gmina (terc, name, kind) VALUES (?, 'Alfa', 'miejska'), (?, 'Beta', 'wiejska'), "
        "(?, 'Gamma', 'wiejska')",
        [A, B, OUTSIDER],
    )
    for terc in (A, B):
        conn.execute(
            "INSERT INTO pilot_gmina (terc, joined_on, animator, variant, template_id, template_version, "
            "plan_start) VALUES (?, DATE '2026-01-01', 'animator1', 'rural', 1, 1, DATE '2026-01-01')",
            [terc],
        )
    institutions = [
        (1, "GOPS Alfa", "pomoc_spoleczna", "gmina", A),
        (2, "Szkoła Alfa", "edukacja", "gmina", A),
        (3, "PCPR", "pomoc_spoleczna", "powiat", "0201"),
        (4, "Fundacja", "ngo", "gmina", B),
        (5, "Klub Sportowy", "kultura", "gmina", B),
    ]
    conn.executemany(
        "INSERT INTO institution (institution_id, name, sector, level, seat_terc) VALUES (?, ?, ?, ?, ?)",
        institutions,
    )
    members = [
        (A, 1, date(2026, 3, 1), None),
        (A, 2, date(2026, 3, 1), date(2026, 6, 30)),
        (A, 3, date(2026, 5, 10), None),
        (B, 3, date(2026, 4, 1), None),
        (B, 4, date(2026, 4, 1), None),
        (B, 5, date(2026, 9, 1), None),
    ]
    conn.executemany("INSERT INTO pzk_member (terc, institution_id, signed_on, left_on) VALUES (?, ?, ?, ?)",
                     members)  # fmt: skip
    return conn


def test_composition_on_a_date_counts_from_signing_until_the_day_before_leaving(region):
    assert set(queries.pzk_on(region, A, date(2026, 2, 28)).name) == set()
    assert set(queries.pzk_on(region, A, date(2026, 6, 29)).name) == {"GOPS Alfa", "Szkoła Alfa", "PCPR"}
    assert set(queries.pzk_on(region, A, date(2026, 6, 30)).name) == {"GOPS Alfa", "PCPR"}


def test_members_list_keeps_those_who_left(region):
    members = pzk.list_members(region, A)
    assert list(members.name) == ["GOPS Alfa", "Szkoła Alfa", "PCPR"]
    assert members.left_on.notna().sum() == 1


def test_history_gives_the_size_after_each_day_of_change(region):
    history = pzk.membership_history(region, A)
    got = [(d.date(), j, left, n) for d, j, left, n in
           zip(history.on_day, history.joined, history["left"], history.members, strict=True)]  # fmt: skip
    assert got == [
        (date(2026, 3, 1), 2, 0, 2),
        (date(2026, 5, 10), 1, 0, 3),
        (date(2026, 6, 30), 0, 1, 2),
    ]
    assert set(pzk.membership_history(region).terc) == {A, B}


def test_history_agrees_with_the_composition_on_every_change_day(region):
    for terc in (A, B):
        for row in pzk.membership_history(region, terc).itertuples():
            assert row.members == len(queries.pzk_on(region, terc, row.on_day.date()))


def test_coverage_matrix_lists_every_sector_for_every_pilot_gmina(region):
    matrix = pzk.coverage_matrix(region, date(2026, 7, 1))
    assert len(matrix) == 2 * len(vocab.SECTORS)
    assert set(matrix.terc) == {A, B}  # the gmina outside the pilot is not a column
    cell = matrix.set_index(["terc", "sector"]).members
    assert cell[(A, "pomoc_spoleczna")] == 2
    assert cell[(A, "edukacja")] == 0  # the school left on 30.06
    assert cell[(B, "kultura")] == 0  # joins only in September
    assert list(matrix[matrix.terc == A].sector) == list(vocab.SECTORS)


def test_missing_sectors_are_the_zero_cells(region):
    matrix = pzk.coverage_matrix(region, date(2026, 10, 1))
    missing = pzk.missing_sectors(matrix)
    assert (A, "ngo") in set(zip(missing.terc, missing.sector, strict=True))
    assert (B, "kultura") not in set(zip(missing.terc, missing.sector, strict=True))
    assert len(missing) == 2 * len(vocab.SECTORS) - 1 - 3  # Alfa covers 1 sector, Beta 3


def test_a_sector_outside_the_vocabulary_is_still_shown(region):
    region.execute("UPDATE institution SET sector = 'wojsko' WHERE institution_id = 4")
    matrix = pzk.coverage_matrix(region, date(2026, 10, 1))
    assert matrix[(matrix.terc == B) & (matrix.sector == "wojsko")].members.item() == 1
    assert matrix[matrix.terc == B].sector.iloc[-1] == "wojsko"


def test_sector_counts_list_every_sector_even_empty_ones():
    counts = pzk.sector_counts(pd.DataFrame({"sector": ["ngo", "ngo", "zdrowie"]}))
    assert list(counts.sector) == list(vocab.SECTORS)
    assert counts.set_index("sector").members.to_dict() == {**dict.fromkeys(vocab.SECTORS, 0), "ngo": 2,
                                                            "zdrowie": 1}  # fmt: skip
    assert pzk.sector_counts(pd.DataFrame({"sector": []})).members.sum() == 0


def test_coverage_table_has_a_row_per_gmina_and_a_column_per_sector_in_polish(region):
    matrix = pzk.coverage_matrix(region, date(2026, 10, 1))
    table = pzk.coverage_table(matrix)
    assert list(table.Gmina) == ["Alfa", "Beta"]
    assert list(table.columns) == ["Gmina", "TERC", *vocab.SECTORS.values()]
    beta = matrix[matrix.terc == B].set_index("sector").members
    assert table.set_index("TERC").loc[B, vocab.SECTORS["ngo"]] == beta["ngo"]


def test_demo_events_and_notifications_of_a_gmina(demo_db):
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        terc = queries.list_pilot_gminy(conn).terc.iloc[0]
        events = queries.step_events(conn, terc)
        assert len(events) > 0 and set(events.event_kind) <= {"started", "completed"}
        assert events.event_on.is_monotonic_decreasing
        today = date(2026, 11, 24)
        notes = queries.zgloszenia(conn, terc, today)
        assert set(notes.terc) <= {terc}
        assert set(notes.contact_status) <= {"done", "done_late", "due", "overdue"}
    finally:
        conn.close()
