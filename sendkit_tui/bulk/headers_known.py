"""What column headers mean: synonyms, the layouts of other tools' exports, noise columns.

Pure data and small look-ups; the decisions are in ``mapping.py``. Headers are compared
*normalised*: lowercased, with spaces, ``_``, ``-`` and ``.`` removed (``"E-mail 1 - Value"``
→ ``"email1value"``), and Pipedrive's ``"Person - "`` prefix dropped.

Layouts, from the column names each tool documents for its contacts export:

- **LinkedIn Connections** (``Connections.csv``): ``Notes:`` lines before the header (skipped
  by ``csv_read``), then ``First Name, Last Name, URL, Email Address, Company, Position,
  Connected On``. ``URL`` is the LinkedIn profile.
- **Google Contacts** (Google CSV): ``First Name, Last Name, Organization Name, Organization
  Title, E-mail 1 - Value, Phone 1 - Label, Phone 1 - Value, Address 1 - City, Labels, …``;
  the older format spells them ``Given Name, Family Name, Organization 1 - Name, … Phone 1 -
  Type, Group Membership``. Which phone is the mobile is said by the ``Phone N - Label`` cell.
- **Outlook CSV**: ``First Name, Last Name, Title, Job Title, Company, E-mail Address, E-mail 2
  Address, Business Phone, Home Phone, Mobile Phone, Business City, Categories, …``. ``Title``
  is an honorific (Mr., Dr.): it becomes a custom field, never the job title.
- **HubSpot**: ``Record ID, First Name, Last Name, Email, Phone Number, Mobile Phone Number,
  Company Name, Job Title, City, State/Region, Country/Region, Contact owner, Create Date, …``.
- **Apollo**: ``First Name, Last Name, Title, Company, Email, Work Direct Phone, Mobile Phone,
  Person Linkedin Url, City, State, Country, Contact Owner, Apollo Contact Id, …`` (here
  ``Title`` is the job title).
- **Salesforce** (report or Data Loader): ``Contact ID, Salutation, First Name, Last Name,
  Title, Account Name, Email, Phone, Mobile, Mailing City, Mailing State/Province, Mailing
  Country, Contact Owner, Created Date`` or ``Id, FirstName, MobilePhone, MailingCity, OwnerId…``.
- **Pipedrive** people: ``Person - Name, Person - First name, Person - Email - Work, Person -
  Phone - Mobile, Person - Organization, Person - Job title, Person - Label, Person - Owner,
  Person - ID, Person - Add time, …``.
- **sendkit-tui export**: request names (``email, firstName, …, tags``), one ``custom:<name>``
  column per custom field, then ``id, createdAt`` (see ``export.py``).

Across layouts: several email or phone columns feed one field (per row the phone is the mobile
one, else a work one, else the first filled; the email is the first filled); a bare ``Title``
next to a ``Job Title`` is an honorific; record ids, owners and dates are *noise* (skipped,
listed in the preview, kept with ``--keep-column``); Google's ``… - Label``/``… - Type``
columns only say which kind the value next to them is.
"""

from __future__ import annotations

import re

# The column our failed-rows CSV adds; skipped when that file is imported again.
ERROR_COLUMN = "error"
# How an export marks a custom-field column (also how --map names one): "custom:Budget".
CUSTOM_HEADER_PREFIX = "custom:"
PIPEDRIVE_PREFIX = re.compile(r"^\s*person\s+-\s+", re.IGNORECASE)


def custom_name(header: str) -> str:
    """The custom-field name a column becomes: its header, without Pipedrive's prefix."""
    return PIPEDRIVE_PREFIX.sub("", header).strip() or header.strip()


def norm(header: str) -> str:
    """The comparison form of a header (see the module docstring)."""
    text = PIPEDRIVE_PREFIX.sub("", header)
    return re.sub(r"[\s_\-.]+", "", text.strip().lower())


SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "e-mail", "email address", "e-mail address", "mail", "email_address", "email id",
        "primary email", "work email", "business email", "personal email",
        "e-mail 2 address", "e-mail 3 address",  # Outlook
        "email - work", "email - home", "email - other",  # Pipedrive
        "e-mail 1 - value", "e-mail 2 - value", "e-mail 3 - value",  # Google
    ),
    "firstName": ("first name", "firstname", "given name", "forename", "first"),
    "lastName": ("last name", "lastname", "surname", "family name", "last"),
    "companyName": (
        "company", "company name", "organization", "organisation", "org", "employer",
        "account name", "organization name", "organization 1 - name",
    ),
    "jobTitle": (
        "title", "job title", "position", "role", "job", "organization title",
        "organization 1 - title",
    ),
    "phone": (
        "phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "mobilephone",
        "mobile phone number", "mobile number", "cell", "cell phone", "work phone",
        "business phone", "business phone 2", "work direct phone", "direct phone",
        "office phone", "home phone", "home phone 2", "primary phone", "other phone",
        "car phone", "phone - work", "phone - mobile", "phone - home", "phone - other",
        "phone 1 - value", "phone 2 - value", "phone 3 - value", "phone 4 - value",
    ),
    "linkedinUrl": (
        "linkedin", "linkedin url", "linkedin profile", "linkedin profile url",
        "person linkedin url",
    ),
    "city": ("city", "town", "mailing city", "business city", "address 1 - city"),
    "state": (
        "state", "region", "province", "county", "state/region", "state/province",
        "mailing state", "mailing state/province", "business state", "address 1 - region",
    ),
    "country": (
        "country", "country name", "country/region", "mailing country", "business country",
        "business country/region", "address 1 - country",
    ),
    "tags": ("tags", "tag", "labels", "label", "categories", "group membership"),
}  # fmt: skip

# Fields that several columns may feed: per row the best filled one wins (see rows.py).
CHOICE_FIELDS = ("email", "phone")

# A phone column's kind, from its header: the preference is mobile, then work, then any.
MOBILE, WORK, OTHER = "mobile", "work", "other"
_MOBILE_WORDS = re.compile(r"mobile|cell|handy", re.IGNORECASE)
_WORK_WORDS = re.compile(r"work|business|office|direct", re.IGNORECASE)
# Google's "Phone 1 - Value" takes its kind from "Phone 1 - Label" (older: "- Type").
LABELLED_VALUE = re.compile(r"^(phone|e-?mail)\s*(\d+)\s*-\s*value$", re.IGNORECASE)
LABEL_COLUMN = re.compile(r"^(phone|e-?mail|address|website|relation|event)\s*(\d+)\s*-\s*"
                          r"(label|type)$", re.IGNORECASE)  # fmt: skip


def kind_of(text: str) -> str:
    """``mobile``, ``work`` or ``other`` for a header or a label cell ("Mobile", "Work")."""
    if _MOBILE_WORDS.search(text):
        return MOBILE
    if _WORK_WORDS.search(text):
        return WORK
    return OTHER


# Record ids, owners and dates: not imported unless the user keeps them (--keep-column).
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DATE_PAIRS = {
    ("connected", "on"),
    ("last", "contacted"),
    ("last", "modified"),
    ("last", "activity"),
}
_NOT_LEAD_DATA = {norm(h) for h in ("file as", "photo")}


def noise_reason(header: str) -> str | None:
    """Why a column is noise (``"record id"``, ``"owner"``, ``"date"``), else None."""
    text = PIPEDRIVE_PREFIX.sub("", header).strip()
    words = [w for w in re.split(r"[\s_\-./]+", _CAMEL.sub(" ", text).lower()) if w]
    if not words:
        return None
    if words[-1] in ("id", "ids"):
        return "record id"  # Record ID, Contact ID, AccountId, Apollo Contact Id, _id
    if "owner" in words:
        return "owner"  # Contact owner, OwnerId, Person - Owner
    if "date" in words or tuple(words[:2]) in _DATE_PAIRS:
        return "date"  # Create Date, CreatedDate, Connected On, Last Activity Date
    stamp = words[0] in ("created", "modified", "updated", "add", "update", "last")
    if stamp and (len(words) == 1 or words[-1] in ("at", "on", "by", "time")):
        return "date"  # createdAt, Add time, Last Raised At
    if norm(text) in _NOT_LEAD_DATA:
        return "not lead data"
    return None


OWN_EXPORT = "sendkit-tui export"
# Layout name → headers (normalised) that must all be present to recognise it.
LAYOUTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("LinkedIn Connections", ("first name", "last name", "url", "email address", "company",
                              "position", "connected on")),
    ("Google Contacts (older format)", ("given name", "family name", "group membership")),
    ("Google Contacts", ("e-mail 1 - value",)),
    ("Outlook", ("title", "job title", "e-mail address", "business phone")),
    ("HubSpot", ("record id", "contact owner")),
    ("Apollo", ("apollo contact id",)),
    ("Apollo", ("person linkedin url", "email status")),
    ("Salesforce", ("salutation", "account name")),
    ("Salesforce", ("salutation", "mailing city")),
    ("Salesforce", ("salutation", "mailingcity")),
    ("Pipedrive", ("person - email - work",)),
    ("Pipedrive", ("person - first name",)),
)  # fmt: skip


def detect_layout(headers: list[str]) -> str | None:
    """The tool whose export these headers look like (the names above), else None."""
    if is_own_export(headers):
        return OWN_EXPORT
    have = {norm(h) for h in headers}
    raw = {h.strip().lower() for h in headers}
    for name, needed in LAYOUTS:
        if name == "Pipedrive":
            if all(n in raw for n in needed):
                return name
        elif all(norm(n) in have for n in needed):
            return name
    return None


# Per layout: header (normalised) → target and the note the preview shows for it.
LAYOUT_TARGETS: dict[str, dict[str, tuple[str, str]]] = {
    "LinkedIn Connections": {"url": ("linkedinUrl", "the LinkedIn profile")},
    "Outlook": {"title": ("custom:Title", "an honorific (Mr., Dr.), not the job title")},
}


EXPORT_HEADERS = {norm(h) for h in ("email", "firstName", "lastName", "companyName", "jobTitle",
                                     "phone", "linkedinUrl", "city", "state", "country", "tags",
                                     "id", "createdAt")}  # fmt: skip


def is_own_export(headers: list[str]) -> bool:
    """The file has the columns of this app's export (see ``export.py``)."""
    return {norm(h) for h in headers} >= EXPORT_HEADERS
