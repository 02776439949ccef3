"""csv_import: reading, mapping guesses, row validation, chunking, failed-rows CSV."""

from __future__ import annotations

import pytest

from sendkit_tui.bulk import csv_read, failed_rows
from sendkit_tui.bulk import mapping as bulk_mapping
from sendkit_tui.bulk import rows as bulk_rows
from sendkit_tui.bulk.csv_read import ImportProblem
from sendkit_tui.storage.files import is_private_file


def write(tmp_path, content, name="leads.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# --- reading ---------------------------------------------------------------------------------


def test_reads_utf8_with_bom(tmp_path):
    data = csv_read.read_csv(write(tmp_path, b"\xef\xbb\xbfEmail,First name\r\na@x.io,Ann\r\n"))
    assert data.headers == ["Email", "First name"]  # no BOM glued to the first header
    assert data.rows == [["a@x.io", "Ann"]]
    assert data.encoding_note == "UTF-8 with BOM" and data.bom
    assert data.delimiter == ","
    assert len(data.sha256) == 64


def test_reads_semicolon_file_with_commas_in_values(tmp_path):
    text = 'email;company;city\na@x.io;"Acme, Inc.";Oslo\nb@x.io;Beta;"Rio; RJ"\n'
    data = csv_read.read_csv(write(tmp_path, text))
    assert data.delimiter == ";" and data.encoding_note == "UTF-8"
    assert data.rows == [["a@x.io", "Acme, Inc.", "Oslo"], ["b@x.io", "Beta", "Rio; RJ"]]


def test_delimiter_sniffed_outside_quotes_only():
    assert csv_read.sniff_delimiter('"a;b;c;d",x,y\n1;2;3;4;5;6\n') == ","
    assert csv_read.sniff_delimiter('"a,b,c";x;y\n') == ";"
    assert csv_read.sniff_delimiter("email\n") == ","


def test_quoted_fields_with_newlines_quotes_and_line_numbers(tmp_path):
    text = 'email,notes,company\na@x.io,"line one\nline two","Say ""hi"""\n\nb@x.io,plain,Beta\n'
    data = csv_read.read_csv(write(tmp_path, text))
    assert data.rows[0] == ["a@x.io", "line one\nline two", 'Say "hi"']
    assert data.rows[1] == ["b@x.io", "plain", "Beta"]
    assert data.line_nos == [2, 5]  # a row starts where its first line is; blank lines skipped


def test_non_utf8_names_line_and_byte(tmp_path):
    path = write(tmp_path, "email,city\na@x.io,Oslo\nb@x.io,Malm\xf6\n".encode("latin-1"))
    with pytest.raises(ImportProblem) as info:
        csv_read.read_csv(path)
    message = str(info.value)
    assert "not UTF-8" in message and "line 3" in message and "0xF6" in message
    assert "byte offset 34" in message
    assert message.count(".") >= 1 and "\n" not in message


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file_is_a_clear_problem(tmp_path, content):
    with pytest.raises(ImportProblem, match="is empty"):
        csv_read.read_csv(write(tmp_path, content))


def test_header_only_and_missing_file(tmp_path):
    with pytest.raises(ImportProblem, match="no rows"):
        csv_read.read_csv(write(tmp_path, "email,name\n"))
    with pytest.raises(ImportProblem, match="Could not read"):
        csv_read.read_csv(tmp_path / "nope.csv")


# --- mapping ---------------------------------------------------------------------------------


def test_guess_mapping_synonyms_and_custom():
    headers = [
        "E-mail",
        "Given Name",
        "SURNAME",
        "Organization",
        "Position",
        "mobile",
        "LinkedIn Profile",
        "Town",
        "province",
        "Country",
        "labels",
        " Plan Tier ",
        "error",
    ]
    assert bulk_mapping.guess_mapping(headers) == {
        0: "email",
        1: "firstName",
        2: "lastName",
        3: "companyName",
        4: "jobTitle",
        5: "phone",
        6: "linkedinUrl",
        7: "city",
        8: "state",
        9: "country",
        10: "tags",
        11: "custom:Plan Tier",
        12: "skip",
    }


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("email address", "email"),
        ("Email_Address", "email"),
        ("first_name", "firstName"),
        ("firstName", "firstName"),
        ("family-name", "lastName"),
        ("company name", "companyName"),
        ("Job Title", "jobTitle"),
        ("title", "jobTitle"),
        ("Phone Number", "phone"),
        ("linkedin_url", "linkedinUrl"),
        ("region", "state"),
        ("TAGS", "tags"),
    ],
)
def test_guess_each_synonym(header, target):
    assert bulk_mapping.guess_target(header) == target


def test_second_column_for_same_field_becomes_custom():
    assert bulk_mapping.guess_mapping(["city", "Town"]) == {0: "city", 1: "custom:Town"}
    # Email and phone may come from several columns: per row the first filled one is used.
    assert bulk_mapping.guess_mapping(["email", "Email"]) == {0: "email", 1: "email"}


def test_overrides_and_their_problems():
    headers = ["Contact", "Who", "Plan"]
    mapping = bulk_mapping.guess_mapping(headers)
    assert mapping == {0: "custom:Contact", 1: "custom:Who", 2: "custom:Plan"}
    fixed = bulk_mapping.apply_overrides(
        headers, mapping, ["contact=email", "Who=First name", "Plan=custom:Tier"]
    )
    assert fixed == {0: "email", 1: "firstName", 2: "custom:Tier"}
    assert bulk_mapping.apply_overrides(headers, fixed, ["plan=skip"])[2] == "skip"
    with pytest.raises(ImportProblem, match="no column 'Nope'"):
        bulk_mapping.apply_overrides(headers, fixed, ["Nope=email"])
    with pytest.raises(ImportProblem, match="Unknown field 'bogus'"):
        bulk_mapping.apply_overrides(headers, fixed, ["Who=bogus"])
    with pytest.raises(ImportProblem, match="Header=field"):
        bulk_mapping.apply_overrides(headers, fixed, ["Who"])
    with pytest.raises(ImportProblem, match="both mapped to First name"):
        bulk_mapping.apply_overrides(headers, fixed, ["Plan=first name"])
    with pytest.raises(ImportProblem, match="No column is mapped to email"):
        bulk_mapping.apply_overrides(headers, mapping, [])


# --- rows ------------------------------------------------------------------------------------


def make(headers, *rows):
    return csv_read.CsvData(headers=headers, rows=[list(r) for r in rows], delimiter=",",
                      encoding_note="UTF-8", line_nos=list(range(2, len(rows) + 2)))  # fmt: skip


def test_build_rows_flat_lead_with_tags_and_custom_fields():
    data = make(
        ["Email", "First name", "Tags", " Plan ", "city"],
        [" a@x.io ", "Ann", "vip; beta | VIP", " pro ", ""],
    )
    (row,) = bulk_rows.build_rows(data, bulk_mapping.guess_mapping(data.headers))
    assert row.ok and row.line_no == 2
    assert row.lead == {
        "email": "a@x.io",
        "firstName": "Ann",
        "tags": ["vip", "beta"],
        "Plan": "pro",
    }  # empty city omitted, custom key and values trimmed
    assert row.cells == [" a@x.io ", "Ann", "vip; beta | VIP", " pro ", ""]


def test_build_rows_validation_errors():
    headers = ["email", "phone", "linkedin", "tags"]
    data = make(
        headers,
        ["", "", "", ""],
        ["not-an-email", "", "", ""],
        ["b@x.io", "call me", "", ""],
        ["c@x.io", "", "linkedin.com/in/c", ""],
        ["d@x.io", "", "", "t" * 65],
        ["e@x.io", "+1 555 0100", "https://www.linkedin.com/in/e", "a|b"],
        ["f@x.io", "", "", "", "extra"],
    )
    rows = bulk_rows.build_rows(data, bulk_mapping.guess_mapping(headers))
    assert rows[0].errors == ["Email is required."]
    assert rows[1].errors == ["Enter an email address like name@example.com."]
    assert rows[2].errors and "Phone" in rows[2].errors[0]
    # cleaned like the form: a LinkedIn URL without https:// is fine (issue 15 item 3) …
    assert rows[3].ok and rows[3].lead["linkedinUrl"] == "https://www.linkedin.com/in/c"
    assert rows[4].errors == ["A tag is at most 64 characters."]
    assert rows[5].ok and rows[5].lead["tags"] == ["a", "b"]
    assert rows[5].lead["phone"] == "+1 555 0100"  # not a valid number: sent as it is
    assert rows[6].errors and "5 cells" in rows[6].errors[0]
    # … and refused as it stands when values are sent as they are (--no-cleanup)
    raw = bulk_rows.build_rows(data, bulk_mapping.guess_mapping(headers), clean=False)
    assert raw[3].errors and "https://" in raw[3].errors[0]


def test_short_rows_are_padded():
    data = make(["email", "city", "country"], ["a@x.io"])
    (row,) = bulk_rows.build_rows(data, bulk_mapping.guess_mapping(data.headers))
    assert row.ok and row.lead == {"email": "a@x.io"}


# --- chunks ----------------------------------------------------------------------------------


def test_chunks_sizes_and_hard_cap():
    assert [len(c) for c in bulk_rows.chunks(list(range(12)), 5)] == [5, 5, 2]
    assert [len(c) for c in bulk_rows.chunks(list(range(12_001)), 10_000)] == [5000, 5000, 2001]
    assert list(bulk_rows.chunks([], 5)) == []
    with pytest.raises(ValueError):
        list(bulk_rows.chunks([1], 0))


# --- failed rows -----------------------------------------------------------------------------


def test_failed_rows_csv_round_trip(tmp_path):
    text = 'email;company;notes\nbad;"Acme; Inc";"two\nlines"\nok@x.io;B;\nalso-bad;C;x\n'
    data = csv_read.read_csv(write(tmp_path, b"\xef\xbb\xbf" + text.encode()))
    rows = bulk_rows.build_rows(data, bulk_mapping.guess_mapping(data.headers))
    failures = [(r.line_no, r.cells, "; ".join(r.errors)) for r in rows if not r.ok]
    out = failed_rows.failed_rows_csv(
        tmp_path / "failed.csv", data.headers, failures[::-1], delimiter=";", bom=True
    )
    assert is_private_file(out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    again = csv_read.read_csv(out)
    assert again.delimiter == ";"
    assert again.headers == ["email", "company", "notes", "error"]
    assert again.rows == [
        ["bad", "Acme; Inc", "two\nlines", "Enter an email address like name@example.com."],
        ["also-bad", "C", "x", "Enter an email address like name@example.com."],
    ]
    # Re-importing the fixed file: the error column is skipped, the rest maps as before.
    assert bulk_mapping.guess_mapping(again.headers) == {
        0: "email",
        1: "companyName",
        2: "custom:notes",
        3: "skip",
    }


def test_failed_rows_csv_reuses_an_existing_error_column(tmp_path):
    out = failed_rows.failed_rows_csv(
        tmp_path / "f.csv", ["email", "Error"], [(2, ["x", "old"], "new reason")]
    )
    assert csv_read.read_csv(out).rows == [["x", "new reason"]]
