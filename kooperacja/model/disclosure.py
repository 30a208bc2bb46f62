"""The small-count disclosure rule: how counts that could single somebody out are shown.

Who sees them suppressed is `access.suppresses_small_counts` (the WZK and the Zarząd); this module
is the how, the one place every reader (tables, charts, the report, the slides, the pages) uses.

Primary suppression: a count from 1 to THRESHOLD-1 is shown as LABEL ("<5"); 0 stays 0.

Complementary (secondary) suppression: a "<5" next to exact totals can be undone by arithmetic:
a row total minus the other cells, a funnel's "reached the stage k" minus "reached k+1", a rate
times its base. So a table's linear relations (Σ coefficient·cell = 0, e.g. parts − total) are
declared with it, and `protect` hides further cells, shown as SECONDARY ("x"), until no "<5" can be
computed exactly: each "<5" takes another value in another integer solution of the relations
(with "<5" in 1–4 and "x" at least THRESHOLD; scipy's MILP), so that "<5" + "x" = 6 (giving 1),
chains of cumulative figures and "<5" + "<5" = 2 are all caught. The complement is the smallest
count of a relation with the exposed cell that does hide it, preferring one of at least
THRESHOLD+3 (then "<5" keeps its whole range 1–4); it is repeated until nothing is exposed (a
complement may expose another). Totals and margins stay exact where they can, so the tables keep
adding up and the funnel keeps its shape; a rate (percentage) is blanked
wherever its numerator or its base is hidden (`blank_where_hidden`). Relations that do not hold
on the true figures are dropped (they would only mislead an attacker).

Worked example: three kinds of cases, 3 + 12 + 20 = 35 with the total shown. "<5", 12, 20, 35
would give 35 − 12 − 20 = 3; the next-smallest cell (12) is hidden as well:

>>> cells = {"a": 3, "b": 12, "c": 20, "total": 35}
>>> protect(cells, [total(["a", "b", "c"], "total")])
{'a': '<5', 'b': 'x'}
>>> recover({"a": LABEL, "b": SECONDARY, "c": 20, "total": 35}, [total(["a", "b", "c"], "total")])
{}

Now "<5" + "x" = 15 leaves "<5" anywhere in 1–4. Without the complement the attacker wins:

>>> recover({"a": LABEL, "b": 12, "c": 20, "total": 35}, [total(["a", "b", "c"], "total")])
{'a': 3}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kooperacja.model.access import Actor, suppresses_small_counts

if TYPE_CHECKING:  # pandas, numpy, scipy only when called: the CLI starts without them
    import numpy as np
    import pandas as pd

THRESHOLD = 5  # counts 1..THRESHOLD-1 could single somebody out; 0 identifies nobody and stays 0
LABEL = f"<{THRESHOLD}"
SECONDARY = "x"  # a count hidden so that a LABEL cannot be recovered from the totals
LABELS = (LABEL, SECONDARY)
NOTE = (
    f"Liczby spraw mniejsze niż {THRESHOLD} pokazano jako „{LABEL}”, a „{SECONDARY}” to liczba "
    f"ukryta dodatkowo, aby „{LABEL}” nie dało się odtworzyć odejmowaniem od sum"
)  # the pages' and the PDF's note
PROTECTED = THRESHOLD + 3  # a complement this large leaves LABEL its whole range 1..THRESHOLD-1
TRIED = 20  # complements tried in turn for one exposed cell (a large table has thousands)

Cell = Any  # any hashable name of a cell: "a", or (table, row, column)
Relation = Sequence[tuple[Cell, int]]  # Σ coefficient·cell = 0 over the true figures


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


def is_hidden(value: object) -> bool:
    """A shown value that stands for a hidden count (LABEL or SECONDARY)."""
    return isinstance(value, str) and value in LABELS


def total(parts: Iterable[Cell], whole: Cell) -> Relation:
    """The relation Σ parts = whole.

    >>> total(["a", "b"], "t")
    [('a', 1), ('b', 1), ('t', -1)]
    """
    return [*((p, 1) for p in parts), (whole, -1)]


def _bounds(value: object) -> tuple[float, float]:
    return (1, THRESHOLD - 1) if value == LABEL else (THRESHOLD, math.inf)


def _system(
    shown: Mapping[Cell, object], relations: Iterable[Relation]
) -> tuple[list[Cell], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The hidden cells of the relations, A and b with A·hidden = b, and the cells' bounds."""
    import numpy as np

    rels = [list(r) for r in relations if any(is_hidden(shown[c]) for c, _ in r)]
    unknown = sorted({c for r in rels for c, _ in r if is_hidden(shown[c])}, key=repr)
    col = {c: i for i, c in enumerate(unknown)}
    a = np.zeros((len(rels), len(unknown)))
    b = np.zeros(len(rels))
    for i, r in enumerate(rels):
        for c, k in r:
            if c in col:
                a[i, col[c]] += k
            else:
                b[i] -= k * float(shown[c])  # type: ignore[arg-type]  # a shown number
    lo = np.array([_bounds(shown[c])[0] for c in unknown], dtype=float)
    hi = np.array([_bounds(shown[c])[1] for c in unknown], dtype=float)
    return unknown, a, b, lo, hi


def _solve(
    a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray, objective: np.ndarray | None = None
) -> np.ndarray | None:
    """An integer solution of A·x = b within the bounds (minimising `objective`), or None."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = a.shape[1]
    found = milp(
        np.zeros(n) if objective is None else objective,
        constraints=LinearConstraint(a, b, b),
        bounds=Bounds(lo, hi),
        integrality=np.ones(n),
    )
    return found.x if found.status == 0 else None


def recover(shown: Mapping[Cell, object], relations: Iterable[Relation]) -> dict[Cell, int]:
    """The attacker: every LABEL cell of `shown` that the relations give exactly, with its value.

    Exact over the integers: the least and the greatest value of the cell over every solution of
    the relations with LABEL in 1..THRESHOLD-1 and SECONDARY at least THRESHOLD (scipy's MILP).
    """
    import numpy as np

    unknown, a, b, lo, hi = _system(shown, relations)
    out: dict[Cell, int] = {}
    for i, cell in enumerate(unknown):
        if shown[cell] != LABEL:
            continue
        unit = np.eye(len(unknown))[i]
        low, high = _solve(a, b, lo, hi, unit), _solve(a, b, lo, hi, -unit)
        if low is not None and high is not None and round(low[i]) == round(high[i]):
            out[cell] = round(low[i])
    return out


class _Relations(list[Relation]):
    """`protect`'s relations (that hold on `values`) with their matrix, built once for every check."""

    def __init__(self, values: Mapping[Cell, int], relations: Iterable[Relation]) -> None:
        import numpy as np

        super().__init__(list(r) for r in relations if sum(k * values[c] for c, k in r) == 0)
        self.cells = sorted({c for r in self for c, _ in r}, key=repr)
        col = {c: j for j, c in enumerate(self.cells)}
        self.matrix = np.zeros((len(self), len(self.cells)))
        for i, r in enumerate(self):
            for c, k in r:
                self.matrix[i, col[c]] += k
        self.values = np.array([values[c] for c in self.cells], dtype=float)

    def system(
        self, hidden: Mapping[Cell, str]
    ) -> tuple[list[Cell], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """As `_system` of the shown figures, from the matrix."""
        import numpy as np

        mask = np.array([c in hidden for c in self.cells], dtype=bool)
        rows = (self.matrix[:, mask] != 0).any(axis=1)
        a = self.matrix[rows][:, mask]
        b = -(self.matrix[rows][:, ~mask] @ self.values[~mask])
        unknown = [c for c, m in zip(self.cells, mask, strict=True) if m]
        lo = np.array([_bounds(hidden[c])[0] for c in unknown], dtype=float)
        hi = np.array([_bounds(hidden[c])[1] for c in unknown], dtype=float)
        return unknown, a, b, lo, hi


def _exposed(
    values: Mapping[Cell, int], hidden: Mapping[Cell, str], rels: Sequence[Relation], only: Cell | None = None
) -> list[Cell]:
    """The LABEL cells that no other solution of the relations moves (all, or just `only`)."""
    import numpy as np

    if isinstance(rels, _Relations):
        unknown, a, b, lo, hi = rels.system(hidden)
    else:
        unknown, a, b, lo, hi = _system({c: hidden.get(c, v) for c, v in values.items()}, rels)
    truth = np.array([values[c] for c in unknown], dtype=float)
    same: dict[bytes, list[int]] = {}  # cells in the very same relations with the same coefficients
    for j in range(len(unknown)):
        same.setdefault(a[:, j].tobytes(), []).append(j)
    out = []
    moved_by: set[int] = set()  # cells another solution found so far gives another value
    for i, cell in enumerate(unknown):
        if hidden[cell] != LABEL or (only is not None and cell != only) or i in moved_by:
            continue
        twins = [j for j in same[a[:, i].tobytes()] if j != i]
        if any(  # a cell in the very same sums: one up, the other down, both still in bounds
            (truth[i] + d <= hi[i] and truth[i] + d >= lo[i]) and lo[j] <= truth[j] - d <= hi[j]
            for j in twins
            for d in (1, -1)
        ):
            continue
        moved = False
        for low, high in ((lo[i], truth[i] - 1), (truth[i] + 1, hi[i])):
            if low <= high:
                lo2, hi2 = lo.copy(), hi.copy()
                lo2[i], hi2[i] = low, high
                found = _solve(a, b, lo2, hi2)
                if found is not None:  # it moves every cell it gives another value, too
                    moved_by.update(np.flatnonzero(np.round(found) != truth).tolist())
                    moved = True
                    break
        if not moved:
            out.append(cell)
    return out


def protect(values: Mapping[Cell, int], relations: Iterable[Relation]) -> dict[Cell, str]:
    """The cells to hide and how: LABEL for the small counts, SECONDARY for their complements.

    >>> protect({"a": 2, "b": 9, "t": 11}, [total(["a", "b"], "t")])
    {'a': '<5', 'b': 'x'}
    >>> protect({"a": 2, "b": 2, "t": 4}, [total(["a", "b"], "t")])  # 4 = 2 + 2 could be 1 + 3
    {'a': '<5', 'b': '<5', 't': '<5'}
    >>> protect({"a": 1, "b": 1, "c": 30, "t": 32}, [total(["a", "b", "c"], "t")])  # 1 + 1 = 2
    {'a': '<5', 'b': '<5', 'c': 'x'}
    """
    rels = _Relations(values, relations)
    hidden: dict[Cell, str] = {c: LABEL for c, v in values.items() if is_small(v)}
    stuck: set[Cell] = set()  # exposed, but with nothing truthful left to hide around it
    # Hiding more never exposes a "<5" (the true figures stay a solution), so the cells exposed
    # at first are taken in turn, each checked again on its own before (and after) a complement.
    queue = _exposed(values, hidden, rels)
    while True:
        if not queue:
            queue = [c for c in _exposed(values, hidden, rels) if c not in stuck]
            if not queue:
                return _pruned(values, hidden, rels, stuck)
        cell = queue.pop(0)
        if cell in stuck or not _exposed(values, hidden, rels, cell):
            continue
        queue.insert(0, cell)  # checked again once its complement is in
        reach, candidates = {cell}, list[Cell]()
        while not candidates:  # the relations with the cell, then those tied to them, …
            wider = reach | {o for r in rels if any(c in reach for c, _ in r) for o, _ in r}
            candidates = [o for o in wider if o not in hidden and values[o] >= THRESHOLD]
            if wider == reach:
                break
            reach = wider
        if not candidates:
            stuck.add(cell)
            queue.pop(0)
            continue
        candidates.sort(key=lambda o: (values[o] < PROTECTED, values[o], repr(o)))
        pick = next(  # the first (smallest) complement that does hide the exposed cell, if any
            (o for o in candidates[:TRIED] if not _exposed(values, {**hidden, o: SECONDARY}, rels, cell)),
            candidates[0],
        )
        hidden[pick] = SECONDARY


def _pruned(
    values: Mapping[Cell, int], hidden: dict[Cell, str], rels: Sequence[Relation], stuck: set[Cell]
) -> dict[Cell, str]:
    """`hidden` without the complements that turned out not to be needed (the largest first)."""
    extra = sorted((c for c, v in hidden.items() if v == SECONDARY), key=lambda c: (-values[c], repr(c)))
    for cell in extra:
        trial = {c: v for c, v in hidden.items() if c != cell}
        if not [c for c in _exposed(values, trial, rels) if c not in stuck]:
            hidden = trial
    return hidden


def protect_frames(
    frames: Mapping[str, pd.DataFrame],
    counts: Mapping[str, Sequence[str]],
    relations: Iterable[Relation] = (),
) -> dict[str, pd.DataFrame]:
    """`frames` (name → table) with their `counts` columns protected together, on copies.

    A cell is (frame name, row position, column); `relations` tie cells of any of the frames.

    >>> import pandas as pd
    >>> t = {"kinds": pd.DataFrame({"n": [3, 12, 20]}), "head": pd.DataFrame({"all": [35]})}
    >>> rel = total([("kinds", i, "n") for i in range(3)], ("head", 0, "all"))
    >>> out = protect_frames(t, {"kinds": ["n"], "head": ["all"]}, [rel])
    >>> out["kinds"].n.tolist(), out["head"]["all"].tolist()
    (['<5', 'x', 20], [35])
    """
    values = {
        (name, i, col): int(v)
        for name, cols in counts.items()
        for col in cols
        for i, v in enumerate(frames[name][col])
    }
    hidden = protect(values, relations)
    out = {name: df.copy() for name, df in frames.items()}
    for name, cols in counts.items():
        for col in cols:
            out[name][col] = [
                hidden.get((name, i, col), v) for i, v in enumerate(out[name][col].astype(object))
            ]
    return out


def blank_where_hidden(df: pd.DataFrame, columns: Iterable[str], bases: Iterable[str]) -> pd.DataFrame:
    """`columns` (rates, medians) blanked (None) where any of `bases` is hidden, on a copy.

    A rate whose numerator or base is hidden would give that count back (rate × base).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"e": [10, "<5"], "r": ["<5", 0], "rate": [0.3, 0.0]})
    >>> blank_where_hidden(df, ["rate"], ["e", "r"]).rate.tolist()
    [None, None]
    """
    out = df.copy()
    hidden = out[list(bases)].map(is_hidden).any(axis=1)
    for col in columns:
        out[col] = out[col].astype(object).where(~hidden, None)
    return out
