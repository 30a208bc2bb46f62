"""The pages' side of the deep links (`model.links`): read a record's key from the URL, check it and
open it in the page's picker; keep the URL naming the record shown; a link to send to a colleague.

`/gmina?terc=0201011` opens that gmina, `/pzk?terc=…` its PZK, `/sprawy?case=…` a case,
`/uslugi?service=…` a service's card, `/wzk?meeting=…` a WZK meeting. A key the page does not know,
or a record the role may not see, is said in Polish (never a crash) and the page opens as usual.
The login keeps the URL with its parameters, so a colleague lands on the record after their login.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import streamlit as st

from kooperacja.model import links
from kooperacja.model.access import Actor
from kooperacja.ui import data, widgets
from kooperacja.ui.text import plain

_SEEN = "_kooperacja_link_seen_"  # session key + page: the URL key last opened in the picker
_BAD = "_kooperacja_link_bad_"  # session key + page: the URL key refused (the URL is left as it is)
UNKNOWN = {
    "gmina": "Link wskazuje gminę o kodzie TERC {key}, której nie ma w pilotażu.",
    "pzk": "Link wskazuje gminę o kodzie TERC {key}, której nie ma w pilotażu.",
    "siec": "Link wskazuje gminę o kodzie TERC {key}, której nie ma w pilotażu.",
    "sprawy": "Link wskazuje sprawę {key}, której nie ma w rejestrze.",
    "uslugi": "Link wskazuje usługę nr {key}, której nie ma w koszyku.",
    "wzk": "Link wskazuje posiedzenie WZK nr {key}, którego nie ma w rejestrze.",
    "alerty": "Link wskazuje alert {key}, którego nie ma na liście.",
}


def requested(page: str) -> str | None:
    """The record key the URL names for `page` (its `model.links.PARAMETERS` parameter), if any."""
    value = st.query_params.get(links.PARAMETERS[page])
    value = value.strip() if isinstance(value, str) else None
    return value or None


def seed(
    page: str,
    known: Collection[object],
    widget_keys: Sequence[str] = (),
    *,
    remember: str | None = None,
    refused: str | None = None,
) -> str | None:
    """Open the URL's record in the page's picker: its key, the first run it is asked for; else None.

    `known`: the keys this user may open on the page. `refused`: why this user may not open any
    (e.g. case details for the WZK), said instead. The picker's widget keys (and the persistent
    filter `remember`) get the key once, so the user may pick another record afterwards.
    """
    value = requested(page)
    if value is None:
        return None
    if refused is not None or value not in {str(k) for k in known}:
        st.session_state[_BAD + page] = value
        st.warning(refused or UNKNOWN[page].format(key=plain(value)), icon=":material/link_off:")
        return None
    st.session_state.pop(_BAD + page, None)
    if st.session_state.get(_SEEN + page) == value:
        return None  # opened already: the picker is the user's again
    st.session_state[_SEEN + page] = value
    match = next(k for k in known if str(k) == value)
    if remember is not None:
        widgets.remember(remember, match, *widget_keys)
    else:
        for key in widget_keys:
            st.session_state[key] = match
    return value


def pick_gmina(page: str, actor: Actor, key: str, *also: str) -> str:
    """The page's "Gmina" picker over every pilot gmina ("name (powiat)"; an animator's own first):
    opened on the URL's gmina the first run it is asked for (`also`: other pages' pickers opened with
    it), remembered across pages as the filter "gmina", and the URL follows it. The pilot is not empty."""
    names = data.pilot_labels()
    seed(page, names, (key, *also), remember="gmina")
    mine = [t for t in names if t in actor.gminy]
    terc = widgets.persistent(
        st.selectbox,
        "Gmina",
        key=key,
        name="gmina",
        options=list(names),
        default=(mine or list(names))[0],
        format_func=names.get,
    )
    keep(page, terc)
    return terc


def number(page: str) -> int | None:
    """The URL's record number for `page` (a service, a meeting); a key that is no number is said."""
    value = requested(page)
    if value is None:
        return None
    if not value.isdecimal() or len(value) > 18:
        st.warning(UNKNOWN[page].format(key=plain(value)), icon=":material/link_off:")
        return None
    return int(value)


def keep(page: str, key: object) -> None:
    """Let the URL name the record the page shows (to bookmark or send), unless it named a refused one."""
    asked = requested(page)
    if key is None or (asked is not None and st.session_state.get(_BAD + page) == asked):
        return
    st.query_params[links.PARAMETERS[page]] = str(key)
    st.session_state[_SEEN + page] = str(key)


def absolute(page: str, key: object) -> str:
    """The full address of one record's page, as this browser reaches the app."""
    from kooperacja.ui import nav  # the router names the pages; imported late, it imports the pages

    here = (st.context.url or "").rstrip("/")
    head, _, last = here.rpartition("/")
    if "://" in head and (last in nav.PAGES or last == nav.START):
        here = head
    return f"{here}/{links.url(page, key)}"


def share(page: str, key: object, what: str) -> None:
    """A "Kopiuj link" box: the record's address with a copy button, for a colleague or a bookmark."""
    with st.expander("Kopiuj link", icon=":material/link:"):
        st.code(absolute(page, key), language=None)
        st.caption(
            f"Link otwiera {what} po zalogowaniu (o ile rola odbiorcy pozwala ją zobaczyć). "
            "Przycisk po prawej kopiuje go do schowka."
        )
