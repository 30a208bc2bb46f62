"""The WZK meeting as a .pptx: one slide per meeting-mode screen, with that screen's very numbers."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from datetime import date

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from kooperacja import cli, warehouse, wzk
from kooperacja.documents import slides
from kooperacja.model import disclosure
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
WZK = Actor("wzk", "wzk")
ADMIN = Actor("admin", "admin")


@pytest.fixture(scope="module")
def demo_read(demo_db):
    conn = warehouse.connect(demo_db, read_only=True)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def shown(demo_read):
    """The WZK member's meeting-mode screens and the presentation built from them."""
    screens = wzk.meeting_slides(demo_read, WZK, TODAY)
    data = slides.meeting_pptx(demo_read, WZK, TODAY, TODAY, screens=screens)
    return screens, Presentation(io.BytesIO(data))


def texts(slide) -> list[str]:
    """Every paragraph of every text frame of the slide (tables' cells included)."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out += [p.text for p in shape.text_frame.paragraphs]
    return out


def charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


def test_the_pptx_has_a_title_slide_then_one_slide_per_screen_of_the_meeting_mode(shown):
    screens, prs = shown
    assert len(prs.slides) == len(screens) + 1
    assert prs.slide_width * 9 == prs.slide_height * 16
    first = "\n".join(texts(prs.slides[0]))
    assert "Posiedzenie Wojewódzkiego Zespołu Kooperacji" in first
    assert f"{TODAY:%d.%m.%Y}, {slides.DEFAULT_PLACE}" in first
    assert "Regionalny Ośrodek Polityki Społecznej" in first
    assert all(f"{n}. {s.title}" in first for n, s in enumerate(screens, start=1))


def test_each_slide_carries_the_numbers_and_lines_of_its_screen(shown):
    screens, prs = shown
    for screen, slide in zip(screens, list(prs.slides)[1:], strict=True):
        found = texts(slide)
        assert slide.shapes.title.text == screen.title
        for label, value in screen.numbers:
            assert value in found and label in found, (screen.title, label, value)
        assert [line for line in screen.lines if line not in found] == [], screen.title


def test_a_chart_is_a_native_bar_chart_of_the_screens_first_rows(shown):
    screens, prs = shown
    drawn = 0
    for screen, slide in zip(screens, list(prs.slides)[1:], strict=True):
        found = charts(slide)
        if screen.chart is None or not len(screen.chart):
            assert not found
            continue
        drawn += 1
        plot = found[0].plots[0]
        head = screen.chart.head(slides.CHART_ROWS)
        assert list(plot.categories) == [str(v) for v in head.iloc[:, 0]]
        for series, col in zip(plot.series, head.columns[1:], strict=True):
            assert series.name == col
            assert list(series.values) == [float(v) for v in head[col]]
    assert drawn  # the progress screen has one


def test_polish_letters_survive_and_no_placeholder_is_left_empty(shown):
    _, prs = shown
    every = "\n".join(t for slide in prs.slides for t in texts(slide))
    assert "Postęp wdrażania" in every and "Gminy opóźnione" in every and "Sprawy osób i rodzin" in every
    for slide in prs.slides:
        assert all(ph.has_text_frame and ph.text_frame.text.strip() for ph in slide.placeholders)
    assert "{{" not in every and "None" not in every and "nan" not in every.split()


def test_a_wzk_member_sees_the_small_counts_hidden_as_in_the_meeting_mode(shown, demo_read):
    screens, prs = shown
    cases = next(n for n, s in enumerate(screens) if s.title == "Sprawy osób i rodzin")
    on_slide = texts(prs.slides[cases + 1])
    assert disclosure.LABEL in on_slide or any(disclosure.LABEL in t for t in on_slide)
    assert any(disclosure.NOTE in t for t in on_slide)  # the footer says what "<5" means
    exact = slides.meeting_pptx(demo_read, ADMIN, TODAY, TODAY)
    admin = Presentation(io.BytesIO(exact)).slides[cases + 1]
    assert not any(disclosure.LABEL in t for t in texts(admin))


def test_any_screen_is_drawn_from_its_fields_a_hidden_count_has_no_bar_but_its_label():
    chart = pd.DataFrame(
        {"Gmina": [f"Gmina {i}" for i in range(20)], "Sprawy": [disclosure.LABEL] + [9] * 19}
    )
    screen = wzk.Slide("Sieć współpracy", [("instytucji", "42")], ["Zażółć gęślą jaźń"], chart)
    facts = slides.MeetingFacts(TODAY, "ROPS w Toruniu", "sala 12")
    prs = Presentation(io.BytesIO(slides.to_pptx([screen], facts, TODAY)))
    slide = prs.slides[1]
    assert slide.shapes.title.text == "Sieć współpracy"
    assert {"42", "instytucji", "Zażółć gęślą jaźń"} <= set(texts(slide))
    series = charts(slide)[0].plots[0].series[0]
    assert list(series.values)[:2] == [0.0, 9.0]
    assert series.points[0].data_label.text_frame.text == disclosure.LABEL
    assert f"Na wykresie {slides.CHART_ROWS} pierwszych pozycji z 20." in texts(slide)
    assert "sala 12" in "\n".join(texts(prs.slides[0]))


def test_the_meeting_is_named_by_its_number_or_its_day(demo_read):
    meetings = wzk.list_meetings(demo_read)
    row = meetings.iloc[-1]
    held_on = pd.Timestamp(row.held_on).date()
    facts = slides.meeting_facts(demo_read, int(row.meeting_id))
    assert facts.held_on == held_on and facts.agenda == row.agenda
    assert slides.meeting_facts(demo_read, held_on).meeting_id == row.meeting_id
    free = slides.meeting_facts(demo_read, date(2026, 12, 3))
    assert free.meeting_id is None and free.held_on == date(2026, 12, 3)
    assert slides.file_name(free) == "wzk_posiedzenie_2026-12-03.pptx"
    with pytest.raises(InvalidInput, match="nie ma posiedzenia nr 999999"):
        slides.meeting_facts(demo_read, 999999)
    assert slides.next_meeting(demo_read, TODAY) == TODAY  # nothing recorded ahead: today's meeting
    assert slides.next_meeting(demo_read, held_on) == row.meeting_id


def test_the_command_line_writes_the_presentation_of_a_recorded_meeting(demo_copy, tmp_path, capsys):
    out = tmp_path / "wzk.pptx"
    argv = ["slides", "--db", str(demo_copy), "--out", str(out), "--today", DEMO_TODAY]
    assert cli.main([*argv, "--meeting", "1"]) == 0
    assert "Zapisano prezentację posiedzenia WZK" in capsys.readouterr().out
    prs = Presentation(str(out))
    assert any(disclosure.LABEL in t for slide in prs.slides for t in texts(slide))  # for the WZK
    assert cli.main(argv) == 1
    assert "podaj albo --meeting NR, albo --date" in capsys.readouterr().err
    assert cli.main([*argv[:-2], "--date", "2026-12-03", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "rozszerzenie .pptx" in capsys.readouterr().err


def test_libreoffice_opens_the_presentation(shown, demo_read, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice is missing: install Debian libreoffice-impress (make test-deps)")
    source = tmp_path / "wzk.pptx"
    screens, _ = shown
    source.write_bytes(slides.meeting_pptx(demo_read, WZK, TODAY, TODAY, screens=screens))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pdf = tmp_path / "wzk.pdf"
    assert pdf.exists(), "LibreOffice could not load the .pptx (is libreoffice-impress installed?)"
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    assert len(pages) == len(screens) + 1
    assert "Posiedzenie Wojewódzkiego Zespołu Kooperacji" in pages[0]
    assert screens[0].numbers[0][1] in pages[1] and "Postęp wdrażania" in pages[1]


def test_a_screen_with_a_table_gets_a_native_table():
    @dataclasses.dataclass
    class TableScreen(wzk.Slide):  # a kind of screen the meeting mode may grow
        table: pd.DataFrame | None = None

    table = pd.DataFrame({"Instytucja": ["GOPS Łąck", "PCPR Płock"], "Powiązań": [7, None]})
    screen = TableScreen("Sieć współpracy", lines=["Stan na dziś"], table=table)
    facts = slides.MeetingFacts(TODAY, "ROPS", "sala 12")
    slide = Presentation(io.BytesIO(slides.to_pptx([screen], facts, TODAY))).slides[1]
    grid = next(s.table for s in slide.shapes if s.has_table)
    assert [[c.text for c in row.cells] for row in grid.rows] == [
        ["Instytucja", "Powiązań"],
        ["GOPS Łąck", "7"],
        ["PCPR Płock", ""],
    ]
