"""Moving running pilot gminy to another template version: a preview of what moves, then the move."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from kooperacja.model.access import Actor
from kooperacja.model.formatting import fmt_date, plural
from kooperacja.programme import data_entry, harmonogram
from kooperacja.programme import services as programme
from kooperacja.ui import saving, session, versions, widgets
from kooperacja.ui.text import plain


def _version(row: dict, options: dict[tuple[int, int], str]) -> str:
    pinned = (row["template_id"], row["template_version"])
    return options.get(pinned, f"wersja {pinned[1]}")


def _window(window: tuple[date, date]) -> str:
    return f"{fmt_date(window[0])}–{fmt_date(window[1])}"


def _changes(preview: harmonogram.MovePreview) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Podkrok": [c.substep for c in preview.changed],
            "Nazwa": [c.title for c in preview.changed],
            "Miesiąc powtórzenia": [
                "" if c.occurrence is None else str(c.occurrence) for c in preview.changed
            ],
            "Było": [_window(c.before) for c in preview.changed],
            "Będzie": [_window(c.after) for c in preview.changed],
        }
    )


def summary(preview: harmonogram.MovePreview) -> str:
    """One line of what moves, e.g. "3 podkroki zmieniają termin, 1 dodany, 1 usunięty"."""
    parts = [
        plural(
            len(preview.changed),
            "podkrok zmienia termin",
            "podkroki zmieniają termin",
            "podkroków zmienia termin",
        ),
        plural(len(preview.added), "dodany", "dodane", "dodanych"),
        plural(len(preview.removed), "usunięty", "usunięte", "usuniętych"),
    ]
    return ", ".join(parts)


def _show(preview: harmonogram.MovePreview, name: str) -> None:
    with st.expander(f"{plain(name)}: {summary(preview)}", expanded=len(preview.changed) < 10):
        if preview.changed:
            st.dataframe(
                _changes(preview),
                hide_index=True,
                width="stretch",
                key=f"f_move_prev_{preview.terc}",
                placeholder="",
            )
        if preview.added:
            st.markdown("Dodane podkroki: " + plain("; ".join(preview.added)))
        if preview.removed:
            st.markdown("Usunięte podkroki: " + plain("; ".join(preview.removed)))
        if preview.events_under_removed:
            events = plural(
                preview.events_under_removed, "zdarzenie kroku", "zdarzenia kroków", "zdarzeń kroków"
            )
            st.warning(
                f"{events} zapisanych przy usuniętych podkrokach zostaje w hurtowni, ale nie będzie "
                "widocznych w harmonogramie gminy."
            )
        if not (preview.changed or preview.added or preview.removed):
            st.caption("Harmonogram gminy się nie zmienia.")


def render(conn: duckdb.DuckDBPyConnection, actor: Actor, options: dict[tuple[int, int], str]) -> None:
    st.markdown("**Przeniesienie gmin do innej wersji szablonu**")
    rows = data_entry.pilot_rows(conn)
    if not rows:
        st.caption("W pilotażu nie ma jeszcze gmin.")
        return
    target = st.selectbox(
        "Wersja docelowa",
        list(options),
        format_func=options.__getitem__,
        key="f_move_target",
        placeholder=widgets.PICK,
    )
    if target is None:
        return
    movable = {t: r for t, r in rows.items() if (r["template_id"], r["template_version"]) != target}
    if not movable:
        st.info("Wszystkie gminy pilotażowe mają już tę wersję szablonu.")
        return
    older = [
        t for t, r in movable.items() if r["template_id"] == target[0] and r["template_version"] < target[1]
    ]
    k = saving.keys("template_move")
    chosen = st.multiselect(
        "Gminy do przeniesienia",
        list(movable),
        default=older,
        format_func=lambda t: f"{movable[t]['name']} (teraz: {_version(movable[t], options)})",
        key=k(f"f_move_gminy_{target[0]}_{target[1]}"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    seen = versions.loaded("pilot_gmina", {t: r["row_version"] for t, r in rows.items()})
    if not chosen:
        return
    st.caption("Podgląd: co zmieni się w harmonogramach (z przesunięciami planu), zanim cokolwiek zapiszesz.")
    for preview in harmonogram.template_move_preview(conn, actor, chosen, target, session.today()):
        _show(preview, movable[preview.terc]["name"])
    reason = st.text_input(
        "Powód przeniesienia",
        key=k(f"f_move_reason_{target[0]}_{target[1]}"),
        placeholder="np. nowa wersja harmonogramu",
    )
    saving.submit(
        "template_move",
        f"Przenieś {plural(len(chosen), 'gminę', 'gminy', 'gmin')}",
        "f_move_save",
        lambda: programme.move_to_template(
            conn, actor, chosen, target, reason=reason, expected_versions=seen
        ),
        f"Przeniesiono {plural(len(chosen), 'gminę', 'gminy', 'gmin')} do: {options[target]}.",
    )
