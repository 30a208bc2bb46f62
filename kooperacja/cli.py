"""Command line: python -m kooperacja init|demo|import-terc|backup|restore|check|verify-backup|report|…"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import duckdb

from kooperacja import warehouse
from kooperacja.model import access, disclosure
from kooperacja.model.errors import InvalidInput, KooperacjaError, NotFound, WarehouseUnavailable
from kooperacja.warehouse import backup

ADMIN = "admin"  # the first account's username (its role: access.ADMIN)
DB_HELP = "plik hurtowni (domyślnie $KOOPERACJA_DB albo data/kooperacja.duckdb)"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: błąd: {message}\n")


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix or "użycie: ")


def _parser(prog: str, description: str, parent: argparse._SubParsersAction | None = None,
            ) -> argparse.ArgumentParser:  # fmt: skip
    kw: dict[str, Any] = {"description": description, "formatter_class": _Formatter, "add_help": False}
    if parent:
        parser = parent.add_parser(prog, prog=f"python -m kooperacja {prog}", help=description, **kw)
    else:
        parser = _Parser(prog, **kw)
    parser._positionals.title = "argumenty"
    parser._optionals.title = "opcje"
    parser.add_argument("-h", "--help", action="help", help="pokaż tę pomoc i zakończ")
    if parent:
        parser.add_argument("--db", type=Path, default=None, metavar="PLIK", help=DB_HELP)
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"niepoprawna data {text!r} (oczekiwano RRRR-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    root = _parser("python -m kooperacja", "Kooperacja: hurtownia danych ROPS — polecenia administracyjne.")
    sub = root.add_subparsers(dest="command", required=True, title="polecenia", metavar="POLECENIE")
    init = _parser("init", "Utwórz pustą hurtownię dla nowej instalacji i konto administratora.", sub)
    init.add_argument("--woj", metavar="KOD", help="wczytaj gminy, powiaty i granice tego województwa "
                      "z dołączonego rejestru TERC 2025 i mapy PRG, np. 04 (domyślnie: nic)")  # fmt: skip
    demo = _parser("demo", "Zbuduj hurtownię demonstracyjną (zastępuje plik).", sub)
    demo.add_argument(
        "--scale",
        choices=["pilot", "national"],
        default="pilot",
        help="pilot: jedno województwo; national: cały kraj (domyślnie pilot)",
    )
    demo.add_argument("--terc", type=Path, metavar="PLIK", help="rejestr TERC (CSV albo XML) z GUS")
    demo.add_argument("--woj", metavar="KOD",
                      help="kod województwa, np. 12 (domyślnie 04 kujawsko-pomorskie)")  # fmt: skip
    demo.add_argument("--fictional", action="store_true",
                      help="fikcyjne województwo zamiast prawdziwych gmin (bez mapy)")  # fmt: skip
    demo.add_argument("--geo", type=Path, metavar="PLIK", help="granice gmin (GeoJSON, np. z PRG) dla mapy")
    demo.add_argument("--today", type=_day, metavar="RRRR-MM-DD", help="dzień „dzisiejszy” demo")
    demo.add_argument("--force", action="store_true", help="zastąp hurtownię, która nie jest demonstracyjna")
    terc = _parser("import-terc", "Wczytaj rejestr TERYT TERC (CSV albo XML) z GUS.", sub)
    terc.add_argument("file", type=Path, metavar="PLIK", help="plik TERC_Urzedowy_*.csv albo *.xml")
    terc.add_argument("--woj", metavar="KOD", help="wczytaj tylko to województwo, np. 04")
    geo = _parser("import-geo", "Wczytaj granice gmin (GeoJSON z kodem TERYT) do mapy regionu.", sub)
    geo.add_argument("file", type=Path, metavar="PLIK", help="GeoJSON z właściwością terc lub JPT_KOD_JE")
    copy = _parser("backup", "Zapisz kopię zapasową całej hurtowni do jednego pliku .zip.", sub)
    copy.add_argument(
        "file",
        type=Path,
        metavar="PLIK",
        help="plik kopii; katalog: kopia ręczna z datą w nazwie (kooperacja-manual-RRRR-MM-DD-GGMMSS.zip)",
    )
    copy.add_argument(
        "--daily",
        action="store_true",
        help="w katalogu: kopia dzienna (kooperacja-daily-RRRR-MM-DD.zip), np. z crona",
    )
    copy.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="w katalogu zachowaj N najnowszych kopii tego rodzaju (inne rodzaje i pliki nie są usuwane)",
    )
    restore = _parser("restore", "Odtwórz hurtownię z kopii zapasowej do pliku --db.", sub)
    restore.add_argument("file", type=Path, metavar="PLIK", help="plik kopii .zip")
    restore.add_argument("--force", action="store_true", help="zastąp istniejącą hurtownię")
    _parser("check", "Sprawdź hurtownię: liczności tabel, wersję schematu, powiązania i reguły.", sub)
    verify = _parser("verify-backup", "Sprawdź, czy plik kopii zapasowej da się odtworzyć.", sub)
    verify.add_argument("file", type=Path, metavar="PLIK", help="plik kopii .zip")
    about = (
        "Raport efektów modelu (K10.1) do pliku PDF albo XLSX (sprawy "
        f"{disclosure.LABEL} ukryte, z dopełnieniami „{disclosure.SECONDARY}”)."
    )
    rep = _parser("report", about, sub)
    rep.add_argument("--out", type=Path, required=True, metavar="PLIK", help="plik .pdf albo .xlsx")
    rep.add_argument("--gmina", metavar="TERC", help="raport jednej gminy pilotażowej (kod TERC)")
    rep.add_argument("--today", type=_day, metavar="RRRR-MM-DD", help="stan na dzień (domyślnie dziś)")
    out = _parser("export", "Zapisz rejestry programu (jeden arkusz na rejestr) do pliku XLSX.", sub)
    out.add_argument("file", type=Path, metavar="PLIK", help="plik .xlsx do zapisania")
    out.add_argument("--table", action="append", metavar="TABELA", help="tylko ta tabela (można powtórzyć)")
    load = _parser(
        "import",
        "Wczytaj rejestry z pliku XLSX, XLSM, XLS, ODS albo CSV: nowe wiersze i zmiany istniejących. "
        "Bez --apply tylko pokazuje, co by zapisał.",
        sub,
    )
    load.add_argument(
        "file", type=Path, metavar="PLIK", help="plik .xlsx, .xlsm, .xls, .ods, .csv (albo .zip z nim)"
    )
    load.add_argument("--table", metavar="TABELA", help="tabela pliku CSV albo jedyny wczytywany arkusz")
    load.add_argument("--apply", action="store_true", help="zapisz (domyślnie: podgląd, nic nie zapisuje)")
    load.add_argument(
        "--valid-only", action="store_true", help="z --apply: zapisz poprawne wiersze, pomiń błędne"
    )
    bench = _parser("bench", "Zmierz strony, zapytania, import/eksport i PDF na hurtowni demo.", sub)
    bench.add_argument("--scale", choices=["pilot", "national", "both", "tiny"], default="both",
                       help="skala hurtowni demo (domyślnie both: pilot i national)")  # fmt: skip
    bench.add_argument(
        "--out", type=Path, metavar="PLIK", help="wyniki w JSON (domyślnie data/bench/wyniki.json)"
    )
    bench.add_argument("--browser", action="store_true", help="także czasy i bajty w Chromium")
    bench.add_argument("--repeat", type=int, default=5, metavar="N", help="pomiarów po rozgrzewce (min. 5)")
    bench.add_argument(
        "--today", type=_day, metavar="RRRR-MM-DD", help="dzień budowy hurtowni (domyślnie dziś)"
    )
    network = _parser("network", "Wypisz miary sieci współpracy każdego badania każdej gminy.", sub)
    network.add_argument("--gmina", metavar="TERC", help="tylko ta gmina (7-cyfrowy kod TERC)")
    network.add_argument("--json", action="store_true", help="lista obiektów JSON (dla skryptów)")
    return root


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"Nie ma pliku {path}.") from None
    except OSError as exc:
        raise NotFound(f"Nie można odczytać pliku {path}: {exc.strerror}.") from None


def cmd_init(db: Path, args: argparse.Namespace) -> int:
    from kooperacja.accounts.users import create_user
    from kooperacja.model.vocab import PROBLEM_AREAS
    from kooperacja.programme.harmonogram import ensure_default_template
    from kooperacja.territory import reference

    woj = reference.check_woj(args.woj) if args.woj else None
    conn = warehouse.connect(db)
    try:
        if conn.execute("SELECT count(*) FROM app_user").fetchall()[0][0]:
            print(f"Hurtownia {db} ma już użytkowników — init nic nie zmienia. "
                  "Kolejne konta dodaje administrator w aplikacji.", file=sys.stderr)  # fmt: skip
            return 1
        with warehouse.transaction(conn) as cur:
            ensure_default_template(cur, "system")
            cur.executemany("INSERT OR IGNORE INTO problem_area (code, label) VALUES (?, ?)",
                            list(PROBLEM_AREAS.items()))  # fmt: skip
            warehouse.set_setting(cur, "cookie_key", secrets.token_hex(32))
            password = create_user(cur, "system", ADMIN, "Administrator", access.ADMIN)
        loaded = reference.load(conn, woj, "system", lambda m: print(m, flush=True)) if woj else None
    finally:
        conn.close()
    print(f"Utworzono hurtownię {db}.")
    if loaded:
        print("\n".join(loaded.lines()))
    print(f"Konto administratora: {ADMIN}")
    print(f"Hasło: {password}")
    print("Zapisz hasło teraz — nie zostanie pokazane ponownie. Zmień je po pierwszym logowaniu.")
    return 0


def _ensure_replaceable(db: Path, force: bool) -> None:
    """Refuse to replace a file the app holds, or a real (non-demo) warehouse without --force."""
    if not db.exists():
        return
    try:
        conn = warehouse.connect(db, read_only=True)
    except WarehouseUnavailable as exc:
        locked = isinstance(exc.__cause__, duckdb.IOException) and "lock" in str(exc.__cause__).lower()
        if locked or not force:
            raise
        return
    try:
        demo = warehouse.get_setting(conn, "demo") == "true"
    except duckdb.Error:
        demo = False
    finally:
        conn.close()
    if not demo and not force:
        raise InvalidInput([f"Plik {db} zawiera hurtownię, która nie jest demonstracyjna. Aby ją "
                            "zastąpić danymi demo, użyj --force (najpierw zrób kopię: backup)."])  # fmt: skip


def cmd_demo(db: Path, args: argparse.Namespace) -> int:
    from kooperacja.demo import build_demo

    terc_bytes = _read(args.terc) if args.terc else None
    _ensure_replaceable(db, args.force)
    counts = build_demo(db, scale=args.scale, terc_bytes=terc_bytes, woj=args.woj, today=args.today,
                        progress=lambda message: print(message, flush=True),
                        fictional=args.fictional)  # fmt: skip
    if args.geo:
        counts["gmina_boundary"] = _import_geo(db, _read(args.geo))
    print(f"Hurtownia demonstracyjna: {db}")
    for table, count in counts.items():
        print(f"{table}: {count}")
    return 0


def _import_geo(db: Path, data: bytes) -> int:
    from kooperacja.territory.geo import import_boundaries

    conn = warehouse.connect(db)
    try:
        return import_boundaries(conn, data, "system")
    finally:
        conn.close()


def cmd_import_geo(db: Path, args: argparse.Namespace) -> int:
    print(f"Wczytano granice gmin: {_import_geo(db, _read(args.file))}")
    return 0


def cmd_import_terc(db: Path, args: argparse.Namespace) -> int:
    from kooperacja.territory.terc import import_terc

    data = _read(args.file)
    conn = warehouse.connect(db)
    try:
        summary = import_terc(conn, data, args.woj, "system")
    finally:
        conn.close()
    print("\n".join(summary.lines()))
    return 0


def cmd_backup(db: Path, args: argparse.Namespace) -> int:
    kind = backup.DAILY if args.daily else backup.MANUAL
    target = args.file / backup.file_name(kind) if args.file.is_dir() else args.file
    if target.exists() and args.file.is_dir() and backup.recognise(target) is None:
        raise backup.BackupError(
            f"W folderze jest plik {target.name}, który nie jest kopią zrobioną przez Kooperację; "
            "nie nadpisuję go. Przenieś go albo zmień jego nazwę."
        )
    conn = warehouse.connect(db, create=False)
    try:
        manifest = backup.backup(conn, target, kind)
    finally:
        conn.close()
    rows = sum(manifest["counts"].values())
    print(f"Kopia zapisana: {target} ({len(manifest['counts'])} tabel, {rows} wierszy).")
    if args.keep is not None:
        for old in backup.rotate(target.parent, args.keep, kind):
            print(f"Usunięto starą kopię: {old}")
    return 0


def cmd_restore(db: Path, args: argparse.Namespace) -> int:
    counts = backup.restore(args.file, db, force=args.force)
    warehouse.connect(db).close()  # brings an older backup's schema up to date
    print(f"Odtworzono hurtownię {db} z kopii {args.file}:")
    for table, count in counts.items():
        print(f"{table}: {count}")
    return 0


def cmd_check(db: Path, args: argparse.Namespace) -> int:
    from kooperacja.warehouse.check import check_warehouse

    conn = warehouse.connect(db, read_only=True)
    try:
        lines, problems = check_warehouse(conn)
    finally:
        conn.close()
    print("\n".join(lines))
    if problems:
        print(f"\nProblemy ({len(problems)}):")
        print("\n".join(f"- {p}" for p in problems))
        return 1
    print("\nBez problemów.")
    return 0


def cmd_verify_backup(db: Path, args: argparse.Namespace) -> int:
    problems = backup.verify(args.file)
    if problems:
        print(f"Kopia {args.file} ma problemy:")
        print("\n".join(f"- {p}" for p in problems))
        return 1
    print(f"Kopia {args.file} jest poprawna: da się ją odtworzyć, liczności zgadzają się z manifestem.")
    return 0


def cmd_report(db: Path, args: argparse.Namespace) -> int:
    from kooperacja.report import effects as report

    kind = args.out.suffix.lower()
    if kind not in (".pdf", ".xlsx"):
        raise InvalidInput([f"--out: plik musi mieć rozszerzenie .pdf albo .xlsx, nie {args.out.name}"])
    conn = warehouse.connect(db, read_only=True)
    try:  # the file goes to the Zarząd Województwa: small counts hidden as for that role
        effects = report.effects(conn, access.REPORT_READER, args.today or date.today(), args.gmina)
    finally:
        conn.close()
    args.out.write_bytes(report.to_pdf(effects) if kind == ".pdf" else report.to_xlsx(effects))
    print(f"Zapisano raport: {args.out} ({effects.title}; {effects.scope})")
    return 0


def cmd_export(db: Path, args: argparse.Namespace) -> int:
    from kooperacja.exchange.workbook import export_registries

    conn = warehouse.connect(db, read_only=True)
    try:
        data = export_registries(conn, args.table)
    finally:
        conn.close()
    args.file.write_bytes(data)
    print(f"Zapisano rejestry do pliku {args.file}.")
    return 0


def cmd_import(db: Path, args: argparse.Namespace) -> int:
    from kooperacja.exchange.workbook import apply_import, check_import, parse_file

    parsed = parse_file(_read(args.file), args.file.name, args.table)
    conn = warehouse.connect(db, create=False)
    try:  # the command line acts as the system administrator "cli"; without --apply it only shows
        checked = check_import(conn.cursor(), access.IMPORTER, parsed)
        for line in checked.summary():
            print(line)
        for h in checked.hints:
            print(f"{h.sheet}, wiersz {h.row}, {h.column} = „{h.value}”: poprawiono — {h.reason}")
        for change in checked.changes().itertuples(index=False):
            print(f"{change.Arkusz}, wiersz {change.Wiersz} ({change.Klucz}), {change.Kolumna}: "
                  f"„{change.Przed}” → „{change.Po}”")  # fmt: skip
        if not args.apply:
            for e in checked.errors:
                print(f"{e.sheet}, wiersz {e.row}, {e.column} = „{e.value}”: {e.reason}")
            print("To był podgląd: nic nie zapisano. Aby zapisać, powtórz polecenie z --apply.")
            return 1 if checked.errors else 0
        mode = "valid_only" if args.valid_only else "all_or_nothing"
        result = apply_import(conn, access.IMPORTER, parsed, mode)
    finally:
        conn.close()
    for e in result.errors:
        print(f"{e.sheet}, wiersz {e.row}, {e.column} = „{e.value}”: {e.reason}")
    print("\n".join(result.lines()))
    return 1 if result.errors and not result.total_written else 0


def cmd_network(db: Path, args: argparse.Namespace) -> int:
    import json

    from kooperacja.network.cli import network_lines, network_rows

    conn = warehouse.connect(db, create=False, read_only=True)
    try:
        rows = network_rows(conn, args.gmina)
    finally:
        conn.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print("\n".join(network_lines(rows)))
    return 0


def cmd_bench(db: Path, args: argparse.Namespace) -> int:
    import json

    from kooperacja.bench import core as bench

    scales = ["pilot", "national"] if args.scale == "both" else [args.scale]
    results = bench.run(scales, today=args.today, repeat=args.repeat, browser=args.browser)
    print(bench.format_table(results))
    out = args.out or bench.BENCH_DIR / "wyniki.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    print(f"Zapisano wyniki: {out}")
    return 0


COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "init": cmd_init, "demo": cmd_demo, "import-terc": cmd_import_terc, "import-geo": cmd_import_geo,
    "backup": cmd_backup,
    "restore": cmd_restore, "check": cmd_check, "verify-backup": cmd_verify_backup, "report": cmd_report,
    "export": cmd_export, "import": cmd_import, "bench": cmd_bench, "network": cmd_network,
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 error or problems, 2 warehouse unavailable)."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](warehouse.db_path(args.db), args)
    except KooperacjaError as exc:
        problems = exc.problems if isinstance(exc, InvalidInput) and len(exc.problems) > 1 else [exc.message]
        print(f"{exc.title}: {problems[0]}", file=sys.stderr)
        for problem in problems[1:]:
            print(f"  {problem}", file=sys.stderr)
        return 2 if isinstance(exc, WarehouseUnavailable) else 1
    except duckdb.Error as exc:
        print(f"Błąd bazy danych: {exc}", file=sys.stderr)
        return 1
