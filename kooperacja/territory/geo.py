"""Gmina boundaries for the regional map: importing what users have, and serving a subset.

A boundary file is GeoJSON (WGS84), a PRG shapefile or GeoPackage as GUGiK ships it (PUWG 1992,
EPSG:2180, read through pyogrio and reprojected with pyproj), or a zip holding one of them. Every
shape is simplified on import (`simplify(preserve_topology=True)`, the tolerance grown per
województwo until its gminy fit `BUDGET`), so a dense PRG export does not put megabytes on every
visit of the overview.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from kooperacja.model.errors import InvalidInput
from kooperacja.warehouse import audit, transaction

DECIMALS = 4  # about 11 m: invisible on a region map, and keeps the map payload small
GRID = 10**-DECIMALS
# Bytes of one województwo's gmina shapes as JSON: with the hover texts and the powiat outlines
# the overview's map stays ≤ 300 kB on the wire.
BUDGET = 220_000
TOLERANCES = (0.0005, 0.001, 0.002, 0.004, 0.008, 0.016)  # degrees; 0.001° ≈ 70–110 m in Poland
MAX_PROBLEMS = 20
MAX_UNZIPPED = 1024 * 2**20  # the whole PRG download unpacked is about 600 MB
TERC_KEYS = ("terc", "TERC", "JPT_KOD_JE")  # ours, and the property name of the PRG
NAME_KEYS = ("name", "NAME", "JPT_NAZWA_", "nazwa")
_TERC = re.compile(r"[0-9]{6,7}")
NOT_GEOJSON = (
    "Plik nie jest poprawnym GeoJSON-em z granicami gmin (oczekiwano FeatureCollection "
    "z obiektami mającymi właściwość 'terc' albo 'JPT_KOD_JE')."
)
NOT_WGS84 = (
    "Współrzędne są poza zakresem długości/szerokości geograficznej: plik GeoJSON jest zapewne w układzie "
    "PUWG 1992 (EPSG:2180). Wczytaj zamiast niego plik PRG w postaci, w jakiej udostępnia go GUGiK "
    "(shapefile w pliku .zip albo GeoPackage .gpkg) — zostanie przeliczony — albo przelicz GeoJSON "
    "do WGS84 (EPSG:4326), np. w QGIS."
)
NO_GDAL = (
    "Do wczytania pliku shapefile/GeoPackage potrzebne są pakiety pyogrio i pyproj, których ta "
    "instalacja nie ma. Zapisz granice jako GeoJSON w WGS84 (EPSG:4326), np. w QGIS, i zaimportuj ponownie."
)
LONE_SHP = (
    "Sam plik .shp nie zawiera atrybutów (kodów TERYT): spakuj do jednego pliku .zip pliki .shp, .shx, "
    ".dbf i .prj (tak jak w pobraniu z PRG) i wczytaj ten plik .zip."
)
WRONG_LEVEL = {
    4: "to są granice powiatów — potrzebne są granice gmin",
    2: "to są granice województw — potrzebne są granice gmin",
}
_ZIP, _GPKG, _SHP = b"PK\x03\x04", b"SQLite format 3\x00", b"\x00\x00\x27\x0a"
_PUWG_X, _PUWG_Y = (100_000, 900_000), (100_000, 900_000)  # the extent of EPSG:2180 over Poland


# --- reading what users have ---------------------------------------------------------------------


def _from_zip(data: bytes) -> list[tuple[dict, Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidInput(["Plik .zip jest uszkodzony — pobierz go ponownie."]) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
        raise InvalidInput(
            [f"Plik .zip po rozpakowaniu ma ponad {MAX_UNZIPPED // 2**20} MB — to nie są granice gmin."]
        )
    names = [n for n in archive.namelist() if not n.endswith("/") and "__MACOSX" not in n]
    usable = [n for n in names if n.lower().endswith((".geojson", ".json", ".gpkg", ".shp"))]
    if not usable:
        raise InvalidInput(["W pliku .zip nie ma granic gmin (plików .geojson, .json, .gpkg ani .shp)."])
    # A PRG download holds the country, województwa, powiaty, gminy…: take the gminy's file.
    gminy = [n for n in usable if "gmin" in Path(n).name.lower()]
    chosen = (gminy or usable)[0]
    if not chosen.lower().endswith(".shp"):
        return _features(archive.read(chosen))
    stem = chosen[: -len(".shp")]
    with tempfile.TemporaryDirectory() as tmp:
        for member in names:
            if member.startswith(stem) and member[len(stem) :].lower().startswith("."):
                target = Path(tmp) / Path(member).name
                target.write_bytes(archive.read(member))
        return _from_gdal(str(Path(tmp) / Path(chosen).name))


def _from_gdal(source: str | bytes) -> list[tuple[dict, Any]]:
    """Features of a shapefile or GeoPackage (its gminy layer), reprojected to WGS84."""
    try:
        import numpy as np
        import pyogrio
        import pyogrio.raw
        from pyproj import CRS, Transformer
    except ImportError:
        raise InvalidInput([NO_GDAL]) from None
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(source)]
        layer = next((n for n in layers if "gmin" in n.lower()), layers[0] if layers else None)
        meta, _, wkb, fields = pyogrio.raw.read(source, layer=layer)
    except Exception as exc:  # GDAL's errors: a broken or foreign file
        raise InvalidInput([f"Nie można odczytać pliku granic (shapefile/GeoPackage): {exc}"]) from None
    geometries = shapely.from_wkb(wkb)
    crs = meta.get("crs")
    if crs is None:  # a shapefile without its .prj: PUWG 1992 when the numbers look like it
        xmin, ymin, _, _ = shapely.total_bounds(geometries)
        crs = "EPSG:2180" if xmin > 180 or ymin > 90 else None
    if crs is not None and CRS.from_user_input(crs) != CRS.from_epsg(4326):
        to_wgs84 = Transformer.from_crs(crs, 4326, always_xy=True)

        def _project(xy: Any) -> Any:
            lon, lat = to_wgs84.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([lon, lat])

        geometries = shapely.transform(geometries, _project)
    names = list(meta["fields"])
    return [
        ({name: column[i] for name, column in zip(names, fields, strict=True)}, geometry)
        for i, geometry in enumerate(geometries)
    ]


def _from_geojson(data: bytes) -> list[tuple[dict, Any]]:
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
    return [
        (((f or {}).get("properties") or {}), ((f or {}).get("geometry") or {}))
        for f in doc["features"]
        if isinstance(f, dict) or f is None
    ]


def _features(data: bytes) -> list[tuple[dict, Any]]:
    """(properties, geometry) of every feature; a GeoJSON geometry stays a dict until checked."""
    if data.startswith(_ZIP):
        return _from_zip(data)
    if data.startswith(_GPKG):
        with tempfile.TemporaryDirectory() as tmp:  # GDAL wants the .gpkg name
            path = Path(tmp) / "granice.gpkg"
            path.write_bytes(data)
            return _from_gdal(str(path))
    if data.startswith(_SHP):
        raise InvalidInput([LONE_SHP])
    return _from_geojson(data)


# --- checking and simplifying --------------------------------------------------------------------


def _shape(geometry: Any) -> BaseGeometry:
    """A valid (Multi)Polygon in WGS84 from a GeoJSON dict or a shapely geometry."""
    if isinstance(geometry, dict):
        kind = geometry.get("type")
        if kind not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"geometria {kind!r} zamiast Polygon/MultiPolygon")
        geom = shape(geometry)
    elif geometry is None:
        raise ValueError("brak geometrii")
    else:
        geom = geometry
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"geometria {geom.geom_type!r} zamiast Polygon/MultiPolygon")
    if geom.is_empty:
        return geom
    xmin, ymin, xmax, ymax = geom.bounds
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise InvalidInput([NOT_WGS84])
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        polygons = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polygons) if polygons else shapely.Polygon()
    return geom


def _property(props: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((props[k] for k in keys if props.get(k) not in (None, "")), None)


def _level_refusal(codes: list[str]) -> str | None:
    """The refusal of a file of powiaty or województwa (every code 4 or 2 digits long)."""
    lengths = {len(c) for c in codes if c.isdigit()}
    if codes and len(lengths) == 1 and lengths <= set(WRONG_LEVEL) and all(c.isdigit() for c in codes):
        return "Plik zawiera granice innych jednostek: " + WRONG_LEVEL[lengths.pop()] + "."
    return None


def _round(coords: Any, decimals: int = DECIMALS) -> Any:
    if isinstance(coords[0], float | int):
        return [round(float(coords[0]), decimals), round(float(coords[1]), decimals)]
    return [_round(c, decimals) for c in coords]


def _as_geojson(geom: BaseGeometry, decimals: int = DECIMALS) -> dict[str, Any]:
    m = mapping(geom)
    return {"type": m["type"], "coordinates": _round(m["coordinates"], decimals)}


POINT_BYTES = 18  # "[18.1234,53.1234]," in the JSON of a shape


def _simplified(geoms: Any, tolerance: float) -> Any:
    """The shapes simplified and snapped to the 4-decimal grid, each still valid and non-empty."""
    simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
    snapped = shapely.set_precision(simple, GRID)
    broken = shapely.is_empty(snapped) | ~shapely.is_valid(snapped)  # a sliver below the grid
    snapped[broken] = simple[broken]
    return snapped


def simplify(shapes: dict[str, BaseGeometry], budget: int = BUDGET) -> dict[str, dict[str, Any]]:
    """terc6 -> GeoJSON geometry, simplified per województwo with the smallest tolerance that fits.

    Each województwo (the first two digits) gets the first of `TOLERANCES` whose shapes take at
    most `budget` bytes as JSON (the last one when none does).
    """
    import numpy as np

    out: dict[str, dict[str, Any]] = {}
    for woj in sorted({t[:2] for t in shapes}):
        codes = [t for t in shapes if t[:2] == woj]
        geoms = np.array([shapes[t] for t in codes], dtype=object)
        for tolerance in TOLERANCES:
            done = _simplified(geoms, tolerance)
            if int(shapely.get_num_coordinates(done).sum()) * POINT_BYTES <= budget:
                break
        out |= {t: _as_geojson(g) for t, g in zip(codes, done, strict=True)}
    return out


def parse_boundaries(data: bytes) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """terc6 -> (name, simplified GeoJSON geometry) of every gmina; parts of one gmina are merged.

    Raises InvalidInput listing the features that cannot be read (all or nothing), or refusing a
    file of powiaty or województwa.
    """
    features = _features(data)
    codes = [str(_property(props, TERC_KEYS) or "").strip() for props, _ in features]
    refusal = _level_refusal(codes)
    if refusal:
        raise InvalidInput([refusal])
    found: dict[str, tuple[str | None, list[BaseGeometry]]] = {}
    problems: list[str] = []
    for n, ((props, geometry), terc) in enumerate(zip(features, codes, strict=True), start=1):
        if not _TERC.fullmatch(terc):
            problems.append(f"obiekt {n}: brak poprawnego kodu TERC gminy (6 lub 7 cyfr), jest {terc!r}")
            continue
        try:
            geom = _shape(geometry)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            problems.append(f"obiekt {n} (TERC {terc}): niepoprawna geometria — {exc}")
            continue
        except shapely.errors.ShapelyError as exc:
            problems.append(f"obiekt {n} (TERC {terc}): niepoprawna geometria — {exc}")
            continue
        if geom.is_empty or geom.area == 0:
            problems.append(f"obiekt {n} (TERC {terc}): pusta geometria")
            continue
        name, parts = found.get(terc[:6], (None, []))
        label = _property(props, NAME_KEYS)
        found[terc[:6]] = (name or (str(label) if label is not None else None), [*parts, geom])
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise InvalidInput(problems[:MAX_PROBLEMS] + ([f"… i {more} innych"] if more > 0 else []))
    if not found:
        raise InvalidInput(["Plik nie zawiera żadnej granicy gminy."])
    merged = {t: parts[0] if len(parts) == 1 else shapely.union_all(parts) for t, (_, parts) in found.items()}
    shapes = simplify(merged)
    return {t: (found[t][0], shapes[t]) for t in sorted(found)}


# --- the warehouse -------------------------------------------------------------------------------


def import_boundaries(conn: duckdb.DuckDBPyConnection, data: bytes, username: str) -> int:
    """Import (or replace) gmina boundaries from a boundary file in one transaction; returns the count.

    Shapes are simplified (see `simplify`) with coordinates on 4 decimals; features are keyed by the
    first 6 TERC digits.
    """
    found = parse_boundaries(data)
    rows = [
        (terc6, name, json.dumps(geometry, separators=(",", ":")))
        for terc6, (name, geometry) in sorted(found.items())
    ]
    with transaction(conn) as cur:
        cur.execute("DELETE FROM gmina_boundary WHERE terc6 IN (SELECT unnest(?))", [list(found)])
        cur.execute(
            "INSERT INTO gmina_boundary SELECT unnest(?), unnest(?), unnest(?)",
            [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
        )
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
# What the cached map shapes are keyed on: the table's content (it changes only on import-geo).
FINGERPRINT = "SELECT count(*), bit_xor(hash(terc6, name, geometry)) FROM gmina_boundary"
# The map sends 3 decimals (~100 m: a województwo's map is ~600 m a pixel); a map of several
# województwa (the country: ~2 km a pixel) also gets coarser shapes, simplified within 0.01° (under a
# pixel there: 0.7 km east–west, 1.1 km north–south), so that the national overview sends ~1.3 MB
# (1.7 MB at 0.005°) and one województwo's under 300 kB.
MAP_DECIMALS = 3
COUNTRY_TOLERANCE = 0.01
CACHE_SIZE = 4  # sets of map shapes kept (the region's, a few województwa's); the country's is ~17 MB


HALF_DIGIT = 5  # the digit after the last kept one that makes a tie (x.xx5)


def round_half_as_python(xy: Any, decimals: int = MAP_DECIMALS) -> Any:
    """`round(x, decimals)` of every coordinate of an array, as Python's `round` does it (the
    decimal nearest to the float's exact value), vectorised.

    `numpy.round` differs on the ties of a coordinate with one decimal more (18.1235 is a binary
    fraction a hair above or below 18.1235): those are decided on the exact value, compared in
    80-bit extended precision, which separates a double from a decimal of `decimals + 1` places
    (a tie that is exact, as 16.9375, goes to the even digit as in Python).
    """
    import numpy as np

    xy = np.asarray(xy, dtype=float)
    scale = 10.0**decimals
    out = np.round(xy * scale) / scale
    finer = xy * (scale * 10)
    k = np.rint(finer)
    ties = (np.abs(finer - k) < 1e-6) & (np.abs(np.fmod(k, 10)) == HALF_DIGIT)
    if ties.any():
        if np.finfo(np.longdouble).nmant >= 63:
            exact = np.asarray(xy[ties], dtype=np.longdouble)
            middle = np.asarray(k[ties], dtype=np.longdouble) / np.longdouble(scale * 10)
            low = np.floor(k[ties] / 10)
            up = (exact > middle) | ((exact == middle) & (np.fmod(low, 2) != 0))  # exact: to even
            out[ties] = np.where(up, low + 1, low) / scale
        else:  # no extended precision on this platform: Python's own rounding, on the ties only
            out[ties] = [round(float(v), decimals) for v in xy[ties]]
    return out


@dataclass(frozen=True)
class MapShapes:
    """The gminy of a map as drawn: codes (sorted), names, shapely geometries on `MAP_DECIMALS`
    (coarser over several województwa) and each as GeoJSON text. Shared: read only."""

    terc6: tuple[str, ...]
    names: tuple[str | None, ...]
    geometries: Any  # numpy array of shapely (Multi)Polygons, one per code
    texts: tuple[str, ...]

    @cached_property
    def geojson(self) -> tuple[dict[str, Any], ...]:
        """The GeoJSON geometry dicts of `geometries` (parsed once: read only)."""
        return tuple(json.loads(text) for text in self.texts)

    @cached_property
    def exterior_rings(self) -> tuple[list[list[tuple[float, float]]], ...]:
        """Per gmina, the exterior ring (lon, lat) of each of its polygons, from the coordinate
        arrays (built once: read only)."""
        import numpy as np

        parts, owner = shapely.get_parts(self.geometries, return_index=True)
        coords, ring = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
        points = list(zip(coords[:, 0].tolist(), coords[:, 1].tolist(), strict=True))
        ends = np.cumsum(np.bincount(ring, minlength=len(parts))).tolist()
        rings: list[list[list[tuple[float, float]]]] = [[] for _ in self.terc6]
        for k, (start, end) in enumerate(zip([0, *ends[:-1]], ends, strict=True)):
            rings[owner[k]].append(points[start:end])
        return tuple(rings)


_cache: OrderedDict[tuple[Any, ...], MapShapes] = OrderedDict()
_cache_lock = threading.Lock()


def _build_map_shapes(conn: duckdb.DuckDBPyConnection, wanted: list[str]) -> MapShapes:
    import numpy as np

    rows = conn.cursor().execute(BOUNDARIES, {"terc6": wanted}).fetchall() if wanted else []
    terc6 = tuple(r[0] for r in rows)
    names = tuple(r[1] for r in rows)
    if not rows:
        return MapShapes((), (), np.array([], dtype=object), ())
    geometries = shapely.from_geojson(np.array([r[2] for r in rows], dtype=object))
    if len({t[:2] for t in terc6}) > 1:
        geometries = shapely.simplify(geometries, COUNTRY_TOLERANCE, preserve_topology=True)
    geometries = shapely.transform(geometries, round_half_as_python)
    return MapShapes(terc6, names, geometries, tuple(shapely.to_geojson(geometries).tolist()))


def map_shapes(conn: duckdb.DuckDBPyConnection, terc6_list: list[str]) -> MapShapes:
    """The requested gminy's shapes for a map (see `boundaries_geojson`), built once per content
    of `gmina_boundary` and set of gminy (the last `CACHE_SIZE` kept)."""
    wanted = sorted({t[:6] for t in terc6_list})
    key = (tuple(conn.cursor().execute(FINGERPRINT).fetchall()[0]), tuple(wanted))
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    built = _build_map_shapes(conn, wanted)
    with _cache_lock:
        _cache[key] = built
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def boundaries_geojson(conn: duckdb.DuckDBPyConnection, terc6_list: list[str]) -> dict[str, Any]:
    """A FeatureCollection of the requested gminy only (feature id and `terc6` property: 6 digits).

    Coordinates on `MAP_DECIMALS`; gminy of more than one województwo come coarser. A new dict
    on every call, its features new dicts too; the geometry dicts are shared between calls (built
    once, see `map_shapes`): read them, do not change them.
    """
    found = map_shapes(conn, terc6_list)
    features = [
        {"type": "Feature", "id": t, "properties": {"terc6": t, "name": n}, "geometry": g}
        for t, n, g in zip(found.terc6, found.names, found.geojson, strict=True)
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
