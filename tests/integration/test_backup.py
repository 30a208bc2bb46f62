"""Backups: a full snapshot restores to identical contents, verify finds damage, rotation keeps N."""

from __future__ import annotations

import json
import shutil
import zipfile

import duckdb
import pytest

from kooperacja import warehouse
from kooperacja.model.errors import KooperacjaError
from kooperacja.warehouse import backup


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    """A private copy of the session's demo warehouse, free to change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


@pytest.fixture
def backup_file(demo_copy, tmp_path):
    conn = warehouse.connect(demo_copy)
    try:
        backup.backup(conn, tmp_path / "kopia.zip")
    finally:
        conn.close()
    return tmp_path / "kopia.zip"


def differences(restored, original) -> dict[str, int]:
    """Rows of every table present in one file and not in the other (multiset difference both ways)."""
    conn = duckdb.connect(str(restored))
    conn.execute(f"ATTACH '{original}' AS orig (READ_ONLY)")
    found = {}
    for table in (*warehouse.TABLES, "schema_migrations"):
        extra = conn.execute(f"SELECT count(*) FROM (FROM {table} EXCEPT ALL FROM orig.{table})").fetchall()
        missing = conn.execute(f"SELECT count(*) FROM (FROM orig.{table} EXCEPT ALL FROM {table})").fetchall()
        if extra[0][0] or missing[0][0]:
            found[table] = extra[0][0] + missing[0][0]
    conn.close()
    return found


def test_restore_gives_identical_contents_of_every_table(backup_file, demo_copy, tmp_path):
    counts = backup.restore(backup_file, tmp_path / "odtworzona.duckdb")
    assert differences(tmp_path / "odtworzona.duckdb", demo_copy) == {}
    assert set(warehouse.TABLES) <= set(counts)
    assert counts["case_file"] > 0 and counts["audit_log"] > 0


def test_manifest_records_schema_version_and_counts(backup_file, demo_copy):
    manifest = backup.read_manifest(backup_file)
    conn = warehouse.connect(demo_copy, read_only=True)
    expected = warehouse.table_counts(conn)
    conn.close()
    assert manifest["schema_version"] == warehouse.LATEST_VERSION
    assert {t: manifest["counts"][t] for t in expected} == expected
    assert manifest["created_at"]


def next_keys(path) -> dict[str, int]:
    conn = duckdb.connect(str(path))
    names = [r[0] for r in conn.execute("SELECT sequence_name FROM duckdb_sequences()").fetchall()]
    keys = {name: conn.execute(f"SELECT nextval('{name}')").fetchall()[0][0] for name in names}
    conn.close()
    return keys


def test_sequences_continue_where_the_original_stopped(backup_file, demo_copy, tmp_path):
    target = tmp_path / "odtworzona.duckdb"
    backup.restore(backup_file, target)
    restored, original = next_keys(target), next_keys(demo_copy)
    assert restored == original
    assert restored["audit_seq"] > 1 and restored["institution_seq"] > 1


def test_inserts_after_restore_do_not_collide_with_restored_keys(backup_file, tmp_path):
    target = tmp_path / "odtworzona.duckdb"
    backup.restore(backup_file, target)
    conn = warehouse.connect(target)
    with warehouse.transaction(conn) as cur:
        cur.execute(
            "INSERT INTO institution (name, sector, level, seat_terc) VALUES ('Nowa', 'ngo', 'region', '02')"
        )
        cur.execute("INSERT INTO meeting (kind, held_on) VALUES ('wzk', DATE '2026-01-15')")
        warehouse.audit(cur, "anna", "insert", "institution", "x", None, {"name": "Nowa"})
    assert conn.execute("SELECT count(*) FROM institution WHERE name = 'Nowa'").fetchall()[0][0] == 1
    conn.close()


def test_backup_is_a_consistent_snapshot_without_uncommitted_writes(demo_copy, tmp_path):
    conn = warehouse.connect(demo_copy)
    other = conn.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("INSERT INTO settings VALUES ('niezatwierdzone', 'x')")
    manifest = backup.backup(conn, tmp_path / "kopia.zip")
    other.execute("ROLLBACK")
    settings = conn.execute("SELECT count(*) FROM settings").fetchall()[0][0]
    conn.close()
    assert manifest["counts"]["settings"] == settings


def test_restore_refuses_to_overwrite_an_existing_warehouse(backup_file, demo_copy):
    before = demo_copy.read_bytes()
    with pytest.raises(backup.BackupError, match="już istnieje"):
        backup.restore(backup_file, demo_copy)
    assert demo_copy.read_bytes() == before


def test_restore_with_force_replaces_the_warehouse(backup_file, tmp_path):
    target = tmp_path / "inna.duckdb"
    conn = warehouse.connect(target)
    conn.execute("INSERT INTO settings VALUES ('tylko_tu', 'x')")
    conn.close()
    backup.restore(backup_file, target, force=True)
    conn = warehouse.connect(target)
    assert warehouse.get_setting(conn, "tylko_tu") is None
    assert warehouse.get_setting(conn, "demo") == "true"
    conn.close()


def test_verify_accepts_a_good_backup(backup_file):
    assert backup.verify(backup_file) == []


def test_verify_catches_a_truncated_backup(backup_file, tmp_path):
    cut = tmp_path / "ucieta.zip"
    data = backup_file.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    problems = backup.verify(cut)
    assert problems and "uszkodzony" in problems[0]


def test_verify_catches_corrupted_table_data(backup_file, tmp_path):
    damaged = tmp_path / "uszkodzona.zip"
    data = bytearray(backup_file.read_bytes())
    with zipfile.ZipFile(backup_file) as zf:
        info = zf.getinfo("case_file.parquet")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[start : start + 40] = bytes(40)
    damaged.write_bytes(bytes(data))
    problems = backup.verify(damaged)
    assert problems and "uszkodzona" in problems[0]


def test_verify_catches_counts_that_differ_from_the_manifest(backup_file, tmp_path):
    forged = tmp_path / "inna.zip"
    with zipfile.ZipFile(backup_file) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == backup.MANIFEST:
                manifest = json.loads(content)
                manifest["counts"]["gmina"] += 1
                content = json.dumps(manifest).encode()
            dst.writestr(item, content)
    problems = backup.verify(forged)
    assert len(problems) == 1 and problems[0].startswith("Tabela gmina")


def test_verify_rejects_a_file_that_is_not_a_backup(tmp_path):
    other = tmp_path / "notatki.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("notatki.txt", "nic")
    assert "nie jest kopią zapasową" in backup.verify(other)[0]
    assert "Nie ma pliku" in backup.verify(tmp_path / "brak.zip")[0]


def test_restore_refuses_schema_sql_that_is_not_create(backup_file, tmp_path):
    evil = tmp_path / "zla.zip"
    with zipfile.ZipFile(backup_file) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "schema.sql":
                content += b"\nCOPY (SELECT 1) TO '/tmp/kooperacja-evil.csv';\n"
            dst.writestr(item, content)
    with pytest.raises(KooperacjaError, match="inne niż CREATE"):
        backup.restore(evil, tmp_path / "x.duckdb")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("x.")) == []


def rezip(source, target, change) -> None:
    """A copy of the backup `source` at `target`, each member's bytes passed through change(name, bytes)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, change(item.filename, src.read(item.filename)))


def with_schema(source, target, extra: str) -> None:
    rezip(source, target, lambda name, data: data + extra.encode() if name == "schema.sql" else data)


def test_a_backup_with_a_macro_is_refused_by_verify_and_restore_naming_it(backup_file, demo_copy, tmp_path):
    evil = tmp_path / "makro.zip"
    with_schema(backup_file, evil, "\nCREATE MACRO lower(x) AS 'zawsze to samo';\n")
    problems = backup.verify(evil)
    assert len(problems) == 1 and problems[0].startswith("Kopia zawiera nieoczekiwany obiekt: MACRO lower")
    before = demo_copy.read_bytes()
    with pytest.raises(backup.BackupError, match="nieoczekiwany obiekt: MACRO lower"):
        backup.restore(evil, demo_copy, force=True)
    assert demo_copy.read_bytes() == before  # nothing touched: not even opened
    assert not list(tmp_path.glob("demo.duckdb.*"))


@pytest.mark.parametrize(
    ("extra", "found"),
    [
        ("CREATE OR REPLACE FUNCTION upper(x) AS x;", "nieoczekiwany obiekt: FUNCTION upper"),
        ("CREATE TEMP MACRO lower(x) AS x;", "nieoczekiwany obiekt: MACRO lower"),
        ("CREATE VIEW widok AS SELECT * FROM app_user;", "nieoczekiwany obiekt: VIEW widok"),
        ("CREATE TABLE obca(a INTEGER);", "nieoczekiwany obiekt: TABLE obca"),
        ('CREATE TABLE "Obca"(a INTEGER);', "nieoczekiwany obiekt: TABLE obca"),
        ("CREATE TYPE nastroj AS ENUM ('a', 'b');", "nieoczekiwany obiekt: TYPE nastroj"),
        ("CREATE SEQUENCE obca_seq;", "nieoczekiwany obiekt: SEQUENCE obca_seq"),
        ("CREATE INDEX ix ON settings(value);", "nieoczekiwany obiekt: INDEX ix"),
        ("CREATE SCHEMA inny;", "nieoczekiwany obiekt: SCHEMA inny"),
        ("CREATE TABLE main.obca(a INTEGER);", "nieoczekiwany obiekt: TABLE main.obca"),
        ("/* komentarz */ CREATE MACRO lower(x) AS x; -- tu też", "nieoczekiwany obiekt: MACRO lower"),
    ],
)
def test_a_schema_with_anything_but_the_migrations_objects_is_refused(backup_file, tmp_path, extra, found):
    evil = tmp_path / "zla.zip"
    with_schema(backup_file, evil, "\n" + extra + "\n")
    problems = backup.verify(evil)
    assert len(problems) == 1 and found in problems[0], problems
    with pytest.raises(backup.BackupError, match=found):
        backup.restore(evil, tmp_path / "x.duckdb")
    assert not list(tmp_path.glob("x.duckdb*"))


@pytest.mark.parametrize(
    ("table", "statement"),
    [
        ("settings", "CREATE TABLE IF NOT EXISTS settings(a INTEGER);"),
        ("settings", "CREATE OR REPLACE TABLE settings(a INTEGER);"),
        ("gmina_boundary", "CREATE TABLE gmina_boundary AS SELECT 1 AS a;"),
    ],
)
def test_a_known_table_created_in_another_form_is_refused(backup_file, tmp_path, table, statement):
    def change(name, data):
        if name != "schema.sql":
            return data
        lines = [line for line in data.decode().splitlines() if not line.startswith(f"CREATE TABLE {table}(")]
        return "\n".join([*lines, statement, ""]).encode()

    evil = tmp_path / "zla.zip"
    rezip(backup_file, evil, change)
    problems = backup.verify(evil)
    assert len(problems) == 1 and "nieoczekiwane polecenie" in problems[0], problems


def test_a_manifest_copying_into_an_unknown_table_is_refused(backup_file, tmp_path):
    def change(name, data):
        if name != backup.MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["files"]["obca"] = manifest["files"].pop("settings")
        return json.dumps(manifest).encode()

    evil = tmp_path / "obca.zip"
    rezip(backup_file, evil, change)
    assert backup.verify(evil)[0].startswith("Kopia zawiera nieoczekiwany obiekt: TABLE obca")


def test_a_load_sql_with_anything_but_copy_of_a_known_table_is_refused(backup_file, tmp_path):
    good = "COPY settings FROM 'settings.parquet' (FORMAT 'parquet');\n"
    for load, found in [
        (good, None),
        (good + "COPY (SELECT 1) TO 'x.csv';\n", "nieoczekiwane polecenie"),
        (good + "CREATE MACRO lower(x) AS x;\n", "nieoczekiwane polecenie"),
        ("COPY obca FROM 'settings.parquet' (FORMAT 'parquet');\n", "nieoczekiwany obiekt: TABLE obca"),
        ("COPY settings FROM '/etc/passwd' (FORMAT 'parquet');\n", "nieznanego pliku"),
    ]:
        with_load = tmp_path / "z-load.zip"
        with zipfile.ZipFile(backup_file) as src, zipfile.ZipFile(with_load, "w") as dst:
            for item in src.infolist():
                dst.writestr(item, src.read(item.filename))
            dst.writestr("load.sql", load)
        problems = backup.verify(with_load)
        if found is None:
            assert problems == []
        else:
            assert len(problems) == 1 and found in problems[0], (load, problems)


def test_the_catalog_after_the_schema_holds_only_the_migrations_objects(tmp_path):
    conn = duckdb.connect(str(tmp_path / "k.duckdb"))
    warehouse.migrate(conn)
    backup._check_catalog(conn)  # the migrations' own objects pass
    conn.execute("CREATE MACRO lower(x) AS 'cień'")
    with pytest.raises(backup.BackupError, match="nieoczekiwany obiekt: MACRO lower"):
        backup._check_catalog(conn)
    conn.close()


def test_the_expected_objects_are_those_of_the_migrations():
    expected = backup.expected_objects()
    assert set(warehouse.TABLES) | {"schema_migrations"} == expected["TABLE"]
    assert "audit_seq" in expected["SEQUENCE"]
    assert not expected["MACRO"] and not expected["TYPE"] and not expected["VIEW"]


def backup_named(conn, folder, name, kind):
    backup.backup(conn, folder / name, kind)
    return folder / name


def as_earlier_version(path):
    """The backup at `path` rewritten as an earlier version wrote it: no "kind" or "made_by"."""
    old = path.with_name("stara.tmp")

    def change(name, data):
        if name != backup.MANIFEST:
            return data
        manifest = json.loads(data)
        del manifest["kind"], manifest["made_by"]
        return json.dumps(manifest).encode()

    rezip(path, old, change)
    old.replace(path)
    return path


def test_rotation_deletes_only_the_apps_own_backups_of_that_kind(conn, tmp_path):
    folder = tmp_path / "kopie"
    folder.mkdir()
    days = [backup_named(conn, folder, f"kooperacja-daily-2026-11-0{d}.zip", backup.DAILY) for d in (1, 2, 3)]
    manual = backup_named(conn, folder, "kooperacja-manual-2026-10-01-120000.zip", backup.MANUAL)
    foreign = {
        "notes.zip": b"notatki",
        "kooperacja-2026-11-01.zip": b"nie kopia",  # a loosely matching name without our manifest
        "kooperacja-daily-2026-10-01.zip": b"nie kopia",  # our name, no manifest
        "kooperacja-daily-2026-10-02 (kopia).zip": days[0].read_bytes(),  # a user's renamed copy
        "kooperacja-daily-2026-10-03.zip": manual.read_bytes(),  # a manual backup renamed daily
        "kooperacja-2026-10-04-0200.zip": days[0].read_bytes(),  # a new backup under an old name
    }
    for name, data in foreign.items():
        (folder / name).write_bytes(data)
    removed = backup.rotate(folder, 1, backup.DAILY)
    assert sorted(p.name for p in removed) == [days[0].name, days[1].name]
    left = {p.name for p in folder.iterdir()}
    assert left == {days[2].name, manual.name, *foreign}
    assert backup.rotate(folder, 1, backup.MANUAL) == [] and backup.rotate(folder, 1, backup.LEGACY) == []
    assert {p.name for p in folder.iterdir()} == left


def test_backups_of_earlier_versions_are_recognised_restorable_and_rotated_only_as_such(conn, tmp_path):
    folder = tmp_path / "kopie"
    folder.mkdir()
    old = [as_earlier_version(backup_named(conn, folder, f"kooperacja-2026-10-0{d}-0200.zip", backup.MANUAL))
           for d in (1, 2)]  # fmt: skip
    daily = backup_named(conn, folder, "kooperacja-daily-2026-11-01.zip", backup.DAILY)
    assert [(f.path.name, f.kind) for f in backup.found_in(folder)] == [
        (daily.name, backup.DAILY), (old[1].name, backup.LEGACY), (old[0].name, backup.LEGACY)
    ]  # fmt: skip
    assert backup.verify(old[0]) == []
    backup.restore(old[0], tmp_path / "z-dawnej.duckdb")
    assert backup.rotate(folder, 1, backup.DAILY) == [] and backup.rotate(folder, 1, backup.MANUAL) == []
    assert backup.rotate(folder, 1, backup.LEGACY) == [old[0]]
    assert sorted(p.name for p in folder.iterdir()) == [old[1].name, daily.name]


def test_the_manifest_says_kooperacja_made_it_and_of_which_kind(backup_file, conn, tmp_path):
    assert backup.read_manifest(backup_file)["made_by"] == "Kooperacja"
    assert backup.read_manifest(backup_file)["kind"] == backup.MANUAL
    daily = backup_named(conn, tmp_path, backup.daily_name(), backup.DAILY)
    assert backup.read_manifest(daily)["kind"] == backup.DAILY
    assert backup.recognise(daily).kind == backup.DAILY
