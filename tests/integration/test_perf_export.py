"""The national export's speed work (issue 16) changes no byte of a sheet: the fast path of plain
texts writes what the full escaping writes, and the parallel deflate reads back as the XML it packed."""

from __future__ import annotations

import io
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest

from kooperacja.exchange import stream

TEXTS = [
    "",
    "Ośrodek Pomocy Społecznej",
    "0201011",
    "a & b",
    "<b>pogrubione</b>",
    "x > y",
    " na początku",
    "na końcu ",
    "\ttabulator",
    "nowy wiersz\n",
    "\rpowrót",
    "_x0041_",
    "a_xb",
    "_x00zz_",
    "  <b>Ośrodek & „Spółka” _x0041_ =1+1  ",
    "o'cudzysłów\"",
    "wiele   spacji   w środku",
    "\u00a0twarda spacja",  # not one of the four: not preserved, as before
]


def _full_escaping(expr: str) -> str:
    """The cell text's SQL before the fast path (every text escaped in full): the reference."""
    out = f"replace(replace(replace({expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    kept = f"regexp_replace({out}, '_(x[0-9A-Fa-f]{{4}}_)', '_x005F_\\1', 'g')"
    out = f"CASE WHEN contains({expr}, '_x') THEN {kept} ELSE {out} END"
    keep = f"CASE WHEN {expr} = trim({expr}, ' \t\n\r') THEN '' ELSE ' xml:space=\"preserve\"' END"
    return f"' t=\"inlineStr\"><is><t', {keep}, '>', {out}, '</t></is></c>'"


def test_plain_texts_take_the_fast_path_and_every_text_is_written_as_before():
    conn = duckdb.connect()
    conn.execute("CREATE TABLE t (i INTEGER, v VARCHAR)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(TEXTS)))
    new = conn.execute(f"SELECT concat({stream._inline('v')}) FROM t ORDER BY i").fetchall()
    old = conn.execute(f"SELECT concat({_full_escaping('v')}) FROM t ORDER BY i").fetchall()
    assert new == old
    plain = dict(zip(TEXTS, (r[0] for r in new), strict=True))
    assert plain["0201011"] == ' t="inlineStr"><is><t>0201011</t></is></c>'
    assert plain["a & b"] == ' t="inlineStr"><is><t>a &amp; b</t></is></c>'
    assert plain[" na początku"].startswith(' t="inlineStr"><is><t xml:space="preserve">')


@pytest.mark.parametrize("pieces", [0, 1, 9])
def test_the_parallel_deflate_reads_back_as_the_xml_it_packed(pieces):
    written = [b"<sheetData>"] + [os.urandom(3000) + b"<row>abc</row>" * (500 * k) for k in range(pieces)]
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
        ThreadPoolExecutor(2) as pool,
        out.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as member,
    ):
        member._compressor = stream._ParallelDeflate(pool)
        for piece in written:
            member.write(piece)
    with zipfile.ZipFile(buffer) as back:
        assert back.testzip() is None  # the CRC of every member checks
        assert back.read("xl/worksheets/sheet2.xml") == b"".join(written)
