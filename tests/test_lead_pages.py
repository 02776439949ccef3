"""LeadPages: rows page by page, pages far from the view let go and fetched again."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sendkit_tui.api import LeadRow, RowPage
from sendkit_tui.domain.lead_pages import LeadPages


def item(n: int) -> dict:
    return {"_id": f"id{n:06d}", "email": f"lead{n}@example.io", "createdAt": f"2026-{n:06d}"}


class FakeServer:
    """Newest first, keyset cursor = the last id of the page before, like the sandbox."""

    def __init__(self, count: int, size: int) -> None:
        self.items = [item(n) for n in range(count, 0, -1)]
        self.size = size

    def page(self, request: dict) -> RowPage:
        start = 0
        if "cursor" in request:
            start = next(i for i, x in enumerate(self.items) if x["_id"] == request["cursor"]) + 1
        chunk = self.items[start : start + self.size]
        more = start + self.size < len(self.items)
        rows = [LeadRow.from_item(x) for x in chunk]
        cursor = rows[-1].id if rows else None
        return RowPage(rows, total=len(self.items), has_more=more, next_cursor=cursor)


def fetch(pages: LeadPages, server: FakeServer, page: int) -> None:
    request = pages.next_request if page == len(pages.slots) else pages.slots[page].request
    assert request is not None
    pages.add(page, request, server.page(request))


def test_pages_append_in_order_and_count_rows():
    server, pages = FakeServer(250, 100), LeadPages()
    for page in range(3):
        fetch(pages, server, page)
    assert pages.row_count == 250 and pages.total == 250 and not pages.has_more
    assert [r.id for r in pages.rows()] == [x["_id"] for x in server.items]
    assert pages.index_of("id000001") == 249 and pages.locate(249) == (2, 49)


def test_far_pages_are_let_go_and_come_back_the_same():
    server, pages = FakeServer(1000, 100), LeadPages(keep=1)
    for page in range(10):
        fetch(pages, server, page)
        pages.let_go(pages.row_count - 1)
    assert pages.kept_rows == 300  # pages 8 and 9, and page 0, which is always kept
    assert pages.row(150) is None and pages.row(999).id == "id000001"
    assert pages.row(0).id == "id001000"
    assert pages.row_count == 1000  # rows let go still count, so row numbers stay put
    assert pages.missing(100, 130) == 1 and pages.missing(850, 999) is None
    fetch(pages, server, 1)  # scrolled back: page 1 again, with its own cursor
    assert [r.id for r in pages.rows()[100:103]] == ["id000900", "id000899", "id000898"]
    pages.let_go(100)
    assert pages.kept_rows == 200 and pages.row(999) is None  # pages 0 and 1


def test_a_created_lead_goes_first_and_an_edit_replaces_in_place():
    server, pages = FakeServer(150, 100), LeadPages()
    fetch(pages, server, 0)
    new = LeadRow.from_item(item(999))
    pages.insert_first(new)
    assert pages.row(0) is new and pages.row_count == 101 and pages.total == 151
    edited = LeadRow.from_item({**item(149), "firstName": "Edited"})
    assert pages.replace(edited) and pages.row(2).name == "Edited"
    assert not pages.replace(LeadRow.from_item(item(5)))  # on a page not fetched yet


def test_deleted_rows_leave_every_page_in_memory():
    server, pages = FakeServer(150, 100), LeadPages()
    fetch(pages, server, 0)
    fetch(pages, server, 1)
    pages.remove({"id000150", "id000001"}, 2)
    assert pages.row_count == 148 and pages.total == 148
    assert pages.index_of("id000150") is None and pages.row(0).id == "id000149"


def test_a_page_never_repeats_a_lead_already_shown():
    server, pages = FakeServer(150, 100), LeadPages()
    fetch(pages, server, 0)
    pages.insert_first(LeadRow.from_item(item(30)))  # shown before its page comes
    fetch(pages, server, 1)
    assert [r.id for r in pages.rows()].count("id000030") == 1


def test_older_page_number_pagination_asks_for_the_next_page():
    pages = LeadPages()
    rows = [LeadRow.from_item(item(1))]
    pages.add(0, {}, RowPage(rows, total=60, has_more=True, page=1, pages=3))
    assert pages.next_request == {"page": 2}
    pages.add(1, {"page": 2}, RowPage([], has_more=True))  # "more" but no way to ask
    assert pages.next_request is None and not pages.has_more


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    count=st.integers(0, 1200),
    moves=st.lists(st.integers(0, 1199), max_size=25),
    keep=st.integers(0, 3),
)
def test_scrolling_anywhere_keeps_memory_bounded_and_rows_right(count, moves, keep):
    server, pages = FakeServer(count, 100), LeadPages(keep=keep)
    fetch(pages, server, 0)
    for target in moves:
        while pages.has_more and pages.row_count <= target:  # page forward, as the list does
            fetch(pages, server, len(pages.slots))
            pages.let_go(pages.row_count - 1)
        cursor = min(target, max(0, pages.row_count - 1))
        while (missing := pages.missing(cursor, cursor + 40)) is not None:
            fetch(pages, server, missing)
        pages.let_go(cursor, cursor, cursor + 40)
        assert pages.kept_rows <= (2 * keep + 3) * 100  # the view may straddle two pages; page 0
        for index in range(cursor, min(cursor + 40, pages.row_count)):
            assert pages.row(index).id == server.items[index]["_id"]


def test_a_lead_created_before_the_first_page_arrives_comes_with_it():
    server, pages = FakeServer(150, 100), LeadPages()
    pages.insert_first(LeadRow.from_item(item(151)))  # nothing to put it in yet
    assert pages.slots == [] and pages.row_count == 0
    fetch(pages, server, 0)
    assert pages.has_more and pages.next_request == {"cursor": "id000051"}


def test_the_last_page_fetched_again_updates_what_comes_next():
    server, pages = FakeServer(150, 100), LeadPages()
    fetch(pages, server, 0)
    fetch(pages, server, 1)
    assert not pages.has_more
    server.items.extend(item(-n) for n in range(1, 61))  # 60 older leads, imported at the end
    pages.add(1, pages.slots[1].request, server.page(pages.slots[1].request))
    assert pages.row_count == 200 and pages.next_request == {"cursor": "id-00050"}
