"""Importing the TERC register into a warehouse: upserts, renumbered gminy, real GUS files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kooperacja.model.errors import InvalidInput
from kooperacja.territory import terc as territory
from kooperacja.territory.terc import TERC_REFERENCES, import_terc

ROOT = Path(__file__).resolve().parents[2]
TESTS_TERYT = ROOT / "tests" / "data" / "teryt"
CSV_2024 = TESTS_TERYT / "TERC_Urzedowy_2024-01-01.csv"
CSV_2025 = ROOT / "kooperacja" / "data" / "teryt" / "TERC_Urzedowy_2025-01-01.csv"  # the shipped copy
XML_2025 = TESTS_TERYT / "TERC_Urzedowy_2025-01-01.xml"

BASE = [
    "02;;;;DOLNOŚLĄSKIE;województwo;2024-01-01",
    "02;23;;;wrocławski;powiat;2024-01-01",
    "02;23;05;2;Kąty Wrocławskie;gmina wiejska;2024-01-01",
    "02;23;15;2;Żórawina;gmina wiejska;2024-01-01",
    "02;64;;;Wrocław;miasto na prawach powiatu;2024-01-01",
    "02;64;01;1;Wrocław;gmina miejska;2024-01-01",
]


def register(rows: list[str]) -> bytes:
    return ("\r\n".join(["WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA", *rows]) + "\r\n").encode("utf-8-sig")


def newer(rows: list[str], old: str, new: str) -> list[str]:
    return [new if r == old else r.replace("2024-01-01", "2025-01-01") for r in rows]


def one(conn, sql: str, params: list | None = None):
    return conn.execute(sql, params or []).fetchall()[0][0]


def refer_to(conn, terc: str) -> None:
    """One row pointing at `terc` in every table that holds a gmina's TERC."""
    conn.execute(f"""
        INSERT INTO pilot_gmina (terc, joined_on, animator, variant, template_id, template_version, plan_start)
            VALUES ('{terc}', DATE '2024-03-01', 'anna', 'rural', 1, 1, DATE '2024-04-01');
        INSERT INTO plan_shift (terc, days, reason, shifted_on) VALUES ('{terc}', 30, 'wybory', DATE '2024-05-01');
        INSERT INTO pilot_exit (terc, joined_on, animator, variant, template_id, template_version, plan_start,
                                left_on, reason, recorded_by)
            VALUES ('{terc}', DATE '2023-01-01', 'anna', 'rural', 1, 1, DATE '2023-02-01', DATE '2023-12-31',
                    'rezygnacja', 'admin');
        INSERT INTO step_event (terc, substep, kind, event_on, recorded_by)
            VALUES ('{terc}', '2.4', 'completed', DATE '2024-04-02', 'anna');
        INSERT INTO zgloszenie (terc, route, received_on) VALUES ('{terc}', 'rops', DATE '2024-03-01');
        INSERT INTO institution (institution_id, name, sector, level, seat_terc)
            VALUES (1, 'GOPS', 'pomoc_spoleczna', 'gmina', '{terc}');
        INSERT INTO pzk_member (terc, institution_id, signed_on) VALUES ('{terc}', 1, DATE '2024-06-01');
        INSERT INTO meeting (kind, terc, held_on) VALUES ('pzk', '{terc}', DATE '2024-06-01');
        INSERT INTO case_file (case_code, terc, kind, referred_on)
            VALUES ('P-{terc}-0001', '{terc}', 'rodzina', DATE '2024-07-01');
        INSERT INTO service (institution_id, name, category, target_groups, problem_areas, level, area_terc,
                             valid_from)
            VALUES (1, 'Poradnictwo', 'poradnictwo', ['rodziny'], ['ubostwo'], 'gmina', '{terc}', DATE '2024-01-01');
    """)  # noqa: E501


def test_import_writes_wojewodztwa_powiaty_and_gminy(conn):
    summary = import_terc(conn, register(BASE), None, "anna")
    assert (summary.wojewodztwa, summary.powiaty, summary.new) == (1, 2, 3)
    assert summary.gminy_by_kind == {"wiejska": 2, "miejska": 1}
    assert conn.execute("SELECT terc, is_city FROM powiat ORDER BY terc").fetchall() == [
        ("0223", False),
        ("0264", True),
    ]
    assert one(conn, "SELECT name FROM gmina WHERE terc = '0223152'") == "Żórawina"
    assert one(conn, "SELECT count(*) FROM audit_log WHERE table_name = 'gmina' AND action = 'insert'") == 3
    assert "Nowe gminy: 3" in summary.lines()


def test_reimporting_the_same_register_changes_nothing(conn):
    import_terc(conn, register(BASE), None, "anna")
    audited = one(conn, "SELECT count(*) FROM audit_log")
    summary = import_terc(conn, register(BASE), None, "anna")
    assert (summary.new, summary.renamed, summary.type_changed, summary.absent) == (0, 0, 0, [])
    assert one(conn, "SELECT count(*) FROM audit_log") == audited


def test_gmina_whose_type_changed_keeps_every_row_under_its_new_terc(conn):
    import_terc(conn, register(BASE), None, "anna")
    conn.execute("UPDATE gmina SET population = 12000, variant_override = 'urban' WHERE terc = '0223052'")
    refer_to(conn, "0223052")
    rows = newer(BASE, BASE[2], "02;23;05;3;Kąty Wrocławskie;gmina miejsko-wiejska;2025-01-01")

    summary = import_terc(conn, register(rows), None, "anna")

    assert summary.type_changed == 1
    assert summary.changes == ["Kąty Wrocławskie: 0223052 → 0223053 (miejsko-wiejska)"]
    assert conn.execute(
        "SELECT kind, population, variant_override FROM gmina WHERE terc = '0223053'"
    ).fetchall() == [("miejsko-wiejska", 12000, "urban")]
    assert one(conn, "SELECT count(*) FROM gmina WHERE terc = '0223052'") == 0
    for table, column in TERC_REFERENCES:
        assert one(conn, f"SELECT list({column}) FROM {table}") == ["0223053"], table
    assert one(conn, "SELECT case_code FROM case_file") == "P-0223052-0001"  # codes are opaque
    audited = conn.execute("SELECT table_name FROM audit_log WHERE action = 'update' ORDER BY 1").fetchall()
    assert {t for (t,) in audited} == {"gmina"} | {t for t, _ in TERC_REFERENCES}


def test_renamed_gmina_is_updated_and_reported(conn):
    import_terc(conn, register(BASE), None, "anna")
    rows = newer(BASE, BASE[3], "02;23;15;2;Żórawina Nowa;gmina wiejska;2025-01-01")
    summary = import_terc(conn, register(rows), None, "anna")
    assert (summary.renamed, summary.type_changed, summary.new) == (1, 0, 0)
    assert one(conn, "SELECT name FROM gmina WHERE terc = '0223152'") == "Żórawina Nowa"
    assert (
        one(conn, "SELECT before->>'name' FROM audit_log WHERE record_key = '0223152' AND action = 'update'")
        == "Żórawina"
    )


def test_gmina_missing_from_the_new_register_is_kept_and_reported(conn):
    import_terc(conn, register(BASE), None, "anna")
    summary = import_terc(conn, register([r for r in BASE if "Żórawina" not in r]), None, "anna")
    assert summary.absent == ["0223152 Żórawina"]
    assert one(conn, "SELECT count(*) FROM gmina") == 3
    assert any("nieobecne" in line for line in summary.lines())


def test_import_of_one_wojewodztwo_reports_absence_only_within_it(conn):
    other = [
        "04;;;;KUJAWSKO-POMORSKIE;województwo;2024-01-01",
        "04;01;;;aleksandrowski;powiat;2024-01-01",
        "04;01;01;1;Aleksandrów Kujawski;gmina miejska;2024-01-01",
    ]
    import_terc(conn, register([*BASE, *other]), None, "anna")
    summary = import_terc(conn, register(BASE), "02", "anna")
    assert summary.absent == []
    assert one(conn, "SELECT count(*) FROM gmina") == 4


def test_failed_import_leaves_the_warehouse_unchanged(conn, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("dysk pełny")

    monkeypatch.setattr(territory, "_write_gminy", broken)
    with pytest.raises(RuntimeError):
        import_terc(conn, register(BASE), None, "anna")
    assert one(conn, "SELECT count(*) FROM wojewodztwo") == 0
    assert one(conn, "SELECT count(*) FROM audit_log") == 0


def test_bad_register_writes_nothing(conn):
    with pytest.raises(InvalidInput):
        import_terc(conn, register([*BASE, "02;23;16;7;Zła;gmina;2024-01-01"]), None, "anna")
    assert one(conn, "SELECT count(*) FROM gmina") == 0


@pytest.mark.parametrize("path", [CSV_2025, XML_2025], ids=["csv", "xml"])
def test_real_register_2025_imports_the_whole_country_quickly(conn, path):
    started = time.perf_counter()
    summary = import_terc(conn, path.read_bytes(), None, "anna")
    assert time.perf_counter() - started < 5  # ~1 s alone; the suite runs it beside a browser
    assert (summary.wojewodztwa, summary.powiaty) == (16, 380)
    assert summary.gminy_by_kind == {"miejska": 302, "wiejska": 1459, "miejsko-wiejska": 718}
    assert one(conn, "SELECT count(*) FROM gmina") == 2479
    assert one(conn, "SELECT count(*) FROM powiat WHERE is_city") == 66


def test_real_registers_2024_then_2025_report_the_type_changes(conn):
    import_terc(conn, CSV_2024.read_bytes(), None, "anna")
    refer_to(conn, "0614052")  # Końskowola became miejsko-wiejska in 2024
    summary = import_terc(conn, CSV_2025.read_bytes(), None, "anna")
    assert (summary.new, summary.type_changed, summary.renamed, summary.absent) == (2, 7, 0, [])
    assert "Końskowola: 0614052 → 0614053 (miejsko-wiejska)" in summary.changes
    assert one(conn, "SELECT terc FROM pilot_gmina") == "0614053"
    assert one(conn, "SELECT count(*) FROM gmina") == 2479
