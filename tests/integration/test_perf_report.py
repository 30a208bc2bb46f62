"""The effects report, the WZK slides and the change history read only what they show, with the
same results as before (issue 16): the history's labels made once per listing, the report's breaches
counted rather than listed, the slides' case figures without the baskets."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from fpdf import FPDF
from fpdf.table import Table

from kooperacja import warehouse, wzk
from kooperacja.model import records
from kooperacja.model.access import SYSTEM, Actor
from kooperacja.programme import alerts
from kooperacja.report import effects as report
from kooperacja.report import pdf as layout
from kooperacja.report.region_map import RegionMap
from kooperacja.warehouse import history, store, transaction

TODAY = date(2026, 11, 24)
ZARZAD, ADMIN = Actor("zarzad", "zarzad"), Actor("admin", "admin")


@pytest.fixture(scope="module")
def demo(demo_db):
    conn = warehouse.connect(demo_db, read_only=True)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def audited(demo_db, tmp_path_factory):
    """A copy of the demo with a history to read: real corrections, and a row per gmina of the kinds
    the national warehouse holds (records naming gminy, institutions and services, codes, dates)."""
    path = tmp_path_factory.mktemp("perf-report") / "demo.duckdb"
    shutil.copy(demo_db, path)
    conn = warehouse.connect(path)
    rec_id, inst_id, membership, service_id = conn.execute(
        "SELECT (SELECT min(recommendation_id) FROM recommendation WHERE status = 'open'),"
        " (SELECT max(institution_id) FROM institution),"
        " (SELECT min(membership_id) FROM pzk_member"
        "  WHERE institution_id <> (SELECT max(institution_id) FROM institution)),"
        " (SELECT min(service_id) FROM service)"
    ).fetchone()
    tercs = [t for (t,) in conn.execute("SELECT terc FROM gmina ORDER BY terc").fetchall()]
    with transaction(conn) as cur:
        store.update(
            cur, "animator1", records.Recommendation, rec_id, {"status": "in_progress"}, reason="Pomyłka"
        )
        store.update(
            cur, "admin", records.PzkMember, membership, {"institution_id": inst_id}, reason="Zła instytucja"
        )
        for n, terc in enumerate(tercs):
            after = {"terc": terc, "name": f"Gmina {n}", "is_city": n % 2 == 0, "joined_on": "2026-03-05"}
            warehouse.audit(cur, "demo", "insert", "gmina", terc, None, after, terc=terc)
            before = {"institution_id": inst_id, "sector": "health", "left_on": None}
            changed = {"institution_id": inst_id, "sector": "education", "left_on": "2026-05-01"}
            warehouse.audit(cur, "admin", "update", "pzk_member", n, before, changed, terc=terc[:6] + "9")
            service = {"service_id": service_id, "problem_areas": ["poverty", "nope"], "level": "gmina"}
            warehouse.audit(cur, "cli", "delete", "case_service", n, service, None, terc=terc, reason="Błąd")
    yield conn
    conn.close()


def _row_by_row(conn, **filters) -> pd.DataFrame:
    """The history as it was made before: a frame read, each row's texts by the public `readable`."""
    params = {"user": None, "table": None, "terc": None, "since": None, "until": None}
    df = conn.execute(history.CHANGES, params | filters | {"limit": history.MAX_ROWS}).df()
    names: dict[str, dict] = {}
    for field, sql in history.NAMED_BY.items():
        names[field] = {k: str(n) for k, n in conn.execute(sql).fetchall()}
    people = history.display_names(conn)
    rows = []
    for r in df.itertuples():
        before = json.loads(r.before) if isinstance(r.before, str) else None
        after = json.loads(r.after) if isinstance(r.after, str) else None
        changed = None
        if isinstance(before, dict) and isinstance(after, dict):
            changed = {k for k in {*before, *after} if before.get(k) != after.get(k)}
        gmina = names["terc"].get(r.terc)
        rows.append(
            [
                r.changed_at,  # formatted by the SQL of CHANGES
                people.get(r.username, r.username),
                history.ACTIONS[r.action],
                history.TABLE_LABELS.get(r.table_name, r.table_name),
                r.record_key,
                "" if not isinstance(r.terc, str) else f"{gmina} ({r.terc})" if gmina else r.terc,
                history.readable(r.table_name, before, changed, names),
                history.readable(r.table_name, after, changed, names),
                r.reason if isinstance(r.reason, str) else "",
            ]
        )
    return pd.DataFrame(rows, columns=list(history.COLUMNS.values()))


@pytest.mark.parametrize("filters", [{}, {"table": "pzk_member"}, {"user": "animator1"}, {"terc": "3402053"}])
def test_the_history_reads_as_row_by_row_texts_did(audited, filters):
    shown = history.list_changes(audited, SYSTEM, **filters)
    assert len(shown) > 0
    expected = _row_by_row(audited, **filters)
    pd.testing.assert_frame_equal(shown, expected, check_dtype=False)


def test_the_history_labels_the_named_records_once_per_listing(audited, monkeypatch):
    """2,882 national rows each labelled every gmina of the warehouse again (2.1 s for the page)."""
    calls = []
    named = history._named
    monkeypatch.setattr(history, "_named", lambda names: calls.append(1) or named(names))
    shown = history.list_changes(audited, SYSTEM)
    assert len(shown) > 90 and len(calls) == 1


@pytest.mark.parametrize("who", [ZARZAD, ADMIN])
def test_the_report_counts_the_breaches_without_listing_them(demo, monkeypatch, who):
    expected = {
        terc: alerts.breach_counts(alerts.list_breaches(demo, TODAY, terc))
        for terc in [None, "3402053", *demo.execute("SELECT DISTINCT terc FROM zgloszenie").fetchall()[0]]
    }
    assert expected[None]["Naruszenia"].gt(0).all()  # the demo breaks each rule at least once

    def refused(*args, **kwargs):
        raise AssertionError("the report needs the counts only")

    monkeypatch.setattr(alerts, "list_breaches", refused)
    for terc, counts in expected.items():
        pd.testing.assert_frame_equal(report.breach_counts(demo.cursor(), TODAY, terc), counts)
    shown = report.effects(demo, who, TODAY).breaches
    hidden = report.effects(demo, who, TODAY).suppressed
    assert shown.equals(
        report.disclosure.suppress_frame(expected[None], ["Naruszenia"]) if hidden else expected[None]
    )


@pytest.mark.parametrize("hidden", [True, False])
def test_the_slides_case_figures_without_the_baskets_are_the_reports(demo, hidden):
    full = report.case_figures(demo.cursor(), TODAY, None, hidden)
    bare = report.case_figures(demo.cursor(), TODAY, None, hidden, baskets=False)
    assert len(full[3]) > 0 and bare[3].empty and list(bare[3].columns) == list(full[3].columns)
    for a, b in zip(full[:3], bare[:3], strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert full[4] == bare[4]


@pytest.mark.parametrize("who", [Actor("wzk", "wzk"), ADMIN])
def test_the_slides_from_their_own_reads_equal_those_from_the_report(demo, who):
    own = wzk.meeting_slides(demo, who, TODAY)
    given = wzk.meeting_slides(demo, who, TODAY, effects=report.effects(demo, who, TODAY))
    assert [(s.title, s.numbers, s.lines) for s in own] == [(s.title, s.numbers, s.lines) for s in given]


def _pages(pdf: bytes, folder: Path, name: str) -> list[bytes]:
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", str(folder / f"{name}.pdf"), str(folder / name)], check=True
    )
    return [p.read_bytes() for p in sorted(folder.glob(f"{name}-*.png"))]


def test_the_pdf_tables_draw_as_fpdf2_draws_them_with_half_the_layout(demo, tmp_path, monkeypatch):
    """fpdf2 laid out each table cell's text twice (for the row's height, then to draw it): the
    national report's 226 late gminy were half of the PDF's time. The pages stay the same."""
    effects = report.effects(demo, ZARZAD, TODAY)
    laid_out = []
    multi_cell = FPDF.multi_cell

    def counted(self, *args, **kwargs):
        laid_out.append(1)
        return multi_cell(self, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", counted)
    ours = report.to_pdf(effects)
    ours_count = len(laid_out)
    laid_out.clear()
    with monkeypatch.context() as m:
        m.setattr(layout, "_Table", Table)  # fpdf2's own table
        theirs = report.to_pdf(effects)
    assert ours_count < len(laid_out) / 2
    assert _pages(ours, tmp_path, "ours") == _pages(theirs, tmp_path, "theirs")


def test_the_map_writes_the_bytes_of_fpdf2_polygons_once_per_path():
    """The country's map wrote each of its 54,388 points by a call of its own."""
    shapes = [
        ("020101", "late", [[(16.0, 51.0), (16.5, 51.2), (16.4, 50.8), (16.0, 51.0)]]),
        ("020102", None, [[(16.1, 51.0), (16.2, 51.05), (16.15, 50.95), (16.1, 51.0)]]),
    ]
    m = RegionMap(shapes, [[(16.0, 51.0), (16.5, 51.2)]], "powiatów")

    class Points(layout._Pdf):
        def path(self, points, style="D", closed=False):
            self.polygon(points, style=style) if closed else self.polyline(points)

    pages, writes = [], []
    for cls in (layout._Pdf, Points):
        pdf = cls(orientation="P", unit="mm", format="A4")
        pdf.add_font(layout.FONT, "", layout.font_source_sans_pro.font_files_ttf["SourceSansPro"])
        pdf.add_page()
        out, calls = pdf._out, []
        pdf._out = lambda s, out=out, calls=calls: calls.append(s) or out(s)  # type: ignore[method-assign]
        layout._map(pdf, m)
        pages.append(bytes(pdf.pages[1].contents))
        writes.append(sum(1 for s in calls if str(s).endswith((" m", " l"))))
    assert pages[0] == pages[1] and b" B\n" in pages[0]
    assert writes == [3, 10]  # a write per path (2 gminy, 1 outline), not per point
