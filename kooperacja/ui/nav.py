"""The app's pages as `st.Page`s and the navigation each role is offered."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

from kooperacja.model.access import pages_for

# name: (title, icon); the order is the menu's order, the first page offered is the default.
PAGES: dict[str, tuple[str, str]] = {
    "przeglad": ("Przegląd regionu", ":material/map:"),
    "gmina": ("Gmina", ":material/timeline:"),
    "pzk": ("PZK", ":material/groups:"),
    "alerty": ("Alerty", ":material/notifications:"),
    "sprawy": ("Sprawy", ":material/folder_shared:"),
    "wzk": ("WZK", ":material/diversity_3:"),
    "uslugi": ("Koszyk usług", ":material/volunteer_activism:"),
    "raport": ("Raport efektów", ":material/summarize:"),
    "dane": ("Wprowadzanie danych", ":material/edit_note:"),
    "historia": ("Historia zmian", ":material/history:"),
    "uzytkownicy": ("Użytkownicy", ":material/manage_accounts:"),
}
_RUN_PAGES = "_kooperacja_nav_pages"  # session key: this run's Page objects by name


def page(name: str) -> st.Page:
    """This run's `st.Page` for `name`, e.g. `st.switch_page(nav.page("gmina"))`.

    Pages are made per session, never shared: `st.navigation` marks the Page objects it returns.
    """
    pages = st.session_state.setdefault(_RUN_PAGES, {})
    if name not in pages:
        title, icon = PAGES[name]
        pages[name] = st.Page(
            _render_function(name), title=title, icon=icon, url_path=name, default=name == "przeglad"
        )
    return pages[name]


def build_navigation(role: str | None, login_page: Callable[[], None] | None = None) -> st.Page:
    """The page to run: one of the role's pages, or the login page alone when nobody is logged in.

    An URL to a page the role is not offered falls back to the role's first page. Before login,
    every page's URL leads to the login page (with nothing of the page), keeping the URL so that
    the page opens right after the login.
    """
    st.session_state[_RUN_PAGES] = {}
    if role is None:
        body = login_page or _nothing
        login = [
            st.Page(body, title="Logowanie", icon=":material/login:", url_path="logowanie", default=True)
        ]
        login += [st.Page(body, title="Logowanie", url_path=n, visibility="hidden") for n in PAGES]
        return st.navigation(login, position="hidden")
    offered = [page(n) for n in pages_for(role)]
    return st.navigation(offered, position="sidebar", expanded=True)


def _render_function(name: str) -> Callable[[], None]:
    return importlib.import_module(f"pages.{name}").render


def _nothing() -> None:
    """The login page's body: the gate has already drawn the form."""
