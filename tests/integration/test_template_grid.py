"""The harmonogram template edited in a grid and exchanged as a file: a new version, history untouched,
Polish letters kept whatever the encoding or separator Excel chose."""

from __future__ import annotations

import csv
import io

import pytest

from kooperacja.exchange import template
from kooperacja.exchange.text import comma_csv
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput
from kooperacja.programme import data_entry

ADMIN = Actor("admin", "admin")


def _steps(conn, version: int) -> list[tuple]:
    return conn.execute(
        "SELECT substep, title, level, start_month, end_month, every_months FROM template_step "
        "WHERE template_id = 1 AND version = ? ORDER BY substep",
        [version],
    ).fetchall()


def test_the_grid_shows_polish_headers_and_labels_and_saves_an_edit_as_a_new_version(demo_conn):
    grid = template.template_grid(demo_conn, 1, 1)
    assert list(grid.columns)[:4] == ["Krok", "Podkrok", "Nazwa podkroku", "Poziom"]
    assert set(grid["Poziom"]) == {"region (ROPS)", "gmina"}
    before = _steps(demo_conn, 1)
    grid.loc[0, "Nazwa podkroku"] = "Spotkanie z dyrektorami PCPR, wójtami i starostami — zmienione"
    grid.loc[1, "Poziom"] = "REGION (ROPS)"  # a label as typed
    grid.loc[2, "Miesiąc końca"] = "3"  # a number as text
    assert template.save_template_grid(demo_conn, ADMIN, 1, grid) == (1, 2)
    assert _steps(demo_conn, 1) == before  # the version the gminy follow is untouched
    after = {s[0]: s for s in _steps(demo_conn, 2)}
    assert after[before[0][0]][1].endswith("— zmienione") and len(after) == len(before)
    assert demo_conn.execute("SELECT DISTINCT template_version FROM pilot_gmina").fetchall() == [(1,)]


def test_a_grid_with_a_bad_cell_or_row_is_refused_naming_row_and_column_and_saves_nothing(demo_conn):
    grid = template.template_grid(demo_conn, 1, 1)
    grid.loc[3, "Poziom"] = "powiat"
    with pytest.raises(InvalidInput, match="Wiersz 4, Poziom: nieznana wartość „powiat”"):
        template.save_template_grid(demo_conn, ADMIN, 1, grid)
    grid = template.template_grid(demo_conn, 1, 1)
    grid.loc[0, "Miesiąc końca"] = 0
    with pytest.raises(InvalidInput, match="Wiersz 2, Miesiąc końca"):  # the template file's numbering
        template.save_template_grid(demo_conn, ADMIN, 1, grid)
    with pytest.raises(AccessDenied):
        template.save_template_grid(
            demo_conn, Actor("animator1", "animator"), 1, template.template_grid(demo_conn, 1, 1)
        )
    assert demo_conn.execute("SELECT max(version) FROM template").fetchall() == [(1,)]


def test_an_empty_row_added_in_the_grid_is_skipped(demo_conn):
    grid = template.template_grid(demo_conn, 1, 1)
    grid.loc[len(grid)] = [None] * len(grid.columns)
    assert template.save_template_grid(demo_conn, ADMIN, 1, grid) == (1, 2)


@pytest.mark.parametrize(("encoding", "sep"), [("cp1250", ","), ("cp1250", ";"), ("utf-8-sig", ";")])
def test_a_template_file_resaved_by_polish_excel_keeps_its_letters(demo_conn, encoding, sep):
    rows = list(csv.reader(io.StringIO(data_entry.template_csv(demo_conn, 1, 1))))
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    data = out.getvalue().encode(encoding)
    saved = data_entry.save_template_version(demo_conn, ADMIN, comma_csv(data, "harmonogramu"), 1)
    assert saved == (1, 2)
    titles = [s[1] for s in _steps(demo_conn, 2)]
    assert titles == [s[1] for s in _steps(demo_conn, 1)]
    assert not any("\ufffd" in t for t in titles) and any("ó" in t or "ą" in t for t in titles)
