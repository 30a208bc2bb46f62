"""The region's map for the effects report: gmina shapes coloured by progress, powiat outlines."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd
from shapely.geometry import shape

from kooperacja.territory import geo, reference

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class RegionMap:
    """Exterior rings (lon, lat) of every gmina to draw, largest first (so enclosed towns come on
    top of the gmina around them), with its progress state (None: outside the pilot)."""

    shapes: list[tuple[str, str | None, list[Ring]]] = field(default_factory=list)
    outlines: list[Ring] = field(default_factory=list)
    outlined: str = "powiatów"  # whose boundaries the outlines are: "powiatów" or "województw"

    def counts(self) -> dict[str | None, int]:
        out: dict[str | None, int] = {}
        for _, state, _ in self.shapes:
            out[state] = out.get(state, 0) + 1
        return out


def region_map(conn: duckdb.DuckDBPyConnection, progress: pd.DataFrame) -> RegionMap | None:
    """The map of the województwa of the pilot gminy in `progress` (terc, progress_state); None
    when no pilot gmina has a boundary."""
    if progress.empty:
        return None
    states = {t[:6]: s for t, s in zip(progress.terc, progress.progress_state, strict=True)}
    context = geo.region_terc6(conn, list(progress.terc))
    collection = geo.boundaries_geojson(conn, context + list(states))
    if not any(f["id"] in states for f in collection["features"]):
        return None
    shapes = []
    for feature in collection["features"]:
        geom = shape(feature["geometry"])
        parts = getattr(geom, "geoms", [geom])
        rings = [[(float(x), float(y)) for x, y in part.exterior.coords] for part in parts]
        shapes.append((geom.area, feature["id"], states.get(feature["id"]), rings))
    shapes.sort(key=lambda s: -s[0])
    drawn = [terc6 for _, terc6, _, _ in shapes]
    outlined = "województw" if len({t[:2] for t in drawn}) > 1 else "powiatów"
    return RegionMap([(t, s, r) for _, t, s, r in shapes], reference.outlines(drawn), outlined)
