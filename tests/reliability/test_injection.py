"""SQL and HTML/JS injection strings are data: stored verbatim, never run, exported and shown inert."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kooperacja import warehouse, wzk
from kooperacja.exchange import workbook as exchange
from kooperacja.model.access import Actor
from kooperacja.programme import services as programme
from tests.reliability_figures import record_figure

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("admin", "admin")
INJECTIONS = [
    "Robert'); DROP TABLE institution; --",
    "x' OR '1'='1",
    "'; UPDATE app_user SET role = 'admin'; --",
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[kliknij](javascript:alert(1))",
    "{{7*7}} ${7*7} %s %(name)s",
]
# Every unsafe_allow_html in the app, and why it is safe (fixed labels, or html.escape on user text).
UNSAFE_HTML_ALLOWED = {
    "kooperacja/ui/widgets.py": 2,  # the colour legends: fixed labels from the code
    "pages/wzk.py": 2,  # the meeting slide and its counter: user text goes through html.escape
}


@pytest.fixture
def conn(demo_conn):
    return demo_conn


def test_injection_strings_are_stored_verbatim_and_run_nothing(conn):
    before = warehouse.table_counts(conn)
    ids = [
        programme.add_institution(
            conn, ADMIN, {"name": text, "sector": "ngo", "level": "gmina", "seat_terc": "3401011"}
        )
        for text in INJECTIONS
    ]
    stored = conn.execute(
        "SELECT name FROM institution WHERE list_contains(?, institution_id) ORDER BY institution_id", [ids]
    ).fetchall()
    assert [r[0] for r in stored] == INJECTIONS
    after = warehouse.table_counts(conn)
    assert after["institution"] == before["institution"] + len(INJECTIONS)
    assert {k: v for k, v in after.items() if k not in ("institution", "audit_log")} == {
        k: v for k, v in before.items() if k not in ("institution", "audit_log")
    }
    assert conn.execute("SELECT count(*) FROM app_user WHERE role = 'admin'").fetchall() == [(1,)]
    record_figure("ciągi wstrzyknięć SQL/HTML zapisane jako zwykły tekst", len(INJECTIONS))


def test_an_export_holds_no_live_formula_even_for_formula_text_already_in_the_warehouse(conn):
    # Data written before the model refused formulas (or by hand) must still come out inert.
    conn.execute(
        'UPDATE institution SET name = \'=HYPERLINK("http://zly.example","Klik")\' WHERE institution_id = 1'
    )
    conn.execute("UPDATE institution SET name = '+cmd|'' /C calc''!A0' WHERE institution_id = 2")
    wb = openpyxl.load_workbook(io.BytesIO(exchange.export_registries(conn)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert len(cells) > 1000
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    names = {c.value for c in cells}
    assert '=HYPERLINK("http://zly.example","Klik")' in names


def test_a_slide_escapes_html_in_user_text():
    from pages.wzk import _slide_html

    slide = wzk.Slide(
        title="<script>alert(1)</script>", numbers=[("<b>x</b>", "1")], lines=['<img src=x onerror="a()">']
    )
    html_text = _slide_html(slide)
    assert "<script>" not in html_text and "<img" not in html_text
    assert "&lt;script&gt;" in html_text


def test_unsafe_html_is_used_only_where_reviewed():
    found = {}
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("kooperacja/**/*.py"), ROOT / "app.py"]:
        count = len(re.findall(r"unsafe_allow_html\s*=\s*True", path.read_text(encoding="utf-8")))
        if count:
            found[str(path.relative_to(ROOT))] = count
    assert found == UNSAFE_HTML_ALLOWED


def test_recommendation_text_with_html_is_kept_as_text(conn):
    rec = wzk.add_recommendation(
        conn,
        ADMIN,
        {"kind": "legal", "text": "<script>alert(1)</script>", "owner": "ROPS"},
        date(2026, 11, 24),
    )
    assert conn.execute("SELECT text FROM recommendation WHERE recommendation_id = ?", [rec]).fetchall() == [
        ("<script>alert(1)</script>",)
    ]
