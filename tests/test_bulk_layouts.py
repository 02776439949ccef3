"""Exports from the tools salespeople use import with no hand mapping (issue 16 item 6).

One sample file per layout in tests/data/, written from each tool's documented column names:
LinkedIn Connections (with its "Notes:" preamble), Google Contacts (current and older CSV),
Outlook, HubSpot, Apollo, Salesforce (report and Data Loader) and Pipedrive.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sendkit_tui.bulk import csv_read
from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk import rows as bulk_rows
from sendkit_tui.bulk.headers_known import noise_reason
from sendkit_tui.cli import import_cmd

DATA = Path(__file__).parent / "data"

# file → (layout, columns skipped as noise, the first row's lead exactly)
LAYOUTS = {
    "linkedin_connections.csv": (
        "LinkedIn Connections",
        ["Connected On"],
        {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@analytical.example",
         "linkedinUrl": "https://www.linkedin.com/in/ada-lovelace-example",
         "companyName": "Analytical Engines", "jobTitle": "Chief Mathematician"},
    ),
    "google_contacts.csv": (
        "Google Contacts",
        ["File As", "Photo", "E-mail 1 - Label", "E-mail 2 - Label", "Phone 1 - Label",
         "Phone 2 - Label", "Address 1 - Label", "Website 1 - Label"],
        {"firstName": "Ada", "lastName": "Lovelace", "Name Prefix": "Dr.",
         "companyName": "Analytical Engines", "jobTitle": "Mathematician",
         "Organization Department": "R&D", "Birthday": "1815-12-10", "Notes": "Met at the summit",
         "tags": ["Summit 2026"], "email": "ada@analytical.example",
         "E-mail 2 - Value": "ada@home.example",
         "phone": "+44 7700 900001", "Phone 1 - Value": "+44 20 7946 0001",
         "Address 1 - Formatted": "1 Engine Way\nLondon N1 1AA",
         "Address 1 - Street": "1 Engine Way", "city": "London", "state": "England",
         "Address 1 - Postal Code": "N1 1AA", "country": "United Kingdom",
         "Website 1 - Value": "https://analytical.example"},
    ),
    "google_contacts_old.csv": (
        "Google Contacts (older format)",
        ["Name", "Photo", "E-mail 1 - Type", "Phone 1 - Type", "Phone 2 - Type"],
        {"firstName": "Mary", "lastName": "Somerville", "tags": ["Astronomers"],
         "email": "mary@somerville.example", "phone": "+44 7700 900003",
         "Phone 1 - Value": "+44 131 496 0003", "companyName": "Royal Society",
         "jobTitle": "Science Writer"},
    ),
    "outlook.csv": (
        "Outlook",
        [],
        {"firstName": "John", "Middle Name": "Q", "lastName": "Public", "Title": "Mr.",
         "Suffix": "Jr.", "email": "john@acme.example", "E-mail 2 Address": "john.q@home.example",
         "phone": "+1 206 555 0102", "Home Phone": "+1 206 555 0100",
         "Business Phone": "+1 206 555 0101", "Company Main Phone": "+1 206 555 0199",
         "Business Fax": "+1 206 555 0198", "jobTitle": "Purchasing Manager",
         "Department": "Procurement", "companyName": "Acme Corp", "Business Street": "1 Main St",
         "city": "Seattle", "state": "WA", "Business Postal Code": "98101",
         "country": "United States", "Home City": "Tacoma", "Notes": "Met at booth 12",
         "tags": ["VIP", "Trade Show"]},
    ),
    "hubspot.csv": (
        "HubSpot",
        ["Record ID", "Contact owner", "Create Date", "Last Activity Date",
         "Associated Company IDs"],
        {"firstName": "Priya", "lastName": "Patel", "email": "priya@gamma.example",
         "phone": "+1 617 555 0120", "companyName": "Gamma Inc", "jobTitle": "VP Marketing",
         "city": "Boston", "state": "MA", "country": "United States",
         "Lifecycle Stage": "lead", "Lead Status": "New"},
    ),
    "apollo.csv": (
        "Apollo",
        ["Contact Owner", "Last Contacted", "Account Owner", "Apollo Contact Id",
         "Apollo Account Id"],
        {"firstName": "Wei", "lastName": "Chen", "jobTitle": "Head of Sales",
         "companyName": "Epsilon AI", "Company Name for Emails": "Epsilon",
         "email": "wei@epsilon.example", "Email Status": "Verified", "Seniority": "Head",
         "Departments": "Sales", "phone": "+1 415 555 0140", "Corporate Phone": "+1 415 555 0100",
         "Stage": "Cold", "Lists": "Q3 Outreach", "# Employees": "51-200", "Industry": "Software",
         "linkedinUrl": "http://www.linkedin.com/in/wei-chen-example",
         "Website": "https://epsilon.example",
         "Company Linkedin Url": "http://www.linkedin.com/company/epsilon-example",
         "city": "San Francisco", "state": "California", "country": "United States",
         "Company City": "San Francisco"},
    ),
    "salesforce.csv": (
        "Salesforce",
        ["Contact ID", "Contact Owner", "Created Date", "Last Modified Date"],
        {"Salutation": "Ms.", "firstName": "Fatima", "lastName": "Okafor",
         "jobTitle": "Procurement Lead", "companyName": "Zeta Holdings",
         "email": "fatima@zeta.example", "phone": "+234 803 555 0151", "Phone": "+234 1 555 0150",
         "Mailing Street": "2 Marina Rd", "city": "Lagos", "state": "Lagos",
         "Mailing Zip/Postal Code": "101001", "country": "Nigeria", "Lead Source": "Web"},
    ),
    "salesforce_dataloader.csv": (
        "Salesforce",
        ["Id", "AccountId", "OwnerId", "CreatedDate", "LastModifiedDate"],
        {"Salutation": "Mr.", "firstName": "Kwame", "lastName": "Mensah",
         "jobTitle": "Operations Director", "email": "kwame@theta.example",
         "phone": "+233 30 555 0170", "city": "Accra", "state": "Greater Accra",
         "country": "Ghana", "LeadSource": "Partner"},
    ),
    "pipedrive.csv": (
        "Pipedrive",
        ["Person - ID", "Person - Name", "Person - Owner", "Person - Add time",
         "Person - Update time"],
        {"firstName": "Lena", "lastName": "Fischer", "tags": ["Hot lead"],
         "companyName": "Eta GmbH", "email": "lena@home.example", "phone": "+49 151 555 0161",
         "Phone - Work": "+49 30 555 0160", "jobTitle": "Einkauf"},
    ),
}  # fmt: skip


def prepared(name, keep=(), clean=False):
    """The file mapped by guess; values as in the file unless ``clean`` (the mapping is under
    test here; cleaning is tested in test_clean.py and in test_each_layout_cleans_its_values)."""
    data = csv_read.read_csv(DATA / name)
    guess = bulk_mapping.guess(data.headers, keep=keep)
    bulk_mapping.check_mapping(data.headers, guess.mapping)  # no hand mapping needed
    return data, guess, bulk_rows.build_rows(data, guess.mapping, clean=clean)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_cleans_its_values_like_the_form(name):
    from sendkit_tui.domain.clean import clean_field

    *_, raw = prepared(name)
    *_, cleaned = prepared(name, clean=True)
    assert [r.ok for r in cleaned] == [r.ok for r in raw]
    for before, after in zip(raw, cleaned, strict=True):
        country = before.lead.get("country")
        for key, value in before.lead.items():
            if key in ("email", "phone", "linkedinUrl"):
                assert after.lead[key] == clean_field(key, value, country=country).value
            else:  # custom columns (a second phone, a company LinkedIn page) are left alone
                assert after.lead[key] == value


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_maps_with_no_hand_mapping(name):
    layout, noise, first = LAYOUTS[name]
    data, guess, rows = prepared(name)
    assert guess.layout == layout
    assert [data.headers[i] for i in guess.noise] == noise
    assert rows[0].ok, rows[0].errors
    assert rows[0].lead == first


def test_linkedin_notes_preamble_is_skipped_and_lines_stay_true():
    data, _guess, rows = prepared("linkedin_connections.csv")
    assert data.preamble_lines == 3 and data.headers[0] == "First Name"
    assert [r.line_no for r in rows] == [5, 6, 7]
    assert rows[1].errors == ["Email is required."]  # LinkedIn leaves many emails out
    assert rows[2].lead["companyName"] == "Bletchley Park, Ltd"


def test_phone_preference_mobile_then_work_then_first_filled():
    _data, _guess, rows = prepared("outlook.csv")
    assert rows[1].lead["phone"] == "+1 425 555 0110"  # no mobile: the business phone
    assert "Home Phone" not in rows[1].lead
    _data, _guess, rows = prepared("google_contacts.csv")
    assert rows[1].lead["phone"] == "+44 20 7946 0002"  # only a "Home" one: the first filled
    assert rows[1].lead["email"] == "charles@difference.example"  # E-mail 1 empty: the second
    headers = ["email", "Home Phone", "Business Phone", "Mobile"]
    data = csv_read.CsvData(headers, [["a@x.io", "1 111", "2 222", ""]], ",", "UTF-8", [2])
    (row,) = bulk_rows.build_rows(data, bulk_mapping.guess_mapping(headers), clean=False)
    assert row.lead["phone"] == "2 222" and row.lead["Home Phone"] == "1 111"


def test_outlook_title_is_an_honorific_and_any_title_next_to_job_title_too():
    _data, guess, rows = prepared("outlook.csv")
    assert rows[0].lead["jobTitle"] == "Purchasing Manager" and rows[0].lead["Title"] == "Mr."
    assert "honorific" in guess.notes[3]
    mapping = bulk_mapping.guess_mapping(["email", "Title", "Job Title"])
    assert mapping == {0: "email", 1: "custom:Title", 2: "jobTitle"}
    assert bulk_mapping.guess_mapping(["email", "Title"]) == {0: "email", 1: "jobTitle"}


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Record ID", "record id"), ("AccountId", "record id"), ("_id", "record id"),
        ("Contact owner", "owner"), ("OwnerId", "record id"), ("Create Date", "date"),
        ("CreatedDate", "date"), ("createdAt", "date"), ("Person - Add time", "date"),
        ("Connected On", "date"), ("Last Contacted", "date"),
        ("Time Zone", None), ("Birthday", None), ("Lead Status", None), ("Last Name", None),
        ("Notes", None), ("Owner's Pet", None),
    ],
)  # fmt: skip
def test_noise_columns(header, reason):
    assert noise_reason(header) == reason


def test_an_email_id_column_is_the_email():
    assert bulk_mapping.guess_mapping(["Email ID", "Name"]) == {0: "email", 1: "custom:Name"}


def test_keep_column_imports_a_noise_column_as_a_custom_field():
    _data, guess, rows = prepared("hubspot.csv", keep=["record id"])
    assert guess.mapping[0] == "custom:Record ID"
    assert rows[0].lead["Record ID"] == "51"
    with pytest.raises(csv_read.ImportProblem, match="no column 'Nope'"):
        bulk_mapping.guess(["email"], keep=["Nope"])


def parse(argv):
    parser = argparse.ArgumentParser(prog="sendkit-tui")
    import_cmd.add_import_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["import", *argv])


def test_the_preview_names_the_layout_and_the_skipped_columns(sandbox, capsys):
    env = {"SENDKIT_API_KEY": sandbox.api_key}
    code = import_cmd.run(parse([str(DATA / "hubspot.csv"), "--dry-run"]), "default",
                          sandbox.url, env)  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Looks like: HubSpot export" in out
    assert (
        "Skipped as not lead data: Record ID (record id), Contact owner (owner), Create Date "
        "(date), Last Activity Date (date), Associated Company IDs (record id). Keep one as a "
        "custom field with --keep-column NAME." in out
    )
    assert "one of 2 phone columns: per row the mobile one, else work" in out


def test_an_outlook_file_imports_into_the_sandbox(sandbox, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    env = {"SENDKIT_API_KEY": sandbox.api_key}
    argv = [str(DATA / "outlook.csv"), "--yes", "--no-cleanup", "--failed-out",
            str(tmp_path / "f.csv")]  # fmt: skip
    assert import_cmd.run(parse(argv), "default", sandbox.url, env) == 0
    out = capsys.readouterr().out
    assert "Imported 2 · updated 0 · skipped 0 · failed 0" in out
    (john,) = sandbox.find_leads("john@acme.example")
    assert john["phoneNumber"] == "+1 206 555 0102"
    assert john["jobTitle"] == "Purchasing Manager"
    assert john["tags"] == ["VIP", "Trade Show"]
    assert john["customFields"]["Title"] == "Mr."
    assert john["customFields"]["Home Phone"] == "+1 206 555 0100"
