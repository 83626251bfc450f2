"""The promotion catalog: a JSON data file parsed into ``backend.port.Promotion``.

File format (``backend/promotions.json`` is the packaged one; ``Settings.promotions_file``
points elsewhere)::

    {
      "version": 1,
      "product_categories": ["Laptop", "Monitor", ...],
      "warranty_months": {"Graphics Card": 36, "MAG 274QRF": 24},
      "promotions": [
        {
          "code": "levelup", "name": "Level Up Your Rig",
          "categories": ["Graphics Card", "Motherboard"],
          "purchase_from": "2025-01-01", "purchase_to": "2030-12-31",
          "redeem_from": "2025-01-01", "redeem_to": "2030-12-31",
          "regions": [], "models": [], "per_member_limit": 2,
          "prize_kind": "digital", "prize_name": "Steam Wallet code",
          "activation_help": "...", "landing_page": "https://...",
          "demo_codes": {"prefix": "DEMO", "count": 50}
        }
      ]
    }

``warranty_months`` (optional) is the warranty period of a product category or model (a model
wins over its category), from which My products shows "Warranty until ..."; a product of
neither shows no warranty. The guide gives no periods, so the packaged catalog has none.
``regions`` and ``models`` empty = all. ``demo_codes`` (optional, digital only) seeds a
deterministic pool of fake codes so a fresh install can finish a claim. Any mistake
raises :class:`CatalogError` naming the file, the promotion and the field.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from backend.port import NotFound, PrizeKind, Product, Promotion

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I look-alikes
_REQUIRED = (
    "code",
    "name",
    "categories",
    "purchase_from",
    "purchase_to",
    "redeem_from",
    "redeem_to",
    "prize_kind",
)
_KNOWN = {
    *_REQUIRED,
    "auto_approve",
    "regions",
    "models",
    "per_member_limit",
    "prize_name",
    "activation_help",
    "landing_page",
    "demo_codes",
}


class CatalogError(ValueError):
    """The catalog file is malformed (an operator error, reported at start)."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """The promotions on offer, in file order, plus demo code pools and product categories."""

    promotions: tuple[Promotion, ...]
    demo_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    product_categories: tuple[str, ...] = ()
    warranty_months: dict[str, int] = field(default_factory=dict)  # category or model -> months

    def __iter__(self) -> Iterator[Promotion]:
        return iter(self.promotions)

    def get(self, code: str) -> Promotion:
        for promotion in self.promotions:
            if promotion.code == code:
                return promotion
        raise NotFound(what="promotion", id=code)

    def find(self, code: str) -> Promotion | None:
        return next((p for p in self.promotions if p.code == code), None)

    def warranty_until(self, product: Product) -> dt.date | None:
        """The last day of ``product``'s warranty (its model's period, else its category's),
        counted from the purchase date; None when the catalog has no period for it."""
        months = self.warranty_months.get(product.model.strip().casefold())
        if months is None:
            months = self.warranty_months.get(product.category.strip().casefold())
        if months is None:
            return None
        return add_months(product.purchase_date, months) - dt.timedelta(days=1)

    def with_warranty(self, product: Product) -> Product:
        return replace(product, warranty_until=self.warranty_until(product))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` later; the 31st becomes the month's last day where it has none."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def demo_codes(promotion: str, prefix: str, count: int) -> tuple[str, ...]:
    """``count`` fake codes like ``DEMO-7KQ2-XM4P``, the same on every run for ``promotion``."""
    codes = []
    for i in range(count):
        digest = hashlib.sha256(f"{promotion}:{i}".encode()).digest()
        chars = "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:8])
        codes.append(f"{prefix}-{chars[:4]}-{chars[4:]}")
    return tuple(codes)


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate the catalog file at ``path``."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"{path}: promotions file not found") from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}: not valid JSON ({exc})") from exc
    return parse_catalog(raw, source=str(path))


def parse_catalog(raw: Any, *, source: str = "catalog") -> Catalog:
    """Validate already-decoded catalog data (a dict as in the module docstring)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("promotions"), list):
        raise CatalogError(f"{source}: expected an object with a 'promotions' list")
    categories = _str_list(raw.get("product_categories", []), f"{source}: product_categories")
    warranty = _warranty(raw.get("warranty_months", {}), f"{source}: warranty_months")
    promotions: list[Promotion] = []
    pools: dict[str, tuple[str, ...]] = {}
    for index, item in enumerate(raw["promotions"], start=1):
        where = f"{source}: promotion #{index}"
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            where += f" ({item['code']!r})"
        promotion, pool = _parse_promotion(item, where)
        if any(p.code == promotion.code for p in promotions):
            raise CatalogError(f"{where}: duplicate code {promotion.code!r}")
        promotions.append(promotion)
        if pool:
            pools[promotion.code] = pool
    return Catalog(tuple(promotions), pools, tuple(categories), warranty)


def _parse_promotion(item: Any, where: str) -> tuple[Promotion, tuple[str, ...]]:
    if not isinstance(item, dict):
        raise CatalogError(f"{where}: expected an object")
    missing = [k for k in _REQUIRED if k not in item]
    if missing:
        raise CatalogError(f"{where}: missing field(s) {', '.join(missing)}")
    unknown = sorted(set(item) - _KNOWN)
    if unknown:
        raise CatalogError(f"{where}: unknown field(s) {', '.join(unknown)}")
    promotion = Promotion(
        code=_slug(item["code"], where),
        name=_text(item["name"], f"{where}: name", required=True),
        categories=tuple(_str_list(item["categories"], f"{where}: categories", required=True)),
        purchase_from=_date(item["purchase_from"], f"{where}: purchase_from"),
        purchase_to=_date(item["purchase_to"], f"{where}: purchase_to"),
        redeem_from=_date(item["redeem_from"], f"{where}: redeem_from"),
        redeem_to=_date(item["redeem_to"], f"{where}: redeem_to"),
        regions=tuple(_str_list(item.get("regions", []), f"{where}: regions")),
        models=tuple(_str_list(item.get("models", []), f"{where}: models")),
        per_member_limit=_limit(item.get("per_member_limit", 2), where),
        prize_kind=_kind(item["prize_kind"], where),
        prize_name=_text(item.get("prize_name", ""), f"{where}: prize_name"),
        activation_help=_text(item.get("activation_help", ""), f"{where}: activation_help"),
        landing_page=_text(item.get("landing_page", ""), f"{where}: landing_page"),
        auto_approve=_flag(item.get("auto_approve", False), f"{where}: auto_approve"),
    )
    _check_windows(promotion, where)
    return promotion, _pool(item.get("demo_codes"), promotion, where)


def _warranty(value: Any, where: str) -> dict[str, int]:
    """{category or model: months}, keys compared without case."""
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: expected an object of category or model -> months")
    periods: dict[str, int] = {}
    for name, months in value.items():
        if not name.strip():
            raise CatalogError(f"{where}: a category or model name is empty")
        ok = isinstance(months, int) and not isinstance(months, bool) and 1 <= months <= 240
        if not ok:
            raise CatalogError(f"{where}: {name!r}: months must be a whole number 1..240")
        periods[name.strip().casefold()] = months
    return periods


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise CatalogError(f"{where}: expected true or false")
    return value


def _check_windows(p: Promotion, where: str) -> None:
    if p.purchase_to < p.purchase_from:
        raise CatalogError(
            f"{where}: purchase_to {p.purchase_to} is before purchase_from {p.purchase_from}"
        )
    if p.redeem_to < p.redeem_from:
        raise CatalogError(
            f"{where}: redeem_to {p.redeem_to} is before redeem_from {p.redeem_from}"
        )
    if p.redeem_to < p.purchase_from:
        raise CatalogError(f"{where}: redeem window ends before the purchase window starts")


def _pool(spec: Any, promotion: Promotion, where: str) -> tuple[str, ...]:
    if spec is None:
        return ()
    if promotion.prize_kind is not PrizeKind.DIGITAL:
        raise CatalogError(f"{where}: demo_codes only make sense for a digital prize")
    if not isinstance(spec, dict) or set(spec) - {"prefix", "count"}:
        raise CatalogError(f'{where}: demo_codes must be {{"prefix": str, "count": int}}')
    prefix = spec.get("prefix", "DEMO")
    count = spec.get("count", 0)
    if not isinstance(prefix, str) or not prefix.isalnum():
        raise CatalogError(f"{where}: demo_codes.prefix must be letters/digits")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 10_000:
        raise CatalogError(f"{where}: demo_codes.count must be an integer 0..10000")
    return demo_codes(promotion.code, prefix, count)


def _slug(value: Any, where: str) -> str:
    ok = isinstance(value, str) and value and len(value) <= 60
    if not ok or not all(c.isalnum() or c in "-_" for c in value) or value != value.lower():
        raise CatalogError(f"{where}: code must be a short lower-case slug (a-z, 0-9, - or _)")
    return value


def _text(value: Any, where: str, *, required: bool = False) -> str:
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogError(f"{where}: expected {'non-empty ' if required else ''}text")
    return value.strip()


def _str_list(value: Any, where: str, *, required: bool = False) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogError(f"{where}: expected a list of non-empty strings")
    if required and not value:
        raise CatalogError(f"{where}: must not be empty")
    return [v.strip() for v in value]


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise CatalogError(f"{where}: expected a date YYYY-MM-DD, got {value!r}") from exc


def _limit(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise CatalogError(f"{where}: per_member_limit must be a whole number >= 1")
    return value


def _kind(value: Any, where: str) -> PrizeKind:
    try:
        return PrizeKind(value)
    except ValueError as exc:
        kinds = ", ".join(k.value for k in PrizeKind)
        raise CatalogError(f"{where}: prize_kind must be one of {kinds}") from exc
