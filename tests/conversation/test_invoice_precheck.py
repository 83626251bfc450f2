"""The invoice pre-check in the conversation (issue 12): the customer hears at once what a
reviewer would miss, may send a better one or send it anyway; a bad photo is refused with
advice before anything is stored; a busy or late pool lets the claim go on, marked unchecked.

The checks run the real engine (storage/invoice.py) in the real ``OcrPool``, in a thread
rather than a spawned process (the app's own pool is off in the tests: OCR_WORKERS=0); few
pictures, and text-layer PDFs where the text is all that matters."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.app import App, build_app
from storage.invoice import InvoiceCheck
from storage.invoice_text import Expected
from storage.ocr_pool import OcrPool
from tests.conftest import Chat, make_settings
from tests.conversation.journeys import sign_up
from tests.conversation.test_fields import form_values, walk_registration_to
from tests.invoices import Invoice, image_pdf, photograph, render, text_pdf

# what to_invoice registers: GeForce RTX 5070 (V531-001R); the invoice gives the store and date
GOOD = Invoice(
    shop="Amazon EU S.a.r.l.",
    lang="en",
    product="GeForce RTX 5070",
    model="V531-001R",
    date_style="iso",
)
LINES = [
    "Amazon EU S.a.r.l.",
    "Invoice No. INV-778812",
    "Invoice date: 2026-10-01",
    "1 MSI GeForce RTX 5070 (V531-001R)  599,00 EUR",
]


def thread_pool(**kwargs) -> OcrPool:
    """A generous timeout: a loaded CI machine must not turn a check into "unchecked"."""
    kwargs.setdefault("timeout", 600)
    return OcrPool(
        1, 2, executor_factory=lambda n: ThreadPoolExecutor(n), warm=lambda: None, **kwargs
    )


@pytest.fixture
async def checked(app: App) -> AsyncIterator[App]:
    """The app with the invoice pre-check on."""
    pool = thread_pool()
    app.ports.invoice_check = pool
    yield app
    await pool.close()


async def to_invoice(chat: Chat) -> None:
    """With the checks on, the invoice is asked after the region and the channel: the store
    and the purchase date are read off it."""
    await sign_up(chat)
    await walk_registration_to(chat, "reg.store")  # up to the region
    await chat.tap("Online retailer")
    assert await chat.current_state() == "reg.invoice"


async def stored_check(chat: Chat) -> dict:
    session = await chat.app.sessions.load(chat.key)
    return session.forms["register"]["_invoice_check"]


async def test_a_pdf_with_a_text_layer_is_checked_without_ocr_and_passes(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    await chat.photo(text_pdf(LINES), filename="invoice.pdf", mime="application/pdf")
    assert "check.all_found" in chat.keys, chat.keys
    assert "Your product:" in chat.text_all  # on to the summary
    assert (await form_values(chat, "register"))["invoice"]  # page 1 stored for the staff
    check = await stored_check(chat)
    assert check["findings"] == [] and check["checked"] is True
    assert check["key"] == "amazoneusarl|inv778812|2026-10-01"
    await chat.tap("Confirm")
    assert "Registered: GeForce RTX 5070" in chat.text_all


async def test_the_store_and_date_are_taken_from_the_invoice(checked: App) -> None:
    """The invoice before the store and the date: both read off it, said once, shown on the
    summary (editable there), never asked; the registration is two messages shorter."""
    chat = Chat(checked)
    await to_invoice(chat)
    await chat.photo(text_pdf(LINES), filename="invoice.pdf", mime="application/pdf")
    assert "reg.invoice.filled" in chat.keys, chat.keys
    assert "From your invoice: store Amazon EU S.a.r.l., purchase date" in chat.text_all
    assert await chat.current_state() == "reg.summary"
    values = await form_values(chat, "register")
    assert (values["store"], values["purchase_date"]) == ("Amazon EU S.a.r.l.", "2026-10-01")
    await chat.tap("✏ Store")  # a wrong reading is changed on the summary
    await chat.text("Amazon.de")
    assert await chat.current_state() == "reg.summary"
    await chat.tap("Confirm")
    session = await chat.app.sessions.load(chat.key)
    (product,) = await checked.backend.list_products(session.member_id)
    assert (product.store, product.purchase_date.isoformat()) == ("Amazon.de", "2026-10-01")


async def test_what_the_invoice_did_not_show_is_asked_after_it(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    no_date = [line for line in LINES if "date" not in line]
    await chat.photo(text_pdf(no_date), filename="invoice.pdf", mime="application/pdf")
    assert "check.finding.date_not_found" in chat.keys
    await chat.tap("Send it anyway")
    assert await chat.current_state() == "reg.purchase_date"  # the store was read
    assert (await form_values(chat, "register"))["store"] == "Amazon EU S.a.r.l."
    await chat.text("2026-10-01")
    assert await chat.current_state() == "reg.summary"


@pytest.mark.ocr
async def test_an_invoice_missing_the_model_is_told_then_a_better_one_passes(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    wrong = Invoice(
        shop="Amazon EU S.a.r.l.",
        lang="en",
        product="GeForce RTX 4060 Ti",
        model=None,
        date_style="iso",
    )
    await chat.photo(photograph(render(wrong), side=1280))
    assert "check.finding.model_not_found_model" in chat.keys, chat.keys
    assert (
        "I can't find GeForce RTX 5070 or V531-001R on this invoice: it must show the model name"
        in chat.text_all
    )
    assert await chat.current_state() == "reg.invoice"
    assert "invoice" not in await form_values(chat, "register")  # not taken yet: advice first
    chat.button("Send it anyway")  # the customer may always submit
    await chat.photo(text_pdf(LINES), filename="invoice.pdf", mime="application/pdf")
    assert "check.all_found" in chat.keys
    assert (await stored_check(chat))["findings"] == []
    assert "Your product:" in chat.text_all


async def test_send_it_anyway_keeps_the_invoice_and_its_findings(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    no_number = [line for line in LINES if "Invoice No." not in line]
    await chat.photo(text_pdf(no_number), filename="invoice.pdf", mime="application/pdf")
    assert "check.finding.number_not_found" in chat.keys
    await chat.tap("Send it anyway")
    assert "Your product:" in chat.text_all
    assert (await stored_check(chat))["findings"] == ["number_not_found"]
    assert (await form_values(chat, "register"))["invoice"]


async def test_a_date_outside_the_promotions_purchase_period(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)  # levelup (the only graphics card promotion) starts 2025-01-01
    lines = [line.replace("2026-10-01", "2024-12-20") for line in LINES]
    await chat.photo(text_pdf(lines), filename="invoice.pdf", mime="application/pdf")
    assert "check.finding.date_outside_window" in chat.keys, chat.keys
    assert "outside the promotion's purchase period (2025-01-01 to 2030-12-31)" in chat.text_all


@pytest.mark.ocr
async def test_a_pdf_without_a_text_layer_is_read_by_ocr(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    await chat.photo(
        image_pdf(render(GOOD).resize((827, 1170))), filename="scan.pdf", mime="application/pdf"
    )
    assert "check.all_found" in chat.keys, chat.text_all
    assert (await stored_check(chat))["key"].endswith("|2026-10-01")


async def test_a_blurred_photo_is_refused_with_advice_and_nothing_is_stored(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    before = await form_values(chat, "register")
    await chat.photo(photograph(render(GOOD), side=1280, blur=6))
    assert "check.finding.too_blurred" in chat.keys, chat.keys
    assert "hold the phone steady" in chat.text_all
    assert await chat.current_state() == "reg.invoice"
    assert await form_values(chat, "register") == before
    assert not list((Path(checked.settings.media_dir)).rglob("*.jpg"))  # nothing stored


async def test_the_pool_timing_out_lets_the_claim_go_on_marked_unchecked(app: App) -> None:
    release = threading.Event()

    def stuck(data: bytes, expected: Expected) -> InvoiceCheck:
        release.wait()
        return InvoiceCheck()

    pool = thread_pool(invoice_job=stuck, timeout=0.01)
    app.ports.invoice_check = pool
    chat = Chat(app)
    try:
        await to_invoice(chat)
        await chat.photo(photograph(render(GOOD), side=1280))
        assert "check.finding.unchecked" in chat.keys
        assert "the staff will check it" in chat.text_all
        assert await chat.current_state() == "reg.store"  # never blocks: on, asked what it says
        check = await stored_check(chat)
        assert check["checked"] is False and check["findings"] == ["unchecked"]
    finally:
        release.set()
        await pool.close()


async def test_the_app_builds_the_ocr_pool_without_waiting_for_the_models(tmp_path: Path) -> None:
    """OCR_WORKERS=1: the pool is plugged into the invoice step and the sticker's text
    fallback; build_app returns before any model is loaded (warm-up in the background)."""
    application = await build_app(make_settings(tmp_path, OCR_WORKERS="1"))
    try:
        pool = application.ports.invoice_check
        assert isinstance(pool, OcrPool)
        assert pool._warming is not None and not pool._warming.done()
    finally:
        await application.close()
    off = await build_app(make_settings(tmp_path / "off"))
    try:
        assert off.ports.invoice_check is None
    finally:
        await off.close()


@pytest.mark.ocr
async def test_the_apps_own_pool_checks_the_invoice_in_the_conversation(tmp_path: Path) -> None:
    """OCR_WORKERS=1, as the bot runs: the check goes through the app's own worker process
    (spawned, warmed in the background); an invoice that arrives before the warm-up is done
    waits its turn and is checked, not skipped."""
    settings = make_settings(tmp_path, OCR_WORKERS="1", OCR_TIMEOUT_SECONDS="600")  # loaded CI
    application = await build_app(settings)
    try:
        assert isinstance(application.ports.invoice_check, OcrPool)
        chat = Chat(application)
        await to_invoice(chat)
        await chat.photo(text_pdf(LINES), filename="invoice.pdf", mime="application/pdf")
        assert "check.all_found" in chat.keys, chat.text_all
        check = await stored_check(chat)
        assert check["checked"] is True and check["key"] == "amazoneusarl|inv778812|2026-10-01"
    finally:
        await application.close()


def test_ocr_workers_defaults_to_one() -> None:
    from bot.config import Settings

    assert Settings.model_fields["ocr_workers"].default == 1
