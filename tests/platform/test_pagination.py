"""Paging a list computed in memory (`paginate_list`), as the clause follow-up does."""

from __future__ import annotations

from hansyn.platform.pagination import encode_cursor, paginate_list

ROWS = [{"id": n} for n in (7, 3, 9, 1, 4)]  # ordered by something no index holds


def ids(page) -> list[int]:
    return [row["id"] for row in page.items]


def _id(row: dict[str, int]) -> int:
    return row["id"]


def test_pages_follow_the_list_order_after_the_last_row_shown():
    first = paginate_list(ROWS, _id, size=2)
    assert ids(first) == [7, 3]
    assert not first.has_previous
    second = paginate_list(ROWS, _id, cursor=first.next_cursor, size=2)
    assert ids(second) == [9, 1]
    assert second.has_previous
    last = paginate_list(ROWS, _id, cursor=second.next_cursor, size=2)
    assert ids(last) == [4]
    assert last.next_cursor is None


def test_a_full_last_page_has_no_next_page():
    assert paginate_list(ROWS, _id, size=5).next_cursor is None
    assert paginate_list([], _id).items == []


def test_a_row_that_moved_is_followed_and_a_vanished_or_foreign_cursor_starts_over():
    cursor = paginate_list(ROWS, _id, size=2).next_cursor  # after row 3
    moved = [{"id": n} for n in (9, 3, 7, 1, 4)]
    assert ids(paginate_list(moved, _id, cursor=cursor, size=2)) == [7, 1]
    gone = [row for row in ROWS if row["id"] != 3]
    restart = paginate_list(gone, _id, cursor=cursor, size=2)
    assert ids(restart) == [7, 9]
    assert not restart.has_previous
    for foreign in ("not-a-cursor", encode_cursor(["3"]), encode_cursor([3, 4])):
        assert ids(paginate_list(ROWS, _id, cursor=foreign, size=2)) == [7, 3]
