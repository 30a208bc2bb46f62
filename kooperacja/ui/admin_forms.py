"""The administrator's data-entry forms: pilot set-up, TERC register, boundaries, harmonogram template."""

from __future__ import annotations

import duckdb
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from kooperacja.exchange.text import comma_csv
from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import plural
from kooperacja.programme import data_entry
from kooperacja.programme import services as programme
from kooperacja.ui import pilot_admin, saving, template_move, versions, widgets
from kooperacja.ui.forms import day, pick
from kooperacja.ui.template_editor import template_editor
from kooperacja.ui.text import plain

PICK = widgets.PICK
TEMPLATE_COLUMNS = {
    "template_id": "Szablon",
    "version": "Wersja",
    "name": "Nazwa",
    "created_at": "Utworzono",
    "created_by": "Utworzył(a)",
    "steps": "Podkroki",
}


def pilot(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Gmina w pilotażu")
    candidates = data_entry.register_choices(conn, outside_pilot=True)
    if not candidates:
        if data_entry.register_choices(conn):
            st.info("Wszystkie gminy z rejestru TERC są już w pilotażu.")
        else:
            st.info("Rejestr TERC jest pusty — najpierw wczytaj go w formularzu „Rejestr TERC”.")
        return
    animators = data_entry.animator_choices(conn)
    if not animators:
        st.info("Brak animatorów — najpierw dodaj animatora w Użytkownicy (rola „animator współpracy”).")
        return
    k = saving.keys("pilot_gmina")
    terc = pick("Gmina z rejestru TERC", candidates, k("f_pilot_gmina"))
    if terc is None:
        return
    variants = list(vocab.VARIANTS)
    default = data_entry.default_variant(conn, terc)
    variant = pick(
        "Wariant modelu (domyślnie według rodzaju gminy)",
        vocab.VARIANTS,
        k(f"f_pilot_variant_{terc}"),
        index=variants.index(default),
        placeholder=widgets.PICK,
    )
    joined_on = day("Data przystąpienia", k("f_pilot_joined"))
    plan_start = day("Początek harmonogramu", k("f_pilot_start"))
    options = pilot_admin.template_options(conn)
    template = pick("Szablon harmonogramu", options, k("f_pilot_template")) if options else None
    animator = pick("Animator", animators, k("f_pilot_animator"), index=None)
    token = versions.form_token("pilot_gmina", terc, variant, joined_on, plan_start, template, animator)
    saving.submit(
        "pilot_gmina",
        "Dodaj gminę do pilotażu",
        "f_pilot_save",
        lambda: programme.add_pilot_gmina(
            conn,
            actor,
            terc,
            joined_on=joined_on,
            animator=animator or "",
            plan_start=plan_start,
            variant=variant,
            template=template,
            form_token=token,
        ),
        "Gmina dołączyła do pilotażu.",
    )


def terc_register(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Rejestr TERYT TERC")
    st.caption("Plik TERC (wersja urzędowa) z eteryt.stat.gov.pl, CSV albo XML.")
    k = saving.keys("terc_register")
    upload = st.file_uploader("Plik rejestru TERC", type=["csv", "xml"], key=k("f_terc_file"))
    woj = st.text_input("Tylko województwo (kod, np. 04; puste: cały plik)", key=k("f_terc_woj"))
    saving.submit(
        "terc_register",
        "Wczytaj rejestr",
        "f_terc_save",
        lambda: data_entry.import_terc_register(conn, actor, _bytes(upload), woj.strip() or None),
        lambda lines: (
            [("success", "Wczytano rejestr TERC.")]
            + ([("info", "  \n".join(plain(line) for line in lines))] if lines else [])
        ),
        disabled=upload is None,
    )
    pilot_admin.variant_notice(conn, actor)


def boundaries(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Granice gmin")
    st.caption("GeoJSON (WGS84), GeoPackage albo spakowany shapefile z PRG (PUWG 1992) z kodem TERYT gminy.")
    upload = st.file_uploader(
        "Plik granic", type=["geojson", "json", "zip", "gpkg"], key=saving.keys("boundaries")("f_geo_file")
    )
    saving.submit(
        "boundaries",
        "Wczytaj granice",
        "f_geo_save",
        lambda: data_entry.import_gmina_boundaries(conn, actor, _bytes(upload)),
        lambda count: [
            ("success", "Wczytano granice gmin."),
            ("info", "Zapisano granice " + plural(count, "gminy", "gmin", "gmin") + "."),
        ],
        disabled=upload is None,
    )


def template(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Szablon harmonogramu")
    saving.said("template_move")  # the gminy moved may leave nothing to move: its message shows here
    found = data_entry.templates(conn)
    if found.empty:
        st.info("Brak szablonów.")
        return
    st.dataframe(
        found.rename(columns=TEMPLATE_COLUMNS),
        hide_index=True,
        key="f_tpl_versions",
        column_config={"Utworzono": st.column_config.DatetimeColumn(format="DD.MM.YYYY HH:mm")},
        placeholder="",
    )
    options = pilot_admin.template_options(conn)
    template_id, version = pick("Wersja do pobrania i edycji", options, "f_tpl_pick")
    template_editor(conn, actor, template_id, version)
    st.download_button(
        "Pobierz CSV",
        data="\ufeff" + data_entry.template_csv(conn, template_id, version),  # BOM: Polish Excel's UTF-8
        file_name=f"harmonogram_{template_id}_v{version}.csv",
        mime="text/csv",
        key="f_tpl_csv",
    )
    st.caption("Zmieniony plik zapisuje się jako nowa wersja; gminy zachowują wersję, z którą zaczęły.")
    upload = st.file_uploader("Zmieniony plik CSV", type=["csv"], key=saving.keys("template")("f_tpl_file"))
    saving.submit(  # reruns: the list and the choices below show the new version
        "template",
        "Zapisz jako nową wersję",
        "f_tpl_save",
        lambda: data_entry.save_template_version(
            conn, actor, comma_csv(_bytes(upload), "harmonogramu"), template_id
        ),
        "Zapisano nową wersję szablonu.",
        disabled=upload is None,
    )
    template_move.render(conn, actor, options)


def _bytes(upload: UploadedFile | None) -> bytes:
    """The uploaded file's content (the save button is disabled until a file is chosen)."""
    return b"" if upload is None else upload.getvalue()
