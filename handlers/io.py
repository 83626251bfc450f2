"""Typed, channel-neutral messages: what a customer sends in, what the bot says back.

Connectors (console, Telegram via aiogram or PTB, later a web chat) translate their
updates into an ``Event`` and render ``Reply`` objects; the core never sees a channel type.
Button payloads are ``Action`` values, encoded in a short string that fits Telegram's
64-byte callback data: ``kind:value`` plus ``~seq`` for buttons that belong to one step.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

from states import ConversationKey

# --------------------------------------------------------------------------- valid text
#: C0 controls but tab and newline, DEL, C1 controls, and surrogates (lone ones are not text)
_ODD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """``text`` as valid Unicode that any store, log or API accepts: a surrogate pair becomes
    its character, lone surrogates, NUL and other control characters (but tab and newline)
    are dropped. Every connector's text passes here (the incoming types below), so nothing
    after the edge meets text it cannot encode."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if _ODD.search(text) is None:
        return text
    if "\r" in text:  # a line break typed on another system stays a line break
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    return _ODD.sub("", text)


def _clean(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if value is not None:
            object.__setattr__(obj, name, valid_text(value))  # frozen: set once, at construction


# --------------------------------------------------------------------------- incoming
@dataclass(frozen=True, slots=True)
class TextIn:
    text: str

    def __post_init__(self) -> None:
        _clean(self, "text")


@dataclass(frozen=True, slots=True)
class EditedTextIn:
    """The customer edited a text message they had sent. ``latest``: it was the last message
    they sent in this chat (the connector knows its message ids); only that one is taken as
    the new answer, an older one gets a hint to use the summary's Edit buttons."""

    text: str
    latest: bool = False

    def __post_init__(self) -> None:
        _clean(self, "text")


@dataclass(frozen=True, slots=True)
class CommandIn:
    name: str  # lower-case, without the slash: "start", "menu", "cancel", ...
    args: str = ""
    raw: str = ""  # the text as typed (a password may start with "/")

    def __post_init__(self) -> None:
        _clean(self, "name", "args", "raw")


@dataclass(frozen=True, slots=True)
class ActionIn:
    """A tapped button (or a number typed in the console), carrying the encoded action."""

    data: str

    def __post_init__(self) -> None:
        _clean(self, "data")


@dataclass(frozen=True, slots=True)
class ImageIn:
    """A photo or an image file. ``fetch`` downloads the bytes only when the core wants them."""

    fetch: Callable[[], Awaitable[bytes]]
    size: int | None = None
    filename: str | None = None
    mime: str | None = None
    as_file: bool = False
    unique_id: str = ""  # the channel's id of the file itself (Telegram: file_unique_id)

    def __post_init__(self) -> None:
        _clean(self, "filename", "mime")


@dataclass(frozen=True, slots=True)
class AlbumIn:
    """Several photos sent at once (a Telegram media group), delivered as one event."""

    images: tuple[ImageIn, ...]


Body = TextIn | EditedTextIn | CommandIn | ActionIn | ImageIn | AlbumIn


@dataclass(frozen=True, slots=True)
class Event:
    key: ConversationKey
    body: Body
    event_id: str | None = None  # channel's unique id: redeliveries are dropped
    locale: str | None = None  # the client's language hint, used for new sessions

    def __post_init__(self) -> None:
        _clean(self, "event_id", "locale")


# --------------------------------------------------------------------------- actions
class Kind(StrEnum):
    """What a button does: the short prefix of its callback data (labels are never matched).

    The values are what stored buttons carry: never change one."""

    BACK = "b"
    CANCEL = "x"
    SKIP = "s"
    CONFIRM = "ok"
    EDIT = "e"
    YES = "y"
    NO = "n"
    OPTION = "o"  # one of a step's options; the value says which
    MENU = "m"  # a menu target (handlers.targets.Target) in the value; valid from any message
    REDEEM_AGAIN = "ra"  # the value is a claim id
    CLAIM = "cl"  # show a claim; the value is its id
    PROMO = "pr"  # redeem a promotion; the value is its code
    FAQ_ITEM = "fq"  # the value is a FAQ id
    LANGUAGE = "lg"  # the value is a locale id ("de"); valid from any message
    RATE = "rate"  # a rating after staff closed a support topic: "STARS.TOPIC"; any message
    REVIEW = "rv"  # a staff review card's button: "op.claim[.n]" (handlers/review_cards.py)
    PAGE = "pg"  # another page of a long list (products, history); the value is its number


@dataclass(frozen=True, slots=True)
class Action:
    kind: Kind
    value: str = ""
    seq: int | None = None  # None: valid from any message (menu, redeem again, ...)

    def encode(self) -> str:
        base = f"{self.kind}:{self.value}"
        return base if self.seq is None else f"{base}~{self.seq}"

    @classmethod
    def decode(cls, data: str) -> Action | None:
        """Parse an encoded action; None for anything malformed (never raises)."""
        if not isinstance(data, str) or ":" not in data or len(data.encode()) > 64:
            return None
        base, sep, seq = data.rpartition("~")
        if not sep:
            base, seq = data, ""
        name, _, value = base.partition(":")
        try:
            kind = Kind(name)
        except ValueError:  # an unknown kind (an old or forged button)
            return None
        if seq:
            if not seq.isdigit():
                return None
            return cls(kind, value, int(seq))
        return cls(kind, value, None)


# --------------------------------------------------------------------------- outgoing
@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str  # an encoded Action ("" for a link)
    url: str = ""  # a link button (e.g. a staff topic) instead of an action; channels that
    # cannot show links leave it out


@dataclass(frozen=True, slots=True)
class Reply:
    """One message from the bot.

    - ``buttons``: rows of buttons (inline keyboard / numbered choices).
    - ``secret``: the next input is a secret (console hides typing).
    - ``replace``: may edit the message whose button was tapped, instead of a new one.
    - ``image``: a media ref to show with the text (caption).
    - ``free_text``: the step takes typed text (a text-only channel must not read a typed
      number as a choice there).
    - ``key``: the catalog key of the main text, for tests and analytics.
    - ``for_member``: meant only for a chat logged in as this member (a claim's news, a
      prize code): a channel checks it again right before sending.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    secret: bool = False
    replace: bool = False
    image: str | None = None
    key: str = ""
    free_text: bool = False
    for_member: str | None = None

    def button_data(self) -> list[str]:
        return [b.data for row in self.buttons for b in row]

    def labels(self) -> list[str]:
        return [b.label for row in self.buttons for b in row]


@dataclass(slots=True)
class Outcome:
    """What handling one event produced."""

    replies: list[Reply] = field(default_factory=list)
    delete_input: bool = False  # the customer's message held a secret: delete it if the channel can
    duplicate: bool = False  # the event was a redelivery and was ignored
    member_id: str | None = None  # the member the chat's session is logged in as after the turn
