"""Plot builders, DataFrame -> go.Figure; `Prepared` for a figure drawn again and again unchanged."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import plotly.graph_objects as go


class Prepared(go.Figure):
    """A figure shown unchanged on every run (a cached one, shared between sessions), its plotly dict
    made once and ready for orjson.

    `st.plotly_chart` calls `figure.to_dict()` (a deep copy of the whole figure: ~90 ms for the
    national map) and then `plotly.io.to_json`, which cleans the dict value by value (~110 ms)
    whenever orjson refuses it — and orjson refuses a numpy array of objects, such as the outline's
    points with their None gaps. Here `to_dict` returns the same dict every time, such arrays made
    what the cleaning makes of them (the same JSON, byte for byte), so a run costs one orjson call.
    Read only: made by `prepared(figure)`, which turns the figure itself into one (no copy of its
    traces: a copy of the national map's held 12 MB more); change it no more after that (its dict would
    not follow).
    """

    _spec: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self._spec


def prepared(figure: go.Figure) -> Prepared:
    """`figure` made a `Prepared` in place, its plotly dict (`figure.to_dict()`) made once now."""
    spec = _orjson_ready(figure.to_dict())  # its own copy, in the figure's key order
    figure.__class__ = Prepared
    figure._spec = spec
    return cast(Prepared, figure)


def _orjson_ready(value: Any) -> Any:
    """`value` with its numpy arrays of objects (which orjson refuses) as what plotly's cleaning would
    make of them, in place: floats and None as a float array (None as NaN, written null), other plain
    values as a list."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "geojson":  # its arrays are float already (`programme._as_arrays`)
                value[key] = _orjson_ready(item)
    elif isinstance(value, list):
        value[:] = [_orjson_ready(item) for item in value]
    elif isinstance(value, np.ndarray) and value.dtype == object:
        kinds = {type(v) for v in value.ravel()}
        if kinds <= {float, type(None)}:
            return np.array([np.nan if v is None else v for v in value.ravel()], dtype=float).reshape(
                value.shape
            )
        if kinds <= {str, int, float, bool, type(None)}:
            return value.tolist()
    return value
