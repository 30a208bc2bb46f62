"""Who may do what: the role rules every write and every case-level read goes through.

The role names are written here only; everybody else asks a question of this module
(`access.can_read_cases(actor)`, `access.may_open(actor, "gmina")`) instead of comparing roles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kooperacja.model.errors import AccessDenied

ADMIN = "admin"  # koordynator ROPS
ANIMATOR = "animator"  # animator współpracy: the gminy assigned to them
WZK = "wzk"  # członek WZK: aggregates only, small counts hidden
ZARZAD = "zarzad"  # Zarząd Województwa: aggregates only, small counts hidden
ROLE_LABELS = {  # the Polish name of each role, as the pages show it
    ADMIN: "koordynator ROPS (administrator)",
    ANIMATOR: "animator współpracy",
    WZK: "członek WZK",
    ZARZAD: "Zarząd Województwa",
}
ROLES: tuple[str, ...] = tuple(ROLE_LABELS)
ROPS_STAFF = frozenset({ADMIN, ANIMATOR})  # case-level detail, data entry, imports
GMINA_CARERS: tuple[str, ...] = (ANIMATOR, ADMIN)  # accounts a pilot gmina may be assigned to
AGGREGATES_ONLY = frozenset({WZK, ZARZAD})


@dataclass(frozen=True)
class Actor:
    """The user behind a call. `gminy` are the TERC codes an animator looks after; `name` is the
    display name and `places` the pilot gminy's names by TERC, for the refusals to name both."""

    username: str
    role: str
    gminy: frozenset[str] = field(default_factory=frozenset)
    name: str = field(default="", compare=False)
    places: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def who(self) -> str:
        """The person and their role in words, e.g. "Anna Nowak (animator współpracy)"."""
        return f"{self.name or self.username} ({ROLE_LABELS.get(self.role, self.role)})"

    def gmina(self, terc: str) -> str:
        """A gmina in a sentence (genitive): "gminy Zawiśle", else "gminy o kodzie TERC 3401011"."""
        name = self.places.get(terc)
        return f"gminy {name}" if name else f"gminy o kodzie TERC {terc}"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


SYSTEM = Actor("system", ADMIN)
REPORT_READER = Actor("system", ZARZAD)  # whoever a report file leaves the ROPS for: small counts hidden
IMPORTER = Actor("cli", ADMIN)  # the command line's imports


def is_animator(actor: Actor) -> bool:
    """An animator: their own gminy come first (alerts, forms)."""
    return actor.role == ANIMATOR


def has_role(actor: Actor, roles: Iterable[str]) -> bool:
    return actor.role in set(roles)


def cares_for_gminy(role: str) -> bool:
    """Whether an account of `role` may be a pilot gmina's animator (the one who cares for it)."""
    return role in GMINA_CARERS


def administers(role: str) -> bool:
    """Whether an account of `role` administers the installation (at least one active must remain)."""
    return role == ADMIN


def can_edit_gmina(actor: Actor, terc: str | None) -> bool:
    """Admins edit everything; an animator only the gminy assigned to them (never region rows)."""
    if actor.role == ADMIN:
        return True
    return actor.role == ANIMATOR and terc is not None and terc in actor.gminy


def require_edit_gmina(actor: Actor, terc: str | None) -> None:
    if not can_edit_gmina(actor, terc):
        what = actor.gmina(terc) if terc else "danych regionu"
        raise AccessDenied(f"Użytkownik {actor.who} nie może zmieniać {what}.")


def require_admin(actor: Actor) -> None:
    if actor.role != ADMIN:
        raise AccessDenied(f"Tę operację może wykonać tylko administrator; {actor.who} nim nie jest.")


def can_explain_alert(actor: Actor, terc: str | None, animator: str | None) -> bool:
    """Admins explain any alert; an animator those of their gminy, of the region (no gmina) and the
    notifications assigned to them (`animator`); the WZK and the Zarząd only read.
    """
    if actor.role == ADMIN:
        return True
    return actor.role == ANIMATOR and (terc is None or terc in actor.gminy or animator == actor.username)


def require_explain_alert(actor: Actor, terc: str | None, animator: str | None) -> None:
    if not can_explain_alert(actor, terc, animator):
        raise AccessDenied(
            f"Użytkownik {actor.username} nie może wyjaśniać alertów tej gminy — animator wyjaśnia alerty "
            "swoich gmin, przydzielonych mu zgłoszeń i regionu."
        )


def can_read_cases(actor: Actor) -> bool:
    """Case-level detail is for the ROPS staff; the WZK and the Zarząd see aggregates only."""
    return actor.role in ROPS_STAFF


CASE_DETAILS_REFUSED = "Szczegóły spraw są dostępne tylko dla pracowników ROPS (administrator, animator)."


def require_case_read(actor: Actor) -> None:
    if not can_read_cases(actor):
        raise AccessDenied(CASE_DETAILS_REFUSED)


def suppresses_small_counts(actor: Actor) -> bool:
    """The WZK and the Zarząd see counts under 5 as "<5" so that nobody can be singled out."""
    return actor.role in AGGREGATES_ONLY


# Which pages each role is offered (the navigation is built from this on every run).
PAGE_ROLES: dict[str, frozenset[str]] = {
    "przeglad": frozenset({ADMIN, ANIMATOR, WZK, ZARZAD}),
    "gmina": frozenset({ADMIN, ANIMATOR, WZK}),
    "pzk": frozenset({ADMIN, ANIMATOR, WZK}),
    "siec": frozenset({ADMIN, ANIMATOR, WZK, ZARZAD}),  # institutions only, no person's data
    "alerty": frozenset({ADMIN, ANIMATOR}),
    "sprawy": frozenset({ADMIN, ANIMATOR, WZK, ZARZAD}),  # wzk/zarzad: aggregates only
    "wzk": frozenset({ADMIN, ANIMATOR, WZK}),
    "uslugi": frozenset({ADMIN, ANIMATOR, WZK}),
    "raport": frozenset({ADMIN, ANIMATOR, WZK, ZARZAD}),
    "dane": frozenset({ADMIN, ANIMATOR}),
    "historia": frozenset({ADMIN}),
    "uzytkownicy": frozenset({ADMIN}),
    "pomoc": frozenset({ADMIN, ANIMATOR, WZK, ZARZAD}),
}


def may_open(actor: Actor, page: str) -> bool:
    """Whether the page (a PAGE_ROLES key) is offered to the actor."""
    return actor.role in PAGE_ROLES[page]


def pages_for(role: str) -> list[str]:
    return [page for page, roles in PAGE_ROLES.items() if role in roles]


# The write permissions the forms and the importer share (one door).


def can_write_data(actor: Actor) -> bool:
    """ROPS staff (admins, animators) write programme and case data; the WZK and the Zarząd only read."""
    return actor.role in ROPS_STAFF


def require_write_data(actor: Actor, what: str = "importować danych") -> None:
    if not can_write_data(actor):
        raise AccessDenied(f"Użytkownik {actor.who} nie może {what}.")


def can_edit_institution(actor: Actor, seat_terc: str) -> bool:
    """Admins any institution; an animator those seated in their gminy or those gminy's powiaty."""
    if actor.role == ADMIN:
        return True
    return actor.role == ANIMATOR and any(
        t.startswith(seat_terc) or seat_terc.startswith(t[:4]) for t in actor.gminy
    )


def require_edit_institution(actor: Actor, seat_terc: str) -> None:
    require_write_data(actor, "dodawać instytucji")
    if not can_edit_institution(actor, seat_terc):
        raise AccessDenied("Animator dodaje instytucje z siedzibą w swoich gminach lub ich powiatach.")


def can_edit_service(actor: Actor, level: str, area_terc: str) -> bool:
    """Admins edit any service; an animator those of their gminy and of those gminy's powiaty."""
    if actor.role == ADMIN:
        return True
    if actor.role != ANIMATOR or level == "region":
        return False
    return any(t == area_terc or (level == "powiat" and t[:4] == area_terc) for t in actor.gminy)


def require_edit_service(actor: Actor, level: str, area_terc: str) -> None:
    if not can_edit_service(actor, level, area_terc):
        raise AccessDenied(
            f"Użytkownik {actor.who} nie może zmieniać usług {_area(actor, level, area_terc)} — "
            "animator prowadzi usługi swoich gmin i ich powiatów."
        )


def _area(actor: Actor, level: str, terc: str) -> str:
    if level == "region":
        return "województwa"
    if level == "powiat":
        return f"powiatu o kodzie TERC {terc}"
    return actor.gmina(terc)


def can_record_for(actor: Actor, username: str) -> bool:
    """Everyone records in their own name; an admin may also enter what another user recorded."""
    return username == actor.username or actor.role == ADMIN
