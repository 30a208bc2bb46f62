"""Boundary files as users have them: zipped downloads, PRG shapefile or GeoPackage in PUWG 1992."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.programme import data_entry
from kooperacja.territory import geo, reference

ADMIN = Actor("admin", "admin")


def _count(conn) -> int:
    return conn.execute("SELECT count(*) FROM gmina_boundary").fetchall()[0][0]


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _prg_gminy(woj: str = "04") -> list[tuple[str, str, shapely.Geometry]]:
    doc = json.loads(reference.gminy_geojson(woj))
    return [(f["properties"]["terc"], f["properties"]["name"], shape(f["geometry"])) for f in doc["features"]]


def _write_prg(path, rows, driver: str, layer: str) -> None:
    """A PRG-like layer in EPSG:2180 with the PRG's attribute names (JPT_KOD_JE, JPT_NAZWA_)."""
    import pyogrio.raw

    to_2180 = Transformer.from_crs(4326, 2180, always_xy=True)

    def project(xy):
        x, y = to_2180.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    geoms = [shapely.transform(g, project) for _, _, g in rows]
    geoms = [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geoms]
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.array(geoms, dtype=object)),
        [np.array([t for t, _, _ in rows], dtype=object), np.array([n for _, n, _ in rows], dtype=object)],
        ["JPT_KOD_JE", "JPT_NAZWA_"],
        driver=driver,
        layer=layer,
        geometry_type="MultiPolygon",
        crs="EPSG:2180",
        encoding="UTF-8" if driver == "ESRI Shapefile" else None,
    )


def test_a_powiat_or_wojewodztwo_file_is_refused_naming_what_it_is(conn):
    for path, what in ((reference.POWIATY_FILE, "powiatów"), (reference.WOJEWODZTWA_FILE, "województw")):
        with pytest.raises(InvalidInput) as err:
            geo.import_boundaries(conn, path.read_bytes(), "admin")
        assert f"to są granice {what} — potrzebne są granice gmin" in err.value.message
    assert _count(conn) == 0


def test_a_zipped_geojson_is_opened(conn):
    data = _zip({"granice/gminy_04.geojson": reference.gminy_geojson("04"), "czytaj.txt": b"PRG"})
    assert data_entry.import_gmina_boundaries(conn, ADMIN, data) == 144


def test_a_zip_of_the_prg_takes_the_gminy_shapefile_in_puwg_1992(conn, tmp_path):
    rows = _prg_gminy("04")
    _write_prg(tmp_path / "A03_Granice_gmin.shp", rows, "ESRI Shapefile", "A03_Granice_gmin")
    _write_prg(tmp_path / "A02_Granice_powiatow.shp", rows[:3], "ESRI Shapefile", "A02_Granice_powiatow")
    files = {f"PRG/{p.name}": p.read_bytes() for p in sorted(tmp_path.iterdir())}
    assert {n.rsplit(".", 1)[1] for n in files} >= {"shp", "shx", "dbf", "prj"}
    assert geo.import_boundaries(conn, _zip(files), "admin") == 144
    stored = geo.boundaries_geojson(conn, ["0401011"])["features"][0]
    original = dict((t[:6], g) for t, _, g in rows)["040101"]
    back = shape(stored["geometry"])
    assert back.is_valid and abs(back.area - original.area) / original.area < 0.03  # in WGS84 again
    assert stored["properties"]["name"] == rows[0][1]


def test_a_prg_geopackage_in_puwg_1992_is_read_from_its_gminy_layer(conn, tmp_path):
    rows = _prg_gminy("04")[:10]
    path = tmp_path / "prg.gpkg"
    _write_prg(path, rows[:2], "GPKG", "powiaty")
    _write_prg(path, rows, "GPKG", "gminy")  # a second layer in the same file
    assert geo.import_boundaries(conn, path.read_bytes(), "admin") == 10


def test_a_lone_shp_and_a_broken_zip_are_refused_in_polish(conn, tmp_path, monkeypatch):
    _write_prg(tmp_path / "gminy.shp", _prg_gminy("04")[:2], "ESRI Shapefile", "gminy")
    with pytest.raises(InvalidInput, match=r"spakuj do jednego pliku \.zip"):
        geo.import_boundaries(conn, (tmp_path / "gminy.shp").read_bytes(), "admin")
    with pytest.raises(InvalidInput, match="uszkodzony"):
        geo.import_boundaries(conn, b"PK\x03\x04 nie zip", "admin")
    with pytest.raises(InvalidInput, match="nie ma granic gmin"):
        geo.import_boundaries(conn, _zip({"a.txt": b"x"}), "admin")
    monkeypatch.setattr(geo, "MAX_UNZIPPED", 10_000)  # a zip that unpacks to more than the limit
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("gminy.geojson", b" " * 10_001)
    with pytest.raises(InvalidInput, match="po rozpakowaniu ma ponad"):
        geo.import_boundaries(conn, bomb.getvalue(), "admin")
    assert _count(conn) == 0


def test_a_dense_file_is_simplified_on_import_within_the_budget(conn):
    doc = json.loads(reference.gminy_geojson("16"))

    def densify(geometry):  # ten times the points, as in a full-resolution PRG export
        return shapely.geometry.mapping(shapely.segmentize(shape(geometry), 0.0003))

    for f in doc["features"]:
        f["geometry"] = densify(f["geometry"])
    data = json.dumps(doc).encode()
    assert len(data) > 1_000_000
    assert geo.import_boundaries(conn, data, "admin") == 71
    tercs = [f["properties"]["terc"] for f in doc["features"]]
    shapes = geo.boundaries_geojson(conn, tercs)
    assert len(json.dumps(shapes, separators=(",", ":"))) <= 300_000
    assert all(shape(f["geometry"]).is_valid for f in shapes["features"])
