"""The warehouse: migrations, failed writes leaving nothing behind, audited versioned updates."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from kooperacja import warehouse
from kooperacja.model.errors import InvalidInput, StaleRecord, WarehouseUnavailable
from kooperacja.model.records import CaseFile, Gmina, Institution
from kooperacja.warehouse.store import insert, insert_many, update


def test_a_new_warehouse_is_at_the_latest_schema_version(conn):
    assert warehouse.schema_version(conn) == warehouse.LATEST_VERSION
    assert set(warehouse.table_counts(conn)) == set(warehouse.TABLES)


def test_opening_a_version_1_warehouse_upgrades_it_and_keeps_its_data(db_file):
    old = duckdb.connect(str(db_file))
    warehouse.migrate(old, target=1)
    old.execute("INSERT INTO gmina (terc, name, kind) VALUES ('0201012', 'Bolesławiec', 'miejska')")
    assert warehouse.schema_version(old) == 1
    old.close()

    upgraded = warehouse.connect(db_file)
    assert warehouse.schema_version(upgraded) == warehouse.LATEST_VERSION
    assert upgraded.execute("SELECT name FROM gmina").fetchall() == [("Bolesławiec",)]
    applied = upgraded.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    assert [v for (v,) in applied] == list(range(1, warehouse.LATEST_VERSION + 1))
    assert upgraded.execute("SELECT count(*) FROM case_file").fetchall() == [(0,)]


def test_a_write_that_fails_midway_leaves_the_warehouse_unchanged(conn):
    before = warehouse.table_counts(conn)
    good = Gmina.parse({"terc": "0201012", "name": "Bolesławiec", "kind": "miejska"})
    with pytest.raises(InvalidInput), warehouse.transaction(conn) as cur:
        insert(cur, "admin", good)
        insert(cur, "admin", good)  # duplicate key: the whole transaction goes
    assert warehouse.table_counts(conn) == before


def test_invalid_input_names_the_field_in_polish():
    with pytest.raises(InvalidInput) as err:
        Institution.parse({"name": "", "sector": "wojsko", "level": "gmina", "seat_terc": "12"})
    text = err.value.message
    assert "Nazwa instytucji: pole nie może być puste" in text
    assert "Sektor: dozwolone wartości" in text


@pytest.mark.parametrize("bad", ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(A1)", "a\x00b"])
def test_formula_and_control_characters_are_refused_in_text(bad):
    with pytest.raises(InvalidInput):
        Institution.parse({"name": bad, "sector": "ngo", "level": "gmina", "seat_terc": "0201012"})


@pytest.mark.parametrize("day", ["1899-12-31", "2099-01-01", "2026-02-30"])
def test_impossible_or_implausible_dates_are_refused(day):
    with pytest.raises(InvalidInput, match="Data zgłoszenia"):
        CaseFile.parse(
            {"case_code": "P-0201012-0001", "terc": "0201012", "kind": "rodzina", "referred_on": day}
        )


def test_personal_data_in_a_case_field_is_refused_naming_the_field():
    with pytest.raises(InvalidInput, match="Cel główny"):
        CaseFile.parse(
            {
                "case_code": "P-0201012-0001",
                "terc": "0201012",
                "kind": "rodzina",
                "referred_on": "2026-03-01",
                "main_goal": "Wsparcie, kontakt jan.kowalski@wp.pl",
            }
        )


def test_every_insert_and_update_is_audited_with_before_and_after(conn):
    with warehouse.transaction(conn) as cur:
        key = insert(
            cur,
            "admin",
            Institution.parse(
                {
                    "name": "GOPS w Gromadce",
                    "sector": "pomoc_spoleczna",
                    "level": "gmina",
                    "seat_terc": "0201032",
                }
            ),
        )
    with warehouse.transaction(conn) as cur:
        update(cur, "animator1", Institution, key, {"name": "Gminny Ośrodek Pomocy Społecznej w Gromadce"}, 1)
    log = conn.execute(
        "SELECT username, action, before->>'name', after->>'name' FROM audit_log "
        "WHERE table_name = 'institution' ORDER BY audit_id"
    ).fetchall()
    assert log == [
        ("admin", "insert", None, "GOPS w Gromadce"),
        ("animator1", "update", "GOPS w Gromadce", "Gminny Ośrodek Pomocy Społecznej w Gromadce"),
    ]


def test_a_second_save_of_a_stale_form_is_refused_naming_who_changed_it(conn):
    with warehouse.transaction(conn) as cur:
        key = insert(
            cur,
            "admin",
            Institution.parse(
                {"name": "PUP", "sector": "rynek_pracy", "level": "powiat", "seat_terc": "0201"}
            ),
        )
    with warehouse.transaction(conn) as cur:
        update(cur, "animator1", Institution, key, {"name": "Powiatowy Urząd Pracy"}, 1)
    with pytest.raises(StaleRecord, match="animator1"), warehouse.transaction(conn) as cur:
        update(cur, "animator2", Institution, key, {"name": "PUP w Bolesławcu"}, 1)
    assert conn.execute("SELECT name FROM institution").fetchall() == [("Powiatowy Urząd Pracy",)]


def test_bulk_insert_writes_all_rows_and_one_audit_row_each(conn):
    rows = [Gmina.parse({"terc": f"02010{i}2", "name": f"Gmina {i}", "kind": "wiejska"}) for i in range(1, 6)]
    with warehouse.transaction(conn) as cur:
        insert_many(cur, rows, "import")
    assert conn.execute("SELECT count(*) FROM gmina").fetchall() == [(5,)]
    assert conn.execute("SELECT count(*) FROM audit_log WHERE table_name = 'gmina'").fetchall() == [(5,)]


def test_a_file_that_is_not_a_warehouse_gives_a_polish_message(tmp_path):
    bad = tmp_path / "zly.duckdb"
    bad.write_bytes(b"to nie jest baza danych" * 100)
    with pytest.raises(WarehouseUnavailable, match=r"uszkodzony|nie jest"):
        warehouse.connect(bad)


def test_a_missing_warehouse_is_not_created_when_asked_not_to(tmp_path):
    with pytest.raises(WarehouseUnavailable, match="python -m kooperacja init"):
        warehouse.connect(tmp_path / "brak.duckdb", create=False)
    assert not (tmp_path / "brak.duckdb").exists()


def test_dates_are_stored_as_dates(conn):
    with warehouse.transaction(conn) as cur:
        insert(
            cur,
            "admin",
            Gmina.parse({"terc": "0201012", "name": "X", "kind": "miejska", "register_date": "2025-01-01"}),
        )
    assert conn.execute("SELECT register_date FROM gmina").fetchall() == [(date(2025, 1, 1),)]


def test_audit_rows_of_institutions_and_services_carry_their_territory(conn):
    inst = Institution.parse(
        {"name": "OPS", "sector": "pomoc_spoleczna", "level": "gmina", "seat_terc": "0201032"}
    )
    with warehouse.transaction(conn) as cur:
        insert(cur, "admin", inst)
        insert_many(cur, [inst.model_copy(update={"name": "Szkoła"})], "import")
    got = conn.execute("SELECT DISTINCT terc FROM audit_log WHERE table_name = 'institution'").fetchall()
    assert got == [("0201032",)]
