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


async def test_cancelling_a_filled_form_offers_undo_right_after(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("register")
    await chat.tap("Graphics Card")
    await chat.text("GeForce RTX 5070 GAMING TRIO")
    await chat.tap("Cancel")
    assert chat.replies[0].key == "common.cancelled_undo", chat.keys
    assert "Nothing of it was kept" not in chat.text_all
    assert await chat.current_state() == "menu"
    await chat.tap("Undo")
    assert chat.replies[0].key == "common.undone"
    assert await chat.current_state() == "reg.model"
    session = await chat.app.sessions.load(chat.key)
    assert session.forms["register"] == {
        "category": "graphics_card",
        "product_name": "GeForce RTX 5070 GAMING TRIO",
    }


async def test_undo_is_only_right_after(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("register")
    await chat.tap("Graphics Card")
    await chat.tap("Cancel")
    undo = chat.button("Undo")
    await chat.command("menu")
    await chat.press(undo)
    assert chat.replies[0].key == "common.button_expired", chat.keys
    assert not (await chat.app.sessions.load(chat.key)).forms.get("register")


async def test_cancelling_an_empty_form_says_nothing_was_kept(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("register")
    await chat.tap("Cancel")
    assert chat.replies[0].key == "common.cancelled"
    assert "Undo" not in " ".join(label for r in chat.replies for label in r.labels())


async def test_cancelling_redeem_again_says_the_rejected_claim_stays(chat: Chat) -> None:
    from backend.port import RejectReason
    from tests.conversation.journeys import redeem, register_product, reject_and_redeem_again

    await register_product_and_redeem(chat, register_product, redeem)
    claim = await reject_and_redeem_again(chat, RejectReason.SN_MISMATCH, "")
    await chat.tap("Cancel")
    assert chat.replies[0].key == "common.cancelled_claim_kept", chat.keys
    assert "Nothing of it was kept" not in chat.text_all
    member_id = (await chat.app.sessions.load(chat.key)).member_id
    assert (await chat.app.backend.get_claim(member_id, claim.id)).status.value == "rejected"


async def register_product_and_redeem(chat: Chat, register_product, redeem) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)


async def test_an_edit_of_the_latest_answer_is_the_new_answer(chat: Chat) -> None:
    from handlers.io import EditedTextIn

    await sign_up(chat)
    await chat.command("register")
    await chat.tap("Graphics Card")
    await chat.text("GeForce RTX 5070 GAMING TRIO")
    assert await chat.current_state() == "reg.model"
    await chat.send(EditedTextIn("GeForce RTX 5080 GAMING TRIO", latest=True))
    assert chat.replies[0].key == "edit.taken", chat.keys
    assert await chat.current_state() == "reg.model"  # asked on from there, as before
    session = await chat.app.sessions.load(chat.key)
    assert session.forms["register"]["product_name"] == "GeForce RTX 5080 GAMING TRIO"


async def test_an_edit_of_an_older_answer_gets_a_hint_and_changes_nothing(chat: Chat) -> None:
    from handlers.io import EditedTextIn

    await sign_up(chat)
    await chat.command("register")
    await chat.tap("Graphics Card")
    await chat.text("GeForce RTX 5070 GAMING TRIO")
    await chat.text("V531-001R")
    await chat.send(EditedTextIn("GeForce RTX 5080", latest=False))
    assert chat.replies[0].key == "edit.use_summary", chat.keys
    assert await chat.current_state() == "reg.serial"
    session = await chat.app.sessions.load(chat.key)
    assert session.forms["register"]["product_name"] == "GeForce RTX 5070 GAMING TRIO"


async def test_an_edited_password_is_never_taken(chat: Chat) -> None:
    from handlers.io import EditedTextIn

    await chat.command("start")
    await chat.tap("Log in")
    await chat.text("jamie@example.com")
    assert await chat.current_state() == "login.password"
    await chat.send(EditedTextIn("s3cret-Passw0rd", latest=True))
    assert chat.replies[0].key == "edit.use_summary", chat.keys
    assert await chat.current_state() == "login.password"
