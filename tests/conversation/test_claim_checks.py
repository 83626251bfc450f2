"""The checks on a whole claim in the conversation (issue 12), with the pre-check on (the real
engine in a thread-backed ``OcrPool``; text-layer PDF invoices, no OCR model needed): the
same invoice on another member's claim flagged to staff with the other claim's id; the S/N
photo at redemption showing another serial (a warning, "send it anyway", the finding for
staff) or the registered one (no warning); and the journey's length in customer messages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.port import RejectReason
from bot.app import App
from handlers.validators import DEFAULT_SERIAL_PATTERNS
from storage.ocr_pool import OcrPool
from storage.sticker import StickerReader
from tests.conftest import Chat
from tests.conversation import journeys
from tests.conversation.journeys import sign_up
from tests.conversation.test_fields import form_values, walk_registration_to
from tests.conversation.test_invoice_precheck import LINES
from tests.invoices import text_pdf
from tests.stickers import sticker_photo
from tests.stickers_printed import photograph_sticker, printed_sticker

SERIAL = "BA3T01946000V"


class Counting(Chat):
    """A chat that counts the customer's messages (texts, taps, commands, pictures)."""

    sent = 0

    async def send(self, body, event_id: str | None = None):
        self.sent += 1
        return await super().send(body, event_id)


@pytest.fixture
async def checked(app: App) -> AsyncIterator[App]:
    pool = OcrPool(
        1, 2, timeout=600, executor_factory=lambda n: ThreadPoolExecutor(n), warm=lambda: None
    )
    app.ports.invoice_check = pool
    yield app
    await pool.close()


async def register(
    chat: Chat, serial: str = SERIAL, invoice: bytes | None = None, unique_id: str = ""
) -> None:
    """Register by the sticker photo (serial and CHK off the barcodes) and a PDF invoice."""
    await chat.command("register")
    await chat.tap("Graphics Card")
    await chat.text("GeForce RTX 5070")
    await chat.text("V531-001R")
    await chat.photo(sticker_photo(serial=serial))
    # the barcodes are exact: the serial and the CHK taken at once (said, "Change" under it)
    assert "reg.serial_photo.taken_chk" in chat.keys, chat.keys
    assert f"Serial number {serial} and CHK code 123" in chat.text_all, chat.text_all
    # the purchase region: the account's (said, not asked)
    await chat.tap("Online retailer")
    # the store and the purchase date are read off the invoice (not asked)
    await chat.photo(
        invoice or text_pdf(LINES),
        filename="invoice.pdf",
        mime="application/pdf",
        unique_id=unique_id,
    )
    assert "check.all_found" in chat.keys, chat.text_all
    await chat.tap("Confirm")
    assert f"Registered: GeForce RTX 5070 (S/N {serial})" in chat.text_all, chat.text_all


async def redeem(chat: Chat, street: str = "Invalidenstr. 1", phone: str = "") -> None:
    """The redemption started right after ``register``: the sticker photo sent there is its
    S/N photo (said); the recipient, Confirm."""
    assert "redeem.sn_photo.from_sticker" in chat.keys, chat.keys
    await journeys.answer_recipient(chat, street, phone)
    await chat.tap("Confirm")
    assert "successfully sent" in chat.text_all, chat.text_all


async def staff_findings(app: App, member_chat: Chat) -> list[tuple[str, str]]:
    member = (await app.sessions.load(member_chat.key)).member_id
    (claim,) = await app.backend.list_claims(member)
    detail = await app.desk.find_claim(claim.id)
    return [(f.code, f.other_claim) for f in detail.findings]


async def test_the_same_invoice_on_another_members_claim_is_flagged_to_staff(checked: App) -> None:
    first = Chat(checked, user="2001")
    await sign_up(first, email="first@example.com")
    await register(first)
    await redeem(first)
    assert await staff_findings(checked, first) == []  # clean

    second = Chat(checked, user="2002")
    await sign_up(second, email="second@example.com")
    await register(second, serial="BA3T01946001V")  # another product, the same invoice
    await redeem(second, street="Torstr. 9", phone="+49 30 7654321")
    member = (await checked.sessions.load(first.key)).member_id
    (theirs,) = await checked.backend.list_claims(member)
    found = await staff_findings(checked, second)
    assert ("duplicate.invoice", theirs.id) in found
    assert ("duplicate.invoice_picture", theirs.id) in found


async def test_an_sn_photo_of_another_serial_is_a_warning_then_a_finding(checked: App) -> None:
    chat = Chat(checked)
    await sign_up(chat)
    await register(chat)
    await chat.tap("Send another S/N photo")  # not the sticker photo of the registration
    assert await chat.current_state() == "redeem.sn_photo"
    await chat.photo(sticker_photo(serial="BA3T01946999V"))
    assert "sn_check.differs" in chat.keys, chat.keys
    assert "BA3T01946999V, is not the registered one, BA3T01946000V" in chat.text_all
    assert await chat.current_state() == "redeem.sn_photo"
    await chat.photo(sticker_photo(chk=None, part=None, ean=None, serial=None))  # no barcode at all
    assert "sn_check.not_found" in chat.keys, chat.keys
    await chat.tap("Send it anyway")
    assert await chat.current_state() != "redeem.sn_photo"


async def test_the_same_telegram_file_on_another_members_claim_is_flagged(checked: App) -> None:
    """Telegram's file_unique_id beside the content hash: the same file sent again (its bytes
    need not be the same: here the second copy differs) is flagged with the other claim."""
    first = Chat(checked, user="2101")
    await sign_up(first, email="first@example.com")
    await register(first, unique_id="AgADfile1")
    await redeem(first)
    second = Chat(checked, user="2102")
    await sign_up(second, email="second@example.com")
    other_bytes = text_pdf([*LINES, "Page 1 of 1"])
    await register(second, "BA3T01946001V", invoice=other_bytes, unique_id="AgADfile1")
    await redeem(second, street="Torstr. 9")
    (theirs,) = await checked.backend.list_claims(
        (await checked.sessions.load(first.key)).member_id
    )
    found = await staff_findings(checked, second)
    assert ("duplicate.invoice_file", theirs.id) in found
    assert ("duplicate.invoice_picture", theirs.id) not in found  # other bytes: only the id

    third = Chat(checked, user="2103")  # another file: no such finding
    await sign_up(third, email="third@example.com")
    await register(third, "BA3T01946002V", invoice=other_bytes, unique_id="AgADfile3")
    await redeem(third, street="Kastanienallee 3")
    codes = [code for code, _ in await staff_findings(checked, third)]
    assert "duplicate.invoice_file" not in codes and "duplicate.invoice_picture" in codes


async def test_redeem_again_after_an_invoice_rejection_pre_checks_the_new_invoice(
    checked: App,
) -> None:
    """The claim is rejected for the invoice; the new invoice is checked as at registration
    (against the registered product and the promotion's period): one without the model is
    said at once; a better one passes; the finding of the invoice sent is the staff's."""
    chat = Chat(checked)
    await sign_up(chat)
    await register(chat)
    await redeem(chat)
    claim = (await checked.desk.review_queue())[0]
    await checked.desk.reject(claim.id, RejectReason.INVOICE_MISSING_MODEL, "", "staff")
    await chat.notifications()
    await chat.tap("Redeem again")
    no_model = [line for line in LINES if "RTX" not in line] + ["1 Graphics card  599,00 EUR"]
    await chat.photo(text_pdf(no_model), filename="invoice.pdf", mime="application/pdf")
    assert "check.finding.model_not_found_model" in chat.keys, chat.keys
    assert "GeForce RTX 5070" in chat.text_all and "V531-001R" in chat.text_all
    assert await chat.current_state() == "again.invoice"  # a better one, or send it anyway
    await chat.photo(text_pdf(LINES + ["Delivery"]), filename="invoice.pdf", mime="application/pdf")
    assert "check.all_found" in chat.keys, chat.keys
    await chat.tap("Confirm")
    assert "successfully sent" in chat.text_all, chat.text_all
    assert ("unchecked", "") not in await staff_findings(checked, chat)
    assert not [c for c, _ in await staff_findings(checked, chat) if c.startswith("invoice.")]

    # rejected again: this time the invoice without the model is sent anyway
    await checked.desk.reject(claim.id, RejectReason.INVOICE_MISSING_MODEL, "", "staff")
    await chat.notifications()
    await chat.tap("Redeem again")
    await chat.photo(text_pdf(no_model + ["Copy"]), filename="invoice.pdf", mime="application/pdf")
    await chat.tap("Send it anyway")
    await chat.tap("Confirm")
    assert ("invoice.model_not_found", "") in await staff_findings(checked, chat)


async def test_with_the_sticker_and_invoice_read_a_first_claim_and_a_second_are_short(
    checked: App,
) -> None:
    """Issue 12: a first claim from /start to submission <= 22 customer messages (sign-up
    with the optional details skipped, the registration with the sticker photo and the PDF
    invoice read, the redemption that follows it); a member's claim for another product, its
    registration included, <= 10. What the photos spare: the serial and CHK taken off the
    barcodes (no confirming tap), the store and date off the invoice (on the summary), the
    sticker photo as the S/N photo, the zip and city on one line, the unit not asked."""
    chat = Counting(checked)
    await sign_up(chat, details=False)
    await register(chat)
    await redeem_started(chat)
    first = chat.sent
    chat.sent = 0
    await chat.command("start")
    await register(chat, serial="BA3T01946002V")
    await redeem_started(chat)
    second = chat.sent
    print(f"customer messages: first claim {first}, another product's claim {second}")
    assert first <= 22 and second <= 10, (first, second)
    member = (await checked.sessions.load(chat.key)).member_id
    claims = await checked.backend.list_claims(member)
    assert sorted(c.serial for c in claims) == [SERIAL, "BA3T01946002V"]
    for claim in claims:  # each claim's S/N photo: its own sticker, read clean
        detail = await checked.desk.find_claim(claim.id)
        assert not [f.code for f in detail.findings if f.code.startswith("sn.")], detail.findings
    assert len({c.sn_photo for c in claims}) == 2


async def redeem_started(chat: Chat) -> None:
    """The redemption started right after the registration (the product picked, the sticker
    photo its S/N photo): the recipient (what the account lacks asked, the zip code and the
    city on one line), Confirm."""
    assert "redeem.picked_registered" in chat.keys, chat.keys
    assert "redeem.sn_photo.from_sticker" in chat.keys, chat.keys
    await journeys.answer_recipient(chat, one_line=True)
    await chat.tap("Confirm")
    assert "successfully sent" in chat.text_all, chat.text_all


@pytest.mark.ocr
async def test_a_serial_read_by_ocr_off_the_printed_label_is_confirmed_by_the_customer(
    app: App,
) -> None:
    """The barcode is scuffed: the printed S/N and CHK are read by OCR (no checksum), shown
    with the words "check every character", and taken only once the customer confirms."""
    pool = OcrPool(
        1, 2, timeout=600, executor_factory=lambda n: ThreadPoolExecutor(n), warm=lambda: None
    )
    app.ports.sticker = StickerReader(DEFAULT_SERIAL_PATTERNS, text=pool.read_sticker_text)
    chat = Chat(app)
    try:
        await sign_up(chat)
        await walk_registration_to(chat, "reg.serial")
        photo = photograph_sticker(
            printed_sticker(SERIAL, chk="417", scuffed=True, chk_barcode=False), angle=3
        )
        await chat.photo(photo)
        assert chat.keys[0] == "check.serial_text_chk", chat.keys
        assert (
            f"I read the serial number {SERIAL} and the CHK code 417 from the printed label"
            in chat.text_all
        )
        assert "check every character" in chat.text_all
        assert "serial" not in await form_values(chat, "register")  # not taken before the tap
        await chat.tap("Yes")
        values = await form_values(chat, "register")
        assert (values["serial"], values["chk"]) == (SERIAL, "417")
    finally:
        await pool.close()
