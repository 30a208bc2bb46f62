"""Pictures for documents, drawn without a browser or network: matplotlib (Agg) to PNG, DejaVu fonts."""

from __future__ import annotations

import functools
import io
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")  # no display, no browser: a file of pixels

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from kooperacja.model.rules import STATUS_COLORS, STATUS_LABELS, STATUS_ORDER, Status

FONT = "DejaVu Sans"  # shipped with matplotlib: Polish letters without a system font
LABEL_CHARS = 38


def _label(substep: str, title: str) -> str:
    text = f"{substep} {title}"
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def gantt_png(plan: pd.DataFrame, today: date, dpi: int = 110) -> bytes:
    """A gmina's harmonogram as bars per sub-step (planned window, coloured by status) and today's line.

    `plan` is `programme.queries.gmina_plans` of one gmina; a recurring sub-step shows each occurrence
    on its one row. The legend names every status shown, so colour is never the only carrier.
    """
    rows = plan[list(COLUMNS)].itertuples(index=False, name=None)
    return _drawn(tuple(rows), today, dpi)


COLUMNS = ("substep", "title", "planned_start", "planned_due", "status")


@functools.lru_cache(maxsize=64)
def _drawn(rows: tuple[tuple[object, ...], ...], today: date, dpi: int) -> bytes:
    # drawing text is most of a card's time (~0.3 s): the same plan on the same day is drawn once
    plan = pd.DataFrame(list(rows), columns=list(COLUMNS))
    with matplotlib.rc_context({"font.family": FONT, "font.size": 7}):
        return _gantt(plan, today, dpi)


def _gantt(plan: pd.DataFrame, today: date, dpi: int) -> bytes:
    rows = plan.drop_duplicates("substep")[["substep", "title"]].reset_index(drop=True)
    order = {s: n for n, s in enumerate(rows.substep)}
    height = max(2.5, 0.16 * len(rows) + 1.1)
    fig = Figure(figsize=(7.2, height), dpi=dpi)
    fig.subplots_adjust(left=0.36, right=0.98, top=1 - 0.25 / height, bottom=0.75 / height)
    ax = fig.add_subplot()
    bars = plan.dropna(subset=["planned_start", "planned_due"])
    starts = [mdates.date2num(d) for d in bars.planned_start]
    widths = [max((e - s).days, 1) for s, e in zip(bars.planned_start, bars.planned_due, strict=True)]
    colours = [STATUS_COLORS[Status(s)] for s in bars.status]
    ax.barh([order[s] for s in bars.substep], widths, left=starts, height=0.6, color=colours,
            edgecolor="#555555", linewidth=0.3)  # fmt: skip
    ax.axvline(mdates.date2num(today), color="#222222", linewidth=1.2)
    ax.text(mdates.date2num(today), -0.9, f"dziś {today:%d.%m.%Y} ", va="bottom", ha="right")
    ax.set_yticks(range(len(rows)), [_label(s, t) for s, t in zip(rows.substep, rows.title, strict=True)])
    ax.set_ylim(len(rows) - 0.4, -1.2)
    ax.tick_params(axis="y", labelsize=6.5)
    ax.tick_params(axis="x", labelsize=7)
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m.%Y"))
    if len(plan):
        first, last = min(plan.planned_start.dropna()), max(plan.planned_due.dropna())
        margin = timedelta(days=10)
        ax.set_xlim(mdates.date2num(first - margin), mdates.date2num(max(last, today) + margin))
    shown = [s for s in STATUS_ORDER if s in set(plan.status)]
    handles = [Patch(color=STATUS_COLORS[s], label=STATUS_LABELS[s]) for s in shown]
    if handles:
        anchor = (0.5, -0.3 / height)
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=anchor, ncol=3, frameon=False)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    ax.set_axisbelow(True)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
