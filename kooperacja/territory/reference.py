"""The territory shipped with the product (kooperacja/data): the TERC register and PRG boundaries.

`load_wojewodztwo` puts one województwo's gminy, powiaty and gmina boundaries in the warehouse
through the same importers as a user's own files (`terc.import_terc`, `geo.import_boundaries`).
`outlines` serves the powiat (or województwo) boundaries drawn over the gminy of the maps.
Sources, state dates and licences: `SOURCES` (shown in the app's "O programie") and
kooperacja/data/README.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from kooperacja.model.access import Actor, require_admin
from kooperacja.model.errors import InvalidInput
from kooperacja.territory import geo, terc

DATA = Path(__file__).resolve().parents[1] / "data"
TERC_FILE = DATA / "teryt" / "TERC_Urzedowy_2025-01-01.csv"
GMINY_FILE = DATA / "geo" / "gminy.geojson"
POWIATY_FILE = DATA / "geo" / "powiaty.geojson"
WOJEWODZTWA_FILE = DATA / "geo" / "wojewodztwa.geojson"
# The powiat and województwo outlines are lines over the gminy: coarser than the gminy is invisible.
OUTLINE_TOLERANCE, OUTLINE_DECIMALS = 0.002, 3

SOURCES = (
    (
        "Rejestr TERYT TERC (województwa, powiaty, gminy)",
        "stan na 1.01.2025",
        "GUS, eteryt.stat.gov.pl; kopia z github.com/ttomasz/prg_convert",
        "CC0 1.0",
    ),
    (
        "Granice gmin, powiatów i województw (uproszczone)",
        "stan ok. 2019 r. (gminy łączone z TERC 2025 po 6 cyfrach kodu)",
        "GUGiK, Państwowy Rejestr Granic; uproszczenie z github.com/jusuff/PolandGeoJson",
        "Unlicense (domena publiczna)",
    ),
)


@dataclass
class LoadSummary:
    """What loading one województwo from the shipped copy wrote."""

    woj: str
    name: str
    gminy: int = 0
    powiaty: int = 0
    boundaries: int = 0
    without_boundary: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        from kooperacja.model.formatting import plural

        out = [
            f"{self.name}: wczytano {plural(self.gminy, 'gminę', 'gminy', 'gmin')}, "
            f"{plural(self.powiaty, 'powiat', 'powiaty', 'powiatów')}, "
            f"granice {plural(self.boundaries, 'gminy', 'gmin', 'gmin')}."
        ]
        if self.without_boundary:
            out.append(
                "Bez granicy w dołączonej mapie (gminy utworzone po jej dacie): "
                + ", ".join(self.without_boundary)
            )
        return out


def terc_bytes() -> bytes:
    return TERC_FILE.read_bytes()


@cache
def wojewodztwa() -> dict[str, str]:
    """Code -> name ("kujawsko-pomorskie") of the 16 województwa of the shipped register."""
    register = terc.parse_terc(terc_bytes())
    return {code: name.lower() for code, name in sorted(register.wojewodztwa.items())}


def check_woj(woj: str) -> str:
    """The code if the shipped register has that województwo, else a Polish refusal naming the codes."""
    codes = wojewodztwa()
    if woj not in codes:
        known = ", ".join(f"{c} {n}" for c, n in codes.items())
        raise InvalidInput([f"Kod województwa: nie ma województwa {woj!r}; dostępne: {known}."])
    return woj


@cache
def _features(path: Path) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(path.read_bytes())["features"])


def _collection(path: Path, prefix: str | None) -> dict[str, Any]:
    features = [
        f for f in _features(path) if prefix is None or str(f["properties"]["terc"]).startswith(prefix)
    ]
    return {"type": "FeatureCollection", "features": features}


def gminy_geojson(woj: str | None = None) -> bytes:
    """The shipped gmina boundaries (one województwo's, or the country's) as GeoJSON bytes."""
    return json.dumps(_collection(GMINY_FILE, woj), separators=(",", ":")).encode()


@cache
def _outlines(path: Path) -> dict[str, dict[str, Any]]:
    return {str(f["properties"]["terc"]): f["geometry"] for f in _features(path)}


def outlines(codes: list[str]) -> list[list[tuple[float, float]]]:
    """Rings (lon, lat) to draw over the gminy of the given codes (4+ digits): their powiaty's
    boundaries within one województwo, the województwa's boundaries over several."""
    wojewodztwa = {c[:2] for c in codes}
    if len(wojewodztwa) > 1:
        wanted, shapes = wojewodztwa, _outlines(WOJEWODZTWA_FILE)
    else:
        wanted, shapes = {c[:4] for c in codes}, _outlines(POWIATY_FILE)
    rings = []
    for code in sorted(wanted):
        geometry = shapes.get(code)
        if geometry is None:
            continue
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings += [[(p[0], p[1]) for p in ring] for polygon in polygons for ring in polygon]
    return rings


def load_wojewodztwo(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    woj: str,
    progress: Callable[[str], None] | None = None,
) -> LoadSummary:
    """One województwo's territory and gmina boundaries from the shipped copy (the admin's door)."""
    require_admin(actor)
    return load(conn, woj, actor.username, progress)


def load(
    conn: duckdb.DuckDBPyConnection,
    woj: str | None,
    username: str,
    progress: Callable[[str], None] | None = None,
) -> LoadSummary:
    """As `load_wojewodztwo`, for the command line and the demo (which act as the system).

    `woj` None loads the whole country.
    """
    say = progress or (lambda _msg: None)
    if woj is not None:
        check_woj(woj)
    summary = LoadSummary(woj or "", "Województwo " + wojewodztwa()[woj] if woj else "Polska")
    say("Rejestr TERC…")
    imported = terc.import_terc(conn, terc_bytes(), woj, username)
    summary.gminy = sum(imported.gminy_by_kind.values())
    summary.powiaty = imported.powiaty
    say("Granice gmin…")
    summary.boundaries = geo.import_boundaries(conn, gminy_geojson(woj), username)
    summary.without_boundary = [
        f"{name} ({code})"
        for code, name in conn.cursor()
        .execute(
            "SELECT terc, name FROM gmina WHERE starts_with(terc, ?) "
            "AND left(terc, 6) NOT IN (SELECT terc6 FROM gmina_boundary) ORDER BY terc",
            [woj or ""],
        )
        .fetchall()
    ]
    return summary


# --- the maintainer's step: building the shipped copy from the public sources -----------------


def build(source: Path, target: Path = DATA) -> dict[str, int]:
    """Write the shipped copy from the sources (TERC CSV, PolandGeoJson); returns each file's bytes.

    Gmina shapes take their 7-digit code and name from the TERC register (joined on 6 digits) and
    are simplified as on import; powiat and województwo outlines with `OUTLINE_TOLERANCE`.
    """
    import shutil

    import shapely
    from shapely.geometry import shape

    (target / "teryt").mkdir(parents=True, exist_ok=True)
    (target / "geo").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "teryt" / TERC_FILE.name, target / "teryt" / TERC_FILE.name)
    register = terc.parse_terc((source / "teryt" / TERC_FILE.name).read_bytes())
    current = {g.terc[:6]: g for g in register.gminy}
    sizes = {TERC_FILE.name: (target / "teryt" / TERC_FILE.name).stat().st_size}
    found = geo.parse_boundaries((source / "geo" / "gminy.geojson").read_bytes())
    features = []
    for terc6, (name, geometry) in sorted(found.items()):
        gmina = current.get(terc6)
        props = {"terc": gmina.terc if gmina else terc6, "name": gmina.name if gmina else name}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    outputs = {"gminy.geojson": features}
    for kind in ("powiaty", "wojewodztwa"):
        doc = json.loads((source / "geo" / f"{kind}.geojson").read_bytes())
        outputs[f"{kind}.geojson"] = [
            {
                "type": "Feature",
                "properties": {"terc": f["properties"]["terc"], "name": f["properties"]["name"]},
                "geometry": geo._as_geojson(
                    shapely.set_precision(
                        shape(f["geometry"]).simplify(OUTLINE_TOLERANCE, preserve_topology=True),
                        10**-OUTLINE_DECIMALS,
                    ),
                    OUTLINE_DECIMALS,
                ),
            }
            for f in doc["features"]
        ]
    for name, rows in outputs.items():
        path = target / "geo" / name
        lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
        text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
        path.write_text(text, encoding="utf-8")
        sizes[name] = path.stat().st_size
    return sizes
