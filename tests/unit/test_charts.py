"""Plot builders: trace names and counts, status colours, the today line."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kooperacja.charts import programme as charts
from kooperacja.model import vocab
from kooperacja.model.rules import STATUS_COLORS, STATUS_LABELS, Status

TODAY = date(2026, 11, 24)


def _step(substep, start, due, status, started=None, completed=None, occurrence=None, level="gmina"):
    return {
        "terc": "0201011", "step": f"K{substep.split('.')[0]}", "substep": substep,
        "occurrence": occurrence, "title": f"Zadanie {substep}", "level": level, "responsible": "GOPS",
        "planned_start": date.fromisoformat(start), "planned_due": date.fromisoformat(due),
        "started_on": started and date.fromisoformat(started),
        "completed_on": completed and date.fromisoformat(completed),
        "evidence": "protokół" if completed else None, "last_event_on": None, "status": status,
        "days": 3, "label": STATUS_LABELS[Status(status)],
    }  # fmt: skip


def _plan() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _step("2.1", "2026-02-01", "2026-02-28", "done", "2026-02-03", "2026-02-20"),
            _step("3", "2026-03-01", "2026-03-31", "done_late", "2026-03-05", "2026-04-10"),
            _step("5.2", "2026-09-01", "2026-10-31", "overdue"),  # never started: the overrun is drawn
            _step("7.1", "2026-10-01", "2027-06-30", "on_time", "2026-10-05"),
            _step("9.1", "2027-07-01", "2027-08-31", "not_yet_due"),
            _step(
                "8", "2026-06-01", "2026-06-30", "done", completed="2026-06-15", occurrence=6, level="region"
            ),
            _step("8", "2026-09-01", "2026-09-30", "overdue", occurrence=9, level="region"),
            _step("8", "2026-12-01", "2026-12-31", "not_yet_due", occurrence=12, level="region"),
        ]
    )


def test_gantt_has_a_plan_bar_per_substep_and_one_for_the_recurring_step():
    fig = charts.gantt(_plan(), TODAY)
    plan = next(t for t in fig.data if t.name == "Plan")
    assert len(plan.y) == 6  # five single sub-steps + K8 once
    assert plan.y[-1].startswith("8 ") and plan.y[-1].endswith("(ROPS)")


def test_gantt_actual_bars_are_coloured_and_named_by_status():
    fig = charts.gantt(_plan(), TODAY)
    bars = {t.name: t for t in fig.data if t.type == "bar" and t.name != "Plan"}
    assert set(bars) == {
        STATUS_LABELS[s] for s in (Status.DONE, Status.DONE_LATE, Status.OVERDUE, Status.ON_TIME)
    }
    for status in (Status.DONE, Status.DONE_LATE, Status.OVERDUE, Status.ON_TIME):
        assert bars[STATUS_LABELS[status]].marker.color == STATUS_COLORS[status]
    assert sum(len(t.y) for t in bars.values()) == 4  # the not-yet-due sub-step has no actual bar
    late = bars[STATUS_LABELS[Status.OVERDUE]]
    assert late.base[0] == "2026-11-01"  # from the day after the due date…
    assert late.x[0] == 24 * charts.DAY_MS  # …to today inclusive


def test_gantt_marks_each_recurring_occurrence_in_its_status_colour():
    fig = charts.gantt(_plan(), TODAY)
    marks = [t for t in fig.data if t.type == "scatter"]
    assert sum(len(t.x) for t in marks) == 3
    assert {t.marker.color for t in marks} == {
        STATUS_COLORS[s] for s in (Status.DONE, Status.OVERDUE, Status.NOT_YET_DUE)
    }
    held = next(t for t in marks if t.marker.color == STATUS_COLORS[Status.DONE])
    assert held.x == ("2026-06-15",) and held.marker.symbol == "diamond"


def test_gantt_draws_a_today_line():
    fig = charts.gantt(_plan(), TODAY)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1 and lines[0].x0 == lines[0].x1 == "2026-11-24"
    assert any("24.11.2026" in a.text for a in fig.layout.annotations)


def test_gantt_of_an_empty_plan_says_so():
    fig = charts.gantt(_plan().head(0), TODAY)
    assert len(fig.data) == 0 and "Brak planu" in fig.layout.annotations[0].text


def _overview() -> pd.DataFrame:
    rows = [
        ("0201011", "Alfa", "late", 12),
        ("0201022", "Beta", "on_time", 0),
        ("0202013", "Gamma", "stalled", 100),
        ("0202022", "Delta", "on_time", 0),
    ]
    return pd.DataFrame(
        {
            "terc": [r[0] for r in rows], "name": [r[1] for r in rows],
            "progress_state": [r[2] for r in rows], "delay_days": [r[3] for r in rows],
            "powiat_terc": [r[0][:4] for r in rows],
            "powiat": ["P1", "P1", "P2", "P2"], "current_step": ["5.2", "7.1", None, "6.1"],
            "variant": "rural", "animator": "animator1",
        }
    )  # fmt: skip


def _shapes(terc6: list[str]) -> dict:
    square = [[[19, 50], [19.1, 50], [19.1, 50.1], [19, 50]]]
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": t, "properties": {"terc6": t, "name": t},
                      "geometry": {"type": "Polygon", "coordinates": square}} for t in terc6],
    }  # fmt: skip


def test_choropleth_holds_every_shape_once_coloured_by_state_with_a_legend_and_outlines():
    outlines = [[(19.0, 50.0), (19.2, 50.0), (19.2, 50.2), (19.0, 50.0)]]
    fig = charts.choropleth(_overview(), _shapes(["020101", "020102", "020201", "020202", "020203"]),
                            ["020101", "020102", "020201", "020202", "020203"], outlines)  # fmt: skip
    (shapes,) = [t for t in fig.data if t.type == "choropleth"]
    assert shapes.featureidkey is None  # plotly matches locations on the feature id: the 6 digits
    colour = dict(zip(shapes.locations, (shapes.colorscale[z][1] for z in shapes.z), strict=True))
    assert sorted(colour) == ["020101", "020102", "020201", "020202", "020203"]
    assert colour["020102"] == colour["020202"] == STATUS_COLORS[Status.ON_TIME]
    assert colour["020101"] == STATUS_COLORS[Status.OVERDUE]
    assert colour["020201"] == charts.PROGRESS_COLORS["stalled"]
    assert colour["020203"] == charts.CONTEXT_COLOR
    assert (shapes.zmin, shapes.zmax) == (0, len(shapes.colorscale) - 1)
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == ["poza pilotażem", "zatrzymana", "opóźniona", "w terminie"]
    (lines,) = [t for t in fig.data if t.type == "scattergeo" and t.mode == "lines"]
    assert list(lines.lon) == [19.0, 19.2, 19.2, 19.0, None] and lines.hoverinfo == "skip"
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False
    assert fig.layout.geo.projection.type == "mercator"
    hover = dict(zip(shapes.locations, shapes.customdata, strict=True))
    assert "opóźnienie 12 dni" in hover["020101"]
    assert "Bieżący krok: 7.1" in hover["020102"] and "Wariant: " in hover["020102"]


def test_the_gmina_clicked_on_the_map_is_found_by_its_location():
    overview = _overview()
    event = {"selection": {"points": [{"location": "020201", "curve_number": 0}], "point_indices": [2]}}
    assert charts.picked_gmina(event, overview) == overview.terc[overview.terc.str[:6] == "020201"].iloc[0]
    outside = {"selection": {"points": [{"location": "020203"}], "point_indices": [4]}}
    assert charts.picked_gmina(outside, overview) is None  # a gmina outside the pilot opens nothing
    assert charts.picked_gmina({"selection": {"points": []}}, overview) is None


def test_treemap_nests_gminy_in_powiaty_in_the_region_with_status_colours_and_words():
    fig = charts.treemap(_overview(), "Województwo Testowe")
    tm = fig.data[0]
    assert tm.type == "treemap"
    assert tm.ids[0] == "Województwo Testowe" and tm.parents[0] == ""
    leaves = {i: k for k, i in enumerate(tm.ids) if i.startswith("02") and len(i) == 7}
    assert len(leaves) == 4
    gamma = leaves["0202013"]
    assert tm.parents[gamma] == "p0202"
    assert tm.marker.colors[gamma] == charts.PROGRESS_COLORS["stalled"]
    assert "zatrzymana" in tm.labels[gamma]


def test_coverage_heatmap_marks_missing_sectors_in_words_and_colour():
    coverage = pd.DataFrame(
        [("0201011", "Alfa", s, 2 if s == "ngo" else 0) for s in vocab.SECTORS]
        + [("0201022", "Beta", s, 1) for s in vocab.SECTORS],
        columns=["terc", "gmina", "sector", "members"],
    )
    heat = charts.coverage_heatmap(coverage).data[0]
    assert list(heat.x) == ["Alfa", "Beta"]
    assert list(heat.y) == list(vocab.SECTORS.values())
    ngo = list(vocab.SECTORS).index("ngo")
    assert heat.text[ngo] == ["2", "1"]
    assert heat.text[0] == ["brak", "1"]
    assert heat.colorscale[0][1] == STATUS_COLORS[Status.OVERDUE]


def test_pzk_history_is_a_step_line_per_gmina_held_to_today():
    history = pd.DataFrame(
        {
            "terc": ["A", "A", "B"], "gmina": ["Alfa", "Alfa", "Beta"],
            "on_day": pd.to_datetime(["2026-03-01", "2026-06-30", "2026-04-01"]), "members": [3, 2, 5],
        }
    )  # fmt: skip
    fig = charts.pzk_history(history, TODAY)
    assert [t.name for t in fig.data] == ["Alfa", "Beta"]
    alfa = fig.data[0]
    assert alfa.line.shape == "hv" and list(alfa.y) == [3, 2, 2] and alfa.x[-1] == "2026-11-24"
