"""The invoice pre-check's findings in the customer's words (catalog ``check.finding.*``).

The checking engine (storage/invoice.py, behind ``InvoiceCheckPort``) answers codes and what
it read; this turns each code into its catalog text with the claim's own values (the product
and model registered, the dates, the store), so the customer is told exactly what to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from handlers.i18n import Catalog


@dataclass(frozen=True, slots=True)
class Claimed:
    """What the claim says, for the wording."""

    product: str = ""
    model: str = ""
    date: dt.date | None = None
    store: str = ""
    window: tuple[dt.date, dt.date] | None = None


def finding_key(code: str, claimed: Claimed) -> str:
    if code == "model_not_found" and claimed.model and claimed.product:
        return "check.finding.model_not_found_model"
    return f"check.finding.{code}"


def finding_message(
    catalog: Catalog, locale: str, code: str, claimed: Claimed, read: Mapping[str, Any]
) -> str:
    start, end = claimed.window or (None, None)
    params = {
        "product": claimed.product or claimed.model,
        "model": claimed.model,
        "store": claimed.store,
        "date": read.get("date") or "",
        "registered": claimed.date.isoformat() if claimed.date else "",
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
    }
    return catalog.text(locale, finding_key(code, claimed), **params)


def finding_messages(
    catalog: Catalog, locale: str, codes: Iterable[str], claimed: Claimed, read: Mapping[str, Any]
) -> list[dict[str, str]]:
    """``[{"code", "message"}]`` in the order found (the CLI's JSON, the conversation)."""
    return [
        {"code": code, "message": finding_message(catalog, locale, code, claimed, read)}
        for code in codes
    ]
