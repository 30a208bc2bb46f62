"""Tables without the 500-row cap (issue 16): a long table is drawn whole by the grid's column config,
with Polish texts prepared a column at a time, and a very long one a page at a time ("Strona N z M")."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from kooperacja.ui import widgets

ROWS = 1_500  # more than the old cap (500) and than the styled tables (widgets.STYLED_ROWS)


def _long_table():
    import pandas as pd

    from kooperacja.ui import widgets

    n = 1_500
    frame = pd.DataFrame(
        {
            "Gmina": [f"Gmina {i}" for i in range(n)],
            "Termin": pd.date_range("2026-01-01", periods=n, freq="D").date,
            "Dni po terminie": list(range(n)),
            "Stan": ["zatrzymana", "w terminie", "opóźniona"] * (n // 3),
        }
    )
    widgets.table(frame, "long", "dlugi", colored=["Stan"])


def test_a_long_table_is_drawn_whole_with_polish_dates_and_marked_states():
    assert widgets.STYLED_ROWS < ROWS
    at = AppTest.from_function(_long_table).run(timeout=30)
    assert not at.exception
    (grid,) = at.dataframe
    shown = grid.value
    assert len(shown) == ROWS  # every row, not the first 500
    config = json.loads(grid.proto.columns)
    assert config["Termin"]["type_config"]["format"] == "DD.MM.YYYY"
    assert config["Dni po terminie"]["type_config"]["format"] == "%d"
    assert shown["Dni po terminie"].tolist()[:3] == [0, 1, 2]  # numbers stay numbers (sorting)
    assert set(shown["Stan"]) == {"🟪 zatrzymana", "🟦 w terminie", "🟥 opóźniona"}
    assert not any("Pokazano pierwsze" in c.value for c in at.caption)


def _paged_table():
    import pandas as pd

    from kooperacja.ui import widgets

    widgets.PAGE_ROWS = 100
    widgets.table(pd.DataFrame({"Nr": range(2_500)}), "paged", "strony")


def test_a_very_long_table_is_shown_a_page_at_a_time_in_polish(monkeypatch):
    monkeypatch.setattr(widgets, "PAGE_ROWS", widgets.PAGE_ROWS)  # restored after the app set it
    at = AppTest.from_function(_paged_table).run(timeout=30)
    assert not at.exception
    pick = at.selectbox(key="paged_page")
    assert pick.options[0] == "Strona 1 z 25" and pick.options[-1] == "Strona 25 z 25"
    assert at.dataframe[0].value["Nr"].tolist() == list(range(100))
    pick.select(25).run()
    assert at.dataframe[0].value["Nr"].tolist() == list(range(2_400, 2_500))


def test_the_grid_frame_has_polish_texts_and_no_none():
    frame = pd.DataFrame(
        {
            "Gmina": ["A", None, "C"],
            "Data": [date(2026, 1, 2), None, date(2026, 3, 4)],
            "Chwila": [datetime(2026, 1, 2, 13, 5), None, datetime(2026, 1, 3)],
            "Mediana (dni)": [1.25, None, 1234.5],
            "Obecny": [True, None, False],
            "Sprawy": [1234, "<5", None],
        }
    )
    data, config = widgets.grid(frame)
    pa.Table.from_pandas(data)  # Arrow takes every column as it is
    assert data["Gmina"].tolist() == ["A", "", "C"]
    assert data["Mediana (dni)"].tolist() == ["1,2", "", "1\xa0234,5"]
    assert data["Obecny"].tolist() == ["tak", "", "nie"]
    assert data["Sprawy"].tolist() == ["1\xa0234", "<5", ""]
    assert config["Chwila"]["type_config"]["format"] == "DD.MM.YYYY HH:mm"
    assert config["Data"]["type_config"]["format"] == "DD.MM.YYYY"
