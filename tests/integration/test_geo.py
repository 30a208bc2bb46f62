"""Gmina boundaries: importing a GeoJSON (ours or the PRG's names) and serving the map's subset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kooperacja import warehouse
from kooperacja.model.errors import InvalidInput
from kooperacja.territory import geo

PUWG_1992 = {"type": "Polygon", "coordinates": [[[500000, 250000], [500100, 250000], [500000, 250100]]]}
REAL = Path(__file__).resolve().parents[2] / "kooperacja" / "data" / "geo" / "gminy.geojson"  # shipped


def _square(lon: float, lat: float, size: float = 0.1) -> list:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


def _feature(props: dict, geometry: dict | None = None) -> dict:
    default = {"type": "Polygon", "coordinates": _square(19.123456789, 50.987654321)}
    return {"type": "Feature", "properties": props, "geometry": geometry or default}


def _collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _count(conn) -> int:
    return conn.execute("SELECT count(*) FROM gmina_boundary").fetchall()[0][0]


def test_boundaries_are_keyed_by_six_terc_digits_with_coordinates_rounded(conn):
    data = _collection(
        _feature({"terc": "2602042", "name": "Nagłowice"}),
        _feature({"JPT_KOD_JE": "2602052", "JPT_NAZWA_": "Oksa"}),  # the PRG's property names
        _feature({"terc": "260206"}),
    )
    assert geo.import_boundaries(conn, data, "admin") == 3
    rows = conn.execute("SELECT terc6, name, geometry FROM gmina_boundary ORDER BY 1").fetchall()
    assert [(t, n) for t, n, _ in rows] == [("260204", "Nagłowice"), ("260205", "Oksa"), ("260206", None)]
    ring = json.loads(rows[0][2])["coordinates"][0]
    assert [19.1235, 50.9877] in ring  # the grid snap may start the ring at another corner
    assert all(len(str(c).split(".")[-1]) <= 4 for point in ring for c in point)
    audit = conn.execute("SELECT username, table_name FROM audit_log").fetchall()
    assert audit == [("admin", "gmina_boundary")]


def test_importing_again_replaces_a_gminas_shape_and_keeps_the_others(conn):
    geo.import_boundaries(
        conn, _collection(_feature({"terc": "2602042"}), _feature({"terc": "2602052"})), "a"
    )
    moved = {"type": "Polygon", "coordinates": _square(20.0, 51.0)}
    geo.import_boundaries(conn, _collection(_feature({"terc": "2602043"}, moved)), "a")  # 7th digit changed
    assert _count(conn) == 2
    shape = geo.boundaries_geojson(conn, ["2602041"])["features"][0]["geometry"]
    assert [20.0, 51.0] in shape["coordinates"][0]


def test_parts_of_one_gmina_become_one_multipolygon(conn):
    part2 = {"type": "Polygon", "coordinates": _square(21.0, 52.0)}
    geo.import_boundaries(
        conn, _collection(_feature({"terc": "2602042"}), _feature({"terc": "2602042"}, part2)), "a"
    )
    geometry = geo.boundaries_geojson(conn, ["260204"])["features"][0]["geometry"]
    assert geometry["type"] == "MultiPolygon" and len(geometry["coordinates"]) == 2


def test_geojson_holds_only_the_requested_gminy(conn):
    geo.import_boundaries(conn, _collection(*(_feature({"terc": f"26020{i}2"}) for i in range(1, 6))), "a")
    fc = geo.boundaries_geojson(conn, ["2602012", "260203", "9999999"])
    assert fc["type"] == "FeatureCollection"
    assert [f["id"] for f in fc["features"]] == ["260201", "260203"]
    assert fc["features"][0]["properties"]["terc6"] == "260201"
    assert geo.boundaries_geojson(conn, []) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not json", "nie jest poprawnym GeoJSON"),
        (json.dumps({"type": "Feature"}).encode(), "FeatureCollection"),
        (_collection(_feature({"name": "bez kodu"})), "obiekt 1: brak poprawnego kodu TERC"),
        (_collection(_feature({"terc": "26020"})), "6 lub 7 cyfr"),
        (_collection(_feature({"terc": "2602042"}, {"type": "Point", "coordinates": [19, 50]})), "Polygon"),
        (_collection(_feature({"terc": "2602042"}, PUWG_1992)), "PUWG 1992"),
        (_collection(), "żadnej granicy"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_in_polish_and_nothing_is_written(conn, data, fragment):
    geo.import_boundaries(conn, _collection(_feature({"terc": "2602042"})), "a")
    with pytest.raises(InvalidInput) as err:
        geo.import_boundaries(conn, data, "a")
    assert fragment in err.value.message
    assert _count(conn) == 1


def test_one_bad_feature_refuses_the_whole_file(conn):
    data = _collection(_feature({"terc": "2602042"}), _feature({"terc": "xx"}))
    with pytest.raises(InvalidInput, match="obiekt 2"):
        geo.import_boundaries(conn, data, "a")
    assert _count(conn) == 0


def test_the_table_is_part_of_the_warehouse():
    assert "gmina_boundary" in warehouse.TABLES


def test_real_prg_boundaries_of_one_wojewodztwo_import_and_stay_small(conn):
    doc = json.loads(REAL.read_bytes())
    doc["features"] = [f for f in doc["features"] if f["properties"]["terc"].startswith("04")]
    count = geo.import_boundaries(conn, json.dumps(doc).encode(), "admin")
    assert count == len({f["properties"]["terc"][:6] for f in doc["features"]}) > 100
    fc = geo.boundaries_geojson(conn, [f["properties"]["terc"] for f in doc["features"]])
    assert len(fc["features"]) == count
    assert len(json.dumps(fc)) < 2_000_000
    assert geo.region_terc6(conn, ["0401011"]) == []  # no register imported: no context gminy
