"""The admin's pilot gminy after set-up: current and former gminy, changes with a reason, leaving the
pilot, and the notice of gminy whose type changed in a TERC re-import."""

from __future__ import annotations

import functools

import duckdb
import streamlit as st

from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import fmt_date, row_tuples
from kooperacja.programme import data_entry
from kooperacja.programme import services as programme
from kooperacja.ui import saving, session, versions, widgets
from kooperacja.ui.text import plain

REGISTER_COLUMNS = {
    "name": "Gmina",
    "terc": "Kod TERC",
    "stan": "Stan",
    "joined_on": "Przystąpienie",
    "left_on": "Wyjście",
    "animator": "Animator",
    "variant": "Wariant",
    "template": "Szablon harmonogramu",
    "plan_start": "Początek harmonogramu",
    "reason": "Powód wyjścia",
}


def short_variant(variant: str) -> str:
    """ "miejsko-wiejski" of "miejsko-wiejski (PZK/GGK)": the variant's name without its bodies."""
    return vocab.VARIANTS[variant].split(" (")[0]


def variant_notice(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    """Pilot gminy whose variant differs from their type's (after a TERC re-import), with a one-click fix."""
    saving.said("pilot_variant")  # the notice fixed is gone: its message shows here
    for n in programme.variant_notices(conn):
        wanted = short_variant(n["expected"])
        st.warning(
            f"**{plain(n['name'])}**: w rejestrze TERC gmina jest teraz {n['kind']}, a w pilotażu "
            f"realizuje wariant {short_variant(n['variant'])}.",
            icon=":material/warning:",
        )
        left, right = st.columns(2)
        with left:
            saving.submit(
                "pilot_variant",
                f"Zmień wariant na {wanted}",
                f"f_fix_variant_{n['terc']}",
                functools.partial(programme.fix_variant, conn, actor, n["terc"], n["row_version"]),
                f"{n['name']}: wariant zmieniony na {wanted}.",
            )
        reason = f"wariant {short_variant(n['variant'])} zostaje mimo zmiany rodzaju gminy na {n['kind']}"
        with right:
            saving.submit(
                "pilot_variant",
                f"Zostaw wariant {short_variant(n['variant'])}",
                f"f_keep_variant_{n['terc']}",
                functools.partial(programme.keep_variant, conn, actor, n["terc"], reason),
                f"{n['name']}: wariant bez zmian.",
                kind="secondary",
            )


def register(conn: duckdb.DuckDBPyConnection) -> None:
    frame = data_entry.pilot_register(conn)
    if frame.empty:
        st.info("W pilotażu nie ma jeszcze gmin — dodaj je w formularzu „Gmina w pilotażu”.")
        return
    frame["variant"] = frame["variant"].map(short_variant)
    widgets.table(frame.rename(columns=REGISTER_COLUMNS), "f_pilot_register", "gminy_pilotazowe")


def manage(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    """The section "Gminy w pilotażu": notice, register, the change form and leaving the pilot."""
    st.subheader("Gminy w pilotażu")
    saving.said("pilot_leave")  # the gmina that left is no longer in the change form's list
    variant_notice(conn, actor)
    register(conn)
    rows = data_entry.pilot_rows(conn)
    if not rows:
        return
    seen = versions.loaded("pilot_gmina", {t: r["row_version"] for t, r in rows.items()})
    terc = st.selectbox(
        "Gmina do zmiany",
        list(rows),
        format_func=lambda t: rows[t]["name"],
        key=saving.keys("pilot_leave")("f_pchg_gmina"),
        placeholder=widgets.PICK,
    )
    if terc is None:
        return
    _change_form(conn, actor, rows[terc], seen.get(terc))
    _leave_form(conn, actor, rows[terc], seen.get(terc))


def template_options(conn: duckdb.DuckDBPyConnection) -> dict[tuple[int, int], str]:
    return {
        (int(r.template_id), int(r.version)): f"{r.name}, wersja {r.version}"
        for r in row_tuples(data_entry.templates(conn))
    }


def _change_form(conn: duckdb.DuckDBPyConnection, actor: Actor, row: dict, seen: int | None) -> None:
    st.markdown("**Zmiana animatora, wariantu, początku harmonogramu lub wersji szablonu**")
    animators = data_entry.animator_choices(conn)
    if row["animator"] not in animators:
        animators = {row["animator"]: row["animator"], **animators}
    templates = template_options(conn)
    current = (row["template_id"], row["template_version"])
    st.caption(
        f"Teraz: animator {plain(animators[row['animator']])}, wariant {short_variant(row['variant'])}, "
        f"początek harmonogramu {fmt_date(row['plan_start'])}, "
        f"{plain(templates.get(current, 'szablon ' + str(current)))}."
    )
    # the widgets of a new round (a save) or of a new version (a change from elsewhere) show what is stored
    k = saving.keys("pilot_change")
    v = f"{row['terc']}_{row['row_version']}"
    animator = st.selectbox(
        "Animator",
        list(animators),
        index=list(animators).index(row["animator"]),
        format_func=animators.__getitem__,
        key=k(f"f_pchg_animator_{v}"),
        placeholder=widgets.PICK,
    )
    variant = st.selectbox(
        "Wariant modelu",
        list(vocab.VARIANTS),
        index=list(vocab.VARIANTS).index(row["variant"]),
        format_func=vocab.VARIANTS.__getitem__,
        key=k(f"f_pchg_variant_{v}"),
        placeholder=widgets.PICK,
    )
    plan_start = st.date_input(
        "Początek harmonogramu", value=row["plan_start"], key=k(f"f_pchg_start_{v}"), **widgets.DATE
    )
    template = st.selectbox(
        "Wersja szablonu harmonogramu",
        list(templates),
        index=list(templates).index(current) if current in templates else 0,
        format_func=templates.__getitem__,
        key=k(f"f_pchg_template_{v}"),
        placeholder=widgets.PICK,
    )
    reason = st.text_input("Powód zmiany", key=k(f"f_pchg_reason_{v}"), placeholder="np. zmiana animatora")
    saving.submit(
        "pilot_change",
        "Zapisz zmianę",
        "f_pchg_save",
        lambda: programme.change_pilot_gmina(
            conn,
            actor,
            row["terc"],
            animator=animator,
            variant=variant,
            plan_start=plan_start,
            template=template,
            reason=reason,
            expected_version=seen,
        ),
        f"{row['name']}: zapisano zmianę.",
    )


def _leave_form(conn: duckdb.DuckDBPyConnection, actor: Actor, row: dict, seen: int | None) -> None:
    st.markdown("**Wyjście z pilotażu**")
    st.caption(
        "Gmina przestaje być w pilotażu; jej dotychczasowy udział, zdarzenia kroków, zgłoszenia, PZK i "
        "sprawy zostają w hurtowni. Gminę można później ponownie dodać do pilotażu."
    )
    k = saving.keys("pilot_leave")
    v = f"{row['terc']}_{row['row_version']}"
    left_on = st.date_input("Data wyjścia", value=session.today(), key=k(f"f_pleave_on_{v}"), **widgets.DATE)
    reason = st.text_input("Powód wyjścia", key=k(f"f_pleave_reason_{v}"), placeholder="np. rezygnacja gminy")
    saving.submit(
        "pilot_leave",
        "Wyprowadź gminę z pilotażu",
        "f_pleave_save",
        lambda: programme.leave_pilot(
            conn,
            actor,
            row["terc"],
            left_on=left_on,
            reason=reason,
            today=session.today(),
            expected_version=seen,
        ),
        f"{row['name']}: gmina wyszła z pilotażu.",
        kind="secondary",
    )
