"""A warm page at national scale (issue 16, fifth round): what a rerun serialises is prepared once."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import plotly.io
import pytest
from plotly.io import _json as plotly_json

from kooperacja.charts import Prepared
from kooperacja.charts import programme as charts
from tests.ui.test_territory_map import _map, real_app  # noqa: F401 (the fixture)
from tests.unit.test_charts import _overview, _shapes

CODES = ["020101", "020102", "020201", "020202", "020203"]
OUTLINES = [[(19.0, 50.0), (19.2, 50.0), (19.2, 50.2), (19.0, 50.0)], [(19.1, 50.1), (19.3, 50.1)]]


def _refuse_cleaning(monkeypatch) -> None:
    """plotly's value-by-value cleaning (≈110 ms for the national map) refused."""

    def refused(*args, **kwargs):
        raise AssertionError("cleaned value by value")

    monkeypatch.setattr(plotly_json, "clean_to_json_compatible", refused)


def test_a_prepared_figure_is_the_same_json_its_dict_made_once_and_orjson_takes_it_whole(monkeypatch):
    fig = charts.choropleth(_overview(), _shapes(CODES), CODES, OUTLINES)
    expected = plotly.io.to_json(fig.to_dict(), validate=False)  # what st.plotly_chart sent so far
    _refuse_cleaning(monkeypatch)
    with pytest.raises(AssertionError, match="cleaned"):
        plotly.io.to_json(fig.to_dict(), validate=False)  # orjson refuses the outlines' None gaps
    prepared = Prepared(fig)
    assert prepared.to_dict() is prepared.to_dict()  # no deep copy a run
    assert plotly.io.to_json(prepared.to_dict(), validate=False) == expected  # byte for byte
    assert list(prepared.data[0].locations) == list(fig.data[0].locations)


def test_the_overview_map_is_sent_without_copying_or_cleaning_it_each_run(real_app, monkeypatch):  # noqa: F811
    _refuse_cleaning(monkeypatch)
    at = real_app("admin", "admin").run()
    assert not at.exception
    first, spec = _map(at)
    at.run()
    assert not at.exception  # a warm rerun: no cleaning (refused above)
    _, spec_again = _map(at)
    assert spec_again == spec
    (shapes,) = [t for t in first["data"] if t["type"] == "choropleth"]
    assert len(shapes["locations"]) == 144
    (outlines,) = [t for t in first["data"] if t.get("mode") == "lines"]
    assert None in outlines["lon"]  # the rings' gaps are still null in the JSON


def test_arrays_of_objects_come_out_as_the_cleaning_makes_them(monkeypatch):
    fig = go.Figure(
        go.Heatmap(z=np.array([[1, None], [2, 3]], dtype=object), text=np.array(["a", None], dtype=object))
    )
    fig.add_trace(go.Scatter(x=np.array([1.5, None, 2.0], dtype=object), y=[1, 2, 3]))
    expected = plotly.io.to_json(fig.to_dict(), validate=False)
    _refuse_cleaning(monkeypatch)
    assert plotly.io.to_json(Prepared(fig).to_dict(), validate=False) == expected
