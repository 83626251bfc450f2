"""Choices: yes / no, product category, purchase channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from handlers.validators.base import Invalid, _clean

# -- yes / no ---------------------------------------------------------------------------

_YES = frozenset(
    (
        "y",
        "yes",
        "yeah",
        "yep",
        "yup",
        "ok",
        "okay",
        "sure",
        "true",
        "correct",
        "right",
        "ja",
        "j",
        "jawohl",
        "jo",
        "si",
        "sí",
        "oui",
        "da",
        "tak",
        "sim",
        "sì",
        "evet",
        "ya",
        "是",
        "是的",
        "对",
        "對",
        "好",
        "好的",
        "要",
        "确认",
        "確認",
        "有",
        "はい",
        "ええ",
        "네",
        "예",
        "응",
        "✅",
        "👍",
        "✔",
        "✔️",
    )
)
_NO = frozenset(
    (
        "n",
        "no",
        "nope",
        "nah",
        "false",
        "wrong",
        "nein",
        "ne",
        "nee",
        "non",
        "nej",
        "nie",
        "não",
        "nao",
        "net",
        "hayır",
        "hayir",
        "tidak",
        "否",
        "不",
        "不是",
        "不要",
        "没有",
        "沒有",
        "不对",
        "不對",
        "いいえ",
        "아니요",
        "아니오",
        "아니",
        "❌",
        "👎",
        "✖",
    )
)


def yesno(text: str) -> bool:
    """True for yes/y/ja/是/はい/..., False for no/n/nein/否/いいえ/...

    Case, surrounding whitespace and trailing punctuation are ignored. Raises
    ``invalid.yesno``.
    """
    s = _clean(text).casefold().rstrip(".!。！?？ ")
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise Invalid("invalid.yesno")


# -- choices: product category, purchase channel ----------------------------------------


@dataclass(frozen=True, slots=True)
class Category:
    """A product type. ``id`` is stored and sent in buttons; ``vendor`` is the vendor form's
    value (sent to the backend, not shown); the label is the catalog key ``label_key``."""

    id: str
    vendor: str
    aliases: tuple[str, ...] = ()  # other words customers type for it (matching only)

    @property
    def label_key(self) -> str:
        return f"category.{self.id}"


@dataclass(frozen=True, slots=True)
class Channel:
    """Where the product was bought (vendor form: "Where did you purchase the product")."""

    id: str
    vendor: str
    aliases: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        return f"channel.{self.id}"


#: the vendor guide's product types, in its order
CATEGORIES: tuple[Category, ...] = (
    Category("laptop", "Laptop", ("notebook", "nb")),
    Category("all_in_one", "All-in-One PC", ("all in one", "aio pc")),
    Category("desktop", "Desktop", ("desktop pc", "pc", "tower")),
    Category("monitor", "Monitor", ("display", "screen")),
    Category("motherboard", "Motherboard", ("mainboard", "mobo", "mb")),
    Category("graphics_card", "Graphics Card", ("gpu", "vga", "video card", "graphic card")),
    Category("pc_case", "PC Case", ("case", "chassis")),
    Category("gaming_gear", "Gaming Gear", ("mouse", "keyboard", "headset", "gear")),
    Category("gaming_chair", "Gaming Chair", ("chair",)),
    Category("liquid_cooling", "Liquid Cooling", ("cooler", "water cooling", "aio cooler")),
    Category("power_supply", "Power Supply", ("psu", "power supply unit")),
)
CATEGORY_IDS: tuple[str, ...] = tuple(c.id for c in CATEGORIES)

CHANNELS: tuple[Channel, ...] = (
    Channel("retail", "Retail store", ("retail", "store", "shop")),
    Channel("online", "Online retailer", ("online", "internet", "web")),
    Channel("reseller", "Reseller", ("dealer", "distributor")),
)
CHANNEL_IDS: tuple[str, ...] = tuple(c.id for c in CHANNELS)

_Choice = TypeVar("_Choice", Category, Channel)


def _fold_choice(text: str) -> str:
    return " ".join(_clean(text).replace("_", " ").replace("-", " ").split()).casefold()


def _pick(options: tuple[_Choice, ...], text: str) -> _Choice | None:
    """The option ``text`` names: its id, vendor value or an alias (any case), or its
    1-based number in the list (for text-only channels)."""
    q = _fold_choice(text)
    if q.isascii() and q.isdigit() and len(q) <= 2 and 1 <= int(q) <= len(options):
        return options[int(q) - 1]
    for option in options:
        if q in _names(option):
            return option
    return None


def _names(option: Category | Channel) -> set[str]:
    """Every name ``option`` answers to, folded."""
    return {_fold_choice(n) for n in (option.id, option.vendor, *option.aliases)}


def category(text: str) -> Category:
    """A product category by id, vendor name, alias or number. Raises ``invalid.category``."""
    found = _pick(CATEGORIES, text)
    if found is None:
        raise Invalid("invalid.category")
    return found


def channel(text: str) -> Channel:
    """A purchase channel by id, vendor name, alias or number. Raises ``invalid.channel``."""
    found = _pick(CHANNELS, text)
    if found is None:
        raise Invalid("invalid.channel")
    return found
