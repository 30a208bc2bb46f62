"""A warm page at national scale (issue 16, fifth round): what a rerun serialises is prepared once."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io
import pytest
from plotly.io import _json as plotly_json

from kooperacja.accounts import users
from kooperacja.charts import Prepared, prepared
from kooperacja.charts import programme as charts
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied
from kooperacja.programme import dashboard, queries
from kooperacja.programme import services as programme
from kooperacja.ui import alert_forms, data, session
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
    made = prepared(fig)
    assert made is fig and isinstance(made, Prepared)  # the figure itself: no copy of its traces
    assert made.to_dict() is made.to_dict()  # no deep copy a run
    assert plotly.io.to_json(made.to_dict(), validate=False) == expected  # byte for byte


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
    assert plotly.io.to_json(prepared(fig).to_dict(), validate=False) == expected


ADMIN = Actor("admin", "admin")
ANIMATOR1 = Actor("animator1", "animator", frozenset({"3401011", "3401032", "3401043", "3401052"}))


def _actor(username: str) -> Actor:
    return session._actor(*data.version_key("actor"), username)


def test_the_actor_is_kept_until_a_user_is_changed_and_a_disabled_account_is_refused_at_once(app_db):
    # users.load_actor read the names of every pilot gmina on every page run (~25 ms nationally).
    zarzad = _actor("zarzad")
    assert _actor("zarzad") is zarzad and zarzad == users.load_actor(session.get_conn(), "zarzad")
    users.set_role(session.get_conn(), ADMIN, "zarzad", "wzk")
    assert _actor("zarzad").role == "wzk"  # the next run sees the new role
    users.set_active(session.get_conn(), ADMIN, "zarzad", False)
    with pytest.raises(AccessDenied):
        _actor("zarzad")


def _step(terc: str) -> None:
    programme.record_step_event(session.get_conn(), ANIMATOR1, terc=terc, substep="9.1", kind="completed",
                                event_on=date(2026, 11, 20), evidence="Protokół 41/2026",
                                today=date(2026, 11, 24))  # fmt: skip


def test_a_gminas_plan_and_gantt_are_kept_over_another_gminas_write_and_remade_after_its_own(app_db):
    plan, figure = data.gmina_timeline("3401011")
    assert data.gmina_timeline("3401011")[1] is figure and isinstance(figure, Prepared)
    _step("3401032")
    assert data.gmina_timeline("3401011")[1] is figure  # another gmina's step: kept
    _step("3401011")
    fresh, redrawn = data.gmina_timeline("3401011")
    assert redrawn is not figure
    expected = queries.gmina_plans(session.get_conn(), date(2026, 11, 24), "3401011")
    pd.testing.assert_frame_equal(fresh, expected)
    assert not fresh.equals(plan)


def test_the_alert_tables_are_made_once_per_filter_and_again_after_a_write(app_db):
    columns = ["status", "gmina", "rule_label", "due_on", "days_over", "message", "link"]
    shown, rows = data.alert_table(ADMIN, "todo", [], [], [], columns)
    assert data.alert_table(ADMIN, "todo", [], [], [], columns)[1] is rows  # no 240 ms a run
    expected = dashboard.filter_alerts(data.region_alerts(), [], [], [])
    pd.testing.assert_frame_equal(shown, expected)
    pd.testing.assert_frame_equal(rows, alert_forms.view(dashboard.alerts_table(expected), columns))
    mine, _ = data.alert_table(ANIMATOR1, "todo", ["animator1"], [], [], columns)
    assert set(mine.animator.dropna()) <= {"animator1"} and len(mine) < len(shown)
    wzk = Actor("wzk", "wzk")
    seen, _ = data.alert_table(wzk, "todo", [], [], [], columns)
    pd.testing.assert_frame_equal(seen, dashboard.visible_alerts(data.region_alerts(), wzk))
    _step("3401011")
    assert data.alert_table(ADMIN, "todo", [], [], [], columns)[1] is not rows  # never a stale list


def test_plotly_writes_figures_with_orjson_which_the_requirements_pin():
    # plotly's own json engine took 230–320 ms for the prepared national map, orjson 22–27 ms; plotly
    # uses orjson ("auto") only when it is installed, and nothing else installs it.
    from pathlib import Path

    pinned = Path(__file__).resolve().parents[2].joinpath("requirements.txt").read_text(encoding="utf-8")
    assert any(line.startswith("orjson==") for line in pinned.splitlines())
    assert plotly.io.json.config.default_engine in ("auto", "orjson")
    assert plotly_json.get_module("orjson", should_load=True) is not None
