"""Deterministic sample data: workspaces, the user, leads and campaigns.

Nothing here reads the wall clock, so a seeded list looks the same on every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from itertools import combinations

from sendkit_tui.sandbox.records import tag_rows, to_row
from sendkit_tui.sandbox.store import Store
from sendkit_tui.sandbox.wire import parse_iso

USER = {"id": "664f1a2b3c4d5e6f7a8b9c0d", "name": "Demo User", "email": "demo@sendkit.example"}
WORKSPACES = (
    {"id": "665a1b2c3d4e5f6a7b8c9d01", "name": "Demo Workspace"},
    {"id": "665a1b2c3d4e5f6a7b8c9d02", "name": "Acme Sales"},
)
WORKSPACE_CREATED = "2025-06-01T10:30:00.000Z"
JOINED_AT = "2025-06-01T10:30:00.000Z"
ACTIVE_CAMPAIGN = {"id": "6660c0ffee00000000000001", "name": "Q4 Outbound", "status": "active"}
DONE_CAMPAIGN = {"id": "6660c0ffee00000000000002", "name": "Spring Webinar", "status": "completed"}
END_MS = parse_iso("2026-11-20T12:00:00.000Z")
STEP_MS = 3 * 3600 * 1000
RANDOM_SEED = 20261120

FIRST = (
    "Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofia", "Lucas", "Mia", "Ethan",
    "Chloé", "José", "Zoë", "Łukasz", "Søren", "Björn", "Aisha", "Hiroshi", "Priya", "Wei",
    "Fatima", "Diego", "Ingrid", "Kwame", "Nadia", "Omar", "Elena", "Raj", "Hannah", "Tomás",
    "Grace", "Mohammed", "Yuki", "Lena", "Marek", "Camille", "Jonas", "Isabela", "Ravi", "Amara",
)  # fmt: skip
LAST = (
    "Smith", "Johnson", "García", "Müller", "Nowak", "O'Brien", "Kim", "Nguyen", "Rossi",
    "Silva", "Dubois", "Jensen", "Kowalski", "Patel", "Tanaka", "Andersson", "Núñez", "Cohen",
    "Okafor", "Schmidt", "Brown", "Martin", "Lopez", "Wilson", "Hughes", "Byrne", "Novak",
    "Costa", "Larsen", "Ivanova", "Singh", "Yamamoto", "Fischer", "Moreau", "Walsh", "Chen",
)  # fmt: skip
COMPANIES = (
    ("Northwind Traders", "northwind.example", "Retail"),
    ("Globex", "globex.example", "Manufacturing"),
    ("Initech", "initech.example", "Software"),
    ("Umbrella Health", "umbrellahealth.example", "Healthcare"),
    ("Stark Logistics", "starklogistics.example", "Logistics"),
    ("Wayne Financial", "waynefinancial.example", "Finance"),
    ("Hooli", "hooli.example", "Software"),
    ("Pied Piper", "piedpiper.example", "Software"),
    ("Vandelay Industries", "vandelay.example", "Import/Export"),
    ("Soylent Foods", "soylent.example", "Food & Beverage"),
    ("Tyrell Robotics", "tyrell.example", "Robotics"),
    ("Cyberdyne Systems", "cyberdyne.example", "Defense"),
    ("Wonka Confections", "wonka.example", "Food & Beverage"),
    ("Oceanic Airlines", "oceanic.example", "Travel"),
    ("Blue Sun", "bluesun.example", "Energy"),
    ("Gringotts Capital", "gringotts.example", "Finance"),
    ("Monarch Media", "monarchmedia.example", "Media"),
    ("Aperture Labs", "aperture.example", "Research"),
    ("Bluth Company", "bluth.example", "Real Estate"),
    ("Dunder Paper", "dunder.example", "Paper"),
    ("Nakatomi Trading", "nakatomi.example", "Trading"),
    ("Zorg Engineering", "zorg.example", "Engineering"),
    ("Kraków Analytics", "krakow-analytics.example", "Analytics"),
    ("São Paulo Ventures", "spventures.example", "Venture Capital"),
)
TITLES = (
    "CEO", "CTO", "VP of Sales", "Head of Marketing", "Sales Manager", "Account Executive",
    "Marketing Manager", "Growth Lead", "Founder", "Operations Director", "Product Manager",
    "Software Engineer", "Procurement Lead", "Customer Success Manager", "CFO", "SDR",
)  # fmt: skip
PLACES = (
    ("Austin", "TX", "US"), ("New York", "NY", "US"), ("San Francisco", "CA", "US"),
    ("Chicago", "IL", "US"), ("Toronto", "ON", "CA"), ("London", None, "GB"),
    ("Berlin", None, "DE"), ("Paris", None, "FR"), ("Kraków", None, "PL"),
    ("São Paulo", "SP", "BR"), ("Tokyo", None, "JP"), ("Sydney", "NSW", "AU"),
    ("Copenhagen", None, "DK"), ("Lagos", None, "NG"), ("Bengaluru", "KA", "IN"),
    ("Dublin", None, "IE"), (None, None, "US"), (None, None, None),
)  # fmt: skip
TAGS = ("vip", "enterprise", "smb", "partner", "webinar", "warm", "cold", "decision-maker")
EMPLOYEES = ("1-10", "11-50", "51-200", "201-500", "501-1000", "1000+")
SOURCES = ("webinar", "referral", "linkedin", "website", "conference", "cold outreach")
PLANS = ("free", "starter", "pro", "enterprise")
_ASCII = str.maketrans(
    {
        "é": "e",
        "ë": "e",
        "ó": "o",
        "ø": "o",
        "ö": "o",
        "ü": "u",
        "ú": "u",
        "á": "a",
        "í": "i",
        "ł": "l",
        "ñ": "n",
        "ã": "a",
        "'": "",
        " ": "",
    }
)
ACME_LEADS = (
    {"email": "wile.coyote@acme.example", "firstName": "Wile E.", "lastName": "Coyote",
     "companyName": "Acme Corporation", "jobTitle": "Head of Procurement", "tags": ["vip"]},
    {"email": "road.runner@acme.example", "firstName": "Road", "lastName": "Runner",
     "companyName": "Acme Corporation", "jobTitle": "Logistics Lead", "tags": []},
    {"email": "marvin@acme.example", "firstName": "Marvin", "lastName": "Martian",
     "companyName": "Acme Corporation", "jobTitle": "CTO", "tags": ["enterprise"]},
)  # fmt: skip


def _ascii(name: str) -> str:
    return name.lower().translate(_ASCII).replace(".", "")


ASCII_FIRST = {name: _ascii(name) for name in FIRST}
ASCII_LAST = {name: _ascii(name) for name in LAST}
COMBOS = {k: list(combinations(TAGS, k)) for k in range(4)}
TAG_WEIGHTS = (0, 1, 1, 2, 2, 3)
CUSTOM_CHOICES = (("employees", EMPLOYEES), ("source", SOURCES), ("plan", PLANS))


def _json_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sample_rows(n: int, next_id: Callable[[int], str], workspace_id: str) -> Iterator[tuple]:
    """``n`` sample rows (store column order), oldest first, with their tag rows.

    Built straight as row tuples, with hand-made JSON for the fixed vocabularies,
    so 100,000 leads take about a second.
    """
    rng = random.Random(RANDOM_SEED)
    used: dict[str, int] = {}
    user = USER["id"]
    for i in range(n):
        v = rng.getrandbits(320)
        v, x = divmod(v, len(FIRST))
        first = FIRST[x]
        v, x = divmod(v, len(LAST))
        last = LAST[x]
        v, x = divmod(v, len(COMPANIES))
        company, domain, industry = COMPANIES[x]
        v, x = divmod(v, len(PLACES))
        city, state, country = PLACES[x]
        v, x = divmod(v, len(TITLES))
        title = TITLES[x]
        a_first, a_last = ASCII_FIRST[first], ASCII_LAST[last]
        base = f"{a_first}.{a_last}@{domain}"
        seen = used.get(base, 0)
        used[base] = seen + 1
        email = f"{a_first}.{a_last}{seen}@{domain}" if seen else base
        v, roll = divmod(v, 100)
        v, x = divmod(v, 10)
        custom = []
        if x:
            custom.append(f'"industry":{_json_text(industry)}')
            for key, values in CUSTOM_CHOICES:
                v, x = divmod(v, 2 * len(values))
                if x < len(values):
                    custom.append(f'"{key}":"{values[x]}"')
            v, x = divmod(v, 10 * 11 * 28)
            if x < 3 * 11 * 28:
                custom.append(f'"lastContacted":"2026-{1 + x // 28 % 11:02d}-{1 + x % 28:02d}"')
        v, x = divmod(v, 5 * 789 * 10000)
        if not x % 5:
            phone = None
        elif country in ("US", "CA", None):
            phone = f"+1 ({201 + x // 5 % 789}) 555-{x // 3945 % 10000:04d}"
        else:
            phone = f"+{30 + x % 70} {10 + x // 70 % 90} {1000 + x // 6300 % 9000} {100 + x % 900}"
        v, x = divmod(v, 4)
        linkedin = f"https://www.linkedin.com/in/{a_first}-{a_last}-{i:x}" if x else None
        v, x = divmod(v, len(TAG_WEIGHTS))
        combos = COMBOS[TAG_WEIGHTS[x]]
        v, x = divmod(v, len(combos))
        tags = combos[x]
        v, x = divmod(v, 3600)
        created = END_MS - (n - 1 - i) * STEP_MS - (x * 1000 if i < n - 1 else 0)
        v, x = divmod(v, 3 * 72 * 3600)
        updated = created if x % 3 else min(END_MS, created + x // 3 * 1000)
        lead_id = next_id(created)
        search = f"{email}\n{first}\n{last}\n{first} {last}\n{company}\n{title}".casefold()
        row = (
            lead_id, workspace_id, email, first, last, company, title, phone, linkedin,
            city, state, country, TAG_JSON[tags], "{" + ",".join(custom) + "}",
            1 if roll < 45 else 0, "deliverable" if roll < 45 else ("risky" if roll < 55 else None),
            user, created, updated, search,
        )  # fmt: skip
        yield row, [(workspace_id, tag, lead_id) for tag in tags]


TAG_JSON = {
    combo: "[" + ",".join(f'"{t}"' for t in combo) + "]"
    for combos in COMBOS.values()
    for combo in combos
}


def seed_store(store: Store, n: int) -> list[str]:
    """Fill an empty store: ``n`` leads in the first workspace, 3 in Acme Sales, campaigns.

    Returns the ids of the first workspace's leads, oldest first.
    """
    demo, acme = WORKSPACES[0]["id"], WORKSPACES[1]["id"]
    rows, tags = [], []
    for row, row_tags in sample_rows(n, store.ids.next, demo):
        rows.append(row)
        tags.extend(row_tags)
    ids = [row[0] for row in rows]
    for offset, record in enumerate(ACME_LEADS):
        created = END_MS - (len(ACME_LEADS) - offset) * 86_400_000
        lead_id = store.ids.next(created)
        rows.append(to_row(lead_id, acme, USER["id"], record, created))
        tags.extend(tag_rows(acme, lead_id, record["tags"]))
    with store.tx() as db:
        store.insert(db, rows, tags)
        for campaign, picked in (
            (ACTIVE_CAMPAIGN, ids[7::12]),
            (DONE_CAMPAIGN, ids[3::10]),
        ):
            store.add_campaign(
                db, campaign["id"], demo, campaign["name"], campaign["status"], picked
            )
    return ids
