"""The import screen's mapping editor, driven by keys typed in bursts, against the sandbox."""

from __future__ import annotations

import csv

from sendkit_tui.ui.screens.import_csv import ImportScreen
from sendkit_tui.ui.widgets.target_picker import choices
from tests.typing_support import burst
from tests.ui_support import open_app, requests_to, settle

# LinkedIn's Connections.csv (its "Notes:" preamble included) with two more columns: an owner
# (noise) and one no tool knows ("Met at": a custom field until told otherwise).
HEADERS = [
    "First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On",
    "Owner", "Met at",
]  # fmt: skip
ROWS = [
    ["Ada", "Lovelace", "https://www.linkedin.com/in/ada-lovelace-example",
     "ada@analytical.example", "Analytical Engines", "Chief Mathematician", "14 Mar 2024",
     "Sam Owner", "London"],
    ["Alan", "Turing", "https://www.linkedin.com/in/alan-turing-example",
     "alan@bletchley.example", "Bletchley Park, Ltd", "Cryptanalyst", "30 Jun 2022",
     "Sam Owner", "Manchester"],
]  # fmt: skip


def linkedin_file(tmp_path):
    path = tmp_path / "Connections.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write('Notes:\n"Some e-mail addresses may be missing."\n\n')
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path


async def open_file(app, pilot, path, *keys):
    """From the list, as typed: i, the path, enter (focus lands on the columns), then keys."""
    burst(app, "i", f"={path}", "enter", *keys)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    return screen


def why(screen, row: int) -> str:
    table = screen.editor.table
    return str(table.get_row_at(row)[3])


def preview_row(screen, row: int) -> list[str]:
    return [str(cell) for cell in screen.query_one("#import-preview").get_row_at(row)]


async def test_a_linkedin_export_maps_itself_and_says_so(sandbox, tmp_path):
    path = linkedin_file(tmp_path)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_file(app, pilot, path)
        editor = screen.editor
        assert app.focused is editor.table
        assert editor.mapping == {
            0: "firstName", 1: "lastName", 2: "linkedinUrl", 3: "email", 4: "companyName",
            5: "jobTitle", 6: "noise", 7: "noise", 8: "custom:Met at",
        }  # fmt: skip
        layout = str(editor.query_one("#map-layout").render())
        assert "LinkedIn Connections" in layout and "2 noise columns" in layout
        assert "the LinkedIn profile" in why(screen, 2)
        assert why(screen, 6) == "noise (date)" and why(screen, 7) == "noise (owner)"
        values = str(editor.table.get_row_at(0)[1])
        assert "Ada" in values and "Alan" in values
        assert "ctrl+s imports 2 rows" in str(screen.query_one("#import-message").render())


async def test_mapping_changed_by_keys_is_exactly_what_the_leads_get(sandbox, tmp_path):
    """One burst: Company skipped, Position renamed to a custom field, a noise column kept,
    'Met at' sent to City; the preview follows; ctrl+s imports just that."""
    path = linkedin_file(tmp_path)
    async with open_app(sandbox, tmp_path, size=(200, 50)) as (app, pilot):
        screen = await open_file(
            app, pilot, path,
            "down", "down", "down", "down", "delete",  # Company: skipped
            "down", "enter", "=custom", "enter", "ctrl+u", "=Role at work", "enter",  # Position
            "down", "delete",  # Connected On: noise, kept
            "down", "down", "enter", "=cit", "enter",  # Met at → City
        )  # fmt: skip
        editor = screen.editor
        assert editor.mapping == {
            0: "firstName", 1: "lastName", 2: "linkedinUrl", 3: "email", 4: "skip",
            5: "custom:Role at work", 6: "custom:Connected On", 7: "noise", 8: "city",
        }  # fmt: skip
        assert screen.mapping == editor.mapping
        assert app.focused is editor.table and editor.mode is None
        assert why(screen, 4).startswith("changed by you (was Company)")
        assert why(screen, 6) == "kept noise (date)" and why(screen, 7) == "noise (owner)"
        assert screen.preview[0].lead == {
            "firstName": "Ada", "lastName": "Lovelace", "email": "ada@analytical.example",
            "linkedinUrl": "https://www.linkedin.com/in/ada-lovelace-example", "city": "London",
            "Role at work": "Chief Mathematician", "Connected On": "14 Mar 2024",
        }  # fmt: skip
        line, email, name, others, problems = preview_row(screen, 0)
        assert (email, name, problems) == ("ada@analytical.example", "Ada Lovelace", "ok")
        assert "City: Lond" in others
        assert "Company" not in others and "Sam Owner" not in others

        burst(app, "ctrl+s")
        await settle(pilot)
        assert (screen.report.imported, screen.report.failed) == (2, 0)

    (ada,) = sandbox.find_leads(email="ada@analytical.example")
    assert (ada["firstName"], ada["lastName"], ada["city"]) == ("Ada", "Lovelace", "London")
    assert ada["linkedinUrl"].endswith("linkedin.com/in/ada-lovelace-example")
    assert ada["companyName"] is None and ada["jobTitle"] is None
    assert ada["customFields"] == {
        "Role at work": "Chief Mathematician",
        "Connected On": "14 Mar 2024",
    }
    (alan,) = sandbox.find_leads(email="alan@bletchley.example")
    assert alan["city"] == "Manchester" and alan["companyName"] is None
    assert alan["customFields"] == {"Role at work": "Cryptanalyst", "Connected On": "30 Jun 2022"}


async def test_two_columns_on_one_field_block_the_start_until_resolved(sandbox, tmp_path):
    path = linkedin_file(tmp_path)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_file(app, pilot, path, "enter", "=last name", "enter", "ctrl+s")
        editor = screen.editor
        assert editor.mapping[0] == editor.mapping[1] == "lastName"
        assert "clash: 'Last Name'" in why(screen, 0) and "clash: 'First Name'" in why(screen, 1)
        problem = str(editor.query_one("#map-problem").render())
        assert "'First Name' and 'Last Name' both go to Last name" in problem
        message = str(screen.query_one("#import-message").render())
        assert "Not started: 'First Name' and 'Last Name' both go to Last name" in message
        assert screen.report is None and not requests_to(sandbox, "POST", "/v1/leads/bulk")

        burst(app, "enter", "=first", "enter", "ctrl+s")  # the clash resolved, then started
        await settle(pilot)
        assert editor.problem() is None and editor.mapping[0] == "firstName"
        assert editor.query_one("#map-problem").has_class("-none")
        assert screen.report.imported == 2


async def test_picker_filters_as_you_type_and_escape_keeps_the_target(sandbox, tmp_path):
    path = linkedin_file(tmp_path)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_file(app, pilot, path, "down", "down", "enter", "=co")
        editor = screen.editor
        assert editor.mode == "pick" and app.focused is editor.filter
        options = editor.query_one("#map-options")
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == ["Company", "Country", "custom field 'co'"]
        burst(app, "down", "down", "up", "escape")
        await settle(pilot)
        assert editor.mode is None and app.focused is editor.table
        assert editor.mapping[2] == "linkedinUrl"
        burst(app, "enter", "=co", "down", "enter")  # the second choice: Country
        await settle(pilot)
        assert editor.mapping[2] == "country"


async def test_a_bad_custom_name_is_said_and_the_name_box_stays(sandbox, tmp_path):
    path = linkedin_file(tmp_path)
    async with open_app(sandbox, tmp_path) as (app, pilot):
        screen = await open_file(
            app, pilot, path, "enter", "=custom", "enter", "ctrl+u", "=tags", "enter"
        )
        editor = screen.editor
        assert editor.mode == "name" and app.focused is editor.name_box
        assert "cannot be named 'tags'" in str(editor.query_one("#map-name-error").render())
        assert editor.mapping[0] == "firstName"
        burst(app, "backspace", "=z", "enter")
        await settle(pilot)
        assert editor.mapping[0] == "custom:tagz" and editor.mode is None


def test_choices_offer_typed_text_as_a_custom_field():
    assert choices("", "Plan")[-2:] == [
        ("custom:?", "custom field… (name it; default 'Plan')"),
        ("skip", "skip (not imported)"),
    ]
    assert choices("Plan tier", "Plan") == [("custom:Plan tier", "custom field 'Plan tier'")]
    assert [t for t, _l in choices("sk", "x")] == ["skip"]
    assert next(t for t, _l in choices("linkedin", "x")) == "linkedinUrl"


async def test_the_columns_use_the_terminal_width(sandbox, tmp_path):
    """200 columns: the editor and the preview spread out; 80: they fit without a sideways
    scroll."""
    path = linkedin_file(tmp_path)
    widths = {}
    for size in ((80, 24), (200, 50)):
        async with open_app(sandbox, tmp_path, size=size) as (app, pilot):
            screen = await open_file(app, pilot, path)
            tables = screen.editor.table, screen.query_one("#import-preview")
            widths[size] = [sum(c.get_render_width(t) for c in t.columns.values()) for t in tables]
            for table in tables:
                assert widths[size][tables.index(table)] <= table.scrollable_content_region.width
    assert all(wide > 180 for wide in widths[(200, 50)])
