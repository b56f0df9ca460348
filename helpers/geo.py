"""Where and in what money: ISO country and currency codes, and the regions a remote job may accept.

Codes come from pycountry (ISO 3166-1 alpha-2 countries, ISO 4217 currencies), a maintained copy of
the ISO lists (Debian's iso-codes): countries and currencies change every few years (South Sudan,
Sierra Leone's new leone) and a hand-kept constant would silently fall behind. The lists are read
once, at import. Codes are stored upper case; readers and writers compare them that way.

`REGIONS` are the groups a remote job can name instead of listing countries, each with its
members. Their codes never collide with a country's (`EU` is only *reserved* in ISO 3166).
A remote job accepts applicants from a country when it names the country itself or a region
holding it; a remote job naming nothing accepts applicants from anywhere (`accepting_codes`).
"""

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers

from helpers.text import CleanCharField

COUNTRIES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)
CURRENCIES: frozenset[str] = frozenset(currency.alpha_3 for currency in pycountry.currencies)
COUNTRY_NAMES: dict[str, str] = {country.alpha_2: country.name for country in pycountry.countries}
CURRENCY_NAMES: dict[str, str] = {currency.alpha_3: currency.name for currency in pycountry.currencies}

EU = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
EFTA = frozenset({"CH", "IS", "LI", "NO"})

REGIONS: dict[str, frozenset[str]] = {
    "EU": EU,  # the 27 member states of the European Union
    "EEA": EU | {"IS", "LI", "NO"},  # the European Economic Area: the EU, Iceland, Liechtenstein, Norway
    "EFTA": EFTA,  # the European Free Trade Association
    "DACH": frozenset({"DE", "AT", "CH"}),  # German-speaking Europe
    "NORDICS": frozenset({"DK", "FI", "IS", "NO", "SE"}),
}
REGION_NAMES = {
    "EU": "European Union",
    "EEA": "European Economic Area",
    "EFTA": "European Free Trade Association",
    "DACH": "Germany, Austria, Switzerland",
    "NORDICS": "Nordic countries",
}

MAX_REMOTE_REGIONS = 50


class Workplace(models.TextChoices):
    """Where the work is done: a job's `workplace` and a candidate's `preferred_workplace`."""

    ONSITE = "onsite"
    HYBRID = "hybrid"
    REMOTE = "remote"


def accepting_codes(country: str) -> list[str]:
    """The codes a remote job may name to accept applicants from `country`: itself and its regions."""
    return [country, *sorted(code for code, members in REGIONS.items() if country in members)]


def validate_country(value: str) -> None:
    if value and value not in COUNTRIES:
        raise ValidationError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. DE, GB, US).")


def validate_currency(value: str) -> None:
    if value and value not in CURRENCIES:
        raise ValidationError(f"{value!r} is not an ISO 4217 currency code (e.g. EUR, GBP, USD).")


def validate_countries(value) -> None:
    """A list of distinct ISO country codes (upper case), at most MAX_REMOTE_REGIONS."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError('A list of ISO country codes, e.g. ["DE", "GB"].')
    if len(value) > MAX_REMOTE_REGIONS:
        raise ValidationError(f"At most {MAX_REMOTE_REGIONS} countries.")
    unknown = [code for code in value if code not in COUNTRIES]
    if unknown:
        raise ValidationError(f"Unknown country codes: {', '.join(unknown)}.")


def validate_remote_regions(value) -> None:
    """A list of distinct country or region codes (upper case), at most MAX_REMOTE_REGIONS."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError('A list of country or region codes, e.g. ["EU", "GB"].')
    if len(value) > MAX_REMOTE_REGIONS:
        raise ValidationError(f"At most {MAX_REMOTE_REGIONS} countries or regions.")
    unknown = [code for code in value if code not in COUNTRIES and code not in REGIONS]
    if unknown:
        regions = ", ".join(REGIONS)
        raise ValidationError(f"Unknown: {', '.join(unknown)}. Use country codes or one of {regions}.")


def remote_region_choices() -> list[tuple[str, str]]:
    """Regions first, then countries by name: for the admin's form."""
    countries = sorted(COUNTRY_NAMES.items(), key=lambda item: item[1])
    return [*REGION_NAMES.items(), *countries]


class CodeField(CleanCharField):
    """An ISO code as a client writes it (`de`, ` DE `), stored upper case and checked against `codes`."""

    def __init__(self, *, codes: frozenset[str], kind: str, **kwargs):
        self.codes = codes
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip().upper()
        if value and value not in self.codes:
            raise serializers.ValidationError(f"{data!r} is not an {self.kind} code.", code="invalid_code")
        return value


def country_field(**kwargs) -> CodeField:
    return CodeField(codes=COUNTRIES, kind="ISO 3166-1 alpha-2 country", max_length=2, **kwargs)


def currency_field(**kwargs) -> CodeField:
    return CodeField(codes=CURRENCIES, kind="ISO 4217 currency", max_length=3, **kwargs)


class RemoteRegionsField(serializers.ListField):
    """`["eu", "GB"]` -> `["EU", "GB"]`: distinct country or region codes, in the order given.

    `regions=False`: countries only (a candidate's preferred countries)."""

    def __init__(self, *, regions: bool = True, **kwargs):
        if regions:
            codes, kind = COUNTRIES | frozenset(REGIONS), "ISO 3166-1 alpha-2 country or region (EU, EEA...)"
        else:
            codes, kind = COUNTRIES, "ISO 3166-1 alpha-2 country"
        child = CodeField(codes=codes, kind=kind, max_length=7)
        super().__init__(child=child, max_length=MAX_REMOTE_REGIONS, **kwargs)

    def to_internal_value(self, data):
        return list(dict.fromkeys(super().to_internal_value(data)))
