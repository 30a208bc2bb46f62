"""Shared Streamlit widgets: tables with XLSX download, filters that persist across pages, legends."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, TypedDict

import pandas as pd
import streamlit as st

from kooperacja.charts.programme import PROGRESS_COLORS, PROGRESS_ORDER
from kooperacja.model import disclosure, formatting, rules
from kooperacja.model import xlsx as export
from kooperacja.model.errors import KooperacjaError
from kooperacja.model.records import EARLIEST, LATEST
from kooperacja.model.rules import STATUS_COLORS, STATUS_LABELS, STATUS_ORDER, Status
from kooperacja.programme.queries import PROGRESS_COUNT_LABELS, PROGRESS_LABELS
from kooperacja.ui import errors


class DateInput(TypedDict):
    format: str
    min_value: date
    max_value: date


# st.date_input(..., **DATE) in every form: the widget takes exactly the dates the records accept.
# Streamlit's own bounds (ten years around the value) turned a valid older date red and saved the
# previous value instead; the narrower rules of a save (not in the future, not before the gmina
# joined the pilot…) are the domain's to refuse, in Polish, never the widget's to drop silently.
DATE: DateInput = {"format": "DD.MM.YYYY", "min_value": EARLIEST, "max_value": LATEST}
DATE_FORMAT = DATE["format"]  # st.date_input(..., format=DATE_FORMAT) where the bounds are the page's own

# Streamlit's own English: an empty select box says "Choose an option", a multiselect "Choose options"
# and offers "Select all". Every call names these (tests/unit/test_polish_widgets.py scans for it):
# st.selectbox(..., **widgets.SELECT), st.multiselect(..., **widgets.MULTI).
PICK = "Wybierz…"


class SelectTexts(TypedDict):
    placeholder: str


class MultiTexts(TypedDict):
    placeholder: str
    select_all: bool


SELECT: SelectTexts = {"placeholder": PICK}
MULTI: MultiTexts = {"placeholder": PICK, "select_all": False}

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STORE = "flt_"  # filter values live under flt_<name>: widget state is dropped on other pages
DARK_BACKGROUNDS = {STATUS_COLORS[Status.ON_TIME], PROGRESS_COLORS["on_time"]}  # white text on these
_COLOR_BY_WORDS = {label: STATUS_COLORS[s] for s, label in STATUS_LABELS.items()} | {
    PROGRESS_LABELS[s]: PROGRESS_COLORS[s] for s in PROGRESS_ORDER
}


def _cell_style(value: Any) -> str:
    color = _COLOR_BY_WORDS.get(value)
    if color is None:
        return ""
    text = "#FFFFFF" if color in DARK_BACKGROUNDS else "#000000"
    return f"background-color: {color}; color: {text}"


EMPTY_TABLE = "Brak wierszy do pokazania."
ROW_PX, HEADER_PX, MAX_ROWS = 35, 38, 15
# Up to STYLED_ROWS rows a table is styled cell by cell (pandas Styler: Polish cell texts, status
# cells painted in their colour; ~20 µs a cell, so ≤ ~0.2 s). A longer one is drawn whole by the
# grid's column config, with no Python per cell: dates dd.mm.rrrr and numbers by the column config,
# the other texts prepared per column, a status marked by a coloured square beside its words.
# Past PAGE_ROWS rows it is shown a page at a time ("Strona N z M"). The XLSX always has every row.
STYLED_ROWS = 1_000
PAGE_ROWS = 5_000  # ~1.4 MB on the wire; at 50,000 the national alerts sent 8.9 MB a visit
# Not a limit of `table`: how many rows a page offers in its own pickers and hand-styled grids (the
# case picker of Sprawy, the completeness grid).
MAX_SHOWN = 500
_MARKERS = {
    "#009E73": "🟩",
    "#E69F00": "🟧",
    "#0072B2": "🟦",
    "#F0E442": "🟨",
    "#D55E00": "🟥",
    "#BBBBBB": "⬜",
    "#CC79A7": "🟪",
}
MARKED = {label: f"{_MARKERS[color]} {label}" for label, color in _COLOR_BY_WORDS.items()}
_POLISH_DIGITS = str.maketrans({",": formatting.NBSP, ".": ","})


def _cell_text(value: Any) -> str:
    # An empty display text makes the grid fall back to printing "None": show a blank space instead.
    return formatting.cell_text(value) or formatting.NBSP


def _iso_text(value: str) -> str:
    return formatting.fmt_date(date.fromisoformat(value)) if value else formatting.NBSP


def _for_grid(df: pd.DataFrame) -> Any:
    """The frame styled for st.dataframe: Polish cell texts, and no "None" in empty cells.

    The grid prints "None" for a missing value whatever its display text, so missing texts become
    "" and a date column with gaps becomes ISO text (which still sorts by date) shown dd.mm.rrrr.
    """
    data, dates = df.copy(), formatting.date_columns(df)
    formats: dict[Any, str | Callable[[Any], str] | None] = dict.fromkeys(df.columns, _cell_text)
    for col in df.columns:
        missing = df[col].isna()
        if _mixed_text(df[col], missing):  # e.g. suppressed counts: 7, "<5", "x"
            values = zip(df[col], missing, strict=True)
            data[col] = ["" if m else v if isinstance(v, str) else _cell_text(v) for v, m in values]
            continue
        if not missing.any():
            continue
        if col in dates:
            values = zip(df[col], missing, strict=True)
            data[col] = ["" if m else pd.Timestamp(v).date().isoformat() for v, m in values]
            formats[col] = _iso_text
        elif all(isinstance(v, str) for v in df[col][~missing]):  # text only: Arrow refuses mixed types
            data[col] = df[col].where(~missing, "")
    return data.style.format(formats)


def _mixed_text(column: pd.Series, missing: pd.Series) -> bool:
    """Whether an object column holds texts and other values: Arrow refuses it (Streamlit logs a
    traceback for each such table and converts it itself), so the grid gets the texts shown instead.
    """
    if column.dtype != object:
        return False
    kinds = {isinstance(v, str) for v in column[~missing]}
    return kinds == {True, False}


def polish_numbers(values: pd.Series, decimals: int) -> pd.Series:
    """Numbers as Polish text ("12 345,6"), a column at a time; blank where missing."""
    shown = values.map(f"{{:,.{decimals}f}}".format, na_action="ignore").astype(object)
    return shown.str.translate(_POLISH_DIGITS).fillna("")


def _whole(values: pd.Series) -> bool:
    present = values.dropna()
    return bool(((present % 1) == 0).all())


def _texts(values: pd.Series) -> pd.Series:
    """An object column as the texts it shows: texts as they are, yes/no as tak/nie, numbers in Polish
    (a column of counts and suppression marks: 7, "<5", "x"), blank where missing."""
    if values.dtype != object:  # a string column: texts only
        return values.fillna("")
    kinds = values.map(type)
    text = values.where(kinds.isin([str])).astype(object)
    flags = kinds.isin([bool])
    if flags.any():
        text = text.where(~flags, values.map({True: "tak", False: "nie"}))
    numeric = values.notna() & ~kinds.isin([str, bool])
    if numeric.any():
        numbers = pd.to_numeric(values.where(numeric), errors="coerce")
        text = text.where(~numeric, polish_numbers(numbers, 0 if _whole(numbers) else 1))
    return text.fillna("")


def grid(df: pd.DataFrame, colored: Sequence[str] = ()) -> tuple[pd.DataFrame, dict[str, Any]]:
    """(the frame as the grid gets it, its column config) for a long table: no Python per cell.

    Dates stay dates shown dd.mm.rrrr (moments dd.mm.rrrr gg:mm) and whole numbers stay numbers
    (sorted as numbers); fractions, yes/no and mixed columns (7, "<5", "x") become their Polish
    texts; a missing value is blank (the grid's placeholder is ""); `colored` status words get their
    colour's square.
    """
    data, config = df.copy(), {}
    dates = set(formatting.date_columns(df))
    for col in df.columns:
        values = df[col]
        if col in dates:
            moments = pd.to_datetime(values)
            data[col] = moments
            timed = bool((moments.dropna() != moments.dropna().dt.normalize()).any())
            config[col] = (
                st.column_config.DatetimeColumn(col, format="DD.MM.YYYY HH:mm")
                if timed
                else st.column_config.DateColumn(col, format="DD.MM.YYYY")
            )
        elif pd.api.types.is_bool_dtype(values):
            data[col] = values.map({True: "tak", False: "nie"}).astype(object).fillna("")
        elif pd.api.types.is_numeric_dtype(values):
            if _whole(values):
                config[col] = st.column_config.NumberColumn(col, format="%d")
            else:
                data[col] = polish_numbers(values, 1)
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            data[col] = _texts(values)
        if col in colored:  # the few distinct words marked, then each row looked up (in C)
            words = pd.Index(data[col].unique())
            data[col] = words.map(lambda w: MARKED.get(w, w))[words.get_indexer(data[col])]
    return data, config


_GRIDS: dict[int, tuple[weakref.ref, tuple[str, ...], tuple[pd.DataFrame, dict[str, Any]]]] = {}
_GRIDS_KEPT = 16
_GRIDS_LOCK = threading.Lock()  # sessions run in threads of one process


def _grid_of(df: pd.DataFrame, colored: tuple[str, ...]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`grid(df, colored)`, made once per frame object: the pages' cached frames (shared, never changed:
    `ui.data`) come back as the same object on every run, and their grid with them."""
    with _GRIDS_LOCK:
        kept = _GRIDS.get(id(df))
    if kept is not None and kept[0]() is df and kept[1] == colored:
        return kept[2]
    made = grid(df, colored)
    with _GRIDS_LOCK:
        if len(_GRIDS) >= _GRIDS_KEPT:
            _GRIDS.pop(next(iter(_GRIDS)))
        _GRIDS[id(df)] = (weakref.ref(df), colored, made)
    return made


def table(
    df: pd.DataFrame,
    key: str,
    filename: str,
    *,
    colored: Sequence[str] = (),
    select: bool = False,
    links: dict[str, str] | None = None,
) -> Any:
    """A display table (Polish headers already) with dd.mm.rrrr dates and a "Pobierz XLSX" button.

    Every row is shown (a page of PAGE_ROWS at a time past that). Cells read as
    `formatting.cell_text` while sorting still uses the values; the XLSX gets the values themselves
    (real dates). `colored`: columns holding a status in words, shown in its colour. `select`:
    single-row selection; returns the selection event (else None), its rows positions in `df`.
    `links`: columns holding a relative URL (`model.links.url`) → the Polish text of their link
    ("Otwórz"). An empty table is said in words (the grid would print the English "empty"), with no
    download.
    """
    if df.empty:
        st.caption(EMPTY_TABLE)
        return None
    shown, offset = _page(df, key)
    config: dict[str, Any] = {}
    if len(df) <= STYLED_ROWS:
        frame: Any = _for_grid(shown)
        if colored:
            frame = frame.map(_cell_style, subset=list(colored))
    else:
        frame, config = _grid_of(df, tuple(colored))
        frame = frame.iloc[offset : offset + len(shown)]
    kwargs: dict[str, Any] = {"on_select": "rerun", "selection_mode": "single-row"} if select else {}
    height = HEADER_PX + ROW_PX * max(1, min(len(shown), MAX_ROWS)) + 2
    for column, text in (links or {}).items():
        config[column] = st.column_config.LinkColumn(column, display_text=text)
    if config:
        kwargs["column_config"] = config
    event = st.dataframe(
        frame, key=key, hide_index=True, height=height, width="stretch", placeholder="", **kwargs
    )
    st.download_button(
        "Pobierz XLSX",
        data=lambda: export.to_xlsx(df, sheet_name=filename[:31]),
        file_name=f"{filename}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
    if not select:
        return None
    if offset:  # the grid's rows are the page's: give the caller positions in df
        event["selection"]["rows"] = [r + offset for r in event["selection"]["rows"]]
    return event


def _page(df: pd.DataFrame, key: str) -> tuple[pd.DataFrame, int]:
    """The rows of the page picked under the table (all of them up to PAGE_ROWS) and the first's position."""
    pages = -(-len(df) // PAGE_ROWS)
    if pages == 1:
        return df, 0
    number = st.selectbox(
        "Strona",
        range(1, pages + 1),
        key=f"{key}_page",
        format_func=lambda n: f"Strona {n} z {pages}",
        help=f"Po {formatting.plural(PAGE_ROWS, 'wiersz', 'wiersze', 'wierszy')} na stronie; "
        f"wszystkie {formatting.fmt_number(len(df))} są w pliku XLSX.",
        **SELECT,
    )
    offset = ((number or 1) - 1) * PAGE_ROWS
    return df.iloc[offset : offset + PAGE_ROWS], offset


def remembered(name: str, default: Any = None) -> Any:
    """The value a persistent filter had last, on whichever page it was set."""
    return st.session_state.get(STORE + name, default)


def remember(name: str, value: Any, *widget_keys: str) -> None:
    """Set a persistent filter from code (e.g. a row picked on another page); reseeds its widgets."""
    st.session_state[STORE + name] = value
    for key in widget_keys:
        st.session_state[key] = value


def _valid(value: Any, options: Sequence[Any] | None, default: Any, multi: bool) -> Any:
    if options is None:
        return value
    if multi:
        return [v for v in (value or []) if v in options]
    return value if value in options else default


def _browser_default(widget: Callable[..., Any], value: Any, options: Sequence[Any] | None) -> dict:
    """The widget's own default set to the value it shows. A browser may draw the widget with its
    default rather than the value the server set (seen after the login on a deep link, under load:
    the page drew the linked gmina while its picker showed the first one, and the next click sent
    that one back), so the two must be the same."""
    if widget is st.selectbox and options is not None and value in options:
        return {"index": list(options).index(value)}
    if widget is st.multiselect:
        return {"default": value}
    if widget is st.date_input:
        return {"value": value}
    return {}


def persistent(
    widget: Callable[..., Any],
    label: str,
    *,
    key: str,
    name: str,
    default: Any = None,
    options: Sequence[Any] | None = None,
    **kwargs: Any,
) -> Any:
    """Render `widget` (st.selectbox, st.multiselect, st.date_input…) seeded from flt_<name>.

    The widget's own state is dropped when another page runs; the flt_ copy survives, so the
    filter shows the same value when the user comes back.
    """
    multi = widget is st.multiselect
    if multi:
        kwargs = {**MULTI, **kwargs}
    elif widget is st.selectbox:
        kwargs = {**SELECT, **kwargs}
    elif widget is st.date_input:
        kwargs = {"format": DATE_FORMAT, **kwargs}
    if key not in st.session_state:
        st.session_state[key] = _valid(remembered(name, default), options, default, multi)
    kwargs = {**_browser_default(widget, st.session_state[key], options), **kwargs}
    args = (label,) if options is None else (label, options)
    value = widget(*args, key=key, **kwargs)
    st.session_state[STORE + name] = value
    return value


def _swatch(color: str, label: str) -> str:
    return (
        f'<span style="display:inline-block;width:0.9em;height:0.9em;background:{color};'
        f'border:1px solid #555;vertical-align:middle;margin:0 0.3em 0 0.9em"></span>{label}'
    )


def status_legend() -> None:
    """The step-status colour code, each colour with its words."""
    items = "".join(_swatch(STATUS_COLORS[s], STATUS_LABELS[s]) for s in STATUS_ORDER)
    st.markdown(f'<div style="font-size:0.9em">Statusy: {items}</div>', unsafe_allow_html=True)


def progress_legend() -> None:
    """The gmina progress-state colour code (map, treemap, table)."""
    items = "".join(_swatch(PROGRESS_COLORS[s], PROGRESS_LABELS[s]) for s in PROGRESS_ORDER)
    st.markdown(f'<div style="font-size:0.9em">Stan gminy: {items}</div>', unsafe_allow_html=True)


def show_error(exc: KooperacjaError) -> None:
    errors.show(exc)


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show a KooperacjaError raised inside the block as a Polish message instead of a traceback."""
    with errors.shown():
        yield


def go_to(page: str) -> None:
    """Switch to another page of the app's navigation ("gmina", "pzk", …)."""
    from kooperacja.ui import nav  # the app's router; imported late, pages are imported by it

    st.switch_page(nav.page(page))


def _kpi_help() -> dict[str, str]:
    small = f"WZK i Zarząd widzą liczby od 1 do {disclosure.THRESHOLD - 1} jako „{disclosure.LABEL}”."
    return {
        "Gminy w pilotażu": "Gminy objęte pilotażem modelu kooperacji (dziś), we wszystkich wariantach.",
        PROGRESS_COUNT_LABELS["on_time"]: "Gminy bez żadnego podkroku po terminie planu.",
        PROGRESS_COUNT_LABELS["late"]: "Gminy z co najmniej jednym podkrokiem po terminie planu, "
        "ale z niedawnym zdarzeniem kroku.",
        PROGRESS_COUNT_LABELS["stalled"]: f"Gminy z podkrokami po terminie i bez zdarzenia kroku od "
        f"{rules.days_pl(rules.STALLED_DAYS)}.",
        "Członkowie PZK": "Instytucje należące dziś do PZK gmin w pilotażu (przystąpiły, nie wystąpiły).",
        "Sprawy otwarte": f"Sprawy (osoby, rodziny, grupy) prowadzone dziś, niezakończone. {small}",
        "Sprawy zamknięte": f"Sprawy zakończone z podanym powodem. {small}",
        "Alerty po terminie": "Alerty na Twojej liście, których termin już minął.",
        "Alerty z terminem dziś": "Alerty na Twojej liście z terminem przypadającym dziś.",
        "Alerty na ten tydzień": f"Alerty na Twojej liście z terminem w ciągu "
        f"{rules.days_pl(rules.DUE_SOON_DAYS)}.",
        "Powiaty": "Powiaty, w których leżą gminy w pilotażu.",
        "Instytucje w PZK": "Instytucje należące dziś do PZK gmin w zakresie raportu.",
        "Sprawy zgłoszone": f"Wszystkie sprawy zgłoszone w zakresie raportu. {small}",
        "Sprawy zakończone": f"Sprawy zakończone z podanym powodem. {small}",
        "Cele osiągnięte w pełni": f"Sprawy, których ewaluacja stwierdziła pełne osiągnięcie celu. {small}",
    }


def metric(label: str, value: int | float | str, help: str | None = None) -> None:
    """A tile with its explanation (`help`, else the one of its label); a text value (a suppressed
    count "<5", "x") is shown as it is."""
    shown = value if isinstance(value, str) else formatting.fmt_number(value)
    st.metric(label, shown, help=help or _kpi_help().get(label))
