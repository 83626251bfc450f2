"""What reviewers look for on an invoice, found in its text (OCR lines or a PDF's text layer).

``analyse(lines, expected)`` answers the findings (codes, worded by the caller's catalog as
``check.finding.<code>``) and what was read (``product``, ``date``, ``store``,
``invoice_number``: defaults the conversation may offer; ``product`` is the line showing the
registered product, or else the catalog model the invoice shows, see ``catalog_model``):

- the product: the registered product name, or its model number (``MS-7D75``). Letters are
  compared fuzzily (OCR slips, ``WiFi`` / ``WI-FI``), but every token of the name that holds
  a digit must be on the same line as a whole token, its digits exactly (``B650`` never
  passes for ``B650M`` or ``X670E``; a letter read as its look-alike digit, ``8`` for ``B``,
  is forgiven);
- the date: the registered purchase date among the invoice's dates (``date_differs`` when
  not), inside the promotion's purchase window (``date_outside_window``);
- the store (fuzzy, on any line), and an invoice number (after a label in any of the
  languages below).

``ocr_key`` normalises store + invoice number + date so the same invoice photographed again
is recognised on another claim.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from storage.invoice_dates import dates_in

# finding codes (the catalog words them as check.finding.<code>)
MODEL_NOT_FOUND = "model_not_found"
DATE_NOT_FOUND = "date_not_found"
DATE_OUTSIDE_WINDOW = "date_outside_window"
DATE_DIFFERS = "date_differs"
STORE_NOT_FOUND = "store_not_found"
NUMBER_NOT_FOUND = "number_not_found"

#: how close (0-100, rapidfuzz) the letters of a product name or a store must come
PRODUCT_SCORE = 84
STORE_SCORE = 85


@dataclass(frozen=True, slots=True)
class Expected:
    """What the claim says: the registered product (name and/or model number), purchase
    date, store and the promotion's purchase window (inclusive). Empty fields are not
    checked."""

    product: str = ""
    model: str = ""
    date: dt.date | None = None
    store: str = ""
    window: tuple[dt.date, dt.date] | None = None
    catalog: tuple[str, ...] = ()  # the catalog's models: the one on the invoice is read


@dataclass(frozen=True, slots=True)
class TextCheck:
    findings: tuple[str, ...] = ()
    read: dict[str, Any] = field(default_factory=dict)
    key: str | None = None  # ocr_key, None without a store, number and date


_LOOKALIKE = {
    "B": "8",
    "O": "0",
    "D": "0",
    "Q": "0",
    "I": "1",
    "L": "1",
    "S": "5",
    "Z": "2",
    "G": "6",
}
_TOKEN = re.compile(r"[A-Z0-9]+")


def _upper(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def compact(text: str) -> str:
    """Letters and digits only, upper-case: ``MS-7D75`` -> ``MS7D75``."""
    return "".join(_TOKEN.findall(_upper(text)))


def _char_ok(want: str, got: str) -> bool:
    """A digit must be that digit; a letter may be read as its look-alike digit or
    case-confused (``O``/``0`` only where a letter is expected)."""
    if want == got:
        return True
    return want.isalpha() and _LOOKALIKE.get(want) == got


def _token_in(want: str, tokens: Sequence[str]) -> bool:
    return any(len(t) == len(want) and all(map(_char_ok, want, t)) for t in tokens)


def _compact_in(want: str, text: str) -> bool:
    """``want`` (compact) inside ``text`` (compact) with the same tolerance as a token."""
    n = len(want)
    return any(all(map(_char_ok, want, text[i : i + n])) for i in range(len(text) - n + 1))


def _digit_tokens(name: str) -> list[str]:
    return [t for t in _TOKEN.findall(_upper(name)) if any(c.isdigit() for c in t)]


def _windows(lines: Sequence[str]) -> list[str]:
    """Each line, and each line with the next (a name wrapped in a narrow column, at a space
    or inside a word)."""
    pairs = list(zip(lines, lines[1:], strict=False))
    return list(lines) + [f"{a} {b}" for a, b in pairs] + [f"{a}{b}" for a, b in pairs]


def product_line(lines: Sequence[str], product: str, model: str) -> str | None:
    """The line on which the product (or its model number) is, else None."""
    want_model = compact(model)
    if want_model and len(want_model) >= 4:
        for line in lines:
            if _compact_in(want_model, compact(line)):
                return line
    want_digits = _digit_tokens(product)
    want = compact(product)
    if not want:
        return None
    best: tuple[float, str] | None = None
    for text in _windows(lines):
        tokens = _TOKEN.findall(_upper(text))
        if not all(_token_in(d, tokens) for d in want_digits):
            continue
        score = fuzz.partial_ratio(want, compact(text))
        if score >= PRODUCT_SCORE and (best is None or score > best[0]):
            best = (score, text)
    return best[1] if best else None


def catalog_model(lines: Sequence[str], catalog: Sequence[str]) -> str | None:
    """The catalog model the invoice shows, by the product name rule above (each token with a
    digit whole and its digits exactly: ``B650`` is never read for ``B650M`` or ``X670E``);
    of several, the longest (``MAG B650 TOMAHAWK WIFI`` over ``MAG B650 TOMAHAWK``); None
    when none is on it."""
    found = [m for m in dict.fromkeys(catalog) if m.strip() and product_line(lines, m, "")]
    return max(found, key=lambda m: len(compact(m))) if found else None


_STORE_NOISE = re.compile(
    r"\.(?:com|de|fr|es|it|nl|co\.uk|uk|at|ch|pl|eu|net)\b|\b(?:gmbh|ag|ltd|limited|inc|llc|sas|sarl|s\.?a\.?|"
    r"s\.?l\.?|srl|spa|bv|kg|co|plc|e\.?k\.?)\b\.?",
    re.IGNORECASE,
)


def store_line(lines: Sequence[str], store: str) -> str | None:
    """The line naming the store: its name without a web domain's ending or a legal form
    ("Amazon.de" is found as "Amazon EU S.a r.l."), letters compared fuzzily."""
    want = compact(_STORE_NOISE.sub(" ", store)) or compact(store)
    if not want:
        return None
    for line in lines:
        have = compact(line)
        if have and len(have) >= len(want) * 0.6 and fuzz.partial_ratio(want, have) >= STORE_SCORE:
            return line
    return None


_NUMBER_LABEL = re.compile(
    r"(?:tax\s+invoice|invoice|receipt|bill|rechnungs|rechnung|belegs?|kassenbon|bon|quittung|facture|"
    r"factura|fattura|ricevuta|ticket|faktura|nota|factuur|发票号码|发票|单号|票号)"
    r"[\s\-]*(?:no\.?|nr\.?|n°|nº|n\.|#|number|nummer|num[ée]ro|numero|núm\.?|id|code|号码?)?"
    r"[\s.:#\-]*",
    re.IGNORECASE,
)
_NUMBER_LABEL_ALONE = re.compile(
    r"(?:n°|nº|no\.|nr\.|#)\s*(?:de\s+)?(?:facture|factura|fattura|invoice|rechnung)?[\s.:#\-]*",
    re.IGNORECASE,
)
_NUMBER_VALUE = re.compile(r"[A-Z0-9][A-Z0-9/\-_.]{2,30}[A-Z0-9]", re.IGNORECASE)
_NOT_A_NUMBER = re.compile(
    r"^(?:date|datum|no|nr|number|nummer|numero|total|summe)$", re.IGNORECASE
)


def _number_after(text: str) -> str | None:
    for m in _NUMBER_VALUE.finditer(text):
        value = m.group(0).strip(".-/")
        if (
            sum(c.isdigit() for c in value) >= 3
            and not dates_in(value)
            and not _NOT_A_NUMBER.match(value)
        ):
            return value
        if not _NOT_A_NUMBER.match(value):
            return None  # the first word after the label is not a number: no number here
    return None


def invoice_number(lines: Sequence[str]) -> str | None:
    """The invoice (or receipt) number: the value after its label, on the line or the next."""
    for i, line in enumerate(lines):
        for label in (_NUMBER_LABEL, _NUMBER_LABEL_ALONE):
            for m in label.finditer(line):
                if not m.group(0).strip():
                    continue
                rest = line[m.end() :]
                value = _number_after(rest) if rest.strip() else None
                if value is None and not any(c.isdigit() for c in rest) and i + 1 < len(lines):
                    value = _number_after(lines[i + 1])
                if value:
                    return value
    return None


_DATE_LABEL = re.compile(
    r"date|datum|fecha|data|日期|开票|rechnungsdatum|date de facture|invoice date|belegdatum",
    re.IGNORECASE,
)


def _dates(lines: Sequence[str]) -> tuple[list[dt.date], list[dt.date]]:
    """(every date, the dates on a line with a date label)."""
    every: list[dt.date] = []
    labelled: list[dt.date] = []
    for line in lines:
        found = dates_in(line)
        every.extend(found)
        if _DATE_LABEL.search(line):
            labelled.extend(found)
    return list(dict.fromkeys(every)), list(dict.fromkeys(labelled))


def _check_dates(lines: Sequence[str], expected: Expected) -> tuple[list[str], dt.date | None]:
    every, labelled = _dates(lines)
    if not every:
        return [DATE_NOT_FOUND], None
    if expected.date is not None and expected.date in every:
        date = expected.date
    else:
        inside = [
            d
            for d in labelled + every
            if expected.window and expected.window[0] <= d <= expected.window[1]
        ]
        date = (inside or labelled or every)[0]
    findings = []
    if expected.date is not None and date != expected.date:
        findings.append(DATE_DIFFERS)
    if expected.window is not None and not expected.window[0] <= date <= expected.window[1]:
        findings.append(DATE_OUTSIDE_WINDOW)
    return findings, date


def _guess_store(lines: Sequence[str]) -> str | None:
    """Without a registered store: the first line that reads like a name (a shop prints its
    name at the top)."""
    for line in lines[:5]:
        letters = sum(c.isalpha() for c in line)
        if letters >= 3 and letters >= len(line.strip()) * 0.6 and not dates_in(line):
            return line.strip()
    return None


def ocr_key(store: str | None, number: str | None, date: dt.date | None) -> str | None:
    """store + invoice number + date, normalised (letters and digits, lower-case); None
    unless the number and the date were read."""
    if not number or date is None:
        return None
    return f"{compact(store or '').lower()}|{compact(number).lower()}|{date.isoformat()}"


def analyse(lines: Sequence[str], expected: Expected) -> TextCheck:
    lines = [line.strip() for line in lines if line.strip()]
    findings: list[str] = []
    product = product_line(lines, expected.product, expected.model)
    if product is None and (expected.product or expected.model):
        findings.append(MODEL_NOT_FOUND)
    date_findings, date = _check_dates(lines, expected)
    findings += date_findings
    store = store_line(lines, expected.store)
    if expected.store and store is None:
        findings.append(STORE_NOT_FOUND)
    store_read = expected.store if store is not None else _guess_store(lines)
    number = invoice_number(lines)
    if number is None:
        findings.append(NUMBER_NOT_FOUND)
    if product is None and expected.catalog:  # not the registered one: a catalog model?
        product = catalog_model(lines, expected.catalog)
    read = {
        "product": product,
        "date": date.isoformat() if date else None,
        "store": store_read,
        "invoice_number": number,
    }
    return TextCheck(tuple(findings), read, ocr_key(store_read, number, date))
