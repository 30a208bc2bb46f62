"""The small-count disclosure rule: how counts that could single somebody out are shown.

Who sees them suppressed is `access.suppresses_small_counts` (the WZK and the Zarząd); this module
is the how, the one place every reader (tables, charts, the report, the slides, the pages) uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kooperacja.model.access import Actor, suppresses_small_counts

if TYPE_CHECKING:  # pandas only for the frame helpers' callers: the CLI starts without it
    import pandas as pd

THRESHOLD = 5  # counts 1..THRESHOLD-1 could single somebody out; 0 identifies nobody and stays 0
LABEL = f"<{THRESHOLD}"
NOTE = f"Liczby spraw mniejsze niż {THRESHOLD} pokazano jako „{LABEL}”"  # the pages' and the PDF's note


def hides(actor: Actor) -> bool:
    """Whether `actor` sees small counts as LABEL (the WZK and the Zarząd)."""
    return suppresses_small_counts(actor)


def is_small(count: object) -> bool:
    """A count that must not be shown: a number from 1 to THRESHOLD-1.

    >>> is_small(0), is_small(1), is_small(4), is_small(5), is_small("<5"), is_small(float("nan"))
    (False, True, True, False, False, False)
    """
    return isinstance(count, int | float) and 0 < count < THRESHOLD  # NaN compares False


def suppress(count: object, hidden: bool = True) -> object:
    """LABEL for a small count when `hidden`, else the count itself (0 stays 0).

    >>> suppress(3), suppress(0), suppress(12), suppress(3, hidden=False)
    ('<5', 0, 12, 3)
    """
    return LABEL if hidden and is_small(count) else count


def suppress_text(count: int, hidden: bool = True) -> str:
    """The count as text for a sentence or a chart label: LABEL when small and `hidden`.

    >>> suppress_text(3), suppress_text(3, hidden=False), suppress_text(0)
    ('<5', '3', '0')
    """
    return str(suppress(count, hidden))


def suppress_frame(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Counts 1..THRESHOLD-1 in `columns` shown as LABEL (other values unchanged), on a copy.

    >>> import pandas as pd
    >>> suppress_frame(pd.DataFrame({"n": [0, 3, 7]}), ["n"]).n.tolist()
    [0, '<5', 7]
    """
    out = df.copy()
    for col in columns:
        out[col] = out[col].astype(object).map(suppress)
    return out


def blank_where_small(df: pd.DataFrame, columns: Iterable[str], base: str) -> pd.DataFrame:
    """`columns` blanked (None) on the rows where the count in `base` is small, on a copy.

    A median or a rate over 1–4 cases would tell as much as the count itself.
    """
    out = df.copy()
    small = out[base].between(1, THRESHOLD - 1)
    for col in columns:
        out[col] = out[col].astype(object).where(~small, None)
    return out
