"""Field rules shared by the forms and the sandbox."""

from __future__ import annotations

import pytest

from sendkit_tui.domain import rules


@pytest.mark.parametrize("value", ["a@b.co", " Jane.Doe+x@sub.example.io ", "zoë@exämple.de"])
def test_good_emails(value):
    assert rules.check_email(value) is None


@pytest.mark.parametrize("value", ["", "   ", "jane", "jane@", "@x.io", "a b@c.io", "a@b", "a@b."])
def test_bad_emails(value):
    assert rules.check_email(value)


@pytest.mark.parametrize("value", ["", "+1 555 010 0199", "(030) 1234-567", "+44 20 7946 0958 x12"])
def test_good_phones(value):
    assert rules.check_phone(value) is None


@pytest.mark.parametrize("value", ["call me", "555-CALL", "+", "1" * 41, "12;34"])
def test_bad_phones(value):
    assert rules.check_phone(value)


@pytest.mark.parametrize("value", ["https://www.linkedin.com/in/jane", "http://linkedin.com/x", ""])
def test_good_urls(value):
    assert rules.check_url(value) is None


@pytest.mark.parametrize(
    "value",
    ["linkedin.com/in/jane", "ftp://x.io/a", "javascript:alert(1)", "https://", "https://a b.c"],
)
def test_bad_urls(value):
    assert rules.check_url(value)


def test_tags():
    assert rules.check_tag("vip") is None
    assert rules.check_tag("  ") == "A tag cannot be empty."
    assert "comma" in rules.check_tag("a,b")
    assert "already" in rules.check_tag("VIP", ["vip"])
    assert rules.check_tag("x" * (rules.MAX_TAG_LEN + 1))
    assert rules.normalize_tags([" a ", "A", "", "b"]) == ["a", "b"]


def test_custom_keys():
    assert rules.check_custom_key("plan") is None
    assert rules.check_custom_key("  ")
    assert rules.check_custom_key("plan", ["plan"])
    assert rules.check_custom_key("k" * (rules.MAX_KEY_LEN + 1))
    assert rules.check_custom_fields({"a": 1})
    assert rules.check_custom_fields({" a": "x"})
    assert rules.check_custom_fields({"a": "x"}) is None


def test_api_keys():
    assert rules.key_kind("sk_user_" + "a" * 48) == "platform"
    assert rules.key_kind("sk_" + "a" * 48) == "workspace"
    assert rules.key_kind("pk_live_x") is None
    assert rules.check_api_key("sk_" + "a" * 48) is None
    assert rules.check_api_key("hello")
    assert rules.check_api_key("sk_ab")
    assert rules.check_api_key("sk_abc def ghi jkl mno")


def test_mask_key_shows_only_the_ends():
    key = "sk_user_" + "0123456789abcdef" * 3
    masked = rules.mask_key(key)
    assert masked.startswith("sk_u") and masked.endswith(key[-4:])
    assert key[4:-4] not in masked
    assert rules.mask_key("short") == "*****"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://api.sendkit.ai", True),
        ("http://127.0.0.1:8765", True),
        ("http://localhost:1", True),
        ("http://[::1]:8000", True),
        ("http://api.sendkit.ai", False),
        ("http://10.0.0.5", False),
        ("http://127.evil.example.com", False),
        ("http://localhost.evil.example", False),
        ("ftp://x", False),
    ],
)
def test_base_url_policy(url, ok):
    assert (rules.check_base_url(url) is None) is ok
