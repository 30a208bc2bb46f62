"""The registries export streamed: DuckDB writes each data row's XML, xlsxwriter the rest of the workbook.

xlsxwriter builds the workbook without data rows (the Instrukcja, headers, widths, drop-downs, frozen
headers, filters, the hidden Listy sheet); the rows of each registry sheet are then streamed into its
part straight from DuckDB, in batches, as SpreadsheetML built in SQL (inline texts, Excel day numbers
with the date format). Writing the 2.8 million national rows cell by cell through xlsxwriter took
minutes; no Python runs per cell here. The XML (~1 GB nationally) is deflated on both cores while
DuckDB builds the next batch (`_ParallelDeflate`).
"""

from __future__ import annotations

import contextlib
import queue
import re
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import duckdb
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from kooperacja.exchange.mapping import LIST_SEPARATOR, PROBLEMS_FIELD, Registry
from kooperacja.model import xlsx
from kooperacja.warehouse import ident

Progress = Callable[[int, int, str], None]  # (rows written, rows in the workbook, sheet)
SHEET_ROWS = xlsx.EXCEL_ROWS - 1  # data rows of one sheet; the rest go to "<sheet> (2)", "(3)", …
BATCH_ROWS = 50_000
WIDTH_ROWS = 20_000  # rows whose texts set the column widths
EXCEL_EPOCH = "DATE '1899-12-30'"
_CONTINUED = re.compile(r"^(.*) \((\d+)\)$")


@dataclass(frozen=True)
class Part:
    """One sheet of a registry: its title, and its rows n (1-based, in key order) first < n ≤ last."""

    registry: Registry
    title: str
    first: int
    last: int

    @property
    def rows(self) -> int:
        return self.last - self.first


def parts(registry: Registry, rows: int) -> list[Part]:
    """A registry's sheets: one, or continuation sheets "<sheet> (2)", … past Excel's last row."""
    count = max(1, -(-rows // SHEET_ROWS))
    names = [registry.sheet] + [f"{registry.sheet} ({k})" for k in range(2, count + 1)]
    return [Part(registry, n, k * SHEET_ROWS, min(rows, (k + 1) * SHEET_ROWS)) for k, n in enumerate(names)]


def continued_sheet(name: str) -> str | None:
    """The registry sheet a continuation sheet carries on ("Sprawozdania miesięczne (2)" → its base)."""
    found = _CONTINUED.match(name.strip())
    return found.group(1) if found and int(found.group(2)) >= 2 else None


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A text needing no escaping (no &, <, >, no "_x" and no space at either end: nearly every text) is
# written as it is: one regex test instead of three replaces, a trim and a comparison per cell.
_ESCAPED = r"[&<>]|_x|^[ \t\n\r]|[ \t\n\r]$"


def _inline(expr: str) -> str:
    """concat() arguments of an inline string, as xlsxwriter writes it: "_x…_" kept literal, spaces
    at either end preserved. No control characters to drop: every record's text refuses them."""
    out = f"replace(replace(replace({expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    kept = f"regexp_replace({out}, '_(x[0-9A-Fa-f]{{4}}_)', '_x005F_\\1', 'g')"
    out = f"CASE WHEN contains({expr}, '_x') THEN {kept} ELSE {out} END"
    keep = f"CASE WHEN {expr} = trim({expr}, ' \t\n\r') THEN '' ELSE ' xml:space=\"preserve\"' END"
    escaped = f"regexp_matches({expr}, '{_ESCAPED}')"
    text = f"CASE WHEN {escaped} THEN concat({keep}, '>', {out}) ELSE concat('>', {expr}) END"
    return f"' t=\"inlineStr\"><is><t', {text}, '</t></is></c>'"


def _labelled(expr: str, labels: Mapping[str, str] | None) -> str:
    if not labels:
        return expr
    cases = " ".join(f"WHEN {_quote(k)} THEN {_quote(v)}" for k, v in labels.items())
    return f"CASE {expr} {cases} ELSE {expr} END"


def _text_of(registry: Registry, name: str, dtype: str, expr: str) -> str | None:
    """The SQL of a cell's shown text, or None for numbers and dates (written as numbers)."""
    column = registry.columns[name]
    labels = column.codes.labels if column.codes is not None else None
    if dtype.endswith("[]"):
        item = _labelled("x", labels)
        return f"nullif(array_to_string(list_transform({expr}, lambda x: {item}), '{LIST_SEPARATOR} '), '')"
    if dtype == "BOOLEAN":
        return f"CASE WHEN {expr} THEN 'tak' WHEN NOT {expr} THEN 'nie' END"
    if dtype == "DATE" or dtype.startswith("TIMESTAMP") or _numeric(dtype):
        return None
    return _labelled(f"CAST({expr} AS VARCHAR)", labels)


def _numeric(dtype: str) -> bool:
    return dtype in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "REAL") or (
        dtype.startswith(("DECIMAL", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"))
    )


@dataclass
class Sheet:
    """What a registry's part needs: its source SELECT, the SQL of each cell's XML, the widths."""

    source: str
    values: list[str]  # each column's value as the cell shows it (v0, v1, …), computed once a row
    cells: list[str]
    widths: list[int]


def build(conn: duckdb.DuckDBPyConnection, registry: Registry, formats: Mapping[str, int]) -> Sheet:
    """The ordered SELECT of a registry (with its row number n) and each column's cell XML in SQL."""
    heads = registry.headers()
    fields = list(heads)
    select = [f"t.{ident(f)} AS c{i}" for i, f in enumerate(fields) if f != PROBLEMS_FIELD]
    if PROBLEMS_FIELD in heads:
        select.append(
            f"(SELECT list(p.problem_code ORDER BY p.problem_code) FROM case_problem p "
            f"WHERE p.case_code = t.case_code) AS c{fields.index(PROBLEMS_FIELD)}"
        )
    order = ", ".join(f"t.{ident(k)}" for k in registry.key_fields)
    where = f"WHERE {registry.rows}" if registry.rows else ""
    rows = f"SELECT {', '.join(select)}{{n}} FROM {ident(registry.table)} t {where}"
    source = rows.format(n=f", row_number() OVER (ORDER BY {order}) AS n")
    types = {r[0]: r[1] for r in conn.cursor().execute(f"DESCRIBE SELECT * FROM ({source})").fetchall()}
    values, cells, widths, measures = [], [], [], []
    for i, (name, header) in enumerate(heads.items()):
        col, dtype, letter, v = f"c{i}", str(types[f"c{i}"]), xl_col_to_name(i), f"v{i}"
        text = _text_of(registry, name, dtype, col)
        if text is not None:
            values.append(f"left({text}, {xlsx.MAX_TEXT}) AS {v}")
            cell = f"'<c r=\"{letter}', rs, '\"', {_inline(v)}"
            measures.append(f"max(length({v}))")
        elif dtype == "DATE":
            values.append(f"date_diff('day', {EXCEL_EPOCH}, {col}) AS {v}")
            cell = f"'<c r=\"{letter}', rs, '\" s=\"{formats['day']}\"><v>', {v}, '</v></c>'"
            measures.append("10")
        elif dtype.startswith("TIMESTAMP"):
            values.append(f"(epoch({col}) - epoch({EXCEL_EPOCH}::TIMESTAMP)) / 86400.0 AS {v}")
            cell = f"'<c r=\"{letter}', rs, '\" s=\"{formats['moment']}\"><v>', {v}, '</v></c>'"
            measures.append("16")
        else:
            values.append(f"CAST({col} AS VARCHAR) AS {v}")
            cell = f"'<c r=\"{letter}', rs, '\"><v>', {v}, '</v></c>'"
            measures.append(f"max(length({v}))")
        cells.append(f"CASE WHEN {v} IS NULL THEN '' ELSE concat({cell}) END")
        widths.append(len(header))
    # widths from the first rows read (a cosmetic figure: a full pass cost seconds at national scale)
    shown = f"SELECT {', '.join(values)} FROM ({rows.format(n='')} LIMIT {WIDTH_ROWS})"
    found = conn.cursor().execute(f"SELECT {', '.join(measures)} FROM ({shown})").fetchall()[0]
    widths = [min(xlsx.MAX_WIDTH, max(w, int(m or 0)) + 2) for w, m in zip(widths, found, strict=True)]
    return Sheet(source, values, cells, widths)


def _rows_sql(sheet: Sheet, part: Part) -> str:
    row = ", ".join(["'<row r=\"', rs, '\">'", *sheet.cells, "'</row>'"])
    # sorted first, the XML built after: sorting the built rows moved 5× the bytes
    return (
        f"SELECT concat({row}) AS xml FROM (SELECT CAST(n - {part.first} + 1 AS VARCHAR) AS rs, "
        f"{', '.join(sheet.values)} FROM ({sheet.source}) "
        f"WHERE n > {part.first} AND n <= {part.last} ORDER BY n)"
    )


def _batches(conn: duckdb.DuckDBPyConnection, query: str) -> Iterator[tuple[bytes, int]]:
    """(XML, rows) of each batch, read by a thread while the caller compresses the one before."""
    ready: queue.Queue[tuple[bytes, int] | BaseException | None] = queue.Queue(maxsize=2)

    def read() -> None:
        try:
            for batch in conn.cursor().sql(query).to_arrow_reader(BATCH_ROWS):
                ready.put((_joined(batch), batch.num_rows))
            ready.put(None)
        except BaseException as exc:  # handed to the caller, raised there
            ready.put(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:  # stopped early (a write failed): let the reader finish rather than wait on a full queue
        while reader.is_alive():
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.1)
        reader.join()


def _joined(rows: Any) -> bytes:
    """A batch of row XML as one byte string, joined by Arrow (no Python object per row)."""
    column = rows.column(0)
    whole = pa.ListArray.from_arrays(pa.array([0, len(column)], pa.int32()), column)
    return cast(bytes, pc.binary_join(whole, "")[0].as_py().encode())


DEFLATE_THREADS = 2  # compressing the XML (~1 GB nationally) took more time than DuckDB building it
IN_FLIGHT = 4  # batches being compressed at once (each ~12 MB of XML)


class _ParallelDeflate:
    """A zipfile compressor deflating each written piece in a worker thread, output kept in order.

    As pigz does: every piece is a raw deflate run ended by a sync flush (whole bytes, no final
    block), the member ends with an empty final block, so the pieces read as one deflate stream.
    zlib releases the GIL, so the pieces compress on both cores while DuckDB builds the next batch.
    """

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self.pool = pool
        self.pending: deque[Future[bytes]] = deque()

    @staticmethod
    def _deflate(data: bytes) -> bytes:
        packer = zlib.compressobj(1, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)

    def compress(self, data: bytes) -> bytes:
        self.pending.append(self.pool.submit(self._deflate, bytes(data)))
        done = []
        while self.pending and (len(self.pending) > IN_FLIGHT or self.pending[0].done()):
            done.append(self.pending.popleft().result())
        return b"".join(done)

    def flush(self) -> bytes:
        done = [self.pending.popleft().result() for _ in range(len(self.pending))]
        return b"".join(done) + zlib.compressobj(1, zlib.DEFLATED, -15).flush()


def write(
    conn: duckdb.DuckDBPyConnection,
    target: IO[bytes],
    guide: pd.DataFrame,
    registries: list[Registry],
    choices: Mapping[str, Mapping[str, xlsx.Choices]],
    progress: Progress | None = None,
    guide_title: str = "Instrukcja",
) -> None:
    """The workbook into `target`: the Instrukcja, then every registry's sheets, rows streamed."""
    counts = {
        r.table: conn.cursor()
        .execute(f"SELECT count(*) FROM {ident(r.table)} t {f'WHERE {r.rows}' if r.rows else ''}")
        .fetchall()[0][0]
        for r in registries
    }
    all_parts = [p for r in registries for p in parts(r, counts[r.table])]
    total, done = sum(p.rows for p in all_parts), 0
    with tempfile.TemporaryDirectory(prefix="kooperacja-export-") as tmp:
        skeleton = Path(tmp) / "skeleton.xlsx"
        sheets, part_files = _skeleton(conn, skeleton, (guide_title, guide), all_parts, choices)
        with (
            zipfile.ZipFile(skeleton) as src,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
            ThreadPoolExecutor(DEFLATE_THREADS, thread_name_prefix="kooperacja-deflate") as pool,
        ):
            for info in src.infolist():
                part = part_files.get(info.filename)
                if part is None:
                    with src.open(info) as a, out.open(info.filename, "w") as b:
                        shutil.copyfileobj(a, b)
                    continue
                head, tail = _split(src.read(info), part)
                with out.open(info.filename, "w", force_zip64=True) as b:
                    b._compressor = _ParallelDeflate(pool)  # type: ignore[attr-defined]  # before any write
                    b.write(head)
                    for xml, rows in _batches(conn, _rows_sql(sheets[part.registry.table], part)):
                        b.write(xml)
                        done += rows
                        if progress:
                            progress(done, total, part.title)
                    b.write(tail)
                if progress and not part.rows:
                    progress(done, total, part.title)


def _split(xml: bytes, part: Part) -> tuple[bytes, bytes]:
    """The part's XML around where its rows go, with its dimension covering them."""
    ncols = len(part.registry.headers())
    last = f"{xl_col_to_name(max(ncols, 1) - 1)}{part.rows + 1}"
    xml = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>'.encode(), xml, count=1)
    at = xml.index(b"</sheetData>")
    return xml[:at], xml[at:]


class _Shape:
    """What the drop-downs read of a sheet: its headers and its row count."""

    def __init__(self, columns: list[str], rows: int) -> None:
        self.columns, self.rows = columns, rows

    def __len__(self) -> int:
        return self.rows


def _skeleton(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    guide: tuple[str, pd.DataFrame],
    all_parts: list[Part],
    choices: Mapping[str, Mapping[str, xlsx.Choices]],
) -> tuple[dict[str, Sheet], dict[str, Part]]:
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    wb = xlsxwriter.Workbook(str(path), options)
    formats = xlsx._Formats(wb)
    # the xf indices the streamed date cells name: fixed now, as xlsxwriter would on first use
    index = {"day": formats.day._get_xf_index(), "moment": formats.moment._get_xf_index()}
    taken: set[str] = set()
    titles: dict[str, str] = {}
    worksheets: dict[str, Any] = {}
    shapes: dict[str, _Shape] = {}
    guide_ws = wb.add_worksheet(xlsx._sheet_title(guide[0], taken))
    xlsx._write_sheet(guide_ws, guide[1], formats)
    sheets: dict[str, Sheet] = {}
    part_files: dict[str, Part] = {}
    for number, part in enumerate(all_parts, start=2):
        reg = part.registry
        if reg.table not in sheets:
            sheets[reg.table] = build(conn, reg, index)
        sheet = sheets[reg.table]
        headers = list(reg.headers().values())
        ws = wb.add_worksheet(xlsx._sheet_title(part.title, taken))
        titles[part.title], worksheets[part.title] = ws.name, ws
        shapes[part.title] = _Shape(headers, part.rows)
        part_files[f"xl/worksheets/sheet{number}.xml"] = part
        for c, header in enumerate(headers):
            ws.write_string(0, c, header, formats.bold)
            ws.set_column(c, c, sheet.widths[c])
        ws.freeze_panes(1, 0)
        if headers:
            ws.autofilter(0, 0, max(part.rows, 1), len(headers) - 1)
    part_choices = {p.title: choices[p.registry.sheet] for p in all_parts if p.registry.sheet in choices}
    frames = cast(Mapping[str, pd.DataFrame], shapes)
    xlsx._drop_downs(wb, frames, titles, worksheets, part_choices, taken)
    wb.close()
    return sheets, part_files
