"""Files as Excel and LibreOffice leave them: lost leading zeros, labels for codes, numbers as text,
dates in every Polish form, .xlsm/.xls/.ods, CSV in CP1250 with `;`, unknown sheet names, zips."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kooperacja import warehouse
from kooperacja.exchange import workbook as exchange
from kooperacja.exchange.text import comma_csv, decode_csv
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput

ADMIN = Actor("admin", "admin")
INSTITUTION = ["Nazwa instytucji", "Sektor", "Poziom", "Siedziba (TERC)"]
SOFFICE = shutil.which("soffice")


def _csv(headers, rows, sep=";", encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows([headers, *rows])
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


@pytest.fixture
def zero_region(demo_conn):
    """The demo warehouse with a gmina whose TERC starts with 0 (dolnośląskie), as four ROPS have."""
    demo_conn.execute("INSERT INTO wojewodztwo VALUES ('02', 'dolnośląskie')")
    demo_conn.execute("INSERT INTO powiat VALUES ('0201', 'powiat bolesławiecki', false)")
    demo_conn.execute("INSERT INTO gmina VALUES ('0201011', 'Bolesławiec', 'miejska', NULL, 39000, NULL)")
    return demo_conn


def test_every_terc_column_gets_its_lost_zero_back_with_a_hint(zero_region):
    data = _csv(
        INSTITUTION, [["Klub Seniora", "ngo", "gmina", "201011"], ["Starostwo", "samorzad", "powiat", 201]]
    )
    parsed = exchange.check_import(zero_region, ADMIN, exchange.parse_file(data, "i.csv", "institution"))
    assert not parsed.errors
    assert [r.record.seat_terc for r in parsed.sheets[0].rows] == ["0201011", "0201"]
    hints = parsed.hints
    assert [(h.row, h.column, h.value) for h in hints] == [
        (2, "Siedziba (TERC)", "201011"),
        (3, "Siedziba (TERC)", "201"),
    ]
    assert "uzupełniono zero na początku kodu TERC: 201011 → 0201011" in hints[0].reason
    assert any("uzupełniono zero" in str(v) for v in parsed.report()["Powód"])


def test_a_seven_digit_terc_is_left_alone_and_a_wrong_one_is_still_refused():
    data = _csv(INSTITUTION, [["A", "ngo", "gmina", "3401011"], ["B", "ngo", "gmina", "34010"]])
    parsed = exchange.parse_file(data, "i.csv", "institution")
    assert [r.record.seat_terc for r in parsed.sheets[0].rows] == ["3401011"]
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (3, "Siedziba (TERC)", "niepoprawny format")
    ]
    assert not parsed.hints


LABELS = {
    "code": ("ngo", "gmina", "ngo", "gmina"),
    "label": ("organizacje pozarządowe", "gminny", "ngo", "gmina"),
    "capitals": ("POLICJA", "Powiatowy", "policja", "powiat"),
    "no Polish letters": ("pomoc i integracja spoleczna", "wojewodzki", "pomoc_spoleczna", "region"),
    "singular of the label": ("Organizacja pozarządowa", "GMINNY", "ngo", "gmina"),
    "code with spaces": ("Pomoc spoleczna", "gmina", "pomoc_spoleczna", "gmina"),
}


@pytest.mark.parametrize("sector, level, code, level_code", LABELS.values(), ids=LABELS.keys())
def test_labels_and_codes_are_read_case_insensitively_with_or_without_polish_letters(
    sector, level, code, level_code
):
    terc = {"gmina": "3401011", "powiat": "3401", "region": "34"}[level_code]
    parsed = exchange.parse_file(
        _csv(INSTITUTION, [["Ośrodek", sector, level, terc]]), "i.csv", "institution"
    )
    assert not parsed.errors, parsed.errors
    record = parsed.sheets[0].rows[0].record
    assert (record.sector, record.level) == (code, level_code)


def test_an_unknown_label_is_refused_naming_the_allowed_labels():
    parsed = exchange.parse_file(
        _csv(INSTITUTION, [["A", "kosmos", "gmina", "3401011"]]), "i.csv", "institution"
    )
    [error] = parsed.errors
    assert (error.row, error.column, error.value) == (2, "Sektor", "kosmos")
    assert "dozwolone wartości: pomoc i integracja społeczna, edukacja" in error.reason


def test_numbers_stored_as_text_and_text_stored_as_numbers_are_read_as_typed():
    headers = ["ID instytucji", *INSTITUTION]
    data = exchange.parse_file(_csv(headers, [[" 1 234 ", 2024, "ngo", "gmina", 3401011.0]]), "i.csv")
    assert not data.errors
    record = data.sheets[0].rows[0].record
    assert (record.institution_id, record.name, record.seat_terc) == (1234, "2024", "3401011")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Zdarzenia kroków"
    ws.append(["Kod TERC gminy", "Podkrok", "Zdarzenie", "Data", "Wpisał(a)", "ID zdarzenia"])
    ws.append([3401011, 5.1, "Rozpoczęcie", date(2026, 2, 1), "admin", "17"])  # as LibreOffice guesses
    out = io.BytesIO()
    wb.save(out)
    parsed = exchange.parse_file(out.getvalue(), "z.xlsx")
    assert not parsed.errors
    event = parsed.sheets[0].rows[0].record
    assert (event.terc, event.substep, event.kind, event.event_id) == ("3401011", "5.1", "started", 17)


@pytest.mark.parametrize(
    "cell", ["05.03.2026", "5.3.2026", "2026-03-05", "05-03-2026", "5/3/2026", 46086, "2026-03-05 00:00:00"]
)
def test_dates_are_read_in_every_form_excel_and_people_write(cell):
    headers = ["Kod TERC gminy", "Podkrok", "Zdarzenie", "Data", "Wpisał(a)"]
    parsed = exchange.parse_file(_csv(headers, [["3401011", "5.1", "started", cell, "admin"]]), "z.csv")
    assert not parsed.errors
    assert parsed.sheets[0].rows[0].record.event_on == date(2026, 3, 5)


ENCODINGS = {
    "UTF-8 with BOM, comma": dict(sep=",", encoding="utf-8", bom=True),
    "UTF-8 without BOM, semicolon": dict(sep=";", encoding="utf-8"),
    "CP1250, semicolon (Polish Excel)": dict(sep=";", encoding="cp1250"),
    "CP1250, comma": dict(sep=",", encoding="cp1250"),
}


@pytest.mark.parametrize("how", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_csv_in_every_encoding_and_separator_keeps_polish_letters(how):
    data = _csv(
        INSTITUTION,
        [["Gminny Ośrodek Pomocy Społecznej, Łódź", "pomoc społeczna", "gmina", "3401011"]],
        **how,
    )
    parsed = exchange.parse_file(data, "i.csv", "institution")
    assert not parsed.errors
    assert parsed.sheets[0].rows[0].record.name == "Gminny Ośrodek Pomocy Społecznej, Łódź"


def test_an_undecodable_csv_is_refused_in_polish_never_replaced():
    data = b"Nazwa instytucji;Sektor\n" + b"Klub \x81\x98;ngo\n" + b"\xff\xfe\x81"
    with pytest.raises(InvalidInput, match="UTF-8 ani Windows-1250"):
        exchange.parse_file(data, "i.csv", "institution")
    with pytest.raises(InvalidInput, match="UTF-8 ani Windows-1250"):
        decode_csv(data)


def test_the_harmonogram_template_csv_of_polish_excel_reads_with_its_letters():
    text = (
        "step;substep;title_pl;level;responsible;start_month;end_month;every_months\n"
        "K1;1.1;Spotkanie, wójt;region;ROPS;1;2;\n"
    )
    normal = comma_csv(text.encode("cp1250"))
    assert normal.splitlines()[1] == 'K1,1.1,"Spotkanie, wójt",region,ROPS,1,2,'
    assert "\ufffd" not in normal


def test_one_sheet_with_an_unknown_name_is_matched_by_its_headers():
    wb = openpyxl.Workbook()
    wb.active.title = "instytucje_2026"  # LibreOffice names a converted CSV's sheet after the file
    wb.active.append(INSTITUTION)
    wb.active.append(["Klub", "ngo", "gmina", "3401011"])
    out = io.BytesIO()
    wb.save(out)
    parsed = exchange.parse_file(out.getvalue(), "instytucje_2026.xlsx")
    assert [s.registry.table for s in parsed.sheets] == ["institution"] and not parsed.errors


def test_a_sheet_name_is_matched_in_any_case_and_without_polish_letters():
    wb = openpyxl.Workbook()
    wb.active.title = "CZLONKOWIE PZK"
    wb.active.append(["Kod TERC gminy", "Instytucja", "Data podpisania"])
    wb.active.append(["3401011", 5, "01.03.2026"])
    out = io.BytesIO()
    wb.save(out)
    assert [s.registry.table for s in exchange.parse_file(out.getvalue(), "p.xlsx").sheets] == ["pzk_member"]


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_a_zip_holding_one_file_is_opened_and_one_holding_more_is_refused_with_unzip():
    data = _csv(INSTITUTION, [["Klub", "ngo", "gmina", "3401011"]], encoding="cp1250")
    parsed = exchange.parse_file(_zip({"instytucje.csv": data}), "instytucje.zip", "institution")
    assert len(parsed.sheets[0].rows) == 1
    with pytest.raises(InvalidInput, match="rozpakuj plik"):
        exchange.parse_file(_zip({"a.csv": data, "b.csv": data}), "dwa.zip")
    with pytest.raises(InvalidInput, match="rozpakuj plik"):
        exchange.parse_file(_zip({"w.zip": _zip({"a.csv": data})}), "w.zip")


def _polish_excel_csv(frame) -> bytes:
    """A registry as Polish Excel saves it after opening the export's CSV: CP1250, `;`, dd.mm.rrrr,
    and every number-like text turned into a number (leading zeros gone)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        cells = []
        for v in row:
            if v is None:
                cells.append("")
            elif isinstance(v, date):
                cells.append(f"{v:%d.%m.%Y}")
            elif isinstance(v, str) and v.isdigit():
                cells.append(str(int(v)))
            else:
                cells.append(str(v))
        writer.writerow(cells)
    return out.getvalue().encode("cp1250")


def test_a_csv_as_polish_excel_saves_it_imports_with_the_right_values(zero_region):
    zero_region.execute("UPDATE institution SET seat_terc = '0201011' WHERE institution_id <= 3")
    wanted = exchange.parse_file(exchange.export_registries(zero_region, ["institution"]), "i.xlsx")
    frame = exchange.labelled_frame(zero_region, "institution")
    assert "organizacje pozarządowe" in set(frame["Sektor"]) or "pomoc i integracja społeczna" in set(
        frame["Sektor"]
    )
    parsed = exchange.parse_file(_polish_excel_csv(frame), "instytucje.csv")
    assert not parsed.errors
    assert [r.record for r in parsed.sheets[0].rows] == [r.record for r in wanted.sheets[0].rows]
    assert len(parsed.hints) == 3 and parsed.sheets[0].rows[0].record.seat_terc == "0201011"


@pytest.fixture(scope="module")
def converted(demo_db, tmp_path_factory) -> dict[str, bytes]:
    """The demo's export, and the same file opened and saved by LibreOffice as .xlsx, .xlsm, .xls, .ods."""
    if SOFFICE is None:
        pytest.skip("soffice is missing: install Debian libreoffice-calc (make test-deps)")
    folder = tmp_path_factory.mktemp("lo")
    conn = warehouse.connect(demo_db, read_only=True)
    source = folder / "rejestry.xlsx"
    source.write_bytes(exchange.export_registries(conn))
    conn.close()
    files = {"export": source.read_bytes()}
    for kind, target in {
        "xlsx": "xlsx",
        "xlsm": "xlsm:Calc MS Excel 2007 VBA XML",
        "xls": "xls",
        "ods": "ods",
    }.items():
        out = folder / kind
        subprocess.run(
            [SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", target,
             "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        files[kind] = (out / f"rejestry.{kind}").read_bytes()
    return files


@pytest.mark.parametrize("kind", ["xlsx", "xlsm", "xls", "ods"])
def test_an_export_saved_by_libreoffice_reads_back_the_same_rows(converted, kind):
    original = exchange.parse_file(converted["export"], "rejestry.xlsx")
    again = exchange.parse_file(converted[kind], f"rejestry.{kind}")
    assert not again.errors, again.errors[:5]
    assert [s.registry.table for s in again.sheets] == [s.registry.table for s in original.sheets]
    for before, after in zip(original.sheets, again.sheets, strict=True):
        assert [(r.record, r.problems) for r in after.rows] == [(r.record, r.problems) for r in before.rows]


def test_an_export_saved_by_libreoffice_imports_into_a_new_installation(converted, empty_wh):
    parsed = exchange.parse_file(converted["ods"], "rejestry.ods")
    result = exchange.apply_import(empty_wh, ADMIN, parsed, today=date(2026, 11, 24))
    assert not result.errors and result.total_written > 0


@pytest.fixture
def empty_wh(demo_db, tmp_path: Path):
    from tests.integration.test_exchange import SETUP_TABLES

    conn = warehouse.connect(tmp_path / "empty.duckdb")
    conn.execute(f"ATTACH '{demo_db}' AS demo (READ_ONLY)")
    for table in SETUP_TABLES:
        conn.execute(f"INSERT INTO {table} SELECT * FROM demo.{table}")
    conn.execute("DETACH demo")
    yield conn
    conn.close()
