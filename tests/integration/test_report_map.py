"""The effects report's map: the region's gminy coloured by progress, drawn as vectors in the PDF."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pypdf
import pytest
from PIL import Image
from shapely.geometry import shape

from kooperacja import warehouse
from kooperacja.charts.programme import CONTEXT_COLOR, PROGRESS_COLORS
from kooperacja.model.access import REPORT_READER
from kooperacja.report import effects as report
from kooperacja.report import pdf as layout
from kooperacja.territory import geo
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
DPI = 100


@pytest.fixture(scope="module")
def real(real_demo_db):
    conn = warehouse.connect(real_demo_db, read_only=True)
    effects = report.effects(conn, REPORT_READER, TODAY)
    shapes = {
        f["id"]: shape(f["geometry"])
        for f in geo.boundaries_geojson(conn, geo.region_terc6(conn, ["04"]))["features"]
    }
    yield conn, effects, shapes
    conn.close()


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _map_page(pdf: bytes) -> int:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return next(n for n, p in enumerate(pages, start=1) if "poza pilotażem:" in p.extract_text())


def test_the_region_map_holds_every_gmina_with_its_state(real):
    _, effects, _ = real
    m = effects.region_map
    assert m is not None and len(m.shapes) == 144
    counts = m.counts()
    assert counts[None] == 132 and sum(n for s, n in counts.items() if s) == 12
    assert len(m.outlines) >= 23
    areas = [shape({"type": "Polygon", "coordinates": [rings[0]]}).area for _, _, rings in m.shapes]
    assert areas[0] == max(areas)  # largest first: a town inside its rural gmina is drawn on top


def test_the_pdf_map_page_shows_each_pilot_gmina_in_the_colour_of_its_state(real, tmp_path):
    _, effects, shapes = real
    pdf = report.to_pdf(effects)
    page = _map_page(pdf)
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(DPI), "-png", "-singlefile",
                    str(tmp_path / "r.pdf"), str(tmp_path / "map")], check=True)  # fmt: skip
    image = Image.open(tmp_path / "map.png").convert("RGB")
    project = layout.map_projection(effects.region_map)
    states = {terc6: state for terc6, state, _ in effects.region_map.shapes}
    checked = 0
    for terc6, state in states.items():
        point = shapes[terc6].representative_point()
        x, y = project(point.x, point.y)
        pixel = image.getpixel((round(x / 25.4 * DPI), round(y / 25.4 * DPI)))
        want = _rgb(PROGRESS_COLORS[state] if state else CONTEXT_COLOR)
        assert max(abs(a - b) for a, b in zip(pixel, want, strict=True)) <= 12, (terc6, state, pixel, want)
        checked += 1
    assert checked == 144
    # vectors, not a picture: no image in the page, and the PDF stays small
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert not list(reader.pages[page - 1].images)
    assert len(pdf) < 1_000_000


def test_no_map_for_a_one_gmina_report_or_a_region_without_boundaries(real, demo_db):
    conn, effects, _ = real
    terc = effects.region_map.shapes and next(t for t, s, _ in effects.region_map.shapes if s)
    pilot = conn.execute("SELECT terc FROM pilot_gmina WHERE left(terc, 6) = ?", [terc]).fetchall()[0][0]
    assert report.effects(conn, REPORT_READER, TODAY, pilot).region_map is None
    fictional = warehouse.connect(demo_db, read_only=True)
    try:
        assert report.effects(fictional, REPORT_READER, TODAY).region_map is None
    finally:
        fictional.close()
