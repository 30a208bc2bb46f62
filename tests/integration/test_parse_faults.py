"""Cells and fields the parsers cannot hold: Polish errors naming sheet, row and column, never a traceback."""

from __future__ import annotations

import pytest

from kooperacja.exchange import workbook as exchange
from kooperacja.model.errors import InvalidInput
from tests.hostile.files import csv_bytes, xlsx_bytes

EVENT = ["Kod TERC gminy", "Podkrok", "Zdarzenie", "Data", "Wpisał(a)", "Uwagi"]
GOOD = ["3401011", "5.2", "completed", "01.02.2026", "admin", "protokół"]
SHEET = "Zdarzenia kroków"


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
