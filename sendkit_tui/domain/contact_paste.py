"""A pasted contact → lead fields: a vCard or a plain email signature.

``parse_contact(text)`` returns a ``PastedContact``: the fields in request shape (only those
found, as written; the form cleans them when it sends), what kind of text it was, and a list
of what was not understood or not used (a second phone, a website, a line it could not
place), each a short plain sentence. Nothing is guessed that the text does not say: a
signature's city and country are taken only from a line like ``Austin, TX`` or
``Berlin, Germany``, and a text with no email, phone or LinkedIn URL is no signature.
No Textual, no I/O; results hold user data, to be shown as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sendkit_tui.domain.clean import country_code
from sendkit_tui.domain.text import clip
from sendkit_tui.domain.vcard import Card, Prop, looks_like_vcard, parse_vcard

MAX_PASTE = 100_000

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_LINKEDIN = re.compile(r"(?:https?://)?(?:[\w-]+\.)?linkedin\.com/[^\s<>|,;\"')]+", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>|]+", re.IGNORECASE)
_PHONE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d(?:\s*(?:x|ext\.?)\s*\d+)?", re.IGNORECASE)
_PHONE_LABEL = re.compile(
    r"^(?P<label>mobile|mob|cell|m|tel|phone|ph|t|office|work|direct|d|o|w|p)\s*[:.]\s*", re.I
)
_MOBILE_LABELS = {"mobile", "mob", "cell", "m"}
_CLOSINGS = re.compile(
    r"^(--+|__+|best|best regards|kind regards|regards|cheers|thanks|thank you|many thanks|"
    r"sincerely|warm regards|sent from my \w+.*|get outlook for \w+.*)[,.!]?$",
    re.IGNORECASE,
)
_COMPANY_WORDS = re.compile(
    r"\b(inc|llc|ltd|limited|gmbh|ag|corp|corporation|co|company|plc|sa|sas|bv|oy|ab|"
    r"group|labs|technologies|solutions|partners)\b\.?$",
    re.IGNORECASE,
)
_US_STATES = frozenset(
    re.findall(
        r"[A-Z]{2}",
        "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
        "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC",
    )
)
_AT = re.compile(r"^(.+?)\s+(?:at|@)\s+(.+)$", re.IGNORECASE)
_NAME = re.compile(r"^[^\W\d_][\w'\u2019.-]*(?: [^\W\d_][\w'\u2019.-]*){1,3}$")


@dataclass
class PastedContact:
    fields: dict[str, str] = field(default_factory=dict)
    kind: str = ""  # "vCard 3.0", "email signature", or "" when nothing was found
    left_out: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.fields


def parse_contact(text: str) -> PastedContact:
    """The lead fields in a pasted vCard or email signature (empty when none were found)."""
    text = text[:MAX_PASTE]
    if not text.strip():
        return PastedContact()
    if looks_like_vcard(text):
        return _from_card(parse_vcard(text))
    return _from_signature(text)


# -- vCard ---------------------------------------------------------------------------------------

_IGNORED = {"PRODID", "REV", "UID", "PHOTO", "LOGO", "LABEL", "KIND", "CLASS", "SOURCE",
            "X-ABUID", "X-ABSHOWAS", "N", "FN", "SORT-STRING"}  # fmt: skip
_PHONE_RANK = {"cell": 0, "mobile": 0, "iphone": 0, "work": 1}


def _ranked(props: list[Prop], card: Card, rank: dict[str, int]) -> list[Prop]:
    def key(prop: Prop) -> tuple[int, int]:
        types = prop.types | {card.labels.get(prop.group, "")}
        preferred = "pref" in types or prop.params.get("PREF") == ["1"]
        return (min((rank[t] for t in types if t in rank), default=9), 0 if preferred else 1)

    return sorted(props, key=key)


def _from_card(card: Card) -> PastedContact:
    out = PastedContact(kind=f"vCard {card.version or '3.0'}")
    found = out.fields
    name = card.first("N")
    if name is not None:
        parts = [*name.parts(), "", ""]
        if parts[1]:
            found["firstName"] = parts[1]
        if parts[0]:
            found["lastName"] = parts[0]
    full = card.first("FN")
    if full is not None and full.text and "firstName" not in found and "lastName" not in found:
        found.update(_split_full_name(full.text))
    _take_best(out, "email", _ranked(card.all("EMAIL"), card, {"work": 0}), "another email")
    phones = _ranked(card.all("TEL"), card, _PHONE_RANK)
    for prop in phones:
        prop.value = re.sub(r"^tel:", "", prop.value.strip(), flags=re.IGNORECASE)
    _take_best(out, "phone", phones, "another phone")
    org = card.first("ORG")
    if org is not None:
        org_parts = [p for p in org.parts() if p]
        if org_parts:
            found["companyName"] = org_parts[0]
        if len(org_parts) > 1:
            out.left_out.append(f"department: {', '.join(org_parts[1:])}")
    title = card.first("TITLE") or card.first("ROLE")
    if title is not None and title.text:
        found["jobTitle"] = title.text
    _take_linkedin(out, card)
    addresses = _ranked(card.all("ADR"), card, {"work": 0})
    if addresses:
        adr = addresses[0].parts() + [""] * 7
        for name_, value in (("city", adr[3]), ("state", adr[4]), ("country", adr[6])):
            if value:
                found[name_] = value
    used = {"EMAIL", "TEL", "ORG", "TITLE", "ROLE", "ADR", "URL", "X-SOCIALPROFILE"}
    for prop in card.props:
        if prop.name in used or prop.name in _IGNORED or prop.name.startswith(("X-MS-", "X-AB")):
            continue
        if prop.text:
            out.left_out.append(f"{prop.name.lower()}: {clip(prop.text.splitlines()[0], 60)}")
    if card.card_count > 1:
        out.left_out.insert(0, f"only the first of {card.card_count} contacts was read")
    return out


def _take_best(out: PastedContact, name: str, props: list[Prop], other: str) -> None:
    values = [p.text for p in props if p.text]
    if values:
        out.fields[name] = values[0]
    out.left_out.extend(f"{other}: {v}" for v in values[1:] if v != values[0])


def _take_linkedin(out: PastedContact, card: Card) -> None:
    for prop in [*card.all("X-SOCIALPROFILE"), *card.all("URL")]:
        value = prop.text
        match = _LINKEDIN.search(value)
        if match:
            out.fields.setdefault("linkedinUrl", match.group(0))
        elif (
            prop.name == "X-SOCIALPROFILE"
            and "linkedin" in prop.types
            and prop.params.get("X-USER")
        ):
            out.fields.setdefault("linkedinUrl", f"linkedin.com/in/{prop.params['X-USER'][0]}")
        elif value:
            out.left_out.append(f"website: {clip(value, 80)}")


def _split_full_name(text: str) -> dict[str, str]:
    words = text.split()
    if len(words) == 1:
        return {"firstName": words[0]}
    return {"firstName": " ".join(words[:-1]), "lastName": words[-1]}


# -- email signature -----------------------------------------------------------------------------


def _from_signature(text: str) -> PastedContact:
    out = PastedContact(kind="email signature")
    found = out.fields
    phones: list[tuple[int, str]] = []
    texts: list[str] = []
    for line in text.replace("\r", "\n").split("\n"):
        for piece in re.split(r"\s+[|•·]\s+|\s+\|\s*|\t+", line.strip()):
            piece = piece.strip(" ,;|>")
            if not piece or _CLOSINGS.match(piece):
                continue
            piece = _take_contacts(out, piece, phones)
            if piece:
                texts.append(piece)
    if phones:
        phones.sort(key=lambda p: p[0])
        found["phone"] = phones[0][1]
        out.left_out.extend(f"another phone: {p}" for _, p in phones[1:])
    if not found:  # a signature without an email, phone or LinkedIn URL is no contact
        return PastedContact()
    _place_texts(out, texts)
    return out


def _take_contacts(out: PastedContact, piece: str, phones: list[tuple[int, str]]) -> str:
    """Take the email, LinkedIn URL, other URLs and phone out of ``piece``; what is left."""
    for match in _LINKEDIN.finditer(piece):
        out.fields.setdefault("linkedinUrl", match.group(0).rstrip("."))
    piece = _LINKEDIN.sub("", piece)
    for match in _EMAIL.finditer(piece):
        if "email" in out.fields:
            out.left_out.append(f"another email: {match.group(0)}")
        else:
            out.fields["email"] = match.group(0).rstrip(".")
    piece = _EMAIL.sub("", re.sub(r"mailto:|^e-?mail\s*[:.]", "", piece, flags=re.I))
    for match in _URL.finditer(piece):
        out.left_out.append(f"website: {match.group(0)}")
    piece = _URL.sub("", piece).strip(" ,;:")
    label = _PHONE_LABEL.match(piece)
    rest = piece[label.end() :] if label else piece
    phone = _PHONE.search(rest)
    if phone and sum(ch.isdigit() for ch in phone.group(0)) >= 7:
        kind = label.group("label").lower() if label else ""
        phones.append((0 if kind in _MOBILE_LABELS else 1, phone.group(0).strip()))
        return (rest[: phone.start()] + rest[phone.end() :]).strip(" ,;:")
    return piece.strip()


def _place_texts(out: PastedContact, texts: list[str]) -> None:
    """Name, title, company and place from the lines left, in the order signatures use."""
    found = out.fields
    rest: list[str] = []
    for text in texts:
        words = len(text.split())
        if words > 8 or (words > 3 and text.endswith((".", "!"))):
            rest.append(text)  # a sentence: a disclaimer, a quote, a greeting
        elif "firstName" not in found and _NAME.match(text) and not _COMPANY_WORDS.search(text):
            found.update(_split_full_name(text))
        elif _place(found, text):
            continue
        elif "jobTitle" not in found and _AT.match(text):
            at = _AT.match(text)
            assert at is not None
            found["jobTitle"] = at.group(1)
            found.setdefault("companyName", at.group(2))
        elif (
            "jobTitle" not in found
            and _COMPANY_WORDS.search(text.rsplit(", ", 1)[-1])
            and (", " in text)
        ):
            found["jobTitle"], company = text.rsplit(", ", 1)
            found.setdefault("companyName", company)
        elif "firstName" in found and "jobTitle" not in found and not _COMPANY_WORDS.search(text):
            found["jobTitle"] = text
        elif "companyName" not in found and ("firstName" in found or _COMPANY_WORDS.search(text)):
            found["companyName"] = text
        else:
            rest.append(text)
    out.left_out.extend(f"not understood: {clip(t, 80)}" for t in rest)


def _place(found: dict[str, str], text: str) -> bool:
    """``City, ST``, ``City, ST 12345``, ``City, Country``, ``City, ST, Country``: taken only
    when that obvious."""
    parts = [p.strip() for p in text.split(",")]
    if "city" in found or len(parts) not in (2, 3) or not all(parts):
        return False
    city, last = parts[0], re.sub(r"\s+\d[\d -]{3,}$", "", parts[-1])  # a ZIP after a state
    if any(ch.isdigit() for ch in city) or len(city.split()) > 4:
        return False
    if len(parts) == 2 and len(last) == 2 and last.upper() in _US_STATES:
        found.update(city=city, state=last.upper(), country="US")
        return True
    if len(last) > 2 and country_code(last):
        found.update(city=city, country=last)
        if len(parts) == 3:
            found["state"] = re.sub(r"\s+\d[\d -]{3,}$", "", parts[1])
        return True
    return False
