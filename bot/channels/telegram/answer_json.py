"""A ``getUpdates`` answer parsed once, keeping each update's own JSON text.

The inbox stores every update as JSON before it is handled. Serialising the parsed update
again costs as much as parsing it; the text it came in is already that JSON. ``parse`` gives
what ``json.loads`` gives, and the text of each item of the top-level ``"result"`` array
(``json.loads(text)`` of it is the item). The values are decoded by ``json``'s own scanner
(``raw_decode``), so what is accepted and how deep it may nest is ``json.loads``'s; anything
that is not a plain object at the top comes back with ``texts=None`` (serialise as before).
"""

from __future__ import annotations

import json
import re
from typing import Any

_WS = re.compile(r"[ \t\n\r]*").match
_DECODER = json.JSONDecoder()


def parse(answer: bytes | str) -> tuple[Any, list[str] | None]:
    """``(json.loads(answer), texts)``: ``texts[i]`` is ``data["result"][i]`` as JSON text
    (``None`` when there is no such array). Raises ``ValueError`` where ``json.loads`` would."""
    try:
        text = answer.decode("utf-8") if isinstance(answer, bytes | bytearray) else answer
        return _object(text)
    except (ValueError, IndexError):  # not UTF-8 or not the plain shape: json.loads decides
        return json.loads(answer), None


def _skip(text: str, i: int) -> int:
    """The index of the first character at or after ``i`` that is not JSON whitespace."""
    space = _WS(text, i)
    return space.end() if space is not None else i


def _object(text: str) -> tuple[Any, list[str] | None]:
    i = _skip(text, 0)
    if text[i : i + 1] != "{":
        raise ValueError("not an object")
    data: dict[str, Any] = {}
    items: list[Any] | None = None
    texts: list[str] | None = None
    i = _skip(text, i + 1)
    if text[i : i + 1] == "}":
        i += 1
    else:
        while True:
            if text[i : i + 1] != '"':
                raise ValueError("a key")
            key, i = _DECODER.raw_decode(text, i)
            i = _skip(text, i)
            if text[i : i + 1] != ":":
                raise ValueError("a colon")
            i = _skip(text, i + 1)
            if key == "result" and text[i : i + 1] == "[":
                value, texts, i = _array(text, i + 1)
                items = value
            else:
                value, i = _DECODER.raw_decode(text, i)
            data[key] = value
            i = _skip(text, i)
            if text[i : i + 1] == "}":
                i += 1
                break
            if text[i : i + 1] != ",":
                raise ValueError("a comma")
            i = _skip(text, i + 1)
    if _skip(text, i) != len(text):
        raise ValueError("extra data")
    if items is None or data.get("result") is not items:  # a later "result" key won
        texts = None
    return data, texts


def _array(text: str, i: int) -> tuple[list[Any], list[str], int]:
    items: list[Any] = []
    texts: list[str] = []
    i = _skip(text, i)
    if text[i : i + 1] == "]":
        return items, texts, i + 1
    while True:
        item, end = _DECODER.raw_decode(text, i)
        items.append(item)
        texts.append(text[i:end])
        i = _skip(text, end)
        if text[i : i + 1] == "]":
            return items, texts, i + 1
        if text[i : i + 1] != ",":
            raise ValueError("a comma")
        i = _skip(text, i + 1)


__all__ = ["parse"]
