"""The product off the invoice (issue 12): "where the invoice can fill a field, it is offered as
the default so the customer only confirms".

The registration asks the product (name, model) before the invoice, so the invoice cannot
fill it; it is checked against it instead (``model_not_found``). Where the invoice shows
another model of the promotion catalog (the models its promotions name, matched by the
product rule of storage/invoice_text.py: the digits of every model token exactly, so
``B650`` is never read for ``X670E``), the customer is offered that one: "The invoice shows
X, not Y: use X?" One tap takes it as the model, and the invoice's ``model_not_found`` is
resolved (the invoice is taken at once when nothing else was found missing); otherwise the
usual choice stays: a better photo, or "Send it anyway".
"""

from __future__ import annotations

from typing import Any

from backend.port import BackendError
from handlers.common import category_vendor
from handlers.context import Ctx
from handlers.io import Button, Kind

OFFERED = "_invoice_model"  # the form's catalog model the invoice showed, while offered
USE_MODEL = "invoice_model"  # the option's value: take the invoice's model
MODEL_NOT_FOUND = "model_not_found"


async def catalog_models(ctx: Ctx, values: dict[str, Any]) -> tuple[str, ...]:
    """The models the catalog's promotions for this product's category name (none: nothing
    is offered)."""
    try:
        promotions = await ctx.ports.backend.list_promotions()
    except BackendError:
        return ()
    category = values.get("category")
    vendor = category_vendor(category) if isinstance(category, str) and category else ""
    models = (m for p in promotions if not vendor or vendor in p.categories for m in p.models)
    return tuple(dict.fromkeys(models))


def offer(
    ctx: Ctx, values: dict[str, Any], findings: tuple[str, ...], read: dict[str, Any]
) -> bool:
    """After a check: the invoice shows a catalog model other than the one typed. Said and
    kept in the form (the button is ``button``); True when offered."""
    values.pop(OFFERED, None)
    shown = str(read.get("product") or "").strip()[:100]
    typed = str(values.get("model") or "")
    if MODEL_NOT_FOUND not in findings or not shown or shown.casefold() == typed.casefold():
        return False
    values[OFFERED] = shown
    registered = typed or str(values.get("product_name") or "")
    ctx.say("check.invoice_product", invoice=shown, registered=registered)
    return True


def button(ctx: Ctx, values: dict[str, Any]) -> list[list[Button]]:
    model = values.get(OFFERED)
    if not model:
        return []
    return [[ctx.button("btn.invoice.use_model", Kind.OPTION, USE_MODEL, model=model)]]


def use(ctx: Ctx, values: dict[str, Any], check_key: str) -> bool:
    """The customer took the invoice's model: it is the model now and the stored check no
    longer says ``model_not_found``. True when nothing else was found missing (the pending
    invoice can be taken)."""
    model = values.pop(OFFERED, None)
    if not model:
        return False
    values["model"] = model
    check = values.get(check_key)
    if isinstance(check, dict):
        check["findings"] = [c for c in check.get("findings") or () if c != MODEL_NOT_FOUND]
        left = check["findings"]
    else:
        left = []
    ctx.say("check.invoice_product_used", model=model)
    return not left
