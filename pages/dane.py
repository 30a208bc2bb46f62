"""Wprowadzanie danych: the forms of the programme, the admin's registers, and registry import/export."""

from __future__ import annotations

import streamlit as st

from kooperacja.ui import admin_forms, forms, import_widgets, pilot_admin, session, widgets
from kooperacja.ui.territory_panel import load as load_wojewodztwo

GMINA_FORMS = {
    "Zdarzenie kroku": forms.step_event,
    "Przesunięcie planu": forms.plan_shift,
    "Członkostwo w PZK": forms.pzk,
    "Spotkanie": forms.meeting,
}
OTHER_FORMS = {
    "Zgłoszenie do ROPS": forms.zgloszenie,
    "Pierwszy kontakt ROPS": forms.first_contact,
    "Instytucja": forms.institution,
    "Import i eksport rejestrów": lambda conn, actor: (
        import_widgets.export_section(conn),
        import_widgets.import_section(conn, actor),
    ),
}
ADMIN_FORMS = {
    "Gmina w pilotażu": admin_forms.pilot,
    "Gminy w pilotażu: zmiany i wyjście": pilot_admin.manage,
    "Rejestr TERC": admin_forms.terc_register,
    "Województwo z dołączonego rejestru": load_wojewodztwo,
    "Granice gmin": admin_forms.boundaries,
    "Szablon harmonogramu": admin_forms.template,
}


def render() -> None:
    actor = session.require_page("dane")
    st.title("Wprowadzanie danych")
    conn = session.get_conn()
    sections = [*GMINA_FORMS, *OTHER_FORMS, *(ADMIN_FORMS if actor.is_admin else {})]
    section = st.selectbox("Formularz", sections, key="dane_section", **widgets.SELECT)
    if section in GMINA_FORMS:
        terc = forms.gmina_picker(conn, actor)
        if terc:
            GMINA_FORMS[section](conn, actor, terc)
    elif section in OTHER_FORMS:
        OTHER_FORMS[section](conn, actor)
    else:
        ADMIN_FORMS[section](conn, actor)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("dane")
