"""Lokalny koszyk usług: search the registry, a service card, gaps per gmina, the ROPS list export."""

from __future__ import annotations

import streamlit as st

from kooperacja import lku
from kooperacja.cases import core as cases
from kooperacja.model import access, disclosure, vocab
from kooperacja.model.formatting import fmt_date, plural
from kooperacja.ui import data, links, saving, service_forms, session, widgets
from kooperacja.ui.text import plain


def _choice(label: str, options: dict[str, str], key: str) -> str | None:
    return st.selectbox(
        label,
        [None, *options],
        key=key,
        format_func=lambda c: "wszystkie" if c is None else options[c],
        **widgets.SELECT,
    )


def _filters(today) -> lku.ServiceFilter:
    gminy = lku.pilot_choices(session.get_conn())
    a, b, c = st.columns(3)
    with a:
        terc = _choice("Dostępne w gminie", gminy, "uslugi_gmina")
        category = _choice("Kategoria", vocab.SERVICE_CATEGORIES, "uslugi_kategoria")
    with b:
        problem = _choice("Obszar problemowy", cases.list_problem_areas(session.get_conn()), "uslugi_problem")
        group = _choice("Dla kogo", vocab.TARGET_GROUPS, "uslugi_grupa")
    with c:
        sector = _choice("Sektor realizatora", vocab.SECTORS, "uslugi_sektor")
        level = _choice("Poziom", vocab.LEVELS, "uslugi_poziom")
    on = st.date_input("Ważne w dniu", value=today, key="uslugi_dzien", format="DD.MM.YYYY")
    text = st.text_input("Szukaj w nazwie usługi lub realizatora", key="uslugi_tekst")
    return lku.ServiceFilter(
        terc=terc,
        category=category,
        problem=problem,
        target_group=group,
        sector=sector,
        level=level,
        on=on,
        text=text or None,
    )


def _card(service_id: int, actor, today) -> None:
    card = lku.service_card(session.get_conn(), service_id)
    with st.container(border=True):
        st.subheader(plain(card["name"]))
        st.markdown(
            f"**Realizator:** {plain(card['provider'])} "
            f"({plain(vocab.SECTORS.get(card['sector'], card['sector']))})"
        )
        st.markdown(
            f"**Kategoria:** {plain(vocab.SERVICE_CATEGORIES.get(card['category'], card['category']))} · "
            f"**Poziom:** {plain(vocab.LEVELS.get(card['level'], card['level']))} "
            f"({plain(card['area_name'])})"
        )
        st.markdown(
            "**Dla kogo:** " + ", ".join(plain(vocab.TARGET_GROUPS.get(g, g)) for g in card["target_groups"])
        )
        areas = cases.list_problem_areas(session.get_conn())
        st.markdown(
            "**Obszary problemowe:** " + ", ".join(plain(areas.get(p, p)) for p in card["problem_areas"])
        )
        st.markdown(
            f"**Jak skorzystać:** {plain(card['access']) or '—'}  \n"
            f"**Kontakt:** {plain(card['contact']) or '—'}"
        )
        st.markdown(
            f"**Ważna:** od {fmt_date(card['valid_from'])}"
            + (f" do {fmt_date(card['valid_to'])}" if card["valid_to"] else " (bezterminowo)")
            + f" · w koszykach spraw: {card['baskets']}"
        )
    service_forms.correction_forms(actor, card, today)


def _registry(actor, today) -> None:
    flt = _filters(today)
    found, listing = data.service_search(flt)
    st.caption(
        f"Znaleziono {plural(len(found), 'usługę', 'usługi', 'usług')}. Zaznacz wiersz, aby zobaczyć kartę."
    )
    event = widgets.table(listing, "uslugi_lista", "lista_aktywnosci_i_uslug", select=True)
    rows = event.selection.rows if event is not None else []
    if rows:
        _card(int(found.service_id.iloc[rows[0]]), actor, today)


def _gaps(actor, today) -> None:
    on = st.date_input("Stan na dzień", value=today, key="uslugi_luki_dzien", format="DD.MM.YYYY")
    gaps = data.service_gaps(on)
    hide = disclosure.hides(actor)
    found = lku.gap_list(gaps)
    st.caption(
        f"Problemy rozpoznane w sprawach gminy, na które nie ma ważnej usługi gminy, jej powiatu "
        f"ani województwa: {len(found)} luk w {found.terc.nunique()} gminach. "
        "Czerwony: luka (liczba spraw); niebieski: jest usługa; jasny: usługa bez spraw."
    )
    drawn, cut = lku.gap_map(gaps)
    if cut:
        n = drawn.terc.nunique()
        st.caption(
            f"Mapa pokazuje {plural(n, 'gminę', 'gminy', 'gmin')} z największą liczbą luk "
            f"(z {plural(gaps.terc.nunique(), 'gminy', 'gmin', 'gmin')} w pilotażu); "
            "wszystkie luki są w tabeli."
        )
    st.plotly_chart(data.gap_figure(on, actor), key="uslugi_luki", width="stretch")
    shown = found.assign(cases=[disclosure.suppress(n, hide) for n in found.cases])
    table = shown[["name", "problem", "cases"]].set_axis(["Gmina", "Obszar problemowy", "Sprawy"], axis=1)
    widgets.table(table, "uslugi_luki_tabela", "luki_w_koszyku")


def render() -> None:
    actor = session.require_page("uslugi")
    st.title("Lokalny koszyk usług")
    today = session.today()
    saving.show_flash()
    registry, gaps = st.tabs(["Usługi", "Luki w koszyku"])
    if (linked := links.number("uslugi")) is not None:
        with registry, widgets.errors_shown():
            _card(linked, actor, today)
    with widgets.errors_shown():
        with registry:
            if access.can_write_data(actor):
                with st.expander("Dodaj usługę"):
                    service_forms.add_form(actor, today)
            _registry(actor, today)
        with gaps:
            _gaps(actor, today)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("uslugi")
