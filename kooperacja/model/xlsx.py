"""Tables to XLSX bytes: Polish headers, real Excel dates shown DD.MM.YYYY, no formulas ever."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime
from typing import cast

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kooperacja.model.formatting import is_missing

DATE_FORMAT = "DD.MM.YYYY"
MAX_WIDTH = 60
SHEET_NAME_MAX = 31  # Excel's limit
_FORBIDDEN_IN_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _cell_value(value: object) -> object:
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value.replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return value


def _sheet_title(name: str, taken: set[str]) -> str:
    base = (name.translate(_FORBIDDEN_IN_SHEET) or "Arkusz")[:SHEET_NAME_MAX]
    title, n = base, 2
    while title in taken:
        suffix = f" ({n})"
        title, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _write_sheet(ws, df: pd.DataFrame) -> None:
    widths = [len(str(c)) for c in df.columns]
    for col, header in enumerate(df.columns, start=1):
        cell = ws.cell(row=1, column=col, value=str(header))
        cell.data_type = TYPE_STRING
        cell.font = Font(bold=True)
    for r, row in enumerate(df.itertuples(index=False), start=2):
        for c, raw in enumerate(row, start=1):
            value = _cell_value(raw)
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                # Assign the text and force the string type: openpyxl would store "=..." as a formula.
                cell.value = value
                cell.data_type = TYPE_STRING
                widths[c - 1] = max(widths[c - 1], len(value))
            else:
                cell.value = value
                if isinstance(value, (date, datetime)):
                    cell.number_format = (
                        DATE_FORMAT if not isinstance(value, datetime) else (DATE_FORMAT + " hh:mm")
                    )
                    widths[c - 1] = max(widths[c - 1], 10)
                elif value is not None:
                    widths[c - 1] = max(widths[c - 1], len(str(value)))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, width + 2)
    ws.freeze_panes = "A2"


def to_xlsx(sheets: pd.DataFrame | Mapping[str, pd.DataFrame], sheet_name: str = "Dane") -> bytes:
    """One workbook with a sheet per table; headers as given (pass Polish ones), bold, frozen.

    Text starting with = + - @ stays text: a downloaded table must never run a formula.
    """
    frames = {sheet_name: sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    wb = Workbook()
    wb.remove(cast(Worksheet, wb.active))  # a new workbook's one sheet
    taken: set[str] = set()
    for name, df in frames.items():
        _write_sheet(wb.create_sheet(_sheet_title(name, taken)), df)
    if not frames:
        wb.create_sheet("Dane")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
