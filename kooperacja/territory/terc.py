"""The TERYT TERC register: parsing the official CSV/XML and importing it into the warehouse."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import row_tuples
from kooperacja.model.records import Gmina
from kooperacja.model.vocab import GMINA_KINDS
from kooperacja.warehouse import audit, fetch_dicts, ident, to_json, transaction

COLUMNS = ("WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA")
PART_KINDS = {"4", "5", "8", "9"}  # town/rural part of a gmina, Warszawa districts, delegatury
MAX_PROBLEMS = 30
# Every column holding a gmina's 7-digit TERC: renumbered when GUS changes the gmina's type.
TERC_REFERENCES = (
    ("pilot_gmina", "terc"), ("plan_shift", "terc"), ("step_event", "terc"), ("zgloszenie", "terc"),
    ("institution", "seat_terc"), ("pzk_member", "terc"), ("meeting", "terc"), ("case_file", "terc"),
    ("service", "area_terc"), ("pilot_exit", "terc"),
)  # fmt: skip
NOT_TERC = (
    "Plik nie jest rejestrem TERC. Pobierz z serwisu eteryt.stat.gov.pl katalog TERC "
    "(wersja urzędowa) jako CSV albo XML."
)


@dataclass(frozen=True)
class RawRow:
    where: str
    values: dict[str, str]


@dataclass
class TercRegister:
    """Units of one TERC register (optionally one województwo); gmina parts are only counted."""

    wojewodztwa: dict[str, str] = field(default_factory=dict)
    powiaty: dict[str, tuple[str, bool]] = field(default_factory=dict)
    gminy: list[Gmina] = field(default_factory=list)
    skipped: int = 0


@dataclass
class ImportSummary:
    wojewodztwa: int = 0
    powiaty: int = 0
    gminy_by_kind: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    new: int = 0
    renamed: int = 0
    type_changed: int = 0
    changes: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    pilot_retyped: list[str] = field(default_factory=list)  # pilot gminy of a new type: check the variant

    def lines(self) -> list[str]:
        """The summary as Polish lines to print or show."""
        kinds = ", ".join(f"{kind} {self.gminy_by_kind.get(kind, 0)}" for kind in GMINA_KINDS.values())
        out = [
            f"Województwa: {self.wojewodztwa}",
            f"Powiaty: {self.powiaty}",
            f"Gminy: {sum(self.gminy_by_kind.values())} ({kinds})",
            f"Pominięte części gmin (miasto/obszar wiejski, dzielnice, delegatury): {self.skipped}",
            f"Nowe gminy: {self.new}",
            f"Zmienione nazwy gmin: {self.renamed}",
            f"Zmieniony rodzaj gminy (nowy kod TERC): {self.type_changed}",
        ]
        out += [f"  {change}" for change in self.changes]
        if self.pilot_retyped:
            out.append(
                "Gminy pilotażowe o zmienionym rodzaju — sprawdź ich wariant modelu "
                f"(Wprowadzanie danych → Gminy w pilotażu): {', '.join(self.pilot_retyped)}"
            )
        if self.absent:
            out.append(f"Gminy nieobecne w nowym rejestrze (zachowane w hurtowni): {len(self.absent)}")
            out += [f"  {gmina}" for gmina in self.absent]
        return out


def _decode(data: bytes) -> str:
    if not data.strip():
        raise InvalidInput(["Plik TERC jest pusty."])
    if b"\x00" in data[:4096]:
        raise InvalidInput([NOT_TERC + " (plik binarny)"])
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput([NOT_TERC + " (nieznane kodowanie znaków)"])


def _csv_rows(text: str) -> list[RawRow]:
    lines = text.splitlines()
    header = [h.strip().strip('"').upper() for h in lines[0].split(";")]
    missing = [c for c in COLUMNS if c not in header]
    if len(missing) > 3:
        raise InvalidInput([NOT_TERC])
    if missing:
        raise InvalidInput(
            [f"Plik TERC: brak kolumn {', '.join(missing)} w nagłówku (oczekiwano: {';'.join(COLUMNS)})."]
        )
    rows, problems = [], []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = [c.strip().strip('"') for c in line.split(";")]
        if len(cells) != len(header):
            problems.append(f"Wiersz {n}: {len(cells)} kolumn zamiast {len(header)}")
            continue
        rows.append(RawRow(f"Wiersz {n}", dict(zip(header, cells, strict=True))))
    if problems:
        raise InvalidInput(problems[:MAX_PROBLEMS])
    return rows


def _xml_rows(text: str) -> list[RawRow]:
    # User input: refuse DTDs outright, so no entity can expand (billion laughs, external files).
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise InvalidInput(
            [
                "Plik XML zawiera deklarację DOCTYPE/ENTITY — ze względów bezpieczeństwa "
                "nie jest wczytywany. Użyj pliku TERC pobranego z eteryt.stat.gov.pl."
            ]
        )
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise InvalidInput([f"Plik XML jest uszkodzony: {exc}"]) from None
    catalog = root.find("catalog")
    if root.tag != "teryt" or catalog is None:
        raise InvalidInput([NOT_TERC])
    if catalog.get("name", "TERC").upper() != "TERC":
        raise InvalidInput([f"To katalog {catalog.get('name')}, nie TERC. " + NOT_TERC])
    rows = []
    for n, row in enumerate(catalog.iter("row"), start=1):
        values = {c: (row.findtext(c) or "").strip() for c in COLUMNS}
        rows.append(RawRow(f"Wiersz {n} (element <row>)", values))
    return rows


def _check_codes(row: RawRow) -> list[str]:
    v, problems = row.values, []
    patterns = {"WOJ": r"[0-9]{2}", "POW": r"([0-9]{2})?", "GMI": r"([0-9]{2})?", "RODZ": r"[1-589]?"}
    for column, pattern in patterns.items():
        if not re.fullmatch(pattern, v[column]):
            problems.append(f"{row.where}: kolumna {column} — nieznana wartość {v[column]!r}")
    if not problems and bool(v["GMI"]) != bool(v["RODZ"]):
        problems.append(f"{row.where}: kolumny GMI i RODZ muszą być obie wypełnione albo obie puste")
    if not problems and v["GMI"] and not v["POW"]:
        problems.append(f"{row.where}: kolumna POW — pusta przy wypełnionej kolumnie GMI")
    if not v["NAZWA"]:
        problems.append(f"{row.where}: kolumna NAZWA — pusta")
    return problems


def _register_date(row: RawRow) -> date | None:
    text = row.values["STAN_NA"]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput([f"{row.where}: kolumna STAN_NA — niepoprawna data {text!r}"]) from None


def _add_row(register: TercRegister, row: RawRow) -> None:
    v = row.values
    if not v["POW"]:
        register.wojewodztwa[v["WOJ"]] = v["NAZWA"]
    elif not v["GMI"]:
        register.powiaty[v["WOJ"] + v["POW"]] = (v["NAZWA"], "na prawach powiatu" in v["NAZWA_DOD"])
    elif v["RODZ"] in PART_KINDS:
        register.skipped += 1
    else:
        register.gminy.append(
            Gmina.parse(
                {
                    "terc": v["WOJ"] + v["POW"] + v["GMI"] + v["RODZ"],
                    "name": v["NAZWA"],
                    "kind": GMINA_KINDS[int(v["RODZ"])],
                    "register_date": _register_date(row),
                }
            )
        )


def _check_whole(register: TercRegister, wheres: dict[str, str]) -> list[str]:
    problems, seen = [], set()
    for gmina in register.gminy:
        where = wheres[gmina.terc]
        if gmina.terc[:6] in seen:
            problems.append(f"{where}: gmina {gmina.terc[:6]} występuje w rejestrze dwa razy")
        seen.add(gmina.terc[:6])
        if gmina.terc[:4] not in register.powiaty:
            problems.append(f"{where}: brak powiatu {gmina.terc[:4]} dla gminy {gmina.name}")
    problems += [
        f"Brak województwa {terc[:2]} dla powiatu {terc}"
        for terc in register.powiaty
        if terc[:2] not in register.wojewodztwa
    ]
    return problems


def parse_terc(data: bytes, woj: str | None = None) -> TercRegister:
    """The units of a TERC register given as the official CSV or XML (detected by content).

    `woj` keeps one województwo only (e.g. "04"). Every bad row is reported with its number;
    nothing is returned until the whole file passes.
    """
    if woj is not None and not re.fullmatch(r"[0-9]{2}", woj):
        raise InvalidInput([f"Kod województwa: oczekiwano dwóch cyfr (np. 04), podano {woj!r}"])
    text = _decode(data)
    rows = _xml_rows(text) if text.lstrip().startswith("<") else _csv_rows(text)
    register, problems, wheres = TercRegister(), [], dict[str, str]()
    for row in rows:
        if woj is not None and row.values["WOJ"] != woj:
            continue
        row_problems = _check_codes(row)
        if not row_problems:
            try:
                _add_row(register, row)
            except InvalidInput as exc:
                row_problems = [p if p.startswith(row.where) else f"{row.where}: {p}" for p in exc.problems]
        problems += row_problems
        wheres.setdefault("".join(row.values[c] for c in COLUMNS[:4]), row.where)
    if not problems:
        problems = _check_whole(register, wheres)
    if not problems and not register.gminy:
        problems = [f"W rejestrze nie ma województwa {woj}." if woj else NOT_TERC + " (brak gmin)"]
    if problems:
        extra = len(problems) - MAX_PROBLEMS
        raise InvalidInput(problems[:MAX_PROBLEMS] + ([f"… i {extra} innych błędów"] if extra > 0 else []))
    return register


def import_terc(
    conn: duckdb.DuckDBPyConnection, data: bytes, woj: str | None, username: str
) -> ImportSummary:
    """Write the register's województwa, powiaty and gminy in one transaction; returns what changed.

    A gmina is identified by the first 6 digits of its TERC: when GUS changes its type, the 7th
    digit changes and every table holding the old code follows. Gminy missing from the new
    register are kept and reported.
    """
    register = parse_terc(data, woj)
    summary = ImportSummary(
        wojewodztwa=len(register.wojewodztwa), powiaty=len(register.powiaty), skipped=register.skipped
    )
    for gmina in register.gminy:
        summary.gminy_by_kind[gmina.kind] = summary.gminy_by_kind.get(gmina.kind, 0) + 1
    with transaction(conn) as cur:
        _upsert_areas(cur, register, username)
        _write_gminy(cur, register, woj, username, summary)
    return summary


def _bulk_audit(cur: duckdb.DuckDBPyConnection, log: pd.DataFrame) -> None:
    if log.empty:
        return
    cur.register("_terc_log", log)
    cur.execute(
        "INSERT INTO audit_log (username, action, table_name, record_key, terc, before, after) "
        "SELECT username, action, table_name, record_key, terc, before, after FROM _terc_log"
    )
    cur.unregister("_terc_log")


def _log(username: str, table: str, changed: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Audit rows for upserted records: insert when `old_name` is missing, else update."""
    is_new = changed["old_name"].isna()
    return pd.DataFrame(
        {
            "username": username,
            "action": is_new.map({True: "insert", False: "update"}),
            "table_name": table,
            "record_key": changed["terc"],
            "terc": changed["terc"] if table == "gmina" else None,
            "before": [
                None if new else to_json({"name": old})
                for new, old in zip(is_new, changed["old_name"], strict=True)
            ],
            "after": [to_json(row) for row in changed[cols].to_dict("records")],
        }
    )


def _upsert(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, username: str) -> None:
    cols = list(frame.columns)
    old = cur.execute(f"SELECT terc, name AS old_name FROM {ident(table)}").df()
    merged = frame.merge(old, on="terc", how="left")
    changed = merged[merged["old_name"].isna() | (merged["old_name"] != merged["name"])]
    sets = ", ".join(f"{ident(c)} = excluded.{ident(c)}" for c in cols if c != "terc")
    cur.register("_terc_rows", frame)
    names = ", ".join(map(ident, cols))
    cur.execute(
        f"INSERT INTO {ident(table)} ({names}) SELECT {names} FROM _terc_rows "
        f"ON CONFLICT (terc) DO UPDATE SET {sets}"
    )
    cur.unregister("_terc_rows")
    _bulk_audit(cur, _log(username, table, changed, cols))


def _upsert_areas(cur: duckdb.DuckDBPyConnection, register: TercRegister, username: str) -> None:
    woj = pd.DataFrame({"terc": list(register.wojewodztwa), "name": list(register.wojewodztwa.values())})
    pow_ = pd.DataFrame(
        [(t, n, c) for t, (n, c) in register.powiaty.items()], columns=["terc", "name", "is_city"]
    )
    _upsert(cur, "wojewodztwo", woj, username)
    _upsert(cur, "powiat", pow_, username)


def _write_gminy(
    cur: duckdb.DuckDBPyConnection,
    register: TercRegister,
    woj: str | None,
    username: str,
    summary: ImportSummary,
) -> None:
    new = pd.DataFrame(
        [g.model_dump(include={"terc", "name", "kind", "register_date"}) for g in register.gminy]
    )
    new["prefix"] = new["terc"].str[:6]
    old = cur.execute(
        "SELECT terc AS old_terc, name AS old_name, left(terc, 6) AS prefix FROM gmina "
        "WHERE ? IS NULL OR starts_with(terc, ?)",
        [woj, woj],
    ).df()
    doubled = old[old["prefix"].duplicated()]["prefix"].tolist()
    if doubled:
        raise InvalidInput(
            [f"W hurtowni jest kilka gmin o kodzie {p}: popraw je przed importem" for p in doubled]
        )
    merged = new.merge(old, on="prefix", how="outer", indicator=True)
    both = merged[merged["_merge"] == "both"]
    retyped = both[both["terc"] != both["old_terc"]]
    for row in row_tuples(retyped, index=False):
        _renumber(cur, row.old_terc, row.terc, row.kind, username)
        summary.changes.append(f"{row.name}: {row.old_terc} → {row.terc} ({row.kind})")
        if cur.execute("SELECT count(*) FROM pilot_gmina WHERE terc = ?", [row.terc]).fetchall()[0][0]:
            summary.pilot_retyped.append(row.name)
    _upsert(cur, "gmina", new.drop(columns="prefix"), username)
    summary.new = int((merged["_merge"] == "left_only").sum())
    summary.renamed = int((both["name"] != both["old_name"]).sum())
    summary.type_changed = len(retyped)
    gone = merged[merged["_merge"] == "right_only"]
    summary.absent = [f"{t} {n}" for t, n in zip(gone["old_terc"], gone["old_name"], strict=True)]


def _renumber(cur: duckdb.DuckDBPyConnection, old: str, new: str, kind: str, username: str) -> None:
    """Move a gmina and every row referring to it from its old TERC to the new one."""
    before = fetch_dicts(cur, "SELECT * FROM gmina WHERE terc = ?", [old])[0]
    cur.execute("UPDATE gmina SET terc = ?, kind = ? WHERE terc = ?", [new, kind, old])
    moved = {}
    for table, column in TERC_REFERENCES:
        col = ident(column)
        count = cur.execute(f"UPDATE {ident(table)} SET {col} = ? WHERE {col} = ?", [new, old]).fetchall()
        moved[f"{table}.{column}"] = count[0][0] if count else 0
        if moved[f"{table}.{column}"]:
            after = {column: new, "rows": moved[f"{table}.{column}"]}
            audit(cur, username, "update", table, f"{column}={old}", {column: old}, after, new)
    after = {**before, "terc": new, "kind": kind, "moved_rows": moved}
    audit(cur, username, "update", "gmina", new, before, after, new)
