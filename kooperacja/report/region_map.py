"""The region's map for the effects report: gmina shapes coloured by progress, powiat outlines."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import shapely

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
    when no pilot gmina has a boundary.

    Built from the cached map shapes (`geo.map_shapes`, whose rings come from shapely's
    coordinate arrays, once per boundary content): the rings are shared, read only.
    """
    if progress.empty:
        return None
    states = {t[:6]: s for t, s in zip(progress.terc, progress.progress_state, strict=True)}
    context = geo.region_terc6(conn, list(progress.terc))
    found = geo.map_shapes(conn, context + list(states))
    if not any(t in states for t in found.terc6):
        return None
    order = np.argsort(-shapely.area(found.geometries), kind="stable").tolist()  # largest first
    rings = found.exterior_rings
    drawn = [found.terc6[i] for i in order]
    outlined = "województw" if len({t[:2] for t in drawn}) > 1 else "powiatów"
    shapes = [(t, states.get(t), rings[i]) for t, i in zip(drawn, order, strict=True)]
    return RegionMap(shapes, reference.outlines(drawn), outlined)
