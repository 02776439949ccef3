"""What column headers mean: the synonyms of each lead field.

Pure data and small look-ups; the decisions are in ``mapping.py``. Headers are compared
*normalised*: lowercased, with spaces, ``_``, ``-`` and ``.`` removed.
"""

from __future__ import annotations

import re

# The column our failed-rows CSV adds; skipped when that file is imported again.
ERROR_COLUMN = "error"
# How an export marks a custom-field column (also how --map names one): "custom:Budget".
CUSTOM_HEADER_PREFIX = "custom:"


def norm(header: str) -> str:
    """The comparison form of a header (see the module docstring)."""
    return re.sub(r"[\s_\-.]+", "", header.strip().lower())


SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "email_address"),
    "firstName": ("first name", "firstname", "given name", "forename", "first"),
    "lastName": ("last name", "lastname", "surname", "family name", "last"),
    "companyName": ("company", "company name", "organization", "organisation", "org", "employer"),
    "jobTitle": ("title", "job title", "position", "role", "job"),
    "phone": ("phone", "phone number", "mobile", "mobile phone", "telephone", "tel", "cell"),
    "linkedinUrl": ("linkedin", "linkedin url", "linkedin profile", "linkedin profile url"),
    "city": ("city", "town"),
    "state": ("state", "region", "province", "county"),
    "country": ("country", "country name"),
    "tags": ("tags", "tag", "labels", "label"),
}

# Columns of our export that the server makes (normalised): never imported.
SERVER_MADE = {norm("id"), norm("createdAt")}
EXPORT_HEADERS = {norm(h) for h in ("email", "firstName", "lastName", "companyName", "jobTitle",
                                     "phone", "linkedinUrl", "city", "state", "country", "tags",
                                     "id", "createdAt")}  # fmt: skip


def is_own_export(headers: list[str]) -> bool:
    """The file has the columns of this app's export (see ``export.py``)."""
    return {norm(h) for h in headers} >= EXPORT_HEADERS
