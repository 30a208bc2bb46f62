"""The map's shapes at national scale: vectorised, equal to the per-coordinate build, cached per
content of the boundary table."""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
import shapely
from shapely.geometry import mapping, shape

from kooperacja import warehouse
from kooperacja.charts.programme import choropleth
from kooperacja.report.region_map import region_map
from kooperacja.territory import geo, reference


def _reference_round(coords, decimals):  # the per-coordinate build this replaces
    if isinstance(coords[0], float | int):
        return [round(float(coords[0]), decimals), round(float(coords[1]), decimals)]
    return [_reference_round(c, decimals) for c in coords]


def _reference_geojson(conn, terc6_list):
    wanted = sorted({t[:6] for t in terc6_list})
    rows = conn.execute(geo.BOUNDARIES, {"terc6": wanted}).fetchall() if wanted else []
    geometries = [json.loads(g) for _, _, g in rows]
    if len({t[:2] for t, _, _ in rows}) > 1:
        simple = shapely.simplify(
            np.array([shape(g) for g in geometries], dtype=object),
            geo.COUNTRY_TOLERANCE,
            preserve_topology=True,
        )
        geometries = [mapping(g) for g in simple]
    features = [
        {
            "type": "Feature",
            "id": t,
            "properties": {"terc6": t, "name": n},
            "geometry": {"type": g["type"], "coordinates": _reference_round(g["coordinates"], 3)},
        }
        for (t, n, _), g in zip(rows, geometries, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _shipped(*prefixes: str, per: int = 12) -> bytes:
    features = json.loads(reference.gminy_geojson())["features"]
    by_prefix = [[f for f in features if f["properties"]["terc"].startswith(p)][:per] for p in prefixes]
    chosen = [f for part in by_prefix for f in part]
    return json.dumps({"type": "FeatureCollection", "features": chosen}).encode()


@pytest.fixture
def two_wojewodztwa(conn):
    geo.import_boundaries(conn, _shipped("04", "26"), "admin")
    return conn


def test_rounding_is_pythons_round_on_every_tie():
    rng = random.Random(16)
    values = [round(rng.uniform(14, 24.2), 4) for _ in range(20_000)]
    values += [16.9375, 18.1875, 0.0005, -18.1235, 53.0005, 179.9995, 50.98765]  # exact and binary ties
    assert geo.round_half_as_python(np.array(values)).tolist() == [round(v, 3) for v in values]


def test_map_shapes_equal_the_per_coordinate_build(two_wojewodztwa):
    conn = two_wojewodztwa
    codes = [t for (t,) in conn.execute("SELECT terc6 FROM gmina_boundary").fetchall()]
    for wanted in (codes, [t for t in codes if t.startswith("26")], codes[:1], []):
        assert geo.boundaries_geojson(conn, wanted) == _reference_geojson(conn, wanted)


def test_region_map_rings_equal_the_shapes_largest_first(two_wojewodztwa):
    conn = two_wojewodztwa
    codes = [t for (t,) in conn.execute("SELECT terc6 FROM gmina_boundary").fetchall()]
    progress = pd.DataFrame({"terc": [codes[0] + "1"], "progress_state": ["on_track"]})
    m = region_map(conn, progress)
    expected = []
    for f in _reference_geojson(conn, codes[:1])["features"]:  # no gmina rows: no context around it
        geom = shape(f["geometry"])
        rings = [[(float(x), float(y)) for x, y in p.exterior.coords] for p in getattr(geom, "geoms", [geom])]
        expected.append((f["id"], "on_track", rings))
    assert m is not None and m.shapes == expected


def test_a_second_map_of_unchanged_boundaries_builds_nothing(two_wojewodztwa, monkeypatch):
    conn = two_wojewodztwa
    codes = [t for (t,) in conn.execute("SELECT terc6 FROM gmina_boundary").fetchall()]
    first = geo.boundaries_geojson(conn, codes)
    calls = []
    simplify = shapely.simplify
    monkeypatch.setattr(geo.shapely, "simplify", lambda *a, **k: calls.append(1) or simplify(*a, **k))
    again = geo.boundaries_geojson(conn, codes)
    assert calls == [] and again == first
    again["features"][0]["properties"]["name"] = "zmienione"  # a caller's change stays its own
    again["features"].pop()
    assert geo.boundaries_geojson(conn, codes) == first


def test_importing_boundaries_again_invalidates_the_cached_map(two_wojewodztwa, tmp_path):
    conn = two_wojewodztwa
    codes = [t for (t,) in conn.execute("SELECT terc6 FROM gmina_boundary").fetchall()]
    before = geo.boundaries_geojson(conn, codes)
    moved = {
        "type": "Feature",
        "properties": {"terc": codes[0], "name": "Przesunięta"},
        "geometry": {"type": "Polygon", "coordinates": [[[20, 50], [20.1, 50], [20.1, 50.1], [20, 50]]]},
    }
    geo.import_boundaries(conn, json.dumps({"type": "FeatureCollection", "features": [moved]}).encode(), "a")
    after = geo.boundaries_geojson(conn, codes)
    assert after == _reference_geojson(conn, codes) and after != before
    assert after["features"][0]["properties"]["name"] == "Przesunięta"
    # Another warehouse with the same codes and other shapes gets its own.
    other = warehouse.connect(tmp_path / "inny.duckdb")
    geo.import_boundaries(other, _shipped("04", "26", per=3), "admin")
    few = [t for (t,) in other.execute("SELECT terc6 FROM gmina_boundary").fetchall()]
    assert geo.boundaries_geojson(other, codes) == _reference_geojson(other, codes)
    assert [f["id"] for f in geo.boundaries_geojson(other, codes)["features"]] == few
    other.close()


def test_the_choropleth_hands_plotly_arrays_and_serialises_the_same_shapes(two_wojewodztwa):
    conn = two_wojewodztwa
    codes = [t for (t,) in conn.execute("SELECT terc6 FROM gmina_boundary").fetchall()]
    shapes = geo.boundaries_geojson(conn, codes)
    overview = pd.DataFrame(
        {
            "terc": [codes[0] + "1"], "name": ["Pierwsza"], "progress_state": ["on_time"], "delay_days": [0],
            "powiat": ["P1"], "current_step": ["5.2"], "variant": ["rural"], "animator": ["animator1"],
        }
    )  # fmt: skip
    outlines = reference.outlines(codes)
    fig = choropleth(overview, shapes, codes, outlines)
    (trace,) = [t for t in fig.data if t.type == "choropleth"]
    first = trace.geojson["features"][0]["geometry"]
    ring = first["coordinates"][0] if first["type"] == "Polygon" else first["coordinates"][0][0]
    assert isinstance(ring, np.ndarray)  # not 2 Python floats a point for plotly to copy and walk
    sent = json.loads(pio.to_json(fig, validate=False))["data"][0]["geojson"]["features"]
    assert sent == [{"type": "Feature", "id": f["id"], "geometry": f["geometry"]} for f in shapes["features"]]
    (lines,) = [t for t in fig.data if t.type == "scattergeo" and t.mode == "lines"]
    assert isinstance(lines.lon, np.ndarray) and isinstance(lines.lat, np.ndarray)
    drawn = json.loads(pio.to_json(fig, validate=False))["data"][1]
    assert drawn["lon"] == [v for ring in outlines for v in [*(p[0] for p in ring), None]]
    assert drawn["lat"] == [v for ring in outlines for v in [*(p[1] for p in ring), None]]
