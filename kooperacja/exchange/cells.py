"""What Excel and LibreOffice do to cells, undone: a TERC that lost its leading zero, a label typed
instead of a code (any case, with or without Polish letters), numbers stored as text and back."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_FOLD = str.maketrans({"ł": "l", "Ł": "l", "_": " ", "-": " ", "–": " "})


def fold(text: Any) -> str:
    """A label or code as compared: lower case, no Polish letters, no punctuation differences.

    >>> fold("  Organizacje  POZARZĄDOWE "), fold("pomoc_spoleczna"), fold("Łódź")
    ('organizacje pozarzadowe', 'pomoc spoleczna', 'lodz')
    """
    text = unicodedata.normalize("NFKD", str(text).translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[()/,.;:]", " ", text.casefold()).split())


def _stem(folded: str) -> tuple[str, ...]:
    """Words cut to their core, so that "organizacja pozarządowa" meets "organizacje pozarządowe"."""
    return tuple(w[: max(4, len(w) - 2)] for w in folded.split())


@dataclass(frozen=True)
class Codes:
    """The codes of one column and the Polish labels shown for them, read back either way."""

    labels: Mapping[str, str]  # code → label (a code without a label shows as itself)

    def __post_init__(self) -> None:
        exact: dict[str, str] = {}
        stems: dict[tuple[str, ...], set[str]] = {}
        for code, label in self.labels.items():
            for text in (code, label):
                exact.setdefault(fold(text), code)
                stems.setdefault(_stem(fold(text)), set()).add(code)
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_stems", {k: next(iter(v)) for k, v in stems.items() if len(v) == 1})

    def code(self, value: Any) -> str:
        """The code of a cell holding a code or a label; ValueError naming the allowed labels.

        >>> Codes({"ngo": "organizacje pozarządowe", "policja": "policja i bezpieczeństwo"}).code(
        ...     "Organizacja pozarządowa")
        'ngo'
        """
        if isinstance(value, str) and value in self.labels:
            return value
        key = fold(value)
        found = self._exact.get(key) or self._stems.get(_stem(key))  # type: ignore[attr-defined]
        if found is None:
            allowed = ", ".join(self.labels.values())
            raise ValueError(f"nieznana wartość „{value}” — dozwolone wartości: {allowed}")
        return found

    def label(self, code: Any) -> Any:
        return self.labels.get(code, code) if isinstance(code, str) else code


@dataclass(frozen=True)
class Padded:
    """A TERC restored: the cell as read, and the code with its leading zero back."""

    value: str
    read: str


def terc_text(value: Any, widths: tuple[int, ...]) -> str | Padded | Any:
    """A TERC cell as text of one of `widths` digits. A number (or digit text) one digit short of a
    valid width lost its leading zero in Excel or LibreOffice: it comes back Padded.

    >>> terc_text(201011, (7,)), terc_text("0201011", (7,)), terc_text(2.0, (2, 4, 7))
    (Padded(value='0201011', read='201011'), '0201011', Padded(value='02', read='2'))
    >>> terc_text("3401011", (7,))
    '3401011'
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = value.strip().replace(" ", "")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.isdigit() and len(text) not in widths and len(text) + 1 in widths:
        return Padded("0" + text, text)
    return text


_INT = re.compile(r"[-+]?\d+")


def integer(value: Any) -> int:
    """A whole number however it was stored: 12, 12.0, "12", " 1 234 ", "12,0".

    >>> integer("1 234"), integer(12.0), integer("12,0"), integer("\\u00a05")
    (1234, 12, 12, 5)
    """
    if isinstance(value, bool):
        raise ValueError("oczekiwano liczby całkowitej")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError("oczekiwano liczby całkowitej")
    text = re.sub(r"[\s\u00a0]", "", str(value))
    text = re.sub(r"[.,]0+$", "", text)
    if _INT.fullmatch(text):
        return int(text)
    raise ValueError("oczekiwano liczby całkowitej")


YES = {"tak", "t", "true", "prawda", "1", "x", "yes"}
NO = {"nie", "n", "false", "falsz", "0", "no"}


def boolean(value: Any) -> Any:
    """tak/nie as Excel, LibreOffice (PRAWDA/FAŁSZ) or a person writes it; anything else as given,
    for the record's own refusal ("oczekiwano tak/nie").

    >>> boolean("TAK"), boolean("Fałsz"), boolean(1.0), boolean(True)
    (True, False, True, True)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = fold(value)
    return True if key in YES else False if key in NO else value


def plain_text(value: Any) -> Any:
    """A text field's cell: a number stored as a number (LibreOffice) back as the text typed.

    >>> plain_text(12.0), plain_text(5.1), plain_text(" a ")
    ('12', '5.1', ' a ')
    """
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return value
