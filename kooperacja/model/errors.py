"""One error hierarchy: every failure the user may see carries a Polish message."""

from __future__ import annotations


class KooperacjaError(Exception):
    """Base of every error shown to the user; `message` is Polish and names the field or row."""

    title = "Błąd"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(KooperacjaError):
    """Input that breaks a rule of the model; the warehouse is left unchanged."""

    title = "Niepoprawne dane"

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class AccessDenied(KooperacjaError):
    title = "Brak uprawnień"


class NotFound(KooperacjaError):
    title = "Nie znaleziono"


class StaleRecord(KooperacjaError):
    title = "Rekord zmieniony w międzyczasie"


class WarehouseUnavailable(KooperacjaError):
    title = "Hurtownia danych niedostępna"


class WriteFailed(KooperacjaError):
    """A write the warehouse could not complete (not a conflict): nothing of it was saved."""

    title = "Zapis nie powiódł się"


class DiskFull(WriteFailed):
    """The warehouse's disk is full (ENOSPC, quota, file size limit): nothing was saved."""

    title = "Brak miejsca na dysku"
