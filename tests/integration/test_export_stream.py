"""The streamed registries export: the same cells as the labelled registry, continuation sheets past
Excel's last row that the import reads back, progress as the rows are written."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from kooperacja.cli import main
from kooperacja.exchange import stream
from kooperacja.exchange import workbook as exchange
from kooperacja.exchange.mapping import REGISTRIES


def _cells(ws) -> list[list]:
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    return [
        [v.date() if isinstance(v, datetime) and v.time() == datetime.min.time() else v for v in r]
        for r in rows
    ]


def test_every_streamed_sheet_holds_the_labelled_registry_cell_for_cell(demo_conn):
    wb = openpyxl.load_workbook(io.BytesIO(exchange.export_registries(demo_conn)))
    assert wb.sheetnames[0] == exchange.GUIDE and wb.sheetnames[-1] == "Listy"
    for table, reg in REGISTRIES.items():
        frame = exchange.labelled_frame(demo_conn, table)
        ws = wb[reg.sheet]
        assert [c.value for c in ws[1]] == list(frame.columns), table
        want = [[None if v is None or v != v else v for v in row] for row in frame.itertuples(index=False)]
        assert _cells(ws) == want, table
        assert ws.freeze_panes == "A2", table


def test_texts_dates_and_terc_keep_their_form_in_the_stream(demo_conn):
    tricky = "  <b>Ośrodek & „Spółka” _x0041_ =1+1  "
    code = demo_conn.execute("SELECT min(institution_id) FROM institution").fetchall()[0][0]
    demo_conn.execute("UPDATE institution SET name = ? WHERE institution_id = ?", [tricky, code])
    wb = openpyxl.load_workbook(io.BytesIO(exchange.export_registries(demo_conn, ["institution", "gmina"])))
    names = [r[0].value for r in wb["Instytucje"].iter_rows(min_row=2)]
    heads = [c.value for c in wb["Instytucje"][1]]
    first = next(r for r in wb["Instytucje"].iter_rows(min_row=2) if r[0].value == code)
    shown = first[heads.index(exchange._registry("institution").headers()["name"])].value
    assert shown.replace("_x005F_", "_") == tricky  # Excel reads "_x005F_" as "_", as xlsxwriter writes it
    assert names == sorted(names)  # in key order
    gminy = wb["Gminy"]
    heads = [c.value for c in gminy[1]]
    terc = gminy.cell(2, 1 + heads.index("Kod TERC"))
    assert terc.data_type == "s" and len(terc.value) == 7  # text, as a TERC with a leading zero needs
    dated = [c for row in gminy.iter_rows(min_row=2) for c in row if isinstance(c.value, datetime)]
    assert all(c.number_format == "DD.MM.YYYY" for c in dated)


def test_a_registry_past_the_sheet_limit_carries_on_in_sheets_the_import_reads_back(demo_conn, monkeypatch):
    monkeypatch.setattr(stream, "SHEET_ROWS", 40)
    monkeypatch.setattr(stream, "BATCH_ROWS", 7)
    count = demo_conn.execute("SELECT count(*) FROM institution").fetchall()[0][0]
    assert count > 80
    data = exchange.export_registries(demo_conn, ["institution"])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = [n for n in wb.sheetnames if n.startswith("Instytucje")]
    assert sheets == ["Instytucje"] + [f"Instytucje ({k})" for k in range(2, len(sheets) + 1)]
    assert [wb[n].max_row - 1 for n in sheets][:-1] == [40] * (len(sheets) - 1)
    assert sum(wb[n].max_row - 1 for n in sheets) == count
    assert all(wb[n].auto_filter.ref for n in sheets)
    parsed = exchange.parse_file(data, "rejestry.xlsx")
    assert sum(s.total for s in parsed.sheets) == count and not parsed.errors
    assert {s.registry.table for s in parsed.sheets} == {"institution"}
    checked = exchange.check_import(demo_conn.cursor(), _admin(), parsed)
    assert not checked.errors and checked.to_write == 0  # the same rows: nothing to change


def _admin():
    from kooperacja.model.access import Actor

    return Actor("admin", "admin")


def test_progress_counts_every_row_sheet_by_sheet_up_to_the_whole(demo_conn):
    calls: list[tuple[int, int, str]] = []
    exchange.export_registries(
        demo_conn, ["gmina", "case_file", "zgloszenie_assignment"], progress=lambda *a: calls.append(a)
    )
    total = sum(
        demo_conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("gmina", "case_file", "zgloszenie_assignment")
    )
    assert calls[-1][:2] == (total, total)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    assert list(dict.fromkeys(c[2] for c in calls)) == ["Gminy", "Sprawy", "Przydziały zgłoszeń"]


def test_the_cli_export_prints_a_line_per_sheet(demo_copy, tmp_path, capsys):
    file = tmp_path / "r.xlsx"
    assert (
        main(["export", str(file), "--db", str(demo_copy), "--table", "gmina", "--table", "case_file"]) == 0
    )
    out = capsys.readouterr().out
    assert "Gminy" in out and "Sprawy" in out and str(file) in out
    assert openpyxl.load_workbook(file).sheetnames[:3] == [exchange.GUIDE, "Gminy", "Sprawy"]


@pytest.mark.parametrize(("name", "base"), [("Sprawy (2)", "Sprawy"), ("Sprawy (1)", None), ("Sprawy", None)])
def test_a_continuation_sheet_is_named_after_its_registry(name, base):
    assert stream.continued_sheet(name) == base
