"""Update by re-import: a stored key is compared field by field, every changed cell is listed, the write
waits for confirmation, a row changed in the warehouse after the export is refused as stale."""

from __future__ import annotations

import io
import time
from datetime import date

import openpyxl
import pytest

from kooperacja.exchange import workbook as exchange
from kooperacja.model.access import Actor
from kooperacja.model.records import Institution
from kooperacja.warehouse import transaction
from kooperacja.warehouse.store import update

ADMIN = Actor("admin", "admin")
TODAY = date(2026, 11, 24)
GMINA = "3401011"


def _edit(xlsx: bytes, sheet: str, edits: dict[tuple[int, str], object]) -> bytes:
    """The workbook with cells (row, header) of one sheet set, as a user edits it in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for (row, header), value in edits.items():
        ws.cell(row=row, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check(conn, data: bytes, name: str = "rejestry.xlsx", actor: Actor = ADMIN):
    return exchange.check_import(conn.cursor(), actor, exchange.parse_file(data, name), TODAY)


def _apply(conn, data: bytes, name: str = "rejestry.xlsx", actor: Actor = ADMIN):
    return exchange.apply_import(conn, actor, exchange.parse_file(data, name), today=TODAY)


def test_one_edited_cell_is_one_change_written_on_confirm_and_the_same_file_twice_changes_nothing(demo_conn):
    export = exchange.export_registries(demo_conn, ["institution", "step_event", "case_file"])
    first = demo_conn.execute("SELECT institution_id, name FROM institution ORDER BY 1 LIMIT 1").fetchall()[0]
    edited = _edit(
        export, "Instytucje", {(2, "Nazwa instytucji"): "Gminny Ośrodek Pomocy Społecznej (nowa nazwa)"}
    )
    checked = _check(demo_conn, edited)
    assert not checked.errors
    changes = checked.changes()
    assert changes.values.tolist() == [
        [
            "Instytucje",
            2,
            str(first[0]),
            "Nazwa instytucji",
            first[1],
            "Gminny Ośrodek Pomocy Społecznej (nowa nazwa)",
        ]
    ]
    institutions = demo_conn.execute("SELECT count(*) FROM institution").fetchall()[0][0]
    assert checked.summary()[0] == f"Instytucje: 0 nowych, 1 zmieniony, {institutions - 1} bez zmian"
    # checking wrote nothing
    assert demo_conn.execute(
        "SELECT name FROM institution WHERE institution_id = ?", [first[0]]
    ).fetchall() == [(first[1],)]
    result = _apply(demo_conn, edited)
    assert (result.written, result.updated, result.errors) == ({}, {"institution": 1}, [])
    assert result.lines() == ["Instytucje: zapisano 0 nowych wierszy, zmieniono 1 wiersz"]
    row = demo_conn.execute(
        "SELECT name, row_version FROM institution WHERE institution_id = ?", [first[0]]
    ).fetchall()[0]
    assert row[0] == "Gminny Ośrodek Pomocy Społecznej (nowa nazwa)" and row[1] == 2
    log = demo_conn.execute(
        "SELECT action, before->>'name', after->>'name', reason FROM audit_log "
        "WHERE table_name = 'institution' AND record_key = ? ORDER BY audit_id DESC LIMIT 1",
        [str(first[0])],
    ).fetchall()
    assert log == [("update", first[1], row[0], "zmiana wczytana z pliku (import)")]
    again = _check(demo_conn, edited)
    assert not again.errors and again.to_write == 0 and again.changes().empty
    assert _apply(demo_conn, edited).lines() == ["Nic nie zapisano: plik nie zmienia niczego w hurtowni."]


def test_a_row_changed_in_the_warehouse_after_the_export_is_refused_naming_who_and_when(demo_conn):
    export = exchange.export_registries(demo_conn, ["institution"])
    key = demo_conn.execute("SELECT min(institution_id) FROM institution").fetchall()[0][0]
    with transaction(demo_conn) as cur:
        update(cur, "animator2", Institution, key, {"name": "Zmiana w aplikacji"})
    when = demo_conn.execute("SELECT max(changed_at) FROM audit_log").fetchall()[0][0]
    edited = _edit(export, "Instytucje", {(2, "Sektor"): "edukacja", (3, "Nazwa instytucji"): "Inna nazwa"})
    checked = _check(demo_conn, edited)
    [error] = checked.errors
    assert (error.sheet, error.row, error.column, error.value) == ("Instytucje", 2, "ID instytucji", str(key))
    assert f"zmienił(a) w hurtowni animator2 {when:%d.%m.%Y %H:%M}, już po eksporcie" in error.reason
    assert [u.row.row for u in checked.plans["Instytucje"].updates] == [3]  # the other edit stands
    result = _apply(demo_conn, edited)
    assert result.total_written == 0 and result.errors
    assert demo_conn.execute("SELECT name FROM institution WHERE institution_id = ?", [key]).fetchall() == [
        ("Zmiana w aplikacji",)
    ]
    # a fresh export carries the change: the same edit now goes through
    fresh = _edit(
        exchange.export_registries(demo_conn, ["institution"]), "Instytucje", {(2, "Sektor"): "edukacja"}
    )
    assert not _check(demo_conn, fresh).errors


def test_a_file_of_another_installation_or_without_a_stamp_is_compared_without_the_stale_check(demo_conn):
    key = demo_conn.execute("SELECT min(institution_id) FROM institution").fetchall()[0][0]
    export = exchange.export_registries(demo_conn, ["institution"])
    with transaction(demo_conn) as cur:
        update(cur, "animator2", Institution, key, {"name": "Zmiana w aplikacji"})
    demo_conn.execute("UPDATE settings SET value = 'inny' WHERE key = 'cookie_key'")
    checked = _check(demo_conn, _edit(export, "Instytucje", {(2, "Sektor"): "edukacja"}))
    assert not checked.errors
    assert {c.Kolumna for c in checked.changes().itertuples()} == {"Nazwa instytucji", "Sektor"}


def test_a_csv_with_some_columns_changes_only_those_columns(demo_conn):
    key, name, seat = demo_conn.execute(
        "SELECT institution_id, name, seat_terc FROM institution ORDER BY 1 LIMIT 1"
    ).fetchall()[0]
    data = (
        f"ID instytucji;Nazwa instytucji;Sektor;Poziom;Siedziba (TERC)\n{key};{name};Policja;gminny;{seat}\n"
    )
    checked = _check(demo_conn, data.encode("cp1250"), "i.csv")
    assert not checked.errors
    assert [(c.Kolumna, c.Po) for c in checked.changes().itertuples()] in (
        [("Sektor", "policja i bezpieczeństwo")],
        [],
    )


def test_a_pzk_membership_updated_does_not_conflict_with_itself(demo_conn):
    export = exchange.export_registries(demo_conn, ["pzk_member"])
    wb = openpyxl.load_workbook(io.BytesIO(export))
    ws = wb["Członkowie PZK"]
    headers = [c.value for c in ws[1]]
    active = next(
        r for r in range(2, ws.max_row + 1) if ws.cell(r, headers.index("Data wystąpienia") + 1).value is None
    )
    signed = ws.cell(active, headers.index("Data podpisania") + 1).value
    edited = _edit(export, "Członkowie PZK", {(active, "Data podpisania"): signed.replace(day=1)})
    checked = _check(demo_conn, edited)
    assert not checked.errors and len(checked.plans["Członkowie PZK"].updates) == (signed.day != 1)


def test_a_cases_problem_areas_changed_by_import_are_replaced_and_audited(demo_conn):
    code = demo_conn.execute(
        "SELECT case_code FROM case_problem GROUP BY case_code HAVING count(*) = 1 ORDER BY 1 LIMIT 1"
    ).fetchall()[0][0]
    export = exchange.export_registries(demo_conn, ["case_file"])
    wb = openpyxl.load_workbook(io.BytesIO(export))
    ws = wb["Sprawy"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)
    edited = _edit(export, "Sprawy", {(row, "Obszary problemowe"): "ubóstwo; BEZROBOCIE"})
    checked = _check(demo_conn, edited)
    assert not checked.errors
    [change] = checked.changes().itertuples()
    assert (change.Kolumna, change.Po) == ("Obszary problemowe", "bezrobocie; ubóstwo")
    _apply(demo_conn, edited)
    assert demo_conn.execute(
        "SELECT list(problem_code ORDER BY problem_code) FROM case_problem WHERE case_code = ?", [code]
    ).fetchall() == [(["bezrobocie", "ubostwo"],)]
    assert _check(demo_conn, edited).to_write == 0


def test_an_animator_cannot_move_a_row_out_of_their_gminy_by_import(demo_conn):
    gminy = frozenset(
        r[0]
        for r in demo_conn.execute("SELECT terc FROM pilot_gmina WHERE animator = 'animator1'").fetchall()
    )
    other = demo_conn.execute("SELECT terc FROM pilot_gmina WHERE animator = 'animator2' LIMIT 1").fetchall()[
        0
    ][0]
    export = exchange.export_registries(demo_conn, ["step_event"])
    wb = openpyxl.load_workbook(io.BytesIO(export))
    ws = wb["Zdarzenia kroków"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value in gminy)
    edited = _edit(export, "Zdarzenia kroków", {(row, "Kod TERC gminy"): other})
    checked = _check(demo_conn, edited, actor=Actor("animator1", "animator", gminy))
    assert [e.row for e in checked.errors] == [row] and "brak uprawnień" in checked.errors[0].reason


@pytest.mark.slow
def test_ten_thousand_rows_re_imported_as_updates_in_five_seconds(demo_conn):
    rows = "\n".join(
        f"{GMINA};7.2;started;{1 + i % 28:02d}.{1 + i % 10:02d}.2026;admin;wiersz {i}" for i in range(10_000)
    )
    data = ("Kod TERC gminy;Podkrok;Zdarzenie;Data;Wpisał(a);Uwagi\n" + rows + "\n").encode()
    assert (
        exchange.apply_import(demo_conn, ADMIN, exchange.parse_file(data, "n.csv"), today=TODAY).total_written
        == 10_000
    )
    export = exchange.export_registries(demo_conn, ["step_event"])
    wb = openpyxl.load_workbook(io.BytesIO(export))
    ws = wb["Zdarzenia kroków"]
    col = [c.value for c in ws[1]].index("Uwagi") + 1
    for r in range(2, ws.max_row + 1):
        if str(ws.cell(r, col).value or "").startswith("wiersz"):
            ws.cell(r, col, value=f"{ws.cell(r, col).value} — poprawione")
    out = io.BytesIO()
    wb.save(out)
    # CPU time: the 2 shared cores run several test sessions at once (the bench times it alone, wall clock)
    start, wall = time.process_time(), time.perf_counter()
    result = exchange.apply_import(
        demo_conn, ADMIN, exchange.parse_file(out.getvalue(), "z.xlsx"), today=TODAY
    )
    elapsed = time.process_time() - start
    print(f"\n10 000 zmian: {elapsed:.2f} s procesora, {time.perf_counter() - wall:.2f} s zegara")
    assert result.updated == {"step_event": 10_000} and not result.errors
    assert elapsed <= 5
