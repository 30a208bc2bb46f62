"""The harmonogram template as a grid: one version's steps with Polish headers and labels, and an edited
grid saved as the template's next version through the same validation as the template file (the
versions gminy started with stay as they were)."""

from __future__ import annotations

import csv
import io
from typing import Any

import duckdb
import pandas as pd

from kooperacja.exchange.mapping import REGISTRIES, RowError
from kooperacja.model.access import Actor, require_admin
from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import is_missing
from kooperacja.programme import data_entry, harmonogram

STEPS = REGISTRIES["template_step"]
# The grid's columns: a version's fields, without the template and version the save assigns.
FIELDS = [f for f in STEPS.headers() if f not in ("template_id", "version")]
# The template file's column of each field (harmonogram.CSV_COLUMNS).
_CSV_NAME = {"title": "title_pl"}
SHEET = "Szablon harmonogramu"


def template_grid(conn: duckdb.DuckDBPyConnection, template_id: int, version: int) -> pd.DataFrame:
    """One version's steps as the editor shows them: Polish headers, labels for codes, whole months."""
    steps = harmonogram.template_steps(conn.cursor(), template_id, version)
    columns = STEPS.columns
    frame = pd.DataFrame(
        {columns[f].header: [columns[f].cell(v) for v in steps[f].astype(object)] for f in FIELDS},
        dtype=object,
    )
    return frame.where(frame.notna(), None)


def grid_rows(frame: pd.DataFrame) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The grid's rows as field values (labels and codes read as the import reads them), with the cells
    that cannot be read; an empty row (added and left blank) is skipped."""
    columns = STEPS.columns
    by_header = {columns[f].header: f for f in FIELDS}
    missing = [h for h in by_header if h not in frame.columns]
    if missing:
        raise InvalidInput([f"{SHEET}: brak kolumn: {', '.join(missing)}"])
    rows, errors = [], []
    for n, raw in enumerate(frame.to_dict("records"), start=1):
        cells = {f: (None if is_missing(raw[h]) else raw[h]) for h, f in by_header.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        row = {}
        for name, cell in cells.items():
            try:
                row[name], _ = columns[name].read(cell)
            except ValueError as exc:
                errors.append(RowError(SHEET, n, columns[name].header, str(cell), str(exc)))
        rows.append(row)
    return rows, errors


def grid_csv(rows: list[dict[str, Any]]) -> str:
    """Rows in the template file's shape, for the one validation of a template (harmonogram)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(harmonogram.CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            ["" if row.get(_field(c)) is None else row[_field(c)] for c in harmonogram.CSV_COLUMNS]
        )
    return out.getvalue()


def _field(csv_name: str) -> str:
    return next((f for f, c in _CSV_NAME.items() if c == csv_name), csv_name)


def save_template_grid(
    conn: duckdb.DuckDBPyConnection, actor: Actor, template_id: int, frame: pd.DataFrame
) -> tuple[int, int]:
    """An edited grid as the template's next version (admins only); every problem named by row and
    column in Polish, nothing saved until all pass."""
    require_admin(actor)  # the role first: a reader's grid is not even read
    rows, errors = grid_rows(frame)
    if errors:
        raise InvalidInput([f"Wiersz {e.row}, {e.column}: {e.reason}" for e in errors])
    return data_entry.save_template_version(conn, actor, grid_csv(rows), template_id)
