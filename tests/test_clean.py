"""Clean values (issue 15 item 3): phones in E.164, LinkedIn URLs canonical, emails lower-cased."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendkit_tui.domain.clean import (
    clean_email,
    clean_field,
    clean_linkedin,
    clean_phone,
    clean_values,
    region_for,
)
from sendkit_tui.domain.edit_model import LeadEdit
from sendkit_tui.domain.rules import check_phone, check_url

PHONES = [  # (typed, region, sent)
    ("(415) 555-0142", "US", "+14155550142"),
    ("415.555.0142", "US", "+14155550142"),
    ("415-555-0142", "US", "+14155550142"),
    ("1 415 555 0142", "US", "+14155550142"),
    ("+1 (415) 555-0142", "GB", "+14155550142"),
    ("+14155550142", "US", "+14155550142"),
    ("001 415 555 0142", "DE", "+14155550142"),
    ("415 555 0142 x12", "US", "+14155550142 x12"),
    ("415-555-0142 ext. 7", "US", "+14155550142 x7"),
    ("020 7946 0958", "GB", "+442079460958"),
    ("+44 (0)20 7946 0958", "US", "+442079460958"),
    ("0044 20 7946 0958", "FR", "+442079460958"),
    ("07911 123456", "GB", "+447911123456"),
    ("030 1234567", "DE", "+49301234567"),
    ("+49 (0)30 123 4567", "US", "+49301234567"),
    ("01 42 68 53 00", "FR", "+33142685300"),
    ("+33 1 42 68 53 00", "US", "+33142685300"),
    ("+46 (0)40 123 45", "US", "+464012345"),
    ("98765 43210", "IN", "+919876543210"),
    ("+61 2 9374 4000", "US", "+61293744000"),
    ("(02) 9374 4000", "AU", "+61293744000"),
    ("+234 803 555 0151", "US", "+2348035550151"),
    ("\t+1 415 555 0142 ", "US", "+14155550142"),
]


@pytest.mark.parametrize(("typed", "region", "sent"), PHONES)
def test_phone_shapes_become_e164(typed, region, sent):
    cleaned = clean_phone(typed, region)
    assert cleaned.ok and cleaned.value == sent
    assert cleaned.note == ("" if typed.strip() == sent else f"will be sent as {sent}")
    assert check_phone(cleaned.value) is None  # what is sent passes the shared field rule


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("12", "Too few digits for a US phone number"),
        ("555-0100", "not a valid US phone number"),
        ("call me", "does not look like a phone number"),
        ("+999 1234 5678", "country code is unknown"),
        ("4155550142424242424242", "too long"),
    ],
)
def test_invalid_phones_are_explained_and_sent_as_typed(typed, words):
    cleaned = clean_phone(typed, "US")
    assert not cleaned.ok and cleaned.value == typed
    assert words.lower() in cleaned.note.lower() and cleaned.note.endswith("sent as typed.")
    assert cleaned.note.count(".") <= 3  # one plain sentence, not a stack trace


@pytest.mark.parametrize(
    ("country", "region"),
    [("US", "US"), ("gb", "GB"), ("UK", "GB"), ("United Kingdom", "GB"), ("England", "GB"),
     ("Deutschland", "DE"), ("germany", "DE"), (" France ", "FR"), ("Japon", "JP"),
     ("United States of America", "US"), ("", "DE"), (None, "DE"), ("Narnia", "DE"),
     ("XX", "DE")],
)  # fmt: skip
def test_region_from_the_country_field_else_the_default(country, region):
    assert region_for(country, "DE") == region


def test_the_country_decides_how_a_national_number_is_read():
    assert clean_field("phone", "020 7946 0958", country="United Kingdom").value == "+442079460958"
    assert clean_field("phone", "030 1234567", country="DE").value == "+49301234567"
    assert clean_field("phone", "(415) 555-0142", default_region="US").value == "+14155550142"
    assert not clean_field("phone", "(415) 555-0142", default_region="GB").ok  # not a GB number
    assert not clean_field("phone", "020 7946 0958", country="US").ok


LINKEDIN = [  # (typed, sent)
    ("linkedin.com/in/bob", "https://www.linkedin.com/in/bob"),
    ("www.linkedin.com/in/bob/", "https://www.linkedin.com/in/bob"),
    ("https://www.linkedin.com/in/bob", "https://www.linkedin.com/in/bob"),
    ("http://linkedin.com/in/bob", "https://www.linkedin.com/in/bob"),
    ("HTTPS://WWW.LINKEDIN.COM/in/bob-smith-1a2b3c", "https://www.linkedin.com/in/bob-smith-1a2b3c"),
    ("https://uk.linkedin.com/in/bob?trk=public_profile", "https://www.linkedin.com/in/bob"),
    ("https://de.linkedin.com/in/bob/?originalSubdomain=de", "https://www.linkedin.com/in/bob"),
    ("https://m.linkedin.com/in/bob#experience", "https://www.linkedin.com/in/bob"),
    ("https://www.linkedin.com/in/bob?utm_source=share&utm_medium=ios_app",
     "https://www.linkedin.com/in/bob"),
    ("https://www.linkedin.com/in/bob/details/experience/", "https://www.linkedin.com/in/bob"),
    ("https://www.linkedin.com/in/j%C3%B8rn-k", "https://www.linkedin.com/in/j%C3%B8rn-k"),
    ("www.linkedin.com/pub/john-doe/1/23/456", "https://www.linkedin.com/in/john-doe"),
    ("https://linkedin.com/company/acme-corp/", "https://www.linkedin.com/company/acme-corp"),
    ("linkedin.com/company/acme-corp/about/?viewAsMember=true",
     "https://www.linkedin.com/company/acme-corp"),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "sent"), LINKEDIN)
def test_linkedin_shapes_become_canonical(typed, sent):
    cleaned = clean_linkedin(typed)
    assert cleaned.ok and cleaned.value == sent
    assert check_url(cleaned.value) is None


@pytest.mark.parametrize(
    "typed", ["https://example.com/bob", "bob", "https://notlinkedin.com/in/x"]
)
def test_other_text_in_the_url_field_is_left_alone(typed):
    assert clean_linkedin(typed) == (typed, "", True)


@pytest.mark.parametrize("typed", ["linkedin.com/feed/", "https://www.linkedin.com/in/"])
def test_a_linkedin_address_that_is_no_profile_is_explained(typed):
    cleaned = clean_linkedin(typed)
    assert not cleaned.ok and cleaned.value == typed and "LinkedIn" in cleaned.note


def test_emails_are_trimmed_and_lower_cased():
    assert clean_email("  Ann.Lee@Example.COM ") == (
        "ann.lee@example.com",
        "will be sent as ann.lee@example.com",
        True,
    )
    assert clean_email(" ann@example.com ") == ("ann@example.com", "", True)


def test_clean_values_cleans_the_three_fields_and_keeps_what_is_asked():
    lead = {"email": "A@B.io", "phone": "(415) 555-0142", "linkedinUrl": "linkedin.com/in/a",
            "firstName": " Ann ", "country": "US", "tags": ["x"]}  # fmt: skip
    out = clean_values(lead)
    assert out == {**lead, "email": "a@b.io", "phone": "+14155550142",
                   "linkedinUrl": "https://www.linkedin.com/in/a"}  # fmt: skip
    assert clean_values(lead, keep=frozenset({"phone"}))["phone"] == "(415) 555-0142"


@given(st.text(max_size=40), st.sampled_from(["US", "GB", "DE", "IN"]))
def test_cleaning_a_phone_never_raises_and_is_stable(text, region):
    cleaned = clean_phone(text, region)
    assert cleaned.ok or cleaned.value == text.strip()
    if cleaned.ok and cleaned.value:
        assert clean_phone(cleaned.value, region).value == cleaned.value  # idempotent


@given(st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True), st.sampled_from(
    ["", "www.", "uk.", "https://", "http://www.", "https://fr."]),
    st.sampled_from(["", "/", "?trk=x", "/?utm_source=y&a=b", "#top"]))  # fmt: skip
def test_any_profile_url_shape_gives_the_one_canonical_url(slug, prefix, suffix):
    typed = f"{prefix}linkedin.com/in/{slug}{suffix}"
    cleaned = clean_linkedin(typed)
    assert cleaned.value == f"https://www.linkedin.com/in/{slug}"
    assert clean_linkedin(cleaned.value) == (cleaned.value, "", True)


@given(st.text(max_size=60))
def test_cleaning_any_text_never_raises(text):
    for name in ("email", "phone", "linkedinUrl", "city"):
        assert isinstance(clean_field(name, text, country=text[:20]).value, str)


# -- the edit model sends the cleaned value, or the typed one when the user keeps it ---------


def test_create_body_sends_cleaned_values_and_keeps_the_typed_text():
    model = LeadEdit()
    model.set_field("email", " Ann@Example.com")
    model.set_field("phone", "020 7946 0958")
    model.set_field("country", "United Kingdom")
    model.set_field("linkedinUrl", "uk.linkedin.com/in/ann/?trk=x")
    body = model.create_body()
    assert body["email"] == "ann@example.com" and body["phone"] == "+442079460958"
    assert body["linkedinUrl"] == "https://www.linkedin.com/in/ann"
    assert model.text("phone") == "020 7946 0958"  # the box keeps what was typed
    assert model.problems() == {}  # the URL without https:// passes once cleaned
    assert model.toggle_keep_typed("phone") is True
    assert model.create_body()["phone"] == "020 7946 0958"
    restored = LeadEdit.from_draft(model.to_draft())
    assert restored.keep_typed == {"phone"} and restored.create_body() == model.create_body()
    assert model.toggle_keep_typed("phone") is False
    assert model.create_body()["phone"] == "+442079460958"


def test_edit_patch_is_empty_when_the_cleaned_value_is_the_stored_one():
    model = LeadEdit({"email": "a@b.io", "phone": "+14155550142", "linkedinUrl": None})
    model.set_field("phone", "(415) 555-0142")
    assert model.patch() == {}
    model.set_field("phone", "(415) 555-0143")
    assert model.patch() == {"phone": "+14155550143"}
    stored = LeadEdit({"email": "a@b.io", "phone": "(415) 555-0142"})
    stored.set_field("city", "Paris")
    assert stored.patch() == {"city": "Paris"}  # a stored value is never re-sent cleaned


def test_default_region_is_a_setting_that_survives_a_save(tmp_path):
    from sendkit_tui.storage.config import config_from_dict, load_config, save_config

    config, ignored = config_from_dict({"default_region": "GB", "theme": "x"})
    assert config.default_region == "GB" and not ignored
    assert config_from_dict({"default_region": 44})[1] == ["default_region"]
    path = tmp_path / "config.toml"
    save_config(config, path)
    assert load_config(path).default_region == "GB"
