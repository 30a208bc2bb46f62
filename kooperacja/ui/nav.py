"""The app's pages as `st.Page`s and the navigation each role is offered.

Every page has its own URL (`/przeglad`, `/gmina?terc=…`), bookmarks included: the app's root `/` is
the role's first page, which also answers at its own URL. A path the role is not offered, or no page at
all, opens the role's first page with a Polish note, never Streamlit's English "Page not found".
"""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Callable

import streamlit as st

from kooperacja.model.access import pages_for

# name: (title, icon); the order is the menu's order, the first page offered is the start page.
PAGES: dict[str, tuple[str, str]] = {
    "przeglad": ("Przegląd regionu", ":material/map:"),
    "gmina": ("Gmina", ":material/timeline:"),
    "pzk": ("PZK", ":material/groups:"),
    "siec": ("Sieć współpracy", ":material/hub:"),
    "alerty": ("Alerty", ":material/notifications:"),
    "sprawy": ("Sprawy", ":material/folder_shared:"),
    "wzk": ("WZK", ":material/diversity_3:"),
    "uslugi": ("Koszyk usług", ":material/volunteer_activism:"),
    "raport": ("Raport efektów", ":material/summarize:"),
    "dane": ("Wprowadzanie danych", ":material/edit_note:"),
    "historia": ("Historia zmian", ":material/history:"),
    "uzytkownicy": ("Użytkownicy", ":material/manage_accounts:"),
    "pomoc": ("Pomoc", ":material/help:"),
}
START = "start"  # the root URL's page: the role's first page
ASKED = "strona"  # query parameter: the page a direct run of its file was asked for (back_to_app)
_RUN_PAGES = "_kooperacja_nav_pages"  # session key: this run's Page objects by name
_NOTE = "_kooperacja_nav_note"  # session key: a note for the page opened instead of the asked one
FRESH_LOGIN = "_kooperacja_fresh_login"  # session key: set by the run whose form logged the user in
_PATH = re.compile(r"[A-Za-z0-9_-]{1,60}")  # a path a page could be registered at
NOT_OFFERED = "Strona „{title}” nie jest dostępna dla Twojej roli. Otwarto stronę „{first}”."
NOTE_SECONDS = 8
NO_PAGE = "Nie ma strony „{path}”. Otwarto stronę „{first}”."


def page(name: str) -> st.Page:
    """This run's `st.Page` for `name`, e.g. `st.switch_page(nav.page("gmina"))`.

    Pages are made per session, never shared: `st.navigation` marks the Page objects it returns.
    The role's first page is the default one, served at the root URL (`start` inside); its own URL
    is a hidden twin (`alias`), since Streamlit serves a default page at `/` only.
    """
    pages = st.session_state.setdefault(_RUN_PAGES, {})
    if name not in pages:  # a page this run's navigation does not offer (switching to it fails)
        pages[name] = _make(name)
    return pages[name]


def _make(name: str, *, start: bool = False, alias: bool = False) -> st.Page:
    title, icon = PAGES[name]
    if start:
        return st.Page(_render_function(name), title=title, icon=icon, url_path=START, default=True)
    if alias:
        return st.Page(_render_function(name), title=title, icon=icon, url_path=name, visibility="hidden")
    return st.Page(_render_function(name), title=title, icon=icon, url_path=name)


def requested_path() -> str | None:
    """The URL path this run was asked for by name (a typed or bookmarked URL), if any."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    name = getattr(getattr(ctx, "pages_manager", None), "intended_page_name", None)
    return name.strip("/") if isinstance(name, str) and name.strip("/") else None


def build_navigation(role: str | None, login_page: Callable[[], None] | None = None) -> st.Page:
    """The page to run: one of the role's pages, or the login page alone when nobody is logged in.

    Before login, every page's URL (and any other path) leads to the login page, keeping the URL
    and its query parameters so that the page opens right after the login. After login, an URL to
    a page the role is not offered, or to no page, opens the role's first page with a note.
    """
    st.session_state[_RUN_PAGES] = {}
    fresh = bool(st.session_state.pop(FRESH_LOGIN, False))
    asked = requested_path()
    unknown = asked if asked and asked not in PAGES and asked != START and _PATH.fullmatch(asked) else None
    if role is None:
        body = login_page or _nothing
        # The root URL's page has the same id (its url_path) before and after the login: the run
        # that logs the user in draws the first page in place of the form, not over it.
        login = [st.Page(body, title="Logowanie", icon=":material/login:", url_path=START, default=True)]
        paths = [*PAGES, "logowanie"] + ([unknown] if unknown and unknown != "logowanie" else [])
        login += [st.Page(body, title="Logowanie", url_path=n, visibility="hidden") for n in paths]
        return _arrived(st.navigation(login, position="hidden"), login, fresh)
    offered = pages_for(role)
    _show_note()
    first, first_title = offered[0], PAGES[offered[0]][0]
    made = {first: _make(first, start=True)} | {n: _make(n) for n in offered[1:]}
    st.session_state[_RUN_PAGES] = made
    pages = [*made.values(), _make(first, alias=True)]
    for name in PAGES:
        if name not in offered:
            text = NOT_OFFERED.format(title=PAGES[name][0], first=first_title)
            pages.append(_hidden(name, PAGES[name][0], first, text, fresh))
    if unknown:
        pages.append(
            _hidden(unknown, first_title, first, NO_PAGE.format(path=unknown, first=first_title), fresh)
        )
    return _arrived(st.navigation(pages, position="sidebar", expanded=True), pages, fresh)


def back_to_app(name: str) -> None:
    """What a page file does when Streamlit runs it directly (a server's very first request may run
    `pages/x.py` by the legacy pages/ mechanism, without the login): go to app.py, keeping the page
    asked for and its query (a deep link), which `build_navigation` then opens."""
    st.switch_page("app.py", query_params={**st.query_params.to_dict(), ASKED: name})


def _arrived(running: st.Page, pages: list[st.Page], fresh: bool) -> st.Page:
    """The page to run, or a switch to the page `back_to_app` brought along (with its query)."""
    wanted = st.query_params.get(ASKED)
    if not wanted or fresh:
        return running
    rest = {k: v for k, v in st.query_params.to_dict().items() if k != ASKED}
    target = next((p for p in pages if p._url_path == wanted and not p._default), None)
    if target is None:
        st.query_params.pop(ASKED, None)
        return running
    st.switch_page(target, query_params=rest)
    return running  # not reached: the switch reruns the script


def _hidden(path: str, title: str, first: str, note: str, fresh: bool) -> st.Page:
    return st.Page(_opener(first, note, fresh), title=title, url_path=path, visibility="hidden")


def _opener(first: str, note: str, fresh: bool) -> Callable[[], None]:
    """A page body that opens `first` instead, with `note`: by switching to its URL, or — in the run
    that has just logged the user in, whose cookie must reach the browser (a rerun would drop it) —
    drawn here."""

    def open_first() -> None:
        if fresh:
            st.info(note, icon=":material/info:")
            _render_function(first)()
            return
        st.session_state[_NOTE] = (note, time.monotonic())
        st.switch_page(page(first))

    return open_first


def _show_note() -> None:
    """The note of a page opened instead of the asked one, over it: for a few seconds, as the
    cookie component's report-back reruns the script once more after the switch."""
    note = st.session_state.get(_NOTE)
    if note is None:
        return
    text, at = note
    if time.monotonic() - at > NOTE_SECONDS:
        del st.session_state[_NOTE]
        return
    st.info(text, icon=":material/info:")


def _render_function(name: str) -> Callable[[], None]:
    return importlib.import_module(f"pages.{name}").render


def _nothing() -> None:
    """The login page's body: the gate has already drawn the form."""
