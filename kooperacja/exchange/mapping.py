"""The registries that travel as XLSX/CSV: Polish header ↔ field, cell ↔ value, and the import report.

A registry is described once, here: its sheet, record, what its rows refer to, the pure check its
form calls and the access rule its form uses. A new registry is one `Registry(...)` below.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl.utils.datetime import from_excel

from kooperacja.accounts.users import hash_password, random_password
from kooperacja.cases.checks import LABELS, PROBLEMS, check_case_file, check_case_task, check_monthly_report
from kooperacja.exchange.cells import Codes, Padded, boolean, integer, plain_text, terc_text
from kooperacja.exchange.records import SETTINGS, AppUser, PilotPowiat, Powiat, Setting, Template, Wojewodztwo
from kooperacja.lku_checks import ServiceContext, check_service
from kooperacja.model import access, vocab
from kooperacja.model.access import Actor
from kooperacja.model.checks import Problem
from kooperacja.model.errors import AccessDenied
from kooperacja.model.formatting import CODE_LABELS, fmt_number, plural
from kooperacja.model.records import (
    KEY_HEADERS,
    AlertExplanation,
    CaseFile,
    CaseGoal,
    CaseProblem,
    CaseService,
    CaseTask,
    Gmina,
    Institution,
    Meeting,
    MeetingAttendee,
    MonthlyReport,
    PilotExit,
    PilotGmina,
    PlanShift,
    ProblemArea,
    ProblemMapEntry,
    PzkMember,
    Recommendation,
    Record,
    ResourceEntry,
    Service,
    StepEvent,
    SurveyAnswer,
    SurveyWave,
    TemplateStep,
    WzkAttendance,
    WzkMember,
    Zgloszenie,
    ZgloszenieAssignment,
)
from kooperacja.network.checks import check_answer, check_problem_entry, check_resource_entry, check_wave
from kooperacja.network.queries import store_measures
from kooperacja.programme.checks import Pilot, check_plan_shift, check_pzk_member, check_step_event

LIST_SEPARATOR = ";"
# Generated keys of the registries model.records.KEY_HEADERS does not name yet.
MORE_KEY_HEADERS = {
    "shift_id": "ID przesunięcia",
    "zgloszenie_id": "ID zgłoszenia",
    "meeting_id": "ID spotkania",
    "member_id": "ID członka WZK",
    "recommendation_id": "ID rekomendacji",
    "wave_id": "ID badania",
    "entry_id": "ID wpisu",
}
EVENT_KINDS = CODE_LABELS["event_kind"]
PROBLEMS_FIELD = PROBLEMS  # case_file's problem areas, kept in case_problem
PROBLEMS_HEADER = LABELS[PROBLEMS]


# (parsed row, the file's context, actor) → the form's refusals; the context is exchange.apply's,
# loaded once per file: `.refs`, `.programme` (programme.checks), `.cases` (cases.checks).
RowCheck = Callable[[Any, Any, Actor], list[Problem]]
# (actor, record, context) → raises AccessDenied unless the actor's form could write the row
Permission = Callable[[Actor, Any, Any], None]


def _case_terc(known: Any, case_code: str | None) -> str | None:
    case = known.cases.cases.get(case_code or "")
    return case.terc if case else None


def _edit_gmina(actor: Actor, record: Any, known: Any) -> None:
    """The forms' default rule: the row's gmina is the actor's; a row without one is the ROPS's own."""
    if record.terc is None:
        access.require_admin(actor)
    else:
        access.require_edit_gmina(actor, record.terc)


def _edit_case(actor: Actor, record: Any, known: Any) -> None:
    access.require_edit_gmina(actor, _case_terc(known, record.case_code))


def _edit_task(actor: Actor, record: Any, known: Any) -> None:
    access.require_edit_gmina(actor, _case_terc(known, known.cases.task_case.get(record.task_id)))


def _admin(actor: Actor, record: Any, known: Any) -> None:
    """Rows of the installation as a whole (territory, templates, accounts, the WZK): admins only."""
    access.require_admin(actor)


def _own_account(row: Any, known: Any, actor: Actor) -> list[Problem]:
    """An import never takes the administrator role away from the account that runs it."""
    user = row.record
    if user.username != actor.username:
        return []
    try:
        access.require_admin(Actor(user.username, user.role))
    except AccessDenied:
        return [Problem("role", "import nie może odebrać roli administratora kontu, które go wykonuje")]
    if not user.active:
        return [Problem("active", "import nie może wyłączyć konta, które go wykonuje")]
    return []


def _grow_pilot(record: Any, known: Any) -> None:
    known.programme.pilots[record.terc] = Pilot(
        record.joined_on,
        record.plan_start,
        known.steps.get((record.template_id, record.template_version), {}),
    )
    known.cases.pilots.add(record.terc)


def _grow_step(record: Any, known: Any) -> None:
    known.steps.setdefault((record.template_id, record.version), {})[record.substep] = record.level


def _grow_user(record: Any, known: Any) -> None:
    known.programme.users.add(record.username)


def _forget_answer(old: Any, known: Any) -> None:
    """A stored answer being corrected by the file does not count as the pair's answer already given."""
    known.network.answered.discard((old.wave_id, old.respondent_id, old.partner_id))


def _refresh_measures(cur: Any, records: list[Any]) -> None:
    """The kept measures of the waves an import wrote (or whose answers it wrote)."""
    store_measures(cur, sorted({r.wave_id for r in records}))


def _check_service(row: Any, known: Any, actor: Actor) -> list[Problem]:
    return check_service(row.record, ServiceContext(known.refs["problem"], known.programme.institutions))


@dataclass(frozen=True)
class Registry:
    """One registry: its table, sheet name, record and the columns unique together besides the key;
    for the import, what its fields refer to (field, kind of key), its form's pure check, its form's
    access rule and the column a refusal of that rule is reported in."""

    table: str
    sheet: str
    model: type[Record]
    unique: tuple[str, ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    check: RowCheck | None = None
    permission: Permission = _edit_gmina
    scope: str = "terc"
    links: Callable[[Any, Any], list[Record]] | None = None  # (record, parsed row) → rows of a link table
    link_table: str | None = None  # that table, keyed by this registry's key
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # code field → code → label
    # (stored record, context): take a stored row out of the checks' context before its update is
    # checked, so that the row does not conflict with itself (a PZK membership "already in")
    forget: Callable[[Any, Any], None] | None = None
    about: str = ""  # what the sheet holds, for the export's Instrukcja
    keys: tuple[str, ...] = ()  # the columns that together identify a row, when not the record's KEY
    provides: str | None = None  # the kind of reference this registry's keys are (see exchange.apply)
    # (record, context): what an accepted row adds to the checks' context (a pilot gmina, a template)
    grow: Callable[[Any, Any], None] | None = None
    # columns a new row needs that its record does not carry (an imported account's unknown password)
    defaults: Callable[[], dict[str, Any]] | None = None
    rows: str = ""  # which of the table's rows the registry holds (SQL on `t`, written here), all if empty
    frozen: str = ""  # why a stored row is never changed by import (a template version gminy follow)
    # (cursor, the sheet's written records): what to bring up to date after they are written, in the
    # same transaction (the kept measures of the survey waves whose answers an import wrote)
    written: Callable[[Any, list[Any]], None] | None = None

    @property
    def key(self) -> str:
        return self.model.KEY

    @property
    def key_fields(self) -> tuple[str, ...]:
        return self.keys or (self.model.KEY,)

    def key_of(self, record: Any) -> Any:
        """The row's key: one value, or a tuple for a registry keyed by several columns; None when
        a part is missing (a new row whose key the warehouse generates)."""
        if not self.keys:
            return getattr(record, self.model.KEY)
        value = tuple(getattr(record, f) for f in self.keys)
        return None if None in value else value

    def headers(self) -> dict[str, str]:
        """Field → Polish header, in the order of the record (plus the case's problem areas)."""
        return dict(self._headers)

    @functools.cached_property
    def _headers(self) -> dict[str, str]:
        out = {}
        for name, info in self.model.model_fields.items():
            out[name] = info.title or KEY_HEADERS.get(name) or MORE_KEY_HEADERS.get(name, name)
        if self.table == "case_file":
            out[PROBLEMS_FIELD] = PROBLEMS_HEADER
        return out

    @functools.cached_property
    def heads(self) -> dict[str, str]:
        """`headers()`, shared: for the per-row paths, which only read it."""
        return self._headers

    @functools.cached_property
    def columns(self) -> dict[str, Column]:
        """Field → how its cells are read and written (kind, codes and labels, TERC widths)."""
        return {name: _column(self, name, header) for name, header in self.headers().items()}

    def required(self) -> list[str]:
        """Headers a file must have: the required fields (a missing generated key means new rows)."""
        heads = self.headers()
        return [heads[n] for n, info in self.model.model_fields.items() if info.is_required()]


# Parents first: a file's rows may refer to rows of an earlier sheet of the same file. The references
# a check reports itself (a step event's or a case's pilot gmina, a PZK row's institution) are left
# to that check, so that a row gets one reason, the form's.
REGISTRIES: dict[str, Registry] = {
    r.table: r
    for r in (
        Registry(
            "settings",
            "Ustawienia",
            Setting,
            permission=_admin,
            scope="key",
            labels={"key": SETTINGS},
            rows="t.key IN ('region_name', 'wojewodztwo', 'programme_start')",  # never the secret key
            about="ustawienia instalacji: nazwa regionu, województwo, początek programu",
        ),
        Registry(
            "wojewodztwo",
            "Województwa",
            Wojewodztwo,
            permission=_admin,
            provides="area",
            about="województwo instalacji (kod TERC i nazwa z rejestru TERYT)",
        ),
        Registry(
            "powiat",
            "Powiaty",
            Powiat,
            permission=_admin,
            provides="area",
            about="powiaty regionu z rejestru TERYT",
        ),
        Registry(
            "gmina",
            "Gminy",
            Gmina,
            permission=_admin,
            provides="area",
            labels={"variant_override": vocab.VARIANTS},
            about="gminy regionu z rejestru TERYT: rodzaj, liczba mieszkańców, wariant modelu (zmieniony)",
        ),
        Registry(
            "problem_area",
            "Obszary problemowe",
            ProblemArea,
            permission=_admin,
            provides="problem",
            about="obszary problemowe (art. 7 ustawy o pomocy społecznej) spraw i usług",
        ),
        Registry(
            "app_user",
            "Użytkownicy",
            AppUser,
            check=_own_account,
            permission=_admin,
            scope="username",
            provides="user",
            grow=lambda r, k: _grow_user(r, k),
            defaults=lambda: {"password_hash": hash_password(random_password())},
            labels={"role": access.ROLE_LABELS},
            about="konta (bez haseł): konto wczytane do innej instalacji dostaje hasło od administratora",
        ),
        Registry(
            "template",
            "Szablony harmonogramu",
            Template,
            permission=_admin,
            scope="template_id",
            keys=("template_id", "version"),
            provides="template",
            about="wersje szablonów harmonogramu; gmina zachowuje wersję, z którą zaczęła",
        ),
        Registry(
            "template_step",
            "Kroki szablonów",
            TemplateStep,
            references=(("template_id", "template"),),
            permission=_admin,
            scope="template_id",
            keys=("template_id", "version", "substep"),
            frozen="zapisanej wersji szablonu nie zmienia się (gminy pracują według niej) — zapisz zmiany "
            "jako nową wersję: nowy numer w kolumnie „Wersja szablonu” albo edycja szablonu w aplikacji",
            grow=_grow_step,
            labels={"level": {"region": "region (ROPS)", "gmina": "gmina"}},
            about="podkroki każdej wersji szablonu: poziom, odpowiedzialni, miesiące planu",
        ),
        Registry(
            "pilot_powiat",
            "Powiaty w pilotażu",
            PilotPowiat,
            references=(("terc", "area"),),
            permission=_admin,
            about="powiaty, które przystąpiły do pilotażu",
        ),
        Registry(
            "pilot_gmina",
            "Gminy w pilotażu",
            PilotGmina,
            references=(("terc", "area"), ("animator", "user"), ("template_id", "template")),
            permission=_admin,
            grow=_grow_pilot,
            labels={"variant": vocab.VARIANTS},
            about="gminy pilotażowe: data przystąpienia, animator, wariant, szablon i początek harmonogramu",
        ),
        Registry(
            "pilot_exit",
            "Wyjścia z pilotażu",
            PilotExit,
            references=(("terc", "area"), ("animator", "user"), ("template_id", "template")),
            permission=_admin,
            labels={"variant": vocab.VARIANTS},
            about="gminy, które wyszły z pilotażu: ich dane z pilotażu, data wyjścia i powód",
        ),
        Registry(
            "plan_shift",
            "Przesunięcia planu",
            PlanShift,
            check=lambda w, k, a: check_plan_shift(w.record, k.programme),
            about="przesunięcia harmonogramu gminy (całego planu albo podkroku) z powodem",
        ),
        Registry(
            "zgloszenie",
            "Zgłoszenia",
            Zgloszenie,
            references=(("terc", "area"),),
            labels={"route": vocab.ROUTES},
            about="zgłoszenia gmin i pierwsze kontakty ROPS",
        ),
        Registry(
            "zgloszenie_assignment",
            "Przydziały zgłoszeń",
            ZgloszenieAssignment,
            references=(("animator", "user"), ("assigned_by", "user")),
            permission=_admin,
            scope="zgloszenie_id",
            about="zgłoszenia gmin spoza pilotażu przydzielone animatorowi przez administratora",
        ),
        Registry(
            "alert_explanation",
            "Wyjaśnione alerty",
            AlertExplanation,
            references=(("explained_by", "user"),),
            permission=_admin,
            scope="alert_id",
            about="alerty oznaczone jako wyjaśnione: kto, kiedy i dlaczego",
        ),
        Registry(
            "institution",
            "Instytucje",
            Institution,
            about="instytucje i organizacje współpracujące (siedziba: TERC gminy, powiatu albo województwa)",
            references=(("seat_terc", "area"),),
            permission=lambda a, r, k: access.require_edit_institution(a, r.seat_terc),
            scope="seat_terc",
            labels={"sector": vocab.SECTORS, "level": vocab.LEVELS},
        ),
        Registry(
            "pzk_member",
            "Członkowie PZK",
            PzkMember,
            about="członkostwo instytucji w partnerstwie (PZK) gminy pilotażowej",
            check=lambda w, k, a: check_pzk_member(w.record, k.programme),
            forget=lambda old, k: k.programme.active.discard((old.terc, old.institution_id)),
        ),
        Registry(
            "survey_wave",
            "Badania współpracy",
            SurveyWave,
            ("terc", "held_on", "kind"),
            references=(("terc", "area"),),
            check=lambda w, k, a: check_wave(w.record, k.network),
            written=_refresh_measures,
            labels={"kind": vocab.WAVE_KINDS},
            about="badania współpracy instytucji gminy: diagnoza (wyjściowe), ewaluacja (końcowe), dodatkowe",
        ),
        Registry(
            "survey_answer",
            "Odpowiedzi o współpracy",
            SurveyAnswer,
            keys=("wave_id", "respondent_id", "partner_id"),
            check=lambda w, k, a: check_answer(w.record, k.network),
            forget=lambda old, k: k.network.answered.discard(
                (old.wave_id, old.respondent_id, old.partner_id)
            ),
            written=_refresh_measures,
            labels={"initiates": vocab.INITIATES, "frequency": vocab.FREQUENCIES},
            about="jeden wiersz na parę instytucji w badaniu: czy współpracują, kto inicjuje, jak często, "
            "jak dobrze (1–5)",
        ),
        Registry(
            "problem_map",
            "Mapa problemów",
            ProblemMapEntry,
            ("terc", "as_of", "problem_code"),
            references=(("terc", "area"), ("problem_code", "problem")),
            check=lambda w, k, a: check_problem_entry(w.record, k.network),
            labels={"trend": vocab.TRENDS, "problem_code": vocab.PROBLEM_AREAS},
            about="mapa problemów klientów gminy na dzień: liczba rodzin albo natężenie 1–5 i trend",
        ),
        Registry(
            "resource_card",
            "Karta zasobów",
            ResourceEntry,
            ("terc", "as_of", "institution_id"),
            references=(("terc", "area"),),
            check=lambda w, k, a: check_resource_entry(w.record, k.network),
            about="karta zasobów gminy na dzień: instytucje, które jej służą (sektor: z rejestru instytucji)",
        ),
        Registry(
            "service",
            "Usługi",
            Service,
            about="lokalny koszyk usług: usługi instytucji, ich zasięg i obszary problemowe",
            references=(("area_terc", "area"),),
            check=lambda w, k, a: check_service(
                w.record, ServiceContext(k.refs["problem"], k.programme.institutions)
            ),
            permission=lambda a, r, k: access.require_edit_service(a, r.level, r.area_terc),
            scope="area_terc",
            provides="service",
            labels={
                "level": vocab.LEVELS,
                "category": vocab.SERVICE_CATEGORIES,
                "target_groups": vocab.TARGET_GROUPS,
                "problem_areas": vocab.PROBLEM_AREAS,
            },
        ),
        Registry(
            "case_file",
            "Sprawy",
            CaseFile,
            about="sprawy prowadzone pod kodem (bez danych osobowych) i ich kamienie milowe",
            references=((PROBLEMS_FIELD, "problem"),),
            check=lambda w, k, a: check_case_file(w.record, k.cases, w.problems),
            links=lambda rec, row: [
                CaseProblem(case_code=rec.case_code, problem_code=c) for c in row.problems
            ],
            link_table="case_problem",
            labels={
                "kind": vocab.CASE_KINDS,
                "contract_kind": vocab.CONTRACT_KINDS,
                "evaluation": vocab.EVALUATIONS,
                "closure_reason": vocab.CLOSURE_REASONS,
                PROBLEMS_FIELD: vocab.PROBLEM_AREAS,
            },
        ),
        Registry(
            "case_goal",
            "Cele spraw",
            CaseGoal,
            about="cele szczegółowe planu pracy sprawy",
            references=(("case_code", "case"),),
            permission=_edit_case,
            scope="case_code",
        ),
        Registry(
            "case_task",
            "Zadania spraw",
            CaseTask,
            about="zadania planu pracy: cel, realizator, termin, wykonanie",
            references=(("case_code", "case"), ("goal_id", "goal"), ("institution_id", "institution")),
            check=lambda w, k, a: check_case_task(w.record, k.cases),
            permission=_edit_case,
            scope="case_code",
        ),
        Registry(
            "monthly_report",
            "Sprawozdania miesięczne",
            MonthlyReport,
            ("task_id", "month"),
            about="miesięczne sprawozdania z postępu zadań",
            references=(("task_id", "task"),),
            check=lambda w, k, a: check_monthly_report(w.record, k.cases),
            permission=_edit_task,
            scope="task_id",
            labels={"progress": vocab.REPORT_PROGRESS},
        ),
        Registry(
            "case_service",
            "Usługi w sprawach",
            CaseService,
            references=(("case_code", "case"), ("service_id", "service")),
            permission=_edit_case,
            scope="case_code",
            keys=("case_code", "service_id"),
            about="usługi z koszyka przypisane do spraw: od kiedy, do kiedy",
        ),
        Registry(
            "meeting",
            "Spotkania",
            Meeting,
            references=(("terc", "area"), ("case_code", "case")),
            provides="meeting",
            labels={"kind": vocab.MEETING_KINDS},
            about="spotkania: z władzami, z instytucjami, PZK, GGK/ZZK, monitorujące, posiedzenia WZK",
        ),
        Registry(
            "meeting_attendee",
            "Uczestnicy spotkań",
            MeetingAttendee,
            references=(("meeting_id", "meeting"), ("institution_id", "institution")),
            permission=_admin,
            scope="meeting_id",
            keys=("meeting_id", "institution_id"),
            about="instytucje zaproszone na spotkania i data powiadomienia",
        ),
        Registry(
            "step_event",
            "Zdarzenia kroków",
            StepEvent,
            about="rozpoczęcia i zakończenia podkroków harmonogramu gmin (bez gminy: krok ROPS)",
            check=lambda w, k, a: check_step_event(w.record, k.programme, a),
            # a region-level event (no gmina) is the ROPS's own: admins only, as in the form
            permission=lambda a, r, k: (
                access.require_edit_gmina(a, r.terc) if r.terc else access.require_admin(a)
            ),
            labels={"kind": EVENT_KINDS},
        ),
        Registry(
            "wzk_member",
            "Członkowie WZK",
            WzkMember,
            references=(("institution_id", "institution"),),
            permission=_admin,
            scope="member_id",
            provides="member",
            about="skład Wojewódzkiego Zespołu Koordynującego: funkcja, instytucja, od kiedy, do kiedy",
        ),
        Registry(
            "wzk_attendance",
            "Obecność na WZK",
            WzkAttendance,
            references=(("meeting_id", "meeting"), ("member_id", "member")),
            permission=_admin,
            scope="meeting_id",
            keys=("meeting_id", "member_id"),
            about="obecność członków WZK na posiedzeniach",
        ),
        Registry(
            "recommendation",
            "Rekomendacje",
            Recommendation,
            references=(("meeting_id", "meeting"),),
            permission=_admin,
            scope="recommendation_id",
            labels={"kind": vocab.RECOMMENDATION_KINDS, "status": vocab.RECOMMENDATION_STATUSES},
            about="rekomendacje WZK: rodzaj, odpowiedzialny, status",
        ),
    )
}


BY_SHEET = {r.sheet.lower(): r for r in REGISTRIES.values()} | {t: r for t, r in REGISTRIES.items()}


def field_kind(model: type[Record], name: str) -> str:
    """'date', 'int', 'list', 'bool' or 'str': how a cell of this field is read."""
    if name == PROBLEMS_FIELD:
        return "list"
    for arg in _types(model, name):
        if arg is date:
            return "date"
        if arg is bool:
            return "bool"
        if arg is int:
            return "int"
        if typing.get_origin(arg) is list:
            return "list"
    return "str"


def _types(model: type[Record], name: str) -> list[Any]:
    """The field's types, Optional and Annotated unwrapped."""
    annotation = model.model_fields[name].annotation
    args = (
        typing.get_args(annotation)
        if isinstance(annotation, types.UnionType) or (typing.get_origin(annotation) is typing.Union)
        else (annotation,)
    )
    out = []
    for arg in args:
        if typing.get_origin(arg) is typing.Annotated:
            arg = typing.get_args(arg)[0]
        if arg is not type(None):
            out.append(arg)
    return out


def _literal(model: type[Record], name: str) -> tuple[str, ...]:
    for arg in _types(model, name):
        if typing.get_origin(arg) is typing.Literal:
            return typing.get_args(arg)
    return ()


def _terc_widths(model: type[Record], name: str) -> tuple[int, ...] | None:
    """The digit counts a TERC-like field takes (terc, seat_terc, area_terc…), None for other fields."""
    if name != "terc" and not name.endswith("_terc"):
        return None
    patterns = " ".join(str(getattr(m, "pattern", "")) for m in model.model_fields[name].metadata)
    if "{2}" in patterns:
        return (2, 4, 7)
    return (4,) if patterns.startswith("^[0-9]{4}$") else (7,)


@dataclass(frozen=True)
class Column:
    """How one field travels: its kind, its codes with their labels (strict: only these codes exist),
    and for a TERC-like field the digit counts it may have."""

    name: str
    header: str
    kind: str
    codes: Codes | None = None
    strict: bool = False
    terc: tuple[int, ...] | None = None

    def read(self, value: Any) -> tuple[Any, str | None]:
        """(the cell as the field's value, a hint of what was repaired or None); ValueError in Polish."""
        if isinstance(value, UnreadCell):
            raise ValueError(value.reason)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            return ([] if self.kind == "list" else None), None
        if self.terc:
            value = terc_text(value, self.terc)
            if isinstance(value, Padded):
                return value.value, f"uzupełniono zero na początku kodu TERC: {value.read} → {value.value}"
        if self.kind == "list":
            items = [p.strip() for p in str(plain_text(value)).split(LIST_SEPARATOR) if p.strip()]
            return [self._code(p) for p in items], None
        if self.codes is not None:
            return self._code(plain_text(value)), None
        return to_value(self.kind, self.name, value), None

    def _code(self, value: Any) -> Any:
        if self.codes is None:
            return value
        try:
            return self.codes.code(value)
        except ValueError:
            if self.strict:
                raise
            return value  # an open vocabulary: the record or the form's check says what is wrong

    def cell(self, value: Any) -> Any:
        """A warehouse value as an export cell: labels for codes, "tak"/"nie", lists joined by "; "."""
        if isinstance(value, (list, tuple)):
            shown = [self.codes.label(v) if self.codes else v for v in value]
            return f"{LIST_SEPARATOR} ".join(str(v) for v in shown) or None
        if isinstance(value, bool):
            return "tak" if value else "nie"
        if self.codes is not None and value is not None:
            return self.codes.label(value)
        return value

    def choices(self) -> list[str]:
        """What the export's drop-down offers: the labels, or tak/nie."""
        if self.kind == "bool":
            return ["tak", "nie"]
        return list(self.codes.labels.values()) if self.codes and self.kind != "list" else []


def _column(reg: Registry, name: str, header: str) -> Column:
    kind = field_kind(reg.model, name)
    allowed = () if name == PROBLEMS_FIELD else _literal(reg.model, name)
    labels = reg.labels.get(name) or ({v: v for v in allowed} if allowed else None)
    codes = Codes(labels) if labels else None
    widths = None if name == PROBLEMS_FIELD else _terc_widths(reg.model, name)
    return Column(name, header, kind, codes, strict=bool(allowed), terc=widths)


_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_YMD = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")


def parse_date(value: Any) -> date:
    """A cell as a date: an Excel date, an Excel day number, dd.mm.rrrr, d.m.rrrr or rrrr-mm-dd (a time
    after it, as LibreOffice's CSV writes, is ignored).

    >>> parse_date("05.03.2026"), parse_date("2026-03-05"), parse_date("5.3.2026 00:00:00")
    (datetime.date(2026, 3, 5), datetime.date(2026, 3, 5), datetime.date(2026, 3, 5))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (OverflowError, ValueError):  # 1e20, inf, nan: no calendar day has that number
            raise ValueError(f"liczba {value} jest poza zakresem dat (oczekiwano dd.mm.rrrr)") from None
    text = str(value).strip()
    if re.fullmatch(r"\d{5}", text):  # an Excel day number stored as text
        return parse_date(int(text))
    day = text.split(" ")[0].split("T")[0]
    found = _DMY.fullmatch(day)
    parts = (found.group(3), found.group(2), found.group(1)) if found else None
    found = _YMD.fullmatch(day) if parts is None else None
    parts = (found.group(1), found.group(2), found.group(3)) if found else parts
    if parts is None:
        raise ValueError(f"niepoprawna data „{text}” (oczekiwano dd.mm.rrrr)")
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError(f"nie ma takiego dnia: {text}") from None


@dataclass(frozen=True)
class UnreadCell:
    """An XLSX cell with no value to import: a formula saved without its result, or an error (#N/A)."""

    shown: str  # what the report shows in „Wartość”
    reason: str

    def __str__(self) -> str:
        return self.shown


def to_value(kind: str, name: str, value: Any) -> Any:
    """A cell (openpyxl value or CSV text) as the field's Python value; raises ValueError in Polish."""
    if isinstance(value, UnreadCell):
        raise ValueError(value.reason)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return [] if kind == "list" else None
    if kind == "date":
        return parse_date(value)
    if kind == "int":
        return integer(value)
    if kind == "list":
        return [p.strip() for p in str(value).split(LIST_SEPARATOR) if p.strip()]
    if kind == "bool":
        return boolean(value)
    if isinstance(value, (datetime, date)):
        return f"{value:%d.%m.%Y}"
    return plain_text(value)


def to_cell(value: Any) -> Any:
    """A warehouse value as an export cell: lists joined with "; ", the rest as is."""
    if isinstance(value, (list, tuple)):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value) or None
    return value


@dataclass(frozen=True)
class RowError:
    """One problem of one row (row 0: the sheet as a whole)."""

    sheet: str
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ParsedRow:
    row: int
    record: Record
    problems: list[str] = field(default_factory=list)  # case_file: problem area codes


@dataclass
class ParsedSheet:
    registry: Registry
    sheet: str
    rows: list[ParsedRow] = field(default_factory=list)
    raw: dict[int, dict[str, Any]] = field(default_factory=dict)  # row → header → cell, for reports
    total: int = 0
    hints: list[RowError] = field(default_factory=list)  # what was repaired (a TERC's lost zero)
    fields: set[str] = field(default_factory=set)  # the fields the sheet has a column for


@dataclass(frozen=True)
class Stamp:
    """Which warehouse a file was exported from and how far its audit trail reached then: a row the
    trail shows changed later is stale. A file without one (a CSV) is compared field by field only."""

    installation: str
    audit_id: int
    at: datetime | None = None

    PREFIX: typing.ClassVar[str] = "kooperacja-eksport"

    def text(self) -> str:
        at = f"{self.at:%Y-%m-%dT%H:%M:%S}" if self.at else ""
        return f"{self.PREFIX}/{self.installation}/{self.audit_id}/{at}"

    @classmethod
    def read(cls, value: Any) -> Stamp | None:
        """The stamp in an export's Instrukcja sheet, or None when the cell holds something else.

        >>> Stamp.read(Stamp("ab12", 7, datetime(2026, 12, 1, 9, 30)).text())
        Stamp(installation='ab12', audit_id=7, at=datetime.datetime(2026, 12, 1, 9, 30))
        """
        parts = str(value or "").strip().split("/")
        if len(parts) != 4 or parts[0] != cls.PREFIX or not parts[2].isdigit():
            return None
        try:
            at = datetime.fromisoformat(parts[3]) if parts[3] else None
        except ValueError:
            at = None
        return cls(parts[1], int(parts[2]), at)


@dataclass(frozen=True)
class Change:
    """One changed cell of a row whose key is in the warehouse: what it holds there and in the file."""

    sheet: str
    row: int
    key: str
    column: str
    before: str
    after: str


@dataclass
class Update:
    """A row of the file that changes a stored one: the validated new record, the stored row (with its
    row_version when the table has one) and the changed cells."""

    row: ParsedRow
    record: Record
    stored: dict[str, Any]
    changes: list[Change]


@dataclass
class SheetPlan:
    """What writing a sheet would do: rows to insert, rows to update, rows already as in the file."""

    new: list[ParsedRow] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0

    def line(self, sheet: str) -> str:
        return (
            f"{sheet}: {plural(len(self.new), 'nowy', 'nowe', 'nowych')}, "
            f"{plural(len(self.updates), 'zmieniony', 'zmienione', 'zmienionych')}, "
            f"{fmt_number(self.unchanged)} bez zmian"
        )


def errors_count(n: int) -> str:
    return plural(n, "błąd", "błędy", "błędów")


@dataclass
class ParsedImport:
    """What a file holds: valid-looking rows per sheet and every row-level error found so far; once
    checked against the warehouse (`check_import`), what writing it would do (`plans`, by sheet)."""

    filename: str
    sheets: list[ParsedSheet]
    errors: list[RowError] = field(default_factory=list)
    stamp: Stamp | None = None
    plans: dict[str, SheetPlan] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sheets)

    @property
    def hints(self) -> list[RowError]:
        """What was repaired while reading (a TERC's lost zero), by sheet and row."""
        return [h for s in self.sheets for h in s.hints]

    @property
    def to_write(self) -> int:
        """Rows writing the file would insert or change (0 before `check_import`)."""
        return sum(len(p.new) + len(p.updates) for p in self.plans.values())

    def bad_rows(self) -> set[tuple[str, int]]:
        return {(e.sheet, e.row) for e in self.errors}

    def report(self) -> pd.DataFrame:
        """Errors first (by sheet and row), then one line per sheet with its count of good rows."""
        bad = self.bad_rows()
        lines: list[tuple[str, int | None, str, str, str]] = [
            (e.sheet, e.row, e.column, e.value, e.reason) for e in self.errors
        ]
        lines += [(h.sheet, h.row, h.column, h.value, f"poprawiono: {h.reason}") for h in self.hints]
        for s in self.sheets:
            good = s.total - len({r for sh, r in bad if sh == s.sheet})
            lines.append((s.sheet, None, "", "", f"poprawnych wierszy: {good} z {s.total}"))
        return pd.DataFrame(lines, columns=["Arkusz", "Wiersz", "Kolumna", "Wartość", "Powód"])

    def changes(self) -> pd.DataFrame:
        """Every changed cell of the rows that update stored ones: before → after."""
        rows = [
            (c.sheet, c.row, c.key, c.column, c.before, c.after)
            for plan in self.plans.values()
            for u in plan.updates
            for c in u.changes
        ]
        return pd.DataFrame(rows, columns=["Arkusz", "Wiersz", "Klucz", "Kolumna", "Przed", "Po"])

    def summary(self) -> list[str]:
        """Per sheet: "N nowych, M zmienionych, K bez zmian" once checked (else the rows read), and
        the rows with errors."""
        bad = self.bad_rows()
        out = []
        for s in self.sheets:
            wrong = len({r for sh, r in bad if sh == s.sheet})
            plan = self.plans.get(s.sheet)
            head = (
                plan.line(s.sheet)
                if plan
                else f"{s.sheet}: {plural(s.total, 'wiersz', 'wiersze', 'wierszy')}"
            )
            out.append(
                head + (f"; z błędami: {plural(wrong, 'wiersz', 'wiersze', 'wierszy')}" if wrong else "")
            )
        return out


@dataclass
class ImportResult:
    written: dict[str, int]
    errors: list[RowError]
    mode: str
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def total_written(self) -> int:
        return sum(self.written.values()) + sum(self.updated.values())

    def lines(self) -> list[str]:
        tables = list(dict.fromkeys([*self.written, *self.updated]))
        out = []
        for t in tables:
            new, changed = self.written.get(t, 0), self.updated.get(t, 0)
            if new or changed:
                added = plural(new, "nowy wiersz", "nowe wiersze", "nowych wierszy")
                out.append(
                    f"{REGISTRIES[t].sheet}: zapisano {added}, "
                    f"zmieniono {plural(changed, 'wiersz', 'wiersze', 'wierszy')}"
                )
        if self.errors and not self.total_written:
            out.append(f"Nic nie zapisano: {errors_count(len(self.errors))} w pliku.")
        elif self.errors:
            out.append(f"Pominięto wiersze z błędami ({errors_count(len(self.errors))}).")
        elif not self.total_written:
            out.append("Nic nie zapisano: plik nie zmienia niczego w hurtowni.")
        return out
