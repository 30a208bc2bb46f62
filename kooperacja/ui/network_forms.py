"""The cooperation network's forms: survey waves, one respondent's answers as a grid, the diagnosis.

Every save goes through `ui.saving` and a `kooperacja.network.services` function (which checks the
role, validates the records and writes in one audited transaction). The answers of one responding
institution are a grid (`st.data_editor`): one row per partner institution, Polish labels in the cells,
codes only on the way to the service. Saving a respondent moves the picker to the next one, so that a
25-institution survey is entered without leaving the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kooperacja.cases.core import list_problem_areas
from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import fmt_date, is_missing, plural, row_tuples, to_display
from kooperacja.network import queries as network
from kooperacja.network import services
from kooperacja.programme import data_entry
from kooperacja.ui import forms, saving, versions, widgets
from kooperacja.ui.network_views import wave_label
from kooperacja.ui.text import plain

# The grid's columns (Polish headers) and the service's fields they fill.
PARTNER, SECTOR = "Instytucja partnerska", "Sektor"
COOPERATES, INITIATES, FREQUENCY, QUALITY = "Współpracujemy", "Kto inicjuje", "Jak często", "Jakość 1–5"
QUALITIES = {1: "1 — bardzo słaba", 2: "2 — słaba", 3: "3 — średnia", 4: "4 — dobra", 5: "5 — bardzo dobra"}
GRID = "net_answers"
ROW_PX = 35  # a grid row (and the header) in pixels
NEXT = "_kooperacja_net_next_respondent"  # session key: the respondent the picker shows after a save
WAVE_FORM, WAVE_FIX = "net_wave", "net_wave_fix"
MAP_FORM, RESOURCES_FORM = "net_problem_map", "net_resources"
ANSWER_HELP = (
    "Zaznacz „Współpracujemy” i wybierz, kto inicjuje, jak często i jak dobrze. Wiersz bez zaznaczenia "
    "zapisuje się jako „nie współpracujemy” (pozostałe pola są wtedy pomijane)."
)


def _label(mapping: dict, value: object) -> str | None:
    return None if is_missing(value) else mapping.get(value, str(value))


def _code(mapping: dict, label: object) -> Any:
    if is_missing(label) or label == "":
        return None
    return next((k for k, v in mapping.items() if v == label), None)


def answers_frame(grid: pd.DataFrame) -> pd.DataFrame:
    """`network.queries.answers_grid` as the editor shows it: labels in cells, partner and sector fixed."""
    return pd.DataFrame(
        {
            PARTNER: grid.name.astype(str),
            SECTOR: [vocab.SECTORS.get(s, s) for s in grid.sector],
            COOPERATES: grid.cooperates.fillna(False).astype(bool),
            INITIATES: [_label(vocab.INITIATES, v) for v in grid.initiates],
            FREQUENCY: [
                _label(vocab.FREQUENCIES, v) if bool(c) else None
                for v, c in zip(grid.frequency, grid.cooperates.fillna(False), strict=True)
            ],
            QUALITY: [_label(QUALITIES, None if is_missing(v) else int(v)) for v in grid.quality],
        }
    )


def answers_from(edited: pd.DataFrame, partners: Sequence[int]) -> list[dict[str, Any]]:
    """The edited grid back as the service's answers; a row not ticked is "nie" (its other cells dropped)."""
    out = []
    for partner_id, (_, row) in zip(partners, edited.iterrows(), strict=True):
        cooperates = not is_missing(row[COOPERATES]) and bool(row[COOPERATES])
        out.append(
            {
                "partner_id": int(partner_id),
                "cooperates": cooperates,
                "initiates": _code(vocab.INITIATES, row[INITIATES]) if cooperates else None,
                "frequency": (_code(vocab.FREQUENCIES, row[FREQUENCY]) or "nigdy") if cooperates else "nigdy",
                "quality": _code(QUALITIES, row[QUALITY]) if cooperates else None,
            }
        )
    return out


def _grid_config() -> dict[str, Any]:
    return {
        PARTNER: st.column_config.TextColumn(PARTNER, disabled=True, width="medium"),
        SECTOR: st.column_config.TextColumn(SECTOR, disabled=True),
        COOPERATES: st.column_config.CheckboxColumn(COOPERATES, default=False),
        INITIATES: st.column_config.SelectboxColumn(INITIATES, options=list(vocab.INITIATES.values())),
        FREQUENCY: st.column_config.SelectboxColumn(
            FREQUENCY, options=[v for k, v in vocab.FREQUENCIES.items() if k != "nigdy"]
        ),
        QUALITY: st.column_config.SelectboxColumn(QUALITY, options=list(QUALITIES.values())),
    }


def waves_table(waves: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Data badania": waves.held_on,
            "Rodzaj": waves.kind_label,
            "Instytucje odpowiadające": waves.respondents.astype(int),
            "Odpowiedzi": waves.answers.astype(int),
        }
    )


def survey_tab(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str,
    waves: pd.DataFrame,
    today: date,
    editable: bool,
) -> None:
    """The tab "Badanie współpracy": the gmina's waves, a new wave, one respondent's answers."""
    st.subheader("Badania współpracy")
    widgets.table(waves_table(waves), "net_waves_table", "badania_wspolpracy")
    if not editable:
        st.caption("Tylko do odczytu: badania wpisuje animator gminy albo koordynator ROPS.")
        return
    with st.expander("Nowe badanie współpracy", icon=":material/add:", expanded=waves.empty):
        _new_wave(conn, actor, terc, today)
    if waves.empty:
        return
    st.subheader("Odpowiedzi instytucji")
    _answers(conn, actor, terc, waves, today)
    with st.expander("Popraw albo wycofaj badanie", icon=":material/edit:"):
        _fix_wave(conn, actor, waves, today)


def _new_wave(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, today: date) -> None:
    k = saving.keys(WAVE_FORM)
    held_on = forms.day("Data badania", k("f_net_wave_date"))
    kind = forms.pick("Rodzaj badania", vocab.WAVE_KINDS, k("f_net_wave_kind"))
    note = st.text_input("Uwagi (bez danych osobowych)", key=k("f_net_wave_note"))
    data = {"terc": terc, "held_on": held_on, "kind": kind, "note": forms.text(note)}
    token = versions.form_token(WAVE_FORM, data)
    saving.submit(
        WAVE_FORM,
        "Dodaj badanie",
        "f_net_wave_save",
        lambda: services.create_wave(conn, actor, data, today, form_token=token),
        "Dodano badanie współpracy. Wpisz teraz odpowiedzi instytucji.",
    )


def _respondent(options: dict[int, str], k) -> int:
    """The responding institution: after a save the picker opens on the next one."""
    ids = list(options)
    wanted = st.session_state.pop(NEXT, None)
    index = ids.index(wanted) if wanted in ids else 0
    return st.selectbox(
        "Instytucja odpowiadająca",
        ids,
        index=index,
        format_func=options.__getitem__,
        key=k("f_net_respondent"),
        **widgets.SELECT,
    )


def _answers(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, waves: pd.DataFrame, today: date
) -> None:
    labels = {int(r.wave_id): wave_label(r) for r in row_tuples(waves, index=False)}
    wave_id = st.selectbox(
        "Badanie", list(labels), format_func=labels.__getitem__, key=f"f_net_wave_{terc}", **widgets.SELECT
    )
    if wave_id is None:
        return
    k = saving.keys(GRID)
    institutions = network.wave_institutions(conn, wave_id)
    options = {
        int(r.institution_id): str(r.name) + (" — odpowiedzi zapisane" if r.responded else "")
        for r in row_tuples(institutions, index=False)
    }
    if not options:
        st.info("Gmina nie ma instytucji do badania (dodaje się je w karcie zasobów lub w PZK).")
        return
    respondent = _respondent(options, k)
    if respondent is None:
        return
    grid = network.answers_grid(conn, wave_id, respondent)
    answered = bool(grid.answered.any()) if "answered" in grid else False
    version = int(waves.set_index("wave_id").row_version[wave_id])
    st.caption(ANSWER_HELP)
    ids = list(options)
    following = ids[(ids.index(respondent) + 1) % len(ids)]
    partners = [int(p) for p in grid.partner_id]
    names = dict(zip(institutions.institution_id.astype(int), institutions.name.astype(str), strict=True))
    # a form: ticking cells does not rerun the page, only the save does
    with st.form(k(f"f_net_grid_form_{wave_id}_{respondent}"), border=False):
        edited = st.data_editor(
            answers_frame(grid),
            key=k(f"f_net_grid_{wave_id}_{respondent}"),
            hide_index=True,
            height=ROW_PX * (len(grid) + 1) + 3,  # every partner in view: no scrolling inside the grid
            num_rows="fixed",
            width="stretch",
            column_config=_grid_config(),
            placeholder="",
        )
        reason = saving.reason_input(k("f_net_grid_reason")) if answered else None
        if answered:
            st.caption("Ta instytucja ma już zapisane odpowiedzi: zapis je zastąpi (z powodem w historii).")
        clicked = st.form_submit_button(
            "Zapisz odpowiedzi", key="f_net_grid_save", type="primary", icon=":material/save:"
        )
    if clicked:
        saving.attempt(
            GRID,
            lambda: services.save_answers(
                conn,
                actor,
                wave_id,
                respondent,
                answers_from(edited, partners),
                today,
                expected_version=version,
                reason=reason,
            ),
            lambda n: [
                (
                    "success",
                    f"Zapisano odpowiedzi: {plain(names[respondent])} — "
                    f"{plural(n, 'partner', 'partnerzy', 'partnerów')}. "
                    f"Następna instytucja: {plain(names[following])}.",
                )
            ],
            before=lambda: st.session_state.__setitem__(NEXT, following),
        )
    saving.said(GRID)


def _fix_wave(conn: duckdb.DuckDBPyConnection, actor: Actor, waves: pd.DataFrame, today: date) -> None:
    k = saving.keys(WAVE_FIX)
    labels = {int(r.wave_id): wave_label(r) for r in row_tuples(waves, index=False)}
    wave_id = forms.pick("Badanie do poprawy", labels, k("f_net_fix_wave"))
    if wave_id is None:
        return
    row = waves.set_index("wave_id").loc[wave_id]
    held_on = st.date_input(
        "Data badania", value=row.held_on, key=k(f"f_net_fix_date_{wave_id}"), **widgets.DATE
    )
    kind = forms.pick(
        "Rodzaj badania",
        vocab.WAVE_KINDS,
        k(f"f_net_fix_kind_{wave_id}"),
        index=list(vocab.WAVE_KINDS).index(row.kind),
    )
    reason = saving.reason_input(k(f"f_net_fix_reason_{wave_id}"))
    left, right = st.columns(2)
    with left:
        saving.submit(
            WAVE_FIX,
            "Zapisz poprawkę",
            "f_net_fix_save",
            lambda: services.correct_wave(
                conn,
                actor,
                wave_id,
                {"held_on": held_on, "kind": kind},
                today,
                reason=reason,
                expected_version=int(row.row_version),
            ),
            "Poprawiono badanie.",
        )
    with right:
        saving.submit(
            WAVE_FIX,
            "Wycofaj badanie z odpowiedziami",
            "f_net_fix_withdraw",
            lambda: services.withdraw_wave(
                conn, actor, wave_id, reason=reason, expected_version=int(row.row_version)
            ),
            "Wycofano badanie (historia zmian zachowuje je z odpowiedziami).",
            kind="secondary",
        )


# The diagnosis: the problem map (problem areas: how big and the trend) and the resources card.
AREA, FAMILIES, RATING, TREND, NOTE = "Obszar problemowy", "Liczba rodzin", "Natężenie 1–5", "Trend", "Uwagi"


def problem_grid(areas: dict[str, str], current: pd.DataFrame) -> pd.DataFrame:
    """One row per problem area of the admin's list, filled with the latest map's values."""
    found = current.set_index("problem_code") if len(current) else pd.DataFrame()
    rows = []
    for code, label in areas.items():
        have: Any = found.loc[code] if code in found.index else None
        rows.append(
            {
                AREA: label,
                FAMILIES: None if have is None or is_missing(have.families) else int(have.families),
                RATING: None if have is None or is_missing(have.rating) else int(have.rating),
                TREND: None if have is None else vocab.TRENDS.get(have.trend),
                NOTE: "" if have is None or is_missing(have.note) else str(have.note),
            }
        )
    return pd.DataFrame(rows, columns=[AREA, FAMILIES, RATING, TREND, NOTE]).astype(
        {FAMILIES: "Int64", RATING: "Int64", NOTE: "string"}
    )


def problem_entries(edited: pd.DataFrame, areas: dict[str, str]) -> list[dict[str, Any]]:
    """The rows filled in (families or a rating), as the service's entries; empty rows are skipped."""
    out = []
    for code, (_, row) in zip(areas, edited.iterrows(), strict=True):
        families, rating = row[FAMILIES], row[RATING]
        trend, note = row[TREND], row[NOTE]
        if is_missing(families) and is_missing(rating) and is_missing(trend):
            continue
        out.append(
            {
                "problem_code": code,
                "families": None if is_missing(families) else int(families),
                "rating": None if is_missing(rating) else int(rating),
                "trend": _code(vocab.TRENDS, trend),
                "note": None if is_missing(note) or not str(note).strip() else str(note).strip(),
            }
        )
    return out


def diagnosis_tab(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, today: date, editable: bool
) -> None:
    """The tab "Diagnoza": the problem map (as of its latest date) and the resources card."""
    st.subheader("Mapa problemów klientów")
    current = network.problem_map(conn, terc)
    if current.empty:
        st.caption("Gmina nie ma jeszcze mapy problemów.")
    else:
        st.caption(f"Stan na {fmt_date(current.as_of.max())}.")
        widgets.table(_map_table(current), "net_map_table", "mapa_problemow")
    if editable:
        with st.expander("Wpisz mapę problemów", icon=":material/edit_note:"):
            _problem_form(conn, actor, terc, current, today)
    st.subheader("Karta zasobów")
    card = network.resources(conn, terc)
    if card.empty:
        st.caption("Gmina nie ma jeszcze karty zasobów.")
    else:
        st.caption(
            f"Stan na {fmt_date(card.as_of.max())}: "
            f"{plural(len(card), 'instytucja', 'instytucje', 'instytucji')}."
        )
        widgets.table(_card_table(card), "net_card_table", "karta_zasobow")
    if editable:
        with st.expander("Wpisz kartę zasobów", icon=":material/edit_note:"):
            _resources_form(conn, actor, terc, card, today)


def _map_table(current: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            AREA: current.problem_label,
            FAMILIES: current.families.astype("Int64"),
            RATING: current.rating.astype("Int64"),
            TREND: current.trend_label,
            NOTE: current.note.fillna(""),
        }
    )


def _card_table(card: pd.DataFrame) -> pd.DataFrame:
    return to_display(card.assign(institution=card.name), ["institution", "sector", "level"])


def _problem_form(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, current: pd.DataFrame, today: date
) -> None:
    k = saving.keys(MAP_FORM)
    areas = list_problem_areas(conn)
    as_of = forms.day("Stan na dzień", k(f"f_net_map_date_{terc}"))
    st.caption("Podaj liczbę rodzin albo natężenie 1–5 (jedno z dwóch) i trend; puste wiersze się pomija.")
    edited = st.data_editor(
        problem_grid(areas, current),
        key=k(f"f_net_map_grid_{terc}"),
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        placeholder="",
        column_config={
            AREA: st.column_config.TextColumn(AREA, disabled=True, width="medium"),
            FAMILIES: st.column_config.NumberColumn(FAMILIES, min_value=0, max_value=1_000_000, step=1),
            RATING: st.column_config.NumberColumn(RATING, min_value=1, max_value=5, step=1),
            TREND: st.column_config.SelectboxColumn(TREND, options=list(vocab.TRENDS.values())),
            NOTE: st.column_config.TextColumn(NOTE, max_chars=300),
        },
    )
    same_day = len(current) and as_of == current.as_of.max()
    reason = saving.reason_input(k(f"f_net_map_reason_{terc}")) if same_day else None
    saving.submit(
        MAP_FORM,
        "Zapisz mapę problemów",
        "f_net_map_save",
        lambda: services.save_problem_map(
            conn, actor, terc, as_of, problem_entries(edited, areas), today, reason=reason
        ),
        lambda n: [("success", f"Zapisano mapę problemów: {plural(n, 'obszar', 'obszary', 'obszarów')}.")],
    )


def _resources_form(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, card: pd.DataFrame, today: date
) -> None:
    k = saving.keys(RESOURCES_FORM)
    options = data_entry.institution_choices(conn, terc)
    as_of = forms.day("Stan na dzień", k(f"f_net_card_date_{terc}"))
    chosen = st.multiselect(
        "Instytucje, które służą gminie",
        list(options),
        default=[int(i) for i in card.institution_id if int(i) in options] if len(card) else [],
        format_func=options.__getitem__,
        key=k(f"f_net_card_{terc}"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    same_day = len(card) and as_of == card.as_of.max()
    reason = saving.reason_input(k(f"f_net_card_reason_{terc}")) if same_day else None
    saving.submit(
        RESOURCES_FORM,
        "Zapisz kartę zasobów",
        "f_net_card_save",
        lambda: services.save_resources(conn, actor, terc, as_of, chosen, today, reason=reason),
        lambda n: [
            ("success", f"Zapisano kartę zasobów: {plural(n, 'instytucja', 'instytucje', 'instytucji')}.")
        ],
    )
