"""The one way an error reaches the screen: `show(exc)` for a refusal, `guard()` around a whole run.

Every page and form shows a `KooperacjaError` with `show`: an error box with the error's title in bold,
its Polish message, and an `InvalidInput`'s problems as a list. `guard()` (around the page run in
app.py) catches what a page did not: a `KooperacjaError` is shown the same way; a warehouse that
DuckDB invalidated after a fatal error is dropped from the cache and reopened on the next run;
anything else is logged with its traceback and shown as a short Polish message, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from kooperacja import warehouse
from kooperacja.model.errors import DiskFull, InvalidInput, KooperacjaError, WarehouseUnavailable
from kooperacja.ui.text import plain

ICON = ":material/error:"
UNEXPECTED = (
    "Wystąpił nieoczekiwany błąd aplikacji — tej operacji nie wykonano. Odśwież stronę i spróbuj "
    "ponownie; jeśli błąd się powtarza, zgłoś administratorowi godzinę jego wystąpienia "
    "(szczegóły są w dzienniku aplikacji)."
)
REOPENED = WarehouseUnavailable(
    "Hurtownia danych przestała działać po poważnym błędzie (np. zabrakło miejsca na dysku) i zostanie "
    "otwarta ponownie. Dane zapisane wcześniej są bezpieczne; ostatnia operacja mogła się nie wykonać — "
    "odśwież stronę i sprawdź ją. Jeśli błąd wraca, zwolnij miejsce na dysku i powiadom administratora."
)

_log = logging.getLogger("kooperacja.ui")


def text(exc: KooperacjaError) -> str:
    """The error box's markdown: the bold title (unless the message starts with it), then the message.

    Title, message and problems are text (`plain`): a message may quote what a user typed or uploaded.

    >>> text(InvalidInput(["Login: za krótki", "Rola: nieznana"]))
    '**Niepoprawne dane**\\n\\n- Login: za krótki\\n- Rola: nieznana'
    >>> print(text(InvalidInput(["Nazwa: **[zaloguj się](zaloguj.html)**"])))
    **Niepoprawne dane**
    <BLANKLINE>
    Nazwa: \\*\\*\\[zaloguj się\\](zaloguj\\.html)\\*\\*
    """
    problems = exc.problems if isinstance(exc, InvalidInput) else []
    body = "\n".join(f"- {plain(p)}" for p in problems) if len(problems) > 1 else plain(exc.message)
    if exc.message.lower().startswith(exc.title.lower()):
        return body
    return f"**{plain(exc.title)}**\n\n{body}"


def show(exc: KooperacjaError, where=st) -> None:
    """Show a refusal or failure in Polish; `where`: a container or placeholder (default: the page)."""
    where.error(text(exc), icon=ICON)


@contextmanager
def shown() -> Iterator[None]:
    """Show a KooperacjaError raised inside the block (the rest of the page still runs)."""
    try:
        yield
    except KooperacjaError as exc:
        show(exc)


def broken_connection(exc: BaseException) -> bool:
    """Whether `exc` means the cached warehouse connection is unusable (DuckDB invalidated or closed it)."""
    if isinstance(exc, (duckdb.FatalException, duckdb.ConnectionException)):
        return True
    return isinstance(exc, duckdb.Error) and "database has been invalidated" in str(exc)


def explain(exc: Exception) -> KooperacjaError:
    """Any exception as the Polish error to show (logging what is not a KooperacjaError)."""
    if isinstance(exc, KooperacjaError):
        return exc
    if broken_connection(exc):
        from kooperacja.ui import session  # session shows its refusals with this module

        _log.error("Hurtownia unieważniona; połączenie zostanie otwarte ponownie", exc_info=exc)
        session.drop_connection()
        return REOPENED
    if isinstance(exc, (duckdb.Error, OSError)) and warehouse.no_space(exc):  # a write outside a transaction
        _log.error("Brak miejsca na dysku hurtowni", exc_info=exc)
        return DiskFull(warehouse.NO_SPACE)
    if isinstance(exc, warehouse.DatabaseError):
        _log.error("Nieczytelne dane hurtowni", exc_info=exc)
        return warehouse.unreadable(exc)
    _log.error("Nieoczekiwany błąd strony", exc_info=exc)
    return KooperacjaError(UNEXPECTED)


@contextmanager
def guard() -> Iterator[None]:
    """Around a whole script run: whatever escapes is shown in Polish; st.stop/st.rerun pass through."""
    try:
        yield
    except Exception as exc:  # Streamlit's stop/rerun are BaseExceptions and are not caught here
        show(explain(exc))
