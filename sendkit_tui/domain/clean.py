"""Values cleaned the way they are sent: phones in E.164, LinkedIn URLs canonical, emails lower.

The form and the CSV importer both use these, so a value typed and a value imported are sent
the same way. Each cleaner returns a ``Cleaned(value, note, ok)``:

- ``value`` — what is sent (the text trimmed when it could not be cleaned);
- ``note`` — one plain sentence for the user: ``"will be sent as +14155550142"`` when the value
  changes, a problem sentence when it cannot be cleaned, ``""`` when there is nothing to say;
- ``ok`` — False when ``note`` is a problem (the value is then sent as typed).

Cleaning never refuses a value: the field rules in ``rules.py`` decide what may be saved.
Notes hold user data: show them as data, never as markup. No Textual, no I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

DEFAULT_REGION = "US"
"""The phone region when neither the lead's country nor the settings give one."""

CLEANED_FIELDS = ("email", "phone", "linkedinUrl")


class Cleaned(NamedTuple):
    value: str
    note: str = ""
    ok: bool = True


def _sent_as(original: str, value: str) -> Cleaned:
    return Cleaned(value, "" if value == original else f"will be sent as {value}")


# -- email ---------------------------------------------------------------------------------------


def clean_email(text: str) -> Cleaned:
    """Trimmed and lower-cased, as SendKit stores it (the note speaks only of the case)."""
    value = text.strip().lower()
    return _sent_as(text.strip(), value)


# -- phone ---------------------------------------------------------------------------------------

_COUNTRY_NAMES = {
    "united states": "US", "united states of america": "US", "usa": "US", "us": "US",
    "u.s.": "US", "u.s.a.": "US", "america": "US", "united kingdom": "GB", "uk": "GB",
    "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "deutschland": "DE", "germany": "DE",
    "france": "FR", "españa": "ES", "spain": "ES", "italia": "IT", "italy": "IT",
    "nederland": "NL", "netherlands": "NL", "the netherlands": "NL", "holland": "NL",
    "schweiz": "CH", "suisse": "CH", "switzerland": "CH", "österreich": "AT", "austria": "AT",
    "sverige": "SE", "sweden": "SE", "norge": "NO", "norway": "NO", "danmark": "DK",
    "denmark": "DK", "suomi": "FI", "finland": "FI", "ireland": "IE", "éire": "IE",
    "canada": "CA", "mexico": "MX", "méxico": "MX", "brasil": "BR", "brazil": "BR",
    "australia": "AU", "new zealand": "NZ", "india": "IN", "japan": "JP", "china": "CN",
    "south korea": "KR", "korea": "KR", "singapore": "SG", "israel": "IL",
    "south africa": "ZA", "nigeria": "NG", "ghana": "GH", "kenya": "KE",
    "united arab emirates": "AE", "uae": "AE", "poland": "PL", "polska": "PL",
    "portugal": "PT", "belgium": "BE", "belgië": "BE", "belgique": "BE",
}  # fmt: skip


@functools.cache
def _region_names() -> dict[str, str]:
    """Every region's name in every language phonenumbers knows, folded (loaded on first use)."""
    from phonenumbers.geodata.locale import LOCALE_DATA

    names: dict[str, str] = {}
    for region, by_language in LOCALE_DATA.items():
        for name in by_language.values():
            if name and not name.startswith("*"):
                names.setdefault(name.casefold(), region)
    return names


def country_code(country: str | None) -> str | None:
    """The region code of a country field: a 2-letter code or a country's name; else None."""
    import phonenumbers

    text = (country or "").strip()
    if len(text) == 2 and text.isalpha():
        code = "GB" if text.upper() == "UK" else text.upper()
        if code in phonenumbers.SUPPORTED_REGIONS:
            return code
    folded = text.casefold()
    if not folded:
        return None
    return _COUNTRY_NAMES.get(folded) or _region_names().get(folded)


def region_for(country: str | None, default: str = DEFAULT_REGION) -> str:
    """The phone region of a lead's country field, else ``default``."""
    return country_code(country) or (default.upper() if default else DEFAULT_REGION)


def clean_phone(text: str, region: str = DEFAULT_REGION) -> Cleaned:
    """A phone in E.164 (``+14155550142``); an extension is kept as `` x123``.

    ``region`` reads a number written without ``+`` or an international prefix.
    """
    import phonenumbers

    typed = text.strip()
    if not typed:
        return Cleaned("")
    try:
        number = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException as error:
        return Cleaned(typed, _parse_problem(error, region), ok=False)
    if not phonenumbers.is_possible_number(number):
        return Cleaned(typed, _length_problem(number, region), ok=False)
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_number(number) or region
        return Cleaned(
            typed,
            f"This is not a valid {where} phone number (read as +{number.country_code} "
            f"{number.national_number}); it will be sent as typed.",
            ok=False,
        )
    value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.extension:
        value += f" x{number.extension}"
    return _sent_as(typed, value)


def _parse_problem(error: Exception, region: str) -> str:
    import phonenumbers

    kind = getattr(error, "error_type", None)
    if kind == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
        return (
            f"The country code is unknown; start with + and a country code (read as {region} "
            "otherwise). It will be sent as typed."
        )
    if kind == phonenumbers.NumberParseException.TOO_SHORT_NSN:
        return "This phone number is too short; it will be sent as typed."
    if kind == phonenumbers.NumberParseException.TOO_LONG:
        return "This phone number is too long; it will be sent as typed."
    return "This does not look like a phone number; it will be sent as typed."


def _length_problem(number: Any, region: str) -> str:
    import phonenumbers

    reason = phonenumbers.is_possible_number_with_reason(number)
    where = phonenumbers.region_code_for_country_code(number.country_code) or region
    if reason == phonenumbers.ValidationResult.TOO_SHORT:
        return f"Too few digits for a {where} phone number; it will be sent as typed."
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return f"Too many digits for a {where} phone number; it will be sent as typed."
    return f"This is not a valid {where} phone number; it will be sent as typed."


# -- LinkedIn ------------------------------------------------------------------------------------

_LINKEDIN_HOST = re.compile(r"^(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com$", re.IGNORECASE)
_KINDS = {"in": "in", "pub": "in", "company": "company", "school": "school"}


def clean_linkedin(text: str) -> Cleaned:
    """``https://www.linkedin.com/in/<slug>`` (or ``/company/<slug>``) from any common shape.

    Accepts a URL without scheme, a country or mobile subdomain, tracking parameters, a
    trailing slash or sub-page (``/in/bob/details/``), and the old ``/pub/name/1/2/3`` form.
    Anything else is sent as typed (other URLs are allowed in the field).
    """
    typed = text.strip()
    if not typed:
        return Cleaned("")
    url = typed if re.match(r"^[a-z][a-z0-9+.-]*://", typed, re.IGNORECASE) else "https://" + typed
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return Cleaned(typed)
    if not _LINKEDIN_HOST.match(host):
        return Cleaned(typed)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in _KINDS:
        return Cleaned(
            typed, "This LinkedIn address is not a profile (/in/name); it will be sent as typed.",
            ok=False,
        )  # fmt: skip
    kind, slug = _KINDS[segments[0].lower()], segments[1]
    if any(ch.isspace() for ch in unquote(slug)):
        return Cleaned(
            typed, "A LinkedIn profile name has no spaces; it will be sent as typed.", ok=False
        )
    return _sent_as(typed, f"https://www.linkedin.com/{kind}/{slug}")


# -- a whole lead --------------------------------------------------------------------------------


def clean_field(name: str, text: str, *, country: str | None = None,
                default_region: str = DEFAULT_REGION) -> Cleaned:  # fmt: skip
    """The cleaner of one standard field; other fields are only trimmed."""
    if name == "email":
        return clean_email(text)
    if name == "phone":
        return clean_phone(text, region_for(country, default_region))
    if name == "linkedinUrl":
        return clean_linkedin(text)
    return Cleaned(text.strip())


def clean_values(values: Mapping[str, Any], *, default_region: str = DEFAULT_REGION,
                 keep: frozenset[str] = frozenset()) -> dict[str, Any]:  # fmt: skip
    """``values`` (request shape) with email, phone and LinkedIn URL cleaned; names in
    ``keep`` are left as they are. Values that are not text are left alone."""
    out = dict(values)
    country = values.get("country")
    for name in CLEANED_FIELDS:
        value = out.get(name)
        if name in keep or not isinstance(value, str) or not value.strip():
            continue
        out[name] = clean_field(
            name, value, country=country if isinstance(country, str) else None,
            default_region=default_region,
        ).value  # fmt: skip
    return out
