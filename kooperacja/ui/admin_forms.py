"""The administrator's data-entry forms: pilot set-up, TERC register, boundaries, harmonogram template."""

from __future__ import annotations

import duckdb
import streamlit as st

from kooperacja.exchange.text import comma_csv
from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.programme import data_entry
from kooperacja.programme import services as programme
from kooperacja.ui import pilot_admin, template_move, versions
from kooperacja.ui.forms import day, pick, save
from kooperacja.ui.template_editor import template_editor

PICK = pilot_admin.PICK
_UPLOADS = "_kooperacja_template_uploads"  # session key: how many versions this session saved
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
    terc = pick("Gmina z rejestru TERC", candidates, "f_pilot_gmina", placeholder=PICK)
    if terc is None:
        return
    variants = list(vocab.VARIANTS)
    default = data_entry.default_variant(conn, terc)
    variant = pick(
        "Wariant modelu (domyślnie według rodzaju gminy)",
        vocab.VARIANTS,
        f"f_pilot_variant_{terc}",
        index=variants.index(default),
        placeholder=PICK,
    )
    joined_on = day("Data przystąpienia", "f_pilot_joined")
    plan_start = day("Początek harmonogramu", "f_pilot_start")
    options = pilot_admin.template_options(conn)
    template = (
        pick("Szablon harmonogramu", options, "f_pilot_template", placeholder=PICK) if options else None
    )
    animator = pick("Animator", animators, "f_pilot_animator", placeholder=PICK)
    token = versions.form_token("pilot_gmina", terc, variant, joined_on, plan_start, template, animator)
    if st.button("Dodaj gminę do pilotażu", key="f_pilot_save", type="primary"):
        save(
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
            "pilot_gmina",
        )


def terc_register(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Rejestr TERYT TERC")
    st.caption("Plik TERC (wersja urzędowa) z eteryt.stat.gov.pl, CSV albo XML.")
    upload = st.file_uploader("Plik rejestru TERC", type=["csv", "xml"], key="f_terc_file")
    woj = st.text_input("Tylko województwo (kod, np. 04; puste: cały plik)", key="f_terc_woj")
    if (
        st.button("Wczytaj rejestr", key="f_terc_save", disabled=upload is None, type="primary")
        and upload is not None
    ):
        lines = save(
            lambda: data_entry.import_terc_register(conn, actor, upload.getvalue(), woj.strip() or None),
            "Wczytano rejestr TERC.",
        )
        if lines:
            st.text("\n".join(lines))
    pilot_admin.variant_notice(conn, actor)


def boundaries(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Granice gmin")
    st.caption("GeoJSON (WGS84), GeoPackage albo spakowany shapefile z PRG (PUWG 1992) z kodem TERYT gminy.")
    upload = st.file_uploader("Plik granic", type=["geojson", "json", "zip", "gpkg"], key="f_geo_file")
    if (
        st.button("Wczytaj granice", key="f_geo_save", disabled=upload is None, type="primary")
        and upload is not None
    ):
        count = save(
            lambda: data_entry.import_gmina_boundaries(conn, actor, upload.getvalue()),
            "Wczytano granice gmin.",
        )
        if count is not None:
            st.caption(f"Zapisano granice {count} gmin.")


def template(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Szablon harmonogramu")
    pilot_admin.flash()
    found = data_entry.templates(conn)
    if found.empty:
        st.info("Brak szablonów.")
        return
    st.dataframe(
        found.rename(columns=TEMPLATE_COLUMNS),
        hide_index=True,
        key="f_tpl_versions",
        column_config={"Utworzono": st.column_config.DatetimeColumn(format="DD.MM.YYYY HH:mm")},
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
    uploads = st.session_state.setdefault(_UPLOADS, 0)  # a new key after a save empties the uploader
    upload = st.file_uploader("Zmieniony plik CSV", type=["csv"], key=f"f_tpl_file_{uploads}")
    if (
        st.button("Zapisz jako nową wersję", key="f_tpl_save", disabled=upload is None, type="primary")
        and upload is not None
    ):
        data = upload.getvalue()
        st.session_state[_UPLOADS] = uploads + 1
        pilot_admin.done(  # reruns: the list and the choices below show the new version
            lambda: data_entry.save_template_version(
                conn, actor, comma_csv(data, "harmonogramu"), template_id
            ),
            "Zapisano nową wersję szablonu.",
        )
    template_move.render(conn, actor, options)
