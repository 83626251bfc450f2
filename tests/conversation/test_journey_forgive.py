"""Issue 11: the journey forgives (items 5, 14, 18): editing the invoice from the summary,
cancelling a filled form, edited messages."""

from __future__ import annotations

from tests.conftest import Chat, jpeg
from tests.conversation.journeys import sign_up
from tests.conversation.test_serial_early import register_product_to_summary


async def test_editing_the_invoice_from_the_summary_is_not_the_last_step(chat: Chat) -> None:
    await sign_up(chat)
    await register_product_to_summary(chat)
    await chat.tap("✏ Invoice")
    assert chat.replies[0].key == "reg.invoice.prompt_edit", chat.keys
    assert "Last step" not in chat.text_all
    await chat.photo(jpeg(900, 700, (1, 2, 3)))
    assert "Your product:" in chat.text_all
