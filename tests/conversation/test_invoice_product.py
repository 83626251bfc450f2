"""The product off the invoice in the registration (issue 12): the product is asked before the
invoice, so where the invoice shows another of the catalog's models than the one typed, the
customer is offered it ("The invoice shows X, not Y: use X?"): one tap takes it (the model
changes, the invoice is taken), or the usual choice stays (a better photo, send it anyway).
A similar model (other digits) is never offered. Text-layer PDFs: no OCR needed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from tests.conftest import Chat, Clock, make_settings
from tests.conversation.test_fields import form_values
from tests.conversation.test_invoice_precheck import stored_check, thread_pool, to_invoice
from tests.invoices import text_pdf
from tests.storage.test_invoice_product import catalog_with_models

# to_invoice registers a graphics card: GeForce RTX 5070, model V531-001R
HEAD = ["Amazon EU S.a.r.l.", "Invoice No. INV-778812", "Invoice date: 2026-10-01"]
OTHER = "1 MSI GeForce RTX 4070 SUPER 12G VENTUS 2X OC (V513-025R)  599,00 EUR"
MODELS = ["V531-001R", "V513-025R", "MAG B650 TOMAHAWK WIFI"]


@pytest.fixture
async def checked(tmp_path: Path, clock: Clock) -> AsyncIterator[App]:
    """The app with the pre-check on and a catalog whose promotion names its models."""
    path = catalog_with_models(tmp_path, MODELS)  # levelup: graphics cards among others
    app = await build_app(make_settings(tmp_path, PROMOTIONS_FILE=str(path)), clock=clock)
    pool = thread_pool()
    app.ports.invoice_check = pool
    yield app
    await pool.close()
    await app.close()


async def test_the_invoices_model_is_offered_and_taken_with_one_tap(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    await chat.photo(text_pdf([*HEAD, OTHER]), filename="invoice.pdf", mime="application/pdf")
    assert "check.invoice_product" in chat.keys, chat.keys
    assert "The invoice shows V513-025R, not V531-001R. Use V513-025R as the model?" in (
        chat.text_all
    )
    assert "check.finding.model_not_found_model" not in chat.keys  # said once, as the offer
    assert await chat.current_state() == "reg.invoice"
    await chat.tap("Use V513-025R")
    assert "check.invoice_product_used" in chat.keys
    assert await chat.current_state() == "reg.summary"  # nothing else missing: taken
    values = await form_values(chat, "register")
    assert values["model"] == "V513-025R" and values["invoice"]
    assert (await stored_check(chat))["findings"] == []
    await chat.tap("Confirm")
    session = await chat.app.sessions.load(chat.key)
    (product,) = await checked.backend.list_products(session.member_id)
    assert product.model == "V513-025R"


async def test_the_customer_may_keep_their_model_and_send_it_anyway(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    await chat.photo(text_pdf([*HEAD, OTHER]), filename="invoice.pdf", mime="application/pdf")
    await chat.tap("Send it anyway")
    assert await chat.current_state() == "reg.summary"
    values = await form_values(chat, "register")
    assert values["model"] == "V531-001R"  # kept as typed
    assert (await stored_check(chat))["findings"] == ["model_not_found"]  # for the staff


async def test_other_findings_stay_after_taking_the_model(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    no_number = [line for line in HEAD if "Invoice No." not in line]
    await chat.photo(text_pdf([*no_number, OTHER]), filename="invoice.pdf", mime="application/pdf")
    assert "check.finding.number_not_found" in chat.keys
    await chat.tap("Use V513-025R")
    assert await chat.current_state() == "reg.invoice"  # the number is still missing
    assert (await form_values(chat, "register"))["model"] == "V513-025R"
    assert (await stored_check(chat))["findings"] == ["number_not_found"]
    await chat.tap("Send it anyway")
    assert await chat.current_state() == "reg.summary"


async def test_a_similar_model_or_the_typed_one_is_not_offered(checked: App) -> None:
    chat = Chat(checked)
    await to_invoice(chat)
    similar = "1 MSI GeForce RTX 4070 SUPER 12G VENTUS 2X OC (V513-026R)  599,00 EUR"
    await chat.photo(text_pdf([*HEAD, similar]), filename="invoice.pdf", mime="application/pdf")
    assert "check.finding.model_not_found_model" in chat.keys  # told as before
    assert "check.invoice_product" not in chat.keys
    with pytest.raises(AssertionError):
        chat.button("Use ")
    same = "1 MSI GeForce RTX 5070 (V531-001R)  599,00 EUR"  # the registered one: all found
    await chat.photo(text_pdf([*HEAD, same]), filename="invoice.pdf", mime="application/pdf")
    assert "check.all_found" in chat.keys and "check.invoice_product" not in chat.keys
