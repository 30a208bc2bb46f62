"""Cells and fields the parsers cannot hold: Polish errors naming sheet, row and column, never a traceback."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kooperacja.exchange import workbook as exchange
from kooperacja.model.errors import InvalidInput
from tests.hostile.files import csv_bytes, edit_sheet, with_cached_values, xlsx_bytes

EVENT = ["Kod TERC gminy", "Podkrok", "Zdarzenie", "Data", "Wpisał(a)", "Uwagi"]
GOOD = ["3401011", "5.2", "completed", "01.02.2026", "admin", "protokół"]
SHEET = "Zdarzenia kroków"
GMINA = GOOD[0]


@pytest.mark.parametrize("day", [1e20, 3e6, -1e300], ids=["huge", "year-10113", "negative"])
def test_an_xlsx_date_number_too_large_is_a_row_error_naming_sheet_row_and_column(day):
    bad = [*GOOD[:3], day, *GOOD[4:]]
    parsed = exchange.parse_file(xlsx_bytes(SHEET, EVENT, [GOOD, bad]), "zdarzenia.xlsx")
    assert [(e.sheet, e.row, e.column) for e in parsed.errors] == [(SHEET, 3, "Data")]
    assert "poza zakresem dat" in parsed.errors[0].reason


def test_a_csv_field_over_128_kib_refuses_the_file_naming_the_row():
    bad = [*GOOD[:5], "x" * 140_000]
    with pytest.raises(InvalidInput) as exc:
        exchange.parse_file(csv_bytes(EVENT, [GOOD, GOOD, bad]), "zdarzenia.csv")
    assert exc.value.problems == [
        "Plik CSV, wiersz 4: pole dłuższe niż 128 KiB — to nie wygląda na dane rejestru "
        "(sprawdź, czy plik ma zamknięte cudzysłowy, albo skróć pole)."
    ]


def test_an_unclosed_quote_running_past_the_limit_names_the_row_where_it_starts():
    data = csv_bytes(EVENT, [GOOD]) + ('3401011;5.2;"' + "y" * 200_000 + "\n").encode()
    with pytest.raises(InvalidInput, match="Plik CSV, wiersz 3: pole dłuższe niż 128 KiB"):
        exchange.parse_file(data, "zdarzenia.csv")


def test_a_formula_is_read_by_the_value_excel_saved_with_it():
    row = ['=TEXT(3401011,"0")', "5.2", "completed", "01.02.2026", "admin", '=A2&" protokół"']
    data = with_cached_values(
        xlsx_bytes(SHEET, EVENT, [row]), {"A2": ("str", "3401011"), "F2": ("str", "3401011 protokół")}
    )
    parsed = exchange.parse_file(data, "zdarzenia.xlsx")
    assert parsed.errors == []
    record = parsed.sheets[0].rows[0].record
    assert (record.terc, record.note) == ("3401011", "3401011 protokół")


def test_a_formula_saved_without_its_value_is_a_row_error_naming_the_formula():
    # openpyxl (like any program but Excel and LibreOffice) saves a formula without its result
    row = ['=TEXT(3401011,"0")', *GOOD[1:]]
    parsed = exchange.parse_file(xlsx_bytes(SHEET, EVENT, [GOOD, row]), "zdarzenia.xlsx")
    assert [(e.sheet, e.row, e.column, e.value) for e in parsed.errors] == [
        (SHEET, 3, "Kod TERC gminy", '=TEXT(3401011,"0")')
    ]
    assert parsed.errors[0].reason.startswith("formuła bez zapisanej wartości")
    assert [r.row for r in parsed.sheets[0].rows] == [2]  # the row is not read as a region-level event


def test_a_formula_whose_saved_value_is_an_error_is_a_row_error():
    row = [*GOOD[:5], "=VLOOKUP(1,B:B,2,0)"]
    data = with_cached_values(xlsx_bytes(SHEET, EVENT, [row]), {"F2": ("e", "#N/A")})
    parsed = exchange.parse_file(data, "zdarzenia.xlsx")
    assert [(e.row, e.column, e.value, e.reason) for e in parsed.errors] == [
        (2, "Uwagi", "#N/A", "komórka zawiera błąd #N/A")
    ]


def _merged(ranges: list[str], rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(EVENT)
    for row in rows:
        ws.append(row)
    for cells in ranges:
        ws.merge_cells(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_merged_cells_in_the_data_refuse_the_sheet_naming_the_range():
    # a merged TERC keeps its value in A5 only: A6:A9 would import as region-level events
    rows = [[GMINA, "5.2", "completed", f"0{d}.02.2026", "admin", None] for d in range(1, 9)]
    with pytest.raises(InvalidInput) as exc:
        exchange.parse_file(_merged(["A5:A9"], rows), "zdarzenia.xlsx")
    assert exc.value.problems == [
        "Arkusz Zdarzenia kroków: scalone komórki A5:A9 — rozdziel je i wpisz wartość w każdym wierszu"
    ]


def test_merged_cells_outside_the_data_are_harmless():
    rows = [[GMINA, "5.2", "completed", "01.02.2026", "admin", None]]
    parsed = exchange.parse_file(_merged(["J20:K25"], rows), "zdarzenia.xlsx")
    assert parsed.total == 1 and parsed.errors == []


def test_rows_past_the_declared_dimension_are_read_not_dropped():
    rows = [[GMINA, "5.2", "completed", f"0{d}.02.2026", "admin", None] for d in range(1, 4)]
    data = edit_sheet(xlsx_bytes(SHEET, EVENT, rows), lambda xml: xml.replace('ref="A1:F4"', 'ref="A1:F2"'))
    assert exchange.parse_file(data, "zdarzenia.xlsx").total == 3  # openpyxl alone would read 1


def test_excel_trailing_semicolons_in_a_csv_are_ignored():
    # Excel saves ";;" after every line when the sheet once had more columns
    lines = csv_bytes(EVENT, [GOOD, [GMINA, "5.1", *GOOD[2:]]]).splitlines()
    data = b"".join(line + b";;\n" for line in lines)
    parsed = exchange.parse_file(data, "zdarzenia.csv")
    assert (parsed.total, parsed.errors) == (2, [])


def test_a_value_in_a_column_without_a_header_is_a_row_error_not_dropped():
    text = ";".join(EVENT) + ";\n" + ";".join(GOOD) + ";\n" + ";".join(GOOD) + ";zgubiona uwaga\n"
    parsed = exchange.parse_file(text.encode(), "zdarzenia.csv")
    assert [(e.row, e.column, e.value, e.reason) for e in parsed.errors] == [
        (3, "G (bez nagłówka)", "zgubiona uwaga", "wartość w kolumnie bez nagłówka")
    ]
