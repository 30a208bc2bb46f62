"""Registry import/export: good, malformed and mixed files, the round trip, limits and the audit trail."""

from __future__ import annotations

import functools
import io
import random
import shutil
import time
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest

from kooperacja import warehouse
from kooperacja.cli import main
from kooperacja.exchange import workbook as exchange
from kooperacja.exchange.mapping import REGISTRIES
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput
from tests.hostile.files import edit_sheet, repack, with_shared_strings, xlsx_bytes, zip_bytes

ADMIN = Actor("admin", "admin")
SETUP_TABLES = (
    "wojewodztwo",
    "powiat",
    "gmina",
    "template",
    "template_step",
    "pilot_powiat",
    "pilot_gmina",
    "app_user",
    "problem_area",
)
INSTITUTION_HEADERS = ["Nazwa instytucji", "Sektor", "Poziom", "Siedziba (TERC)"]
EVENT_HEADERS = ["Kod TERC gminy", "Podkrok", "Zdarzenie", "Data", "Wpisał(a)", "Uwagi"]
GMINA = "3401011"  # a pilot gmina of animator1 in the demo region
DEMO_TODAY = date(2026, 11, 24)  # the demo's pinned today: a later event would be in the future


@pytest.fixture
def wh(demo_conn):
    return demo_conn


@pytest.fixture
def empty_wh(demo_db, tmp_path):
    """A new installation: the TERC register, pilot gminy, templates and users, no registry rows."""
    conn = warehouse.connect(tmp_path / "empty.duckdb")
    conn.execute(f"ATTACH '{demo_db}' AS demo (READ_ONLY)")
    for table in SETUP_TABLES:
        conn.execute(f"INSERT INTO {table} SELECT * FROM demo.{table}")
    conn.execute("DETACH demo")
    yield conn
    conn.close()


def _csv(headers: list[str], rows: list[list[object]], sep: str = ";", encoding: str = "utf-8") -> bytes:
    lines = [sep.join(headers)] + [sep.join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def _count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def _import(
    conn, data: bytes, name: str = "plik.csv", table: str | None = None, mode="all_or_nothing", actor=ADMIN
):
    return exchange.apply_import(conn, actor, exchange.parse_file(data, name, table), mode)


def test_good_csv_of_new_institutions_is_written_with_fresh_keys_and_audited(wh):
    before = wh.execute("SELECT max(institution_id) FROM institution").fetchall()[0][0]
    data = _csv(
        INSTITUTION_HEADERS,
        [["Klub Seniora", "ngo", "gmina", GMINA], ["Poradnia Rodzinna", "zdrowie", "powiat", GMINA[:4]]],
        encoding="cp1250",
    )
    result = _import(wh, data, table="institution")
    assert result.written == {"institution": 2} and not result.errors
    rows = wh.execute(
        "SELECT institution_id, name FROM institution WHERE institution_id > ? ORDER BY 1", [before]
    ).fetchall()
    assert [r[1] for r in rows] == ["Klub Seniora", "Poradnia Rodzinna"]
    log = wh.execute(
        "SELECT username, action, record_key, after->>'name' FROM audit_log "
        "WHERE table_name = 'institution' ORDER BY audit_id DESC LIMIT 2"
    ).fetchall()
    assert {(u, a, k, n) for u, a, k, n in log} == {("admin", "insert", str(i), n) for i, n in rows}


BAD_FILES = {
    "empty": (b"", "plik.xlsx", "pusty"),
    "headers only": (_csv(INSTITUTION_HEADERS, []), "plik.csv", "nie zawiera żadnych wierszy"),
    "wrong headers": (_csv(["Nazwa instytucji", "Kolor"], [["A", "zielony"]]), "plik.csv", "Kolor"),
    "png named xlsx": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "plik.xlsx", "nie jest arkuszem"),
    "random bytes": (random.Random(4).randbytes(5000), "plik.xlsx", "nie jest arkuszem"),
    "old xls": (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600), "plik.xls", ".xls"),
    "broken zip": (b"PK\x03\x04" + bytes(300), "plik.xlsx", "nie jest arkuszem"),
    "over 20 MB": (b"a;b\n" * (5_300_000), "plik.csv", "limit"),
}


@pytest.mark.parametrize("data, name, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_malformed_files_are_refused_as_a_whole_with_a_polish_reason(data, name, message):
    with pytest.raises(InvalidInput) as exc:
        exchange.parse_file(data, name, "institution" if name.endswith("csv") else None)
    assert message in exc.value.message


def test_missing_headers_are_named():
    data = _csv(["Nazwa instytucji", "Sektor"], [["A", "ngo"]])
    with pytest.raises(InvalidInput, match="brak kolumn: Poziom, Siedziba \\(TERC\\)"):
        exchange.parse_file(data, "plik.csv", "institution")


def test_a_sheet_with_an_unknown_name_is_refused():
    wb = openpyxl.Workbook()
    wb.active.title = "Arkusz1"
    wb.active.append(["Coś", "innego"])  # an empty extra sheet is ignored, one with data is not
    wb.create_sheet("Instytucje").append(INSTITUTION_HEADERS)
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(InvalidInput, match="Nieznany arkusz „Arkusz1”"):
        exchange.parse_file(buffer.getvalue(), "plik.xlsx")


def _declare_huge(xlsx: bytes, member: bytes = b"xl/worksheets/sheet1.xml") -> bytes:
    """The same XLSX whose zip directory says the sheet unpacks to 3 GB."""
    data = bytearray(xlsx)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        length = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + length] == member:
            data[pos + 24 : pos + 28] = (3_000_000_000).to_bytes(4, "little")
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(wh, monkeypatch):
    bomb = _declare_huge(exchange.export_registries(wh, ["institution"]))

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(exchange._Reader, "read", never)
    with pytest.raises(InvalidInput, match="po rozpakowaniu"):
        exchange.parse_file(bomb, "bomba.xlsx")


ROW_ERRORS = {
    "impossible date": (
        [GMINA, "5.1", "started", "30.02.2026", "admin", None],
        "Data",
        "nie ma takiego dnia: 30.02.2026",
    ),
    "not a date": ([GMINA, "5.1", "started", "jutro", "admin", None], "Data", "niepoprawna data „jutro”"),
    "unknown terc": (
        ["3499991", "5.1", "started", "01.02.2026", "admin", None],
        "Kod TERC gminy",
        "nie uczestniczy w pilotażu",
    ),
    "bad kind": ([GMINA, "5.1", "koniec", "01.02.2026", "admin", None], "Zdarzenie", "dozwolone wartości"),
    "formula": ([GMINA, "5.1", "started", "2026-02-01", "admin", "=HYPERLINK(1)"], "Uwagi", "formuły"),
}


@pytest.mark.parametrize("row, column, reason", ROW_ERRORS.values(), ids=ROW_ERRORS.keys())
def test_a_bad_row_is_reported_with_its_column_value_and_reason(wh, row, column, reason):
    good = [GMINA, "5.2", "completed", "01.02.2026", "admin", "protokół"]
    parsed = exchange.check_import(wh, ADMIN, exchange.parse_file(_csv(EVENT_HEADERS, [good, row]), "z.csv"))
    assert [(e.sheet, e.row, e.column) for e in parsed.errors] == [("Zdarzenia kroków", 3, column)]
    assert reason in parsed.errors[0].reason
    report = parsed.report()
    assert list(report.columns) == ["Arkusz", "Wiersz", "Kolumna", "Wartość", "Powód"]
    assert report.iloc[0]["Wiersz"] == 3 and "poprawnych wierszy: 1 z 2" in report.iloc[-1]["Powód"]


def test_a_key_twice_in_the_file_is_a_row_error_and_a_stored_key_an_update(wh):
    taken = wh.execute("SELECT max(institution_id) FROM institution").fetchall()[0][0]
    headers = ["ID instytucji", *INSTITUTION_HEADERS]
    rows = [
        [9001, "A", "ngo", "gmina", GMINA],
        [9001, "B", "ngo", "gmina", GMINA],
        [taken, "C", "ngo", "gmina", GMINA],
    ]
    parsed = exchange.check_import(wh, ADMIN, exchange.parse_file(_csv(headers, rows), "i.csv"))
    found = {(e.row, e.reason) for e in parsed.errors}
    assert found == {(3, "powtórzony w pliku (pierwszy raz w wierszu 2)")}
    [update] = parsed.plans["Instytucje"].updates
    assert update.row.row == 4 and ("Nazwa instytucji", "C") in {(c.column, c.after) for c in update.changes}


def test_unknown_institution_in_a_pzk_row_is_a_row_error(wh):
    data = _csv(["Kod TERC gminy", "Instytucja", "Data podpisania"], [[GMINA, 987654, "01.03.2026"]])
    parsed = exchange.check_import(wh, ADMIN, exchange.parse_file(data, "p.csv"))
    assert [(e.column, e.reason) for e in parsed.errors] == [("Instytucja", "nie ma instytucji nr 987654")]


def test_mixed_file_writes_nothing_unless_valid_rows_are_chosen_explicitly(wh):
    rows = [
        [GMINA, "5.1", "started", "01.02.2026", "admin", "dobry"],
        [GMINA, "5.1", "started", "31.04.2026", "admin", "zły"],
        [GMINA, "5.2", "started", "02.02.2026", "admin", "dobry"],
    ]
    data = _csv(EVENT_HEADERS, rows)
    events, audits = _count(wh, "step_event"), _count(wh, "audit_log")
    result = _import(wh, data)
    assert result.total_written == 0 and len(result.errors) == 1
    assert (_count(wh, "step_event"), _count(wh, "audit_log")) == (events, audits)
    result = _import(wh, data, mode="valid_only")
    assert result.written == {"step_event": 2}
    assert _count(wh, "step_event") == events + 2 and _count(wh, "audit_log") == audits + 2


def test_an_animator_imports_only_rows_of_their_gminy(wh):
    gminy = frozenset(
        r[0] for r in wh.execute("SELECT terc FROM pilot_gmina WHERE animator = 'animator1'").fetchall()
    )
    other = wh.execute("SELECT terc FROM pilot_gmina WHERE animator = 'animator2' LIMIT 1").fetchall()[0][0]
    rows = [
        [GMINA, "5.1", "started", "01.02.2026", "animator1", None],
        [other, "5.1", "started", "01.02.2026", "animator1", None],
    ]
    result = _import(wh, _csv(EVENT_HEADERS, rows), actor=Actor("animator1", "animator", gminy))
    assert result.total_written == 0 and [e.row for e in result.errors] == [3]
    assert "brak uprawnień" in result.errors[0].reason
    with pytest.raises(AccessDenied):
        _import(wh, _csv(EVENT_HEADERS, rows[:1]), actor=Actor("wzk", "wzk"))


USERS_ACTS = {"pilot_exit", "zgloszenie_assignment", "alert_explanation"}


def _tables(conn) -> dict[str, pd.DataFrame]:
    return {t: exchange.registry_frame(conn, t) for t in REGISTRIES}


def test_export_then_import_into_an_empty_warehouse_reproduces_every_registry(wh, empty_wh):
    data = exchange.export_registries(wh)
    result = _import(empty_wh, data, "rejestry.xlsx")
    assert not result.errors
    original, copied = _tables(wh), _tables(empty_wh)
    for table in REGISTRIES:
        # the users' own acts, which the fictional demo leaves to its users (the default demo has them)
        assert len(original[table]) > 0 or table in USERS_ACTS, table
        pd.testing.assert_frame_equal(original[table], copied[table], obj=table)
    for table in ("case_problem", "institution", "step_event"):
        assert _count(empty_wh, table) == _count(wh, table)
    # Sequences moved past the imported keys: the next form gets a fresh key.
    top = empty_wh.execute("SELECT max(institution_id) FROM institution").fetchall()[0][0]
    assert empty_wh.execute("SELECT nextval('institution_seq')").fetchall()[0][0] == top + 1


def test_the_export_has_polish_headers_real_dates_and_never_a_formula(wh):
    wh.execute("UPDATE step_event SET note = '= 1+1', evidence = '@ ROPS' WHERE event_id = 1")
    wb = openpyxl.load_workbook(io.BytesIO(exchange.export_registries(wh, ["step_event"])))
    ws = wb["Zdarzenia kroków"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["ID zdarzenia", "Kod TERC gminy", "Podkrok"]
    row = {h: c for h, c in zip(headers, ws[2], strict=True)}
    assert row["Uwagi"].value == "= 1+1" and row["Uwagi"].data_type == "s"
    assert row["Dokument (protokół, porozumienie)"].data_type == "s"
    assert row["Data"].is_date and row["Data"].number_format == "DD.MM.YYYY"


def test_ten_thousand_rows_import_in_seconds_with_progress(wh):
    rows = [
        [GMINA, "7.2", "started", f"{1 + i % 28:02d}.{1 + i % 10:02d}.2026", "admin", f"wiersz {i}"]
        for i in range(10_000)
    ]
    data = _csv(EVENT_HEADERS, rows)
    calls = []
    start = time.perf_counter()
    parsed = exchange.parse_file(data, "duzy.csv")
    parsed_at = time.perf_counter()
    result = exchange.apply_import(
        wh, ADMIN, parsed, progress=lambda done, total: calls.append((done, total)), today=DEMO_TODAY
    )
    elapsed = time.perf_counter() - start
    print(
        f"\n10 000 wierszy: odczyt {parsed_at - start:.2f} s, zapis {elapsed - (parsed_at - start):.2f} s, "
        f"razem {elapsed:.2f} s"
    )
    assert result.written == {"step_event": 10_000}
    assert len(calls) >= 5 and calls[-1] == (10_000, 10_000)
    assert elapsed < 10


def test_a_5_mb_file_is_imported_within_the_limits_and_fast(wh):
    rng = random.Random(5)
    notes = ["".join(rng.choices("abcdefghijklmnoprstuwyz ", k=1900)).strip() for _ in range(2800)]
    rows = [[GMINA, "7.2", "completed", "03.03.2026", "admin", n] for n in notes]
    data = _csv(EVENT_HEADERS, rows)
    assert len(data) > 5 * 2**20
    start = time.perf_counter()
    result = _import(wh, data, "piec_mb.csv")
    assert result.written == {"step_event": 2800} and time.perf_counter() - start < 10


def test_every_imported_row_has_its_audit_row(wh):
    rows = [[GMINA, "6.1", "started", "01.03.2026", "animator1", f"n{i}"] for i in range(3)]
    _import(wh, _csv(EVENT_HEADERS, rows))
    log = wh.execute(
        "SELECT a.username, a.terc, a.after->>'note', e.event_id::VARCHAR = a.record_key "
        "FROM audit_log a JOIN step_event e ON e.event_id::VARCHAR = a.record_key "
        "WHERE a.table_name = 'step_event' AND e.note LIKE 'n_' ORDER BY 3"
    ).fetchall()
    assert log == [("admin", GMINA, f"n{i}", True) for i in range(3)]


def test_cli_import_previews_by_default_writes_with_apply_and_exits_non_zero_on_errors(
    demo_db, tmp_path, capsys
):
    db = tmp_path / "cli.duckdb"
    shutil.copy(demo_db, db)
    out = tmp_path / "rejestry.xlsx"
    assert main(["export", str(out), "--db", str(db), "--table", "institution"]) == 0
    assert main(["import", str(out), "--db", str(db), "--apply"]) == 0
    assert "Nic nie zapisano: plik nie zmienia niczego w hurtowni." in capsys.readouterr().out
    csv_file = tmp_path / "nowe.csv"
    csv_file.write_bytes(
        _csv(INSTITUTION_HEADERS, [["Klub", "ngo", "gmina", GMINA], ["Klub", "ngo", "x", GMINA]])
    )
    assert main(["import", str(csv_file), "--db", str(db), "--table", "institution", "--apply"]) == 1
    assert "Nic nie zapisano: 1 błąd w pliku." in capsys.readouterr().out
    csv_file.write_bytes(_csv(INSTITUTION_HEADERS, [["Klub", "ngo", "gmina", GMINA]]))
    assert main(["import", str(csv_file), "--db", str(db), "--table", "institution"]) == 0
    shown = capsys.readouterr().out
    assert "Instytucje: 1 nowy, 0 zmienionych, 0 bez zmian" in shown and "nic nie zapisano" in shown
    assert main(["import", str(csv_file), "--db", str(db), "--table", "institution", "--apply"]) == 0
    assert "Instytucje: zapisano 1 nowy wiersz, zmieniono 0 wierszy" in capsys.readouterr().out
    conn = warehouse.connect(db, read_only=True)
    assert conn.execute("SELECT username FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchall() == [
        ("cli",)
    ]
    conn.close()


def test_a_zip_bomb_is_refused_naming_the_limit(wh):
    with pytest.raises(InvalidInput, match="po rozpakowaniu miałby 2861 MB \\(limit to 200 MB\\)"):
        exchange.parse_file(_declare_huge(exchange.export_registries(wh, ["institution"])), "bomba.xlsx")
    packed_tight = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(30 << 20)})
    with pytest.raises(InvalidInput, match=r"sheet1\.xml jest spakowana ponad 200-krotnie"):
        exchange.parse_file(packed_tight, "bomba.xlsx")


EVENTS_XLSX = xlsx_bytes(
    "Zdarzenia kroków", EVENT_HEADERS, [[GMINA, "5.2", "completed", "01.02.2026", "admin"]]
)


@functools.cache
def _strings_bomb(declare: bool) -> bytes:
    """The 18 MB XLSX found held 3.1 M distinct texts; this one holds as many in 8 MB, under every limit."""
    data = with_shared_strings(EVENTS_XLSX, 3_100_000, declare)
    assert len(data) < exchange.MAX_BYTES
    return data


@pytest.fixture
def never_opened(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open the file")

    monkeypatch.setattr(exchange._Reader, "read", never)


@pytest.mark.parametrize("declare", [True, False], ids=["counts declared", "counts left out"])
def test_three_million_shared_strings_are_refused_before_openpyxl_loads_them(never_opened, declare):
    # Measured here: 0.001 s with the counts Excel declares in <sst>, 0.02 s counting the strings while
    # unzipping (stopped at the limit); reading the file used to take 45 s and ~500 MB on every rerun.
    data = _strings_bomb(declare)
    start = time.perf_counter()
    with pytest.raises(InvalidInput) as exc:
        exchange.parse_file(data, "teksty.xlsx")
    elapsed = time.perf_counter() - start
    print(f"\n3,1 mln tekstów ({'zadeklarowane' if declare else 'liczone'}): odrzucone w {elapsed:.3f} s")
    shown = "3 100 000" if declare else "ponad 250 000"
    assert exc.value.problems == [
        f"Plik XLSX ma {shown} różnych tekstów — limit to 250 000. To za dużo jak na rejestr: podziel plik "
        "na mniejsze części. Odrzucono go bez wczytywania."
    ]
    assert elapsed < 0.5


def test_shared_strings_up_to_the_limit_are_read():
    data = with_shared_strings(EVENTS_XLSX, 1000, declare=False)
    assert exchange.parse_file(data, "teksty.xlsx").total == 1


def _dimension(ref: str) -> bytes:
    return edit_sheet(
        EVENTS_XLSX, lambda xml: xml.replace('<dimension ref="A1:F2"', f'<dimension ref="{ref}"')
    )


@pytest.mark.parametrize(
    "ref, message",
    [
        ("A1:F60000", "Arkusz Zdarzenia kroków: zakres A1:F60000 ma 60 000 wierszy — limit to 50 000"),
        ("A1:Z45000", "Plik XLSX ma 1 170 000 komórek — limit to 1 000 000"),
    ],
    ids=["rows", "cells"],
)
def test_a_sheet_declaring_too_many_rows_or_cells_is_refused_before_any_row_is_read(
    monkeypatch, ref, message
):
    # openpyxl opens the package (it reads each sheet's declared dimension then); no row is read
    def never(*args, **kwargs):
        raise AssertionError("no row may be read")

    monkeypatch.setattr(exchange, "_parsed_rows", never)
    with pytest.raises(InvalidInput, match=message):
        exchange.parse_file(_dimension(ref), "duzy.xlsx")


def test_rows_beyond_the_limit_are_refused_even_when_the_dimension_understates_them():
    far = edit_sheet(
        EVENTS_XLSX, lambda xml: xml.replace('<row r="2"', '<row r="60002"').replace('r="A2"', 'r="A60002"')
    )
    with pytest.raises(InvalidInput, match="ponad 50000 wierszy"):
        exchange.parse_file(far, "duzy.xlsx")


def test_a_strings_table_declaring_more_text_cells_than_the_limit_is_refused_as_too_many_cells(never_opened):
    data = with_shared_strings(EVENTS_XLSX, 10)
    table = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml")
    data = repack(data, {"xl/sharedStrings.xml": table.replace(b' count="10"', b' count="1200000"')})
    with pytest.raises(InvalidInput, match="Plik XLSX ma 1 200 000 komórek — limit to 1 000 000"):
        exchange.parse_file(data, "teksty.xlsx")
