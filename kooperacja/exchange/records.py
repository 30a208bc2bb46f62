"""Records of the tables only the exchange writes row by row: the territory above the gmina, the pilot
powiaty, the harmonogram templates, the user accounts (without passwords) and the installation's
settings. Like every record, they are the gate of the import's writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from kooperacja.model.access import ROLE_LABELS
from kooperacja.model.records import Day, Name, OfficialName, Record, TercPowiat, Username

if TYPE_CHECKING:
    Role = str  # checked at runtime against access.ROLE_LABELS
    SettingKey = str
else:
    Role = Literal[tuple(ROLE_LABELS)]


class Wojewodztwo(Record):
    TABLE = "wojewodztwo"
    KEY = "terc"
    terc: Annotated[str, Field(pattern=r"^[0-9]{2}$")] = Field(title="Kod TERC województwa")
    name: Name = Field(title="Nazwa")


class Powiat(Record):
    TABLE = "powiat"
    KEY = "terc"
    terc: TercPowiat = Field(title="Kod TERC powiatu")
    name: Name = Field(title="Nazwa")
    is_city: bool = Field(title="Miasto na prawach powiatu", default=False)


class PilotPowiat(Record):
    TABLE = "pilot_powiat"
    KEY = "terc"
    terc: TercPowiat = Field(title="Kod TERC powiatu")
    joined_on: Day = Field(title="Data przystąpienia")


class Template(Record):
    TABLE = "template"
    KEY = "template_id"
    template_id: int = Field(title="Szablon", ge=1)
    version: int = Field(title="Wersja szablonu", ge=1)
    name: Name = Field(title="Nazwa szablonu")
    created_by: Username = Field(title="Utworzył(a)", default="system")


class AppUser(Record):
    """An account without its password: a user imported into another installation gets a password
    nobody knows, until the administrator sets one (Użytkownicy → nowe hasło)."""

    TABLE = "app_user"
    KEY = "username"
    username: Username = Field(title="Login")
    display_name: OfficialName = Field(title="Imię i nazwisko / opis konta")
    role: Role = Field(title="Rola")
    active: bool = Field(title="Konto aktywne", default=True)


# The settings of an installation that travel with its data (not its secret key, not the demo flags).
SETTINGS = {
    "region_name": "nazwa regionu",
    "wojewodztwo": "kod TERC województwa",
    "programme_start": "początek programu (RRRR-MM-DD)",
}


if not TYPE_CHECKING:
    SettingKey = Literal[tuple(SETTINGS)]


class Setting(Record):
    TABLE = "settings"
    KEY = "key"
    key: SettingKey = Field(title="Ustawienie")
    value: Name = Field(title="Wartość")
