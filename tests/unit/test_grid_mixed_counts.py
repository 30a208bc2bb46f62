"""A table of suppressed counts (7, "<5", "x") reaches the grid as text Arrow takes as it is.

Found by the browser soak: each WZK/Zarząd report table made Streamlit log a traceback
("Serialization of dataframe to Arrow table was unsuccessful") before converting it itself.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from kooperacja.ui.widgets import _for_grid


def test_a_column_of_counts_and_suppression_marks_is_shown_as_text():
    df = pd.DataFrame({"Powód": ["a", "b", "c", "d"], "Sprawy": [1234, "<5", "x", None], "N": [1, 2, 3, 4]})
    data = _for_grid(df).data
    pa.Table.from_pandas(data)  # raised ArrowTypeError before
    assert list(data["Sprawy"])[1:] == ["<5", "x", ""]
    assert data["Sprawy"][0].replace("\xa0", " ") in {"1 234", "1234"}
    assert data["N"].tolist() == [1, 2, 3, 4]  # numbers stay numbers
