"""The shared widgets in Polish: an empty grid cell is blank (not "None"), an empty table is said in
words (not the grid's "empty"), select boxes and multiselects carry the Polish placeholder."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _table_app():
    import pandas as pd

    from kooperacja.ui import widgets

    widgets.table(pd.DataFrame({"Gmina": ["A", "B"], "Mediana (dni)": [3.0, None]}), "t1", "t1")
    widgets.table(pd.DataFrame({"Gmina": []}), "t2", "t2")


def _persistent_app():
    import streamlit as st

    from kooperacja.ui import widgets

    widgets.persistent(st.selectbox, "Gmina", key="s", name="s", options=["a", "b"], index=None)
    widgets.persistent(st.multiselect, "Sektory", key="m", name="m", options=["a", "b"])


def test_an_empty_cell_is_blank_and_an_empty_table_is_said():
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    (grid,) = at.dataframe  # the empty table draws no grid (and offers no empty XLSX)
    assert grid.proto.placeholder == ""
    assert [c.value for c in at.caption] == ["Brak wierszy do pokazania."]
    assert [b.key for b in at.get("download_button")] == ["t1_xlsx"]


def test_persistent_filters_get_the_polish_placeholder_and_no_select_all():
    at = AppTest.from_function(_persistent_app).run()
    assert not at.exception
    assert at.selectbox(key="s").proto.placeholder == "Wybierz…"
    multi = at.multiselect(key="m").proto
    assert multi.placeholder == "Wybierz…"
