"""Paste a contact (issue 15 item 4): vCards as Apple, Google and Outlook write them, and
plain email signatures, parsed into lead fields. Samples in tests/data/contacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendkit_tui.domain.contact_paste import parse_contact
from sendkit_tui.domain.rules import STANDARD_FIELDS
from sendkit_tui.domain.vcard import parse_vcard, unescape

CONTACTS = Path(__file__).parent / "data" / "contacts"


def sample(name: str) -> str:
    return (CONTACTS / name).read_bytes().decode("utf-8")


EXPECTED = {
    "apple_3.vcf": (
        "vCard 3.0",
        {"firstName": "Jane", "lastName": "Roe", "email": "Jane.Roe@Example-Corp.io",
         "phone": "(512) 555-0199", "companyName": "Example Corp", "jobTitle": "Head of Sales",
         "linkedinUrl": "https://www.linkedin.com/in/janeroe", "city": "Austin", "state": "TX",
         "country": "United States"},
        ["another email: jane@home.example", "another phone: (512) 555-0100",
         "department: Sales", "note: Met at the Austin summit, booth 12", "bday: 1985-04-12"],
    ),
    "google_3.vcf": (
        "vCard 3.0",
        {"firstName": "Søren", "lastName": "Kierkegaard", "email": "soren@filosofi.example",
         "phone": "+45 20 12 34 56", "companyName": "Filosofi ApS",
         "jobTitle": "Principal Consultant with a very long title that goes on and on so Google "
                     "folds the line here",
         "linkedinUrl": "linkedin.com/in/soren-k", "city": "København", "country": "Denmark"},
        ["only the first of 2 contacts was read", "another phone: +45 33 12 34 56",
         "website: https://filosofi.example", "categories: myContacts,Summit 2026"],
    ),
    "outlook_21.vcf": (
        "vCard 2.1",
        {"firstName": "Jürgen", "lastName": "Müller",
         "email": "juergen.mueller@mueller-soehne.example", "phone": "+49 151 23456789",
         "companyName": "Müller & Söhne GmbH", "jobTitle": "Geschäftsführer", "city": "Berlin",
         "state": "Berlin", "country": "Deutschland"},
        ["another phone: +49 30 1234567", "website: http://www.mueller-soehne.example",
         "note: Erstes Treffen auf der Messe"],
    ),
    "vcard_4.vcf": (
        "vCard 4.0",
        {"firstName": "Amara", "lastName": "Okafor", "email": "amara@zeta.example",
         "phone": "+234-803-555-0151", "companyName": "Zeta Holdings",
         "jobTitle": "Procurement Lead",
         "linkedinUrl": "https://ng.linkedin.com/in/amara-okafor?trk=people", "city": "Lagos",
         "state": "Lagos", "country": "Nigeria"},
        ["another email: amara.o@mail.example", "another phone: +234-1-555-0150"],
    ),
    "signature_plain.txt": (
        "email signature",
        {"firstName": "Jane", "lastName": "Roe", "jobTitle": "Head of Sales",
         "companyName": "Example Corp", "phone": "+1 (512) 555-0199",
         "email": "jane.roe@example-corp.io", "linkedinUrl": "linkedin.com/in/janeroe",
         "city": "Austin", "state": "TX", "country": "US"},
        ["website: www.example-corp.io", "another phone: +1 512 555 0100"],
    ),
    "signature_pipes.txt": (
        "email signature",
        {"firstName": "Tomás", "lastName": "García", "jobTitle": "VP Marketing",
         "companyName": "Delta Labs", "email": "tomas@delta-labs.example",
         "phone": "+34 612 34 56 78", "linkedinUrl": "https://www.linkedin.com/in/tomas-garcia/",
         "city": "Madrid", "country": "Spain"},
        [],
    ),
    "signature_outlook.txt": (
        "email signature",
        {"firstName": "Priya", "lastName": "Patel", "jobTitle": "Director of Operations",
         "companyName": "Gamma Technologies Ltd", "phone": "07700 900123",
         "email": "priya.patel@gamma.example"},
        ["another phone: 020 7946 0958",
         "not understood: Please consider the environment before printing this email."],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_gives_its_fields_and_says_what_it_left_out(name):
    kind, fields, left_out = EXPECTED[name]
    parsed = parse_contact(sample(name))
    assert parsed.kind == kind
    assert parsed.fields == fields
    assert parsed.left_out == left_out
    assert set(parsed.fields) <= set(STANDARD_FIELDS)


def test_every_sample_file_is_covered():
    assert {p.name for p in CONTACTS.iterdir()} == set(EXPECTED)


def test_line_endings_do_not_matter():
    text = sample("apple_3.vcf")
    assert parse_contact(text.replace("\r\n", "\n")).fields == parse_contact(text).fields
    sig = sample("signature_plain.txt")
    assert parse_contact(sig.replace("\n", "\r\n")).fields == parse_contact(sig).fields


def test_folded_lines_and_escapes():
    card = parse_vcard(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:one\\, two\\; three\\nfour\r\n  and five\r\n"
        'item3.X-SOCIALPROFILE;TYPE="linkedin";x-user=ann-b:x-apple:ann-b\r\nEND:VCARD\r\n'
    )
    assert card.first("NOTE").text == "one, two; three\nfour and five"
    assert unescape("a\\\\b") == "a\\b"
    apple_only_user = parse_contact(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann B\n"
        "X-SOCIALPROFILE;type=linkedin;x-user=ann-b:x-apple:ann-b"
        "\nEND:VCARD"
    )
    assert apple_only_user.fields == {
        "firstName": "Ann", "lastName": "B", "linkedinUrl": "linkedin.com/in/ann-b"
    }  # fmt: skip


def test_quoted_printable_soft_breaks_in_a_3_0_outlook_card():
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Ng;Lee\nEMAIL;TYPE=INTERNET:lee@ng.example\n"
        "TITLE;ENCODING=QUOTED-PRINTABLE;CHARSET=utf-8:Directrice g=C3=A9n=C3=A9rale adjoin=\n"
        "te\nEND:VCARD\n"
    )
    parsed = parse_contact(text)
    assert parsed.fields["jobTitle"] == "Directrice générale adjointe"
    assert parsed.fields["firstName"] == "Lee" and parsed.fields["lastName"] == "Ng"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "hello world", "Thanks!\n--\nSent from my iPhone", "BEGIN:VCARD\nEND:VCARD",
     "BEGIN:VCARD\nVERSION:4.0\nNOTE:only a note\nEND:VCARD", "12/03 lunch?"],
)  # fmt: skip
def test_empty_or_unparseable_text_gives_no_fields(text):
    assert parse_contact(text).empty


@given(st.text(max_size=400))
def test_any_text_parses_without_raising(text):
    parsed = parse_contact(text)
    assert set(parsed.fields) <= set(STANDARD_FIELDS)
    assert all(isinstance(v, str) and v for v in parsed.fields.values())


@given(st.text(max_size=200))
def test_any_vcard_body_parses_without_raising(body):
    parse_contact(f"BEGIN:VCARD\nVERSION:3.0\n{body}\nEND:VCARD")
