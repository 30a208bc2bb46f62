"""XLSX export: opens in Excel, Polish headers, real dates, no formulas from text."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd

from kooperacja.model.xlsx import to_xlsx


def _open(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Gmina": ["Lipowiec", '=HYPERLINK("http://x")', "+48 123", "-1", "@SUM(A1)"],
            "Termin": [date(2026, 3, 5), pd.Timestamp("2026-04-01"), None, pd.NaT, date(2026, 1, 1)],
            "Dni po terminie": [3, 0, 12, 1, 5],
        }
    )


def test_workbook_opens_with_polish_bold_headers_and_frozen_header_row():
    ws = _open(to_xlsx(_table(), sheet_name="Alerty"))["Alerty"]
    assert [c.value for c in ws[1]] == ["Gmina", "Termin", "Dni po terminie"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width > len("Lipowiec")


def test_dates_are_real_excel_dates_shown_dd_mm_yyyy():
    ws = _open(to_xlsx(_table())).active
    cell = ws["B2"]
    assert isinstance(cell.value, datetime)
    assert cell.value.date() == date(2026, 3, 5)
    assert cell.number_format == "DD.MM.YYYY"
    assert ws["B3"].value.date() == date(2026, 4, 1)
    assert ws["B4"].value is None and ws["B5"].value is None


def test_text_that_looks_like_a_formula_stays_text():
    ws = _open(to_xlsx(_table())).active
    values = [ws.cell(row=r, column=1) for r in range(3, 7)]
    assert [c.value for c in values] == ['=HYPERLINK("http://x")', "+48 123", "-1", "@SUM(A1)"]
    assert all(c.data_type == "s" for c in values)


def test_numbers_stay_numbers():
    ws = _open(to_xlsx(_table())).active
    assert ws["C2"].value == 3 and ws["C2"].data_type == "n"


def test_several_tables_become_several_sheets_with_safe_names():
    data = to_xlsx(
        {"Plan/wykonanie": _table(), "Plan\\wykonanie": _table().head(1), "Pusta": _table().head(0)}
    )
    wb = _open(data)
    assert wb.sheetnames == ["Plan_wykonanie", "Plan_wykonanie (2)", "Pusta"]
    assert wb["Pusta"].max_row == 1


def test_a_table_longer_than_an_excel_sheet_is_refused_not_cut():
    import pandas as pd
    import pytest

    from kooperacja.model import xlsx
    from kooperacja.model.errors import InvalidInput

    frame = pd.DataFrame({"a": range(xlsx.EXCEL_ROWS)})
    with pytest.raises(InvalidInput, match="mieści 1048575 wierszy danych — za dużo w: Dane"):
        xlsx.to_xlsx(frame)
