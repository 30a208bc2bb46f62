"""Backups of the warehouse: a zipped parquet export with a manifest, restore, verify and rotation."""

from __future__ import annotations

import functools
import json
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from kooperacja import warehouse
from kooperacja.model.errors import KooperacjaError

MANIFEST = "manifest.json"
FORMAT = "kooperacja-backup/1"
MADE_BY = "Kooperacja"  # the manifest's "made_by": rotation deletes only files that say this

# The kinds of backup, each with its own file name and its own rotation. LEGACY: the dated names of
# earlier versions (kooperacja-RRRR-MM-DD-GGMM.zip, a manifest without "kind"), listed, restorable,
# rotated only among themselves.
DAILY, MANUAL, LEGACY = "daily", "manual", "legacy"
KINDS = (DAILY, MANUAL, LEGACY)
_NAMES = {
    DAILY: re.compile(r"kooperacja-daily-(\d{4}-\d{2}-\d{2})\.zip"),
    MANUAL: re.compile(r"kooperacja-manual-(\d{4}-\d{2}-\d{2}-\d{6})\.zip"),
    LEGACY: re.compile(r"kooperacja-(\d{4}-\d{2}-\d{2}-\d{4})\.zip"),
}
_STAMPS = {DAILY: "%Y-%m-%d", MANUAL: "%Y-%m-%d-%H%M%S", LEGACY: "%Y-%m-%d-%H%M"}
_COPY = re.compile(r"COPY\s+\"?([a-z_][a-z0-9_]*)\"?\s+FROM\s+'([^']+)'", re.IGNORECASE)


class BackupError(KooperacjaError):
    title = "Kopia zapasowa"


# The free space a backup asks for, per disk: the warehouse file and its WAL (the export in the temp
# folder, then the zip, each at most about that size; CHECKPOINT writes the WAL into the file) times this.
SPACE_MARGIN = 2.0
SPACE_FLOOR = 16 * 2**20  # bytes: a nearly empty warehouse still needs room for its files


def _db_file(cur: duckdb.DuckDBPyConnection) -> Path | None:
    rows = cur.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    return Path(rows[0][0]) if rows and rows[0][0] else None


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f}".replace(",", " ")


def check_space(db: Path | None, target: Path) -> None:
    """Refuse (BackupError) unless every disk a backup writes to has room for it.

    A CHECKPOINT on a full disk makes DuckDB invalidate the open database until the app restarts,
    so this runs before it. Example: a 300 MB file with a 20 MB WAL asks for 640 MB free.
    """
    size = 0
    if db is not None:
        size = sum(p.stat().st_size for p in (db, Path(f"{db}.wal")) if p.exists())
    need = max(size * SPACE_MARGIN, SPACE_FLOOR)
    places = [Path(tempfile.gettempdir()), target.parent] + ([db.parent] if db is not None else [])
    seen: set[int] = set()
    for place in places:
        while not place.exists() and place != place.parent:
            place = place.parent
        device = place.stat().st_dev
        if device in seen:
            continue
        seen.add(device)
        free = shutil.disk_usage(place).free
        if free < need:
            raise BackupError(
                f"Za mało miejsca na dysku na kopię zapasową: w {place} wolne {_mb(free)} MB, potrzeba "
                f"około {_mb(need)} MB (hurtownia ma {_mb(size)} MB). Kopii nie zrobiono, dane są "
                "nienaruszone — zwolnij miejsce na dysku i spróbuj ponownie."
            )


def backup(conn: duckdb.DuckDBPyConnection, target: Path, kind: str = MANUAL) -> dict:
    """Write a consistent snapshot of the whole warehouse to one zip file; returns its manifest.

    Runs inside the process holding the warehouse (the app or the CLI), so it works while the
    app is running. The manifest says who made it and of which kind (`daily` or `manual`).
    """
    if kind not in (DAILY, MANUAL):
        raise ValueError(f"unknown backup kind {kind!r}")
    target = Path(target)
    cur = conn.cursor()
    try:
        check_space(_db_file(cur), target)
        try:
            cur.execute("CHECKPOINT")
        except duckdb.FatalException:
            raise  # the database is invalidated: the app must reopen it (kooperacja.ui.errors)
        except duckdb.Error:  # other sessions busy: the export is consistent anyway
            pass
        with tempfile.TemporaryDirectory(prefix="kooperacja-backup-") as tmp:
            export = Path(tmp) / "export"
            cur.execute(f"EXPORT DATABASE '{_quote(export)}' (FORMAT parquet)")
            files = _exported_files(export)
            counts = {t: _parquet_rows(cur, export / f) for t, f in files.items()}
            manifest = {
                "format": FORMAT,
                "made_by": MADE_BY,
                "kind": kind,
                "created_at": datetime.now().isoformat(timespec="seconds"),
                "schema_version": warehouse.schema_version(cur),
                "duckdb": duckdb.__version__,
                "files": files,
                "counts": counts,
            }
            _zip(export, manifest, target)
    except (OSError, duckdb.IOException) as exc:
        if warehouse.no_space(exc):
            raise BackupError(
                "Zabrakło miejsca na dysku podczas kopii zapasowej. Kopii nie zrobiono, dane są "
                "nienaruszone — zwolnij miejsce na dysku i spróbuj ponownie."
            ) from exc
        raise BackupError(
            "Kopia zapasowa nie powiodła się: błąd zapisu pliku (brak dostępu do folderu kopii albo "
            "błąd dysku). Dane są nienaruszone; szczegóły są w dzienniku aplikacji."
        ) from exc
    finally:
        cur.close()
    return manifest


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _exported_files(export: Path) -> dict[str, str]:
    """Table → parquet file name, read from the export's load.sql."""
    load = (export / "load.sql").read_text(encoding="utf-8")
    return {table: Path(path).name for table, path in _COPY.findall(load)}


def _parquet_rows(cur: duckdb.DuckDBPyConnection, file: Path) -> int:
    return cur.execute(f"SELECT count(*) FROM read_parquet('{_quote(file)}')").fetchall()[0][0]


def _zip(export: Path, manifest: dict, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            zf.write(export / "schema.sql", "schema.sql")
            for name in manifest["files"].values():
                zf.write(export / name, name)
    except BaseException:
        partial.unlink(missing_ok=True)  # a full disk must not keep a half-written .part
        raise
    partial.replace(target)  # never leave a half-written backup under the real name


def read_manifest(source: Path) -> dict:
    """The manifest of a backup file, or BackupError when it is not a readable Kooperacja backup."""
    try:
        with zipfile.ZipFile(source) as zf:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except FileNotFoundError:
        raise BackupError(f"Nie ma pliku kopii {source}.") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BackupError(
            f"Plik {source} nie jest kopią zapasową Kooperacji albo jest uszkodzony ({type(exc).__name__})."
        ) from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(f"Plik {source}: nieznany format kopii ({manifest.get('format')!r}).")
    return manifest


def restore(source: Path, target_db: Path, *, force: bool = False) -> dict[str, int]:
    """Rebuild a warehouse file from a backup; returns its table counts.

    Refuses to overwrite an existing warehouse unless `force`; the new file replaces the old
    one only once it is complete. A backup holding anything the migrations do not create (a macro,
    a view, an extra table or type, a statement that is not a plain CREATE) is refused before the
    existing warehouse is opened.
    """
    source, target_db = Path(source), Path(target_db)
    if target_db.exists() and not force:
        raise BackupError(
            f"Plik {target_db} już istnieje. Aby go zastąpić kopią, użyj --force "
            "(najpierw zrób kopię obecnego stanu)."
        )
    manifest = read_manifest(source)
    check_contents(source, manifest)
    if target_db.exists():
        warehouse.connect(target_db, upgrade=False).close()  # refuses while the app holds it
    target_db.parent.mkdir(parents=True, exist_ok=True)
    partial = target_db.with_name(target_db.name + ".restoring")
    partial.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="kooperacja-restore-") as tmp:
        _extract(source, manifest, Path(tmp))
        counts = _load(Path(tmp), manifest, partial)
    Path(f"{partial}.wal").unlink(missing_ok=True)
    Path(f"{target_db}.wal").unlink(missing_ok=True)  # a stale log must not replay onto the copy
    partial.replace(target_db)
    return counts


# The catalog objects a backup may hold: what some version of the migrations creates, by kind.
_CATALOG = {
    "TABLE": "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()",
    "VIEW": "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database()",
    "SEQUENCE": "SELECT sequence_name FROM duckdb_sequences() WHERE database_name = current_database()",
    "INDEX": "SELECT index_name FROM duckdb_indexes() WHERE database_name = current_database()",
    "MACRO": "SELECT function_name FROM duckdb_functions() WHERE NOT internal "
    "AND database_name = current_database()",
    "TYPE": "SELECT type_name FROM duckdb_types() WHERE NOT internal AND database_name = current_database()",
    "SCHEMA": "SELECT schema_name FROM duckdb_schemas() WHERE NOT internal "
    "AND database_name = current_database()",
}  # fmt: skip


def _catalog(conn: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    return {kind: {r[0].lower() for r in conn.execute(sql).fetchall()} for kind, sql in _CATALOG.items()}


@functools.cache
def expected_objects() -> dict[str, frozenset[str]]:
    """Kind → names of every object the warehouse's migrations create, over all their versions.

    >>> sorted(expected_objects()["TABLE"])[:3]
    ['alert_explanation', 'app_user', 'audit_log']
    >>> expected_objects()["MACRO"]
    frozenset()
    """
    found: dict[str, set[str]] = {kind: set() for kind in _CATALOG}
    conn = duckdb.connect(":memory:", config=warehouse.DUCKDB_CONFIG)
    try:
        for version, _, _ in warehouse.migrations():
            warehouse.migrate(conn, version)
            for kind, names in _catalog(conn).items():
                found[kind] |= names
    finally:
        conn.close()
    return {kind: frozenset(names) for kind, names in found.items()}


def _unexpected(kind: str, name: str) -> BackupError:
    return BackupError(f"Kopia zawiera nieoczekiwany obiekt: {kind} {name}. Odmowa odtworzenia.")


_NAME = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_CREATE = re.compile(
    r"CREATE\s+(?P<mods>(?:OR\s+REPLACE\s+|TEMP\s+|TEMPORARY\s+|PERSISTENT\s+|UNIQUE\s+)*)"
    r"(?P<kind>[A-Za-z]+)\s+(?P<exists>IF\s+NOT\s+EXISTS\s+)?"
    rf"(?P<name>{_NAME}(?:\s*\.\s*{_NAME})*)(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_INDEX_ON = re.compile(rf"\s*ON\s+(?P<table>{_NAME})\s*\(", re.IGNORECASE)
_LOAD_COPY = re.compile(
    rf"COPY\s+(?P<table>{_NAME})\s+FROM\s+'(?P<file>[^']*)'\s*(?:\(\s*FORMAT\s+'?parquet'?\s*\))?\s*;?",
    re.IGNORECASE,
)
_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)
_TRAILING = re.compile(r"(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*\Z", re.DOTALL)


def _bare(text: str) -> str:
    """A statement without the comments and blanks around it."""
    text = _COMMENTS.sub("", text, count=1)
    return _TRAILING.sub("", text, count=1)


def _unquote(name: str) -> str:
    return name[1:-1].replace('""', '"').lower() if name.startswith('"') else name.lower()


def _short(statement: str) -> str:
    flat = " ".join(statement.split())
    return flat if len(flat) <= 80 else flat[:77] + "…"


def check_schema(schema: str) -> None:
    """Refuse (BackupError) a schema.sql with anything but plain CREATE TABLE/SEQUENCE/INDEX of the
    warehouse's own objects.

    >>> check_schema("CREATE TABLE settings(key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);")
    >>> try:
    ...     check_schema("CREATE MACRO lower(x) AS 'a';")
    ... except BackupError as exc:
    ...     print(exc.message)
    Kopia zawiera nieoczekiwany obiekt: MACRO lower. Odmowa odtworzenia.
    """
    expected = expected_objects()
    try:
        statements = duckdb.extract_statements(schema)
    except duckdb.Error as exc:
        raise BackupError(f"Plik schema.sql w kopii jest nieczytelny ({exc}).") from None
    for statement in statements:
        if statement.type != duckdb.StatementType.CREATE:
            raise BackupError("Kopia zawiera w schemacie polecenie inne niż CREATE — odmowa.")
        text = _bare(statement.query).rstrip(";").rstrip()
        head = _CREATE.fullmatch(text)
        if head is None:
            raise BackupError(f"Kopia zawiera w schemacie nieoczekiwane polecenie: {_short(text)} — odmowa.")
        kind, raw_name = head["kind"].upper(), head["name"]
        name = _unquote(raw_name) if re.fullmatch(_NAME, raw_name) else raw_name  # qualified: refused
        if kind not in ("TABLE", "SEQUENCE", "INDEX") or name not in expected.get(kind, ()):
            raise _unexpected(kind, name)
        mods = head["mods"].upper().split()
        plain = not head["exists"] and all(m == "UNIQUE" for m in mods)
        plain = plain and ("UNIQUE" not in mods or kind == "INDEX")
        rest = head["rest"]
        if kind == "TABLE":
            plain = plain and rest.lstrip().startswith("(")
        elif kind == "INDEX":
            on = _INDEX_ON.match(rest)
            plain = plain and on is not None and _unquote(on["table"]) in expected["TABLE"]
        if not plain:
            raise BackupError(f"Kopia zawiera w schemacie nieoczekiwane polecenie: {_short(text)} — odmowa.")


def check_load(load: str, files: dict[str, str]) -> None:
    """Refuse a load.sql with anything but COPY of a known table from the backup's own parquet file."""
    try:
        statements = duckdb.extract_statements(load)
    except duckdb.Error as exc:
        raise BackupError(f"Plik load.sql w kopii jest nieczytelny ({exc}).") from None
    for statement in statements:
        text = _bare(statement.query)
        copy = _LOAD_COPY.fullmatch(text)
        if statement.type != duckdb.StatementType.COPY or copy is None:
            raise BackupError(f"Kopia zawiera w load.sql nieoczekiwane polecenie: {_short(text)} — odmowa.")
        table = _unquote(copy["table"])
        if table not in expected_objects()["TABLE"]:
            raise _unexpected("TABLE", table)
        if Path(copy["file"]).name != files.get(table):
            raise BackupError(f"Kopia: load.sql wczytuje tabelę {table} z nieznanego pliku — odmowa.")


def check_contents(source: Path, manifest: dict) -> None:
    """Everything of a backup that is checked before anything is restored: its schema version, the
    tables of its manifest, its schema.sql and load.sql (BackupError naming what was found)."""
    version = manifest.get("schema_version")
    if isinstance(version, int) and version > warehouse.LATEST_VERSION:
        raise BackupError(_newer(version))
    tables = expected_objects()["TABLE"]
    for table, name in manifest["files"].items():
        if not isinstance(table, str) or table not in tables:
            raise _unexpected("TABLE", str(table))
        if not isinstance(name, str) or Path(name).name != name or not name.endswith(".parquet"):
            raise BackupError(f"Kopia {source} zawiera niedozwoloną ścieżkę {name!r}.")
    try:
        with zipfile.ZipFile(source) as zf:
            schema = zf.read("schema.sql").decode("utf-8")
            load = zf.read("load.sql").decode("utf-8") if "load.sql" in zf.namelist() else None
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise BackupError(f"Kopia {source} jest niekompletna lub uszkodzona ({exc}).") from None
    check_schema(schema)
    if load is not None:
        check_load(load, manifest["files"])


def _newer(version: object) -> str:
    return (
        f"Wersja schematu kopii {version!r} jest nowsza niż wersja aplikacji "
        f"{warehouse.LATEST_VERSION}: zaktualizuj aplikację przed odtworzeniem"
    )


def _check_catalog(conn: duckdb.DuckDBPyConnection) -> None:
    """After the schema ran: the new file holds nothing the migrations do not create."""
    expected = expected_objects()
    for kind, names in _catalog(conn).items():
        extra = sorted(names - expected[kind])
        if extra:
            raise _unexpected(kind, extra[0])


def _extract(source: Path, manifest: dict, into: Path) -> None:
    names = ["schema.sql", *manifest["files"].values()]
    try:
        with zipfile.ZipFile(source) as zf:
            for name in names:
                if Path(name).name != name:
                    raise BackupError(f"Kopia {source} zawiera niedozwoloną ścieżkę {name!r}.")
                with zf.open(name) as member, (into / name).open("wb") as out:
                    shutil.copyfileobj(member, out)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"Kopia {source} jest niekompletna lub uszkodzona ({exc}).") from None


def _load(folder: Path, manifest: dict, db: Path) -> dict[str, int]:
    """Create the schema and copy every table into a new file, with access limited to `folder`."""
    conn = duckdb.connect(str(db), config=warehouse.DUCKDB_CONFIG)
    try:
        # The backup is user input: its SQL may only create objects and read its own files.
        conn.execute("SET allowed_directories = ?", [[str(folder) + "/"]])
        conn.execute("SET enable_external_access = false")
        schema = (folder / "schema.sql").read_text(encoding="utf-8")
        check_schema(schema)
        for statement in duckdb.extract_statements(schema):
            conn.execute(statement)
        _check_catalog(conn)
        for table, name in manifest["files"].items():
            conn.execute(f"COPY {warehouse.ident(table)} FROM '{_quote(folder / name)}' (FORMAT parquet)")
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in manifest["files"]}
        conn.execute("CHECKPOINT")
    except (duckdb.Error, ValueError, UnicodeDecodeError, BackupError) as exc:
        conn.close()
        db.unlink(missing_ok=True)
        Path(f"{db}.wal").unlink(missing_ok=True)
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"Nie udało się odtworzyć hurtowni z kopii: {exc}") from None
    conn.close()
    return counts


def verify(source: Path) -> list[str]:
    """Problems found in a backup file (empty: it restores and its counts match the manifest)."""
    try:
        manifest = read_manifest(source)
        with tempfile.TemporaryDirectory(prefix="kooperacja-verify-") as tmp:
            counts = restore(source, Path(tmp) / "verify.duckdb")
    except KooperacjaError as exc:
        return [exc.message]
    problems = [
        f"Tabela {t}: w kopii {counts.get(t)} wierszy, w manifeście {n}"
        for t, n in manifest.get("counts", {}).items()
        if counts.get(t) != n
    ]
    missing = [t for t in warehouse.TABLES if t not in counts]
    if missing:
        problems.append(f"Kopia nie zawiera tabel: {', '.join(missing)}")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version > warehouse.LATEST_VERSION:
        problems.append(_newer(version))
    return problems


@dataclass(frozen=True)
class Found:
    """A backup of this app in a folder: its file, kind and when it was made."""

    path: Path
    kind: str
    made_at: datetime  # the manifest's created_at
    stamp: datetime  # the time in the file name: the order of rotation


def recognise(path: Path) -> Found | None:
    """The backup `path` is, or None when the app did not write it.

    Ours means both: a name of one of the kinds, and a manifest inside the zip saying Kooperacja
    made it as that kind (the legacy names: a manifest of the format without "kind"). A foreign
    file, a damaged zip or a renamed copy is None, and rotation never touches it.
    """
    path = Path(path)
    matches = [(kind, m) for kind, pattern in _NAMES.items() if (m := pattern.fullmatch(path.name))]
    if not matches:
        return None
    kind, match = matches[0]
    try:
        stamp = datetime.strptime(match[1], _STAMPS[kind])
        if not path.is_file():
            return None
        manifest = read_manifest(path)
    except (ValueError, KooperacjaError, OSError):
        return None
    if kind == LEGACY:
        if "kind" in manifest or "made_by" in manifest:
            return None
    elif manifest.get("made_by") != MADE_BY or manifest.get("kind") != kind:
        return None
    try:
        made_at = datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError:
        made_at = stamp
    return Found(path, kind, made_at, stamp)


def found_in(folder: Path) -> list[Found]:
    """The app's own backups in `folder`, newest first (by the time in their names)."""
    if not Path(folder).is_dir():
        return []
    found = [f for p in Path(folder).glob("kooperacja-*.zip") if (f := recognise(p)) is not None]
    return sorted(found, key=lambda f: (f.stamp, f.path.name), reverse=True)


def rotate(folder: Path, keep: int, kind: str) -> list[Path]:
    """Delete all but the `keep` newest of the app's own backups of `kind`; returns the deleted.

    Only files `recognise` says are ours and of this kind: a manual backup never rotates a daily
    one, and nothing else in the folder is ever deleted.
    """
    if keep < 1:
        raise BackupError("Liczba zachowywanych kopii musi wynosić co najmniej 1.")
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    mine = [f.path for f in found_in(folder) if f.kind == kind]
    for old in mine[keep:]:
        old.unlink(missing_ok=True)
    return mine[keep:]


def daily_name(now: datetime | None = None) -> str:
    """The file name of the day's backup, e.g. kooperacja-daily-2025-03-01.zip."""
    return f"kooperacja-daily-{(now or datetime.now()):%Y-%m-%d}.zip"


def manual_name(now: datetime | None = None) -> str:
    """The file name of a manual backup, e.g. kooperacja-manual-2025-03-01-143005.zip."""
    return f"kooperacja-manual-{(now or datetime.now()):%Y-%m-%d-%H%M%S}.zip"


def file_name(kind: str, now: datetime | None = None) -> str:
    return daily_name(now) if kind == DAILY else manual_name(now)
