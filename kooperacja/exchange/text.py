"""Text files as people save them: the one CSV decoder (UTF-8 with or without BOM, or CP1250 as Polish
Excel writes it; never a replaced character), the separator Excel chose, and a zip holding one file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from kooperacja.model.errors import InvalidInput

ENCODINGS = ("utf-8-sig", "cp1250")  # Polish Excel's "CSV (rozdzielany przecinkami)" is CP1250
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNDECODABLE = (
    "Pliku {what} nie da się odczytać jako tekstu w kodowaniu UTF-8 ani Windows-1250 — zapisz go w "
    "Excelu jako „CSV UTF-8 (rozdzielany przecinkami)” i wczytaj ponownie."
)
BINARY = (
    "Plik {what} nie jest plikiem tekstowym CSV (zawiera znaki binarne). Zapisz dane jako .xlsx albo CSV."
)


def decode_csv(data: bytes, what: str = "CSV", binary: str | None = None) -> str:
    """The text of a CSV file: UTF-8 (a BOM is dropped) or else CP1250; refused in Polish otherwise.

    No character is ever replaced: a file in neither encoding, or holding control characters, is refused
    (with `binary` as the reason of the latter when given).

    >>> decode_csv("Gmina;Łódź\\n".encode("cp1250"))
    'Gmina;Łódź\\n'
    >>> decode_csv("\\ufeffa,b".encode("utf-8"))
    'a,b'
    """
    if b"\x00" in data[:65536]:
        raise InvalidInput([binary or BINARY.format(what=what)])
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput([UNDECODABLE.format(what=what)])
    if _CONTROL.search(text[:65536]):
        raise InvalidInput([binary or BINARY.format(what=what)])
    return text


def separator(text: str) -> str:
    """`;` (Polish Excel) or `,`: whichever the header line holds more of, outside quotes.

    >>> separator("a;b;c\\n1,5;2;3"), separator('"x;y",b,c')
    (';', ',')
    """
    first = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    return ";" if first.count(";") > first.count(",") else ","


def comma_csv(data: bytes, what: str = "CSV") -> str:
    """A CSV in any accepted encoding and separator as UTF-8 text with commas (the shape of the files
    the app writes), for readers that expect that shape (the harmonogram template).

    >>> comma_csv("krok;tytuł\\nK1;\\"Spotkanie, ROPS\\"\\n".encode("cp1250"))
    'krok,tytuł\\nK1,"Spotkanie, ROPS"\\n'
    """
    text = decode_csv(data, what)
    sep = separator(text)
    if sep == ",":
        return text
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
        writer.writerow(row)
    return out.getvalue()


UNZIP = "Plik {name} to archiwum .zip z {count} — rozpakuj plik i wczytaj {what}."


def single_member(data: bytes, name: str, what: str = "jeden z nich") -> tuple[bytes, str]:
    """The one file a .zip holds (a TERC register as GUS serves it, a zipped CSV), with its name;
    an archive of several files, or a damaged one, is refused with "rozpakuj plik".

    The member's declared size is bounded by the caller's own limit on what it reads.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX")]
    except (zipfile.BadZipFile, ValueError):
        raise InvalidInput(
            [f"Plik {name} jest uszkodzonym archiwum .zip — rozpakuj plik i wczytaj go."]
        ) from None
    if len(members) != 1:
        count = "jednym plikiem" if len(members) == 1 else f"{len(members)} plikami"
        raise InvalidInput([UNZIP.format(name=name, count=count if members else "0 plikami", what=what)])
    member = members[0]
    if member.file_size > 25 * 2**20:
        raise InvalidInput(
            [f"Plik {member.filename} w archiwum {name} ma ponad 25 MB — rozpakuj plik i podziel go."]
        )
    try:
        return archive.read(member), member.filename.rsplit("/", 1)[-1]
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError):  # encrypted, odd method
        raise InvalidInput(
            [f"Archiwum {name} nie daje się rozpakować tutaj — rozpakuj plik i wczytaj go."]
        ) from None
