"""Gmina boundaries for the regional map: importing a GeoJSON (e.g. GUGiK PRG) and serving a subset."""

from __future__ import annotations

import json
import re
from typing import Any

import duckdb

from kooperacja.model.errors import InvalidInput
from kooperacja.warehouse import audit, transaction

DECIMALS = 4  # about 11 m: invisible on a region map, and keeps the map payload small
MAX_PROBLEMS = 20
TERC_KEYS = ("terc", "TERC", "JPT_KOD_JE")  # ours, and the property name of the PRG
NAME_KEYS = ("name", "NAME", "JPT_NAZWA_", "nazwa")
_TERC = re.compile(r"[0-9]{6,7}")
NOT_GEOJSON = (
    "Plik nie jest poprawnym GeoJSON-em z granicami gmin (oczekiwano FeatureCollection "
    "z obiektami mającymi właściwość 'terc' albo 'JPT_KOD_JE')."
)
NOT_WGS84 = (
    "Współrzędne są poza zakresem długości/szerokości geograficznej: plik jest zapewne w układzie "
    "PUWG 1992 (EPSG:2180). Przelicz go do WGS84 (EPSG:4326), np. w QGIS, i zaimportuj ponownie."
)


def _round_ring(ring: list) -> list:
    out: list = []
    for point in ring:
        lon, lat = round(float(point[0]), DECIMALS), round(float(point[1]), DECIMALS)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidInput([NOT_WGS84])
        if not out or out[-1] != [lon, lat]:
            out.append([lon, lat])
    if len(out) >= 3 and out[0] != out[-1]:
        out.append(out[0])
    return out


def _polygons(geometry: dict[str, Any]) -> list[list]:
    """The geometry as a list of polygons (rings of rounded points); degenerate rings dropped."""
    kind = geometry.get("type")
    if kind == "Polygon":
        raw = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        raw = geometry["coordinates"]
    else:
        raise ValueError(f"geometria {kind!r} zamiast Polygon/MultiPolygon")
    polygons = []
    for polygon in raw:
        rings = [r for r in (_round_ring(ring) for ring in polygon) if len(r) >= 4]
        if rings:
            polygons.append(rings)
    return polygons


def _property(props: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((props[k] for k in keys if props.get(k) not in (None, "")), None)


def parse_boundaries(data: bytes) -> dict[str, tuple[str | None, list]]:
    """terc6 -> (name, polygons) of every feature; parts of one gmina are merged.

    Raises InvalidInput listing the features that cannot be read (all or nothing).
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput([f"{NOT_GEOJSON} Błąd odczytu: {exc}"]) from None
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        raise InvalidInput([NOT_GEOJSON])
    found: dict[str, tuple[str | None, list]] = {}
    problems: list[str] = []
    for n, feature in enumerate(doc["features"], start=1):
        props = (feature or {}).get("properties") or {}
        terc = str(_property(props, TERC_KEYS) or "").strip()
        if not _TERC.fullmatch(terc):
            problems.append(f"obiekt {n}: brak poprawnego kodu TERC gminy (6 lub 7 cyfr), jest {terc!r}")
            continue
        try:
            polygons = _polygons((feature or {}).get("geometry") or {})
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            problems.append(f"obiekt {n} (TERC {terc}): niepoprawna geometria — {exc}")
            continue
        if not polygons:
            problems.append(f"obiekt {n} (TERC {terc}): pusta geometria")
            continue
        name, parts = found.get(terc[:6], (None, []))
        found[terc[:6]] = (name or _property(props, NAME_KEYS), parts + polygons)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise InvalidInput(problems[:MAX_PROBLEMS] + ([f"… i {more} innych"] if more > 0 else []))
    if not found:
        raise InvalidInput(["Plik nie zawiera żadnej granicy gminy."])
    return found


def _geometry(polygons: list) -> dict[str, Any]:
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def import_boundaries(conn: duckdb.DuckDBPyConnection, data: bytes, username: str) -> int:
    """Import (or replace) gmina boundaries from GeoJSON bytes in one transaction; returns the count.

    Coordinates are rounded to 4 decimals; features are keyed by the first 6 TERC digits.
    """
    found = parse_boundaries(data)
    rows = [
        (terc6, name, json.dumps(_geometry(polys), separators=(",", ":")))
        for terc6, (name, polys) in sorted(found.items())
    ]
    with transaction(conn) as cur:
        cur.execute("DELETE FROM gmina_boundary WHERE terc6 IN (SELECT unnest(?))", [list(found)])
        cur.executemany("INSERT INTO gmina_boundary VALUES (?, ?, ?)", rows)
        audit(
            cur,
            username,
            "insert",
            "gmina_boundary",
            f"import {len(rows)} granic",
            None,
            {"count": len(rows), "first": rows[0][0], "last": rows[-1][0]},
        )
    return len(rows)


BOUNDARIES = """
SELECT terc6, name, geometry FROM gmina_boundary WHERE terc6 IN (SELECT unnest($terc6)) ORDER BY terc6
"""


def boundaries_geojson(conn: duckdb.DuckDBPyConnection, terc6_list: list[str]) -> dict[str, Any]:
    """A FeatureCollection of the requested gminy only (feature id and `terc6` property: 6 digits)."""
    wanted = sorted({t[:6] for t in terc6_list})
    rows = conn.cursor().execute(BOUNDARIES, {"terc6": wanted}).fetchall() if wanted else []
    features = [
        {
            "type": "Feature",
            "id": terc6,
            "properties": {"terc6": terc6, "name": name},
            "geometry": json.loads(geometry),
        }
        for terc6, name, geometry in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def boundary_count(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.cursor().execute("SELECT count(*) FROM gmina_boundary").fetchall()[0][0]


REGION_GMINY = """
SELECT DISTINCT left(terc, 6) AS terc6 FROM gmina
WHERE left(terc, 2) IN (SELECT DISTINCT left(t, 2) FROM unnest($terc) AS u(t))
ORDER BY 1
"""


def region_terc6(conn: duckdb.DuckDBPyConnection, terc_list: list[str]) -> list[str]:
    """6-digit codes of every registered gmina in the województwa of the given gminy (map context)."""
    if not terc_list:
        return []
    return [r[0] for r in conn.cursor().execute(REGION_GMINY, {"terc": list(terc_list)}).fetchall()]
