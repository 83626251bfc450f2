"""``paging.fit``: a page is one Telegram message (4,096 UTF-16 units) whatever its items."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from handlers.paging import MESSAGE_LIMIT, MORE, fit, units

line = st.text(alphabet=st.sampled_from("ab é中😀"), max_size=700)
item = st.lists(line, min_size=1, max_size=8).map("\n".join)


@given(st.lists(item, max_size=40))
def test_a_page_fits_one_message_with_its_head_and_tail_whole(items: list[str]) -> None:
    head, tail = ["📋 Your redeem history", "Page 2 of 50"], ["Next page: /queue abc"]
    text = fit(head, items, tail)
    assert units(text) <= MESSAGE_LIMIT
    assert text.startswith("\n\n".join(head)) and text.endswith(tail[0])
    assert "\ufffd" not in text.encode("utf-16-le", "replace").decode("utf-16-le")
    if units("\n\n".join([*head, *items, *tail])) <= MESSAGE_LIMIT:
        assert text == "\n\n".join([*head, *items, *tail])  # nothing cut when it fits


def test_each_item_keeps_its_first_lines_and_says_it_was_cut() -> None:
    items = [f"• product {n}\n  S/N {n}\n" + "  reason " * 200 for n in range(10)]
    text = fit(["title"], items)
    assert units(text) <= MESSAGE_LIMIT
    for n in range(10):
        assert f"• product {n}\n  S/N {n}\n  reason" in text
    assert text.count(MORE) == 10


def test_emoji_count_twice() -> None:
    """Telegram counts UTF-16 units: 2,100 emoji are 4,200 units, over the limit."""
    text = fit([], ["😀" * 700] * 3)
    assert units(text) <= MESSAGE_LIMIT and len(text) < 2100
