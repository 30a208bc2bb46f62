"""Plot builders, DataFrame -> go.Figure; `Prepared` for a figure drawn again and again unchanged."""

from __future__ import annotations

from typing import Any

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
    Read only: change the figure you build from, not this one (its dict would not follow).
    """

    def __init__(self, figure: go.Figure) -> None:
        super().__init__(figure)  # the traces and layout to read (`.data`, `.layout`)
        self._spec = _orjson_ready(figure.to_dict())  # its own copy, in the figure's key order

    def to_dict(self) -> dict[str, Any]:
        return self._spec


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
