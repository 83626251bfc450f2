"""``answer_json.parse``: what ``json.loads`` gives, and each update's text as received (the
inbox stores that text, not the update serialised again)."""

from __future__ import annotations

import json

import pytest

from bot.channels.telegram.answer_json import parse

UPDATES = [
    {"update_id": 1, "message": {"chat": {"id": 7}, "text": 'héllo \u2028 "quoted" 🎁'}},
    {"update_id": 2, "callback_query": {"id": "x", "data": "a:b", "message": {"chat": {"id": 7}}}},
    {"update_id": 3, "message": {"chat": {"id": -100}, "text": "[]{},:"}},
]


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"ok": True, "result": UPDATES}),
        json.dumps({"ok": True, "result": UPDATES}, ensure_ascii=False, separators=(",", ":")),
        json.dumps({"result": UPDATES, "ok": True}, indent=2),
        ' \n {"ok" : true ,\t"result" : [ '
        + " , ".join(json.dumps(u) for u in UPDATES)
        + " ] } \r\n",
    ],
    ids=["spaces", "compact", "indented", "odd-whitespace"],
)
def test_each_update_text_is_the_update(text: str) -> None:
    for answer in (text, text.encode("utf-8")):
        data, texts = parse(answer)
        assert data == json.loads(text)
        assert texts is not None and [json.loads(t) for t in texts] == UPDATES
        assert all(text.count(t) == 1 for t in texts)  # slices of what was received


@pytest.mark.parametrize(
    "text",
    [
        '{"ok":true,"result":[]}',
        '{"ok":false,"error_code":429,"description":"Too Many","parameters":{"retry_after":3}}',
        "{}",
        '{"ok":true,"result":{"not":"a list"}}',
        '{"ok":true,"result":[1,"two",null,{"update_id":4}]}',
        '{"result":[{"update_id":1}],"result":[{"update_id":2}]}',
        '{"result":[{"update_id":1}],"result":null}',
        "[1, 2]",
        '"text"',
        "\ufeff" + '{"ok":true,"result":[]}',
    ],
)
def test_the_same_data_as_json_loads(text: str) -> None:
    expected = json.loads(text.encode("utf-8"))
    data, texts = parse(text.encode("utf-8"))
    assert data == expected
    result = data.get("result") if isinstance(data, dict) else None
    if texts is not None:
        assert isinstance(result, list) and [json.loads(t) for t in texts] == result
    else:
        assert not isinstance(result, list) or result == [] or text.startswith("\ufeff")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"ok":true,"result":[{"update_id":1}',
        '{"ok":true,"result":[{"update_id":1},]}',
        '{"ok":true,"result":[{"update_id":1}]} trailing',
        '{"ok":true "result":[]}',
        "{'ok': true}",
        '{"ok":true,"result":[' * 10 + "1" + "]}" * 9,
        b"\xff\xfe{",
    ],
)
def test_what_json_loads_refuses_is_refused(text: str | bytes) -> None:
    answer = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises(ValueError):
        json.loads(answer)
    with pytest.raises(ValueError):
        parse(answer)


def test_deep_nesting_is_refused_as_json_loads_refuses_it() -> None:
    deep = '{"ok":true,"result":[' + "[" * 100_000 + "]" * 100_000 + "]}"
    with pytest.raises(RecursionError):
        json.loads(deep)
    with pytest.raises(RecursionError):
        parse(deep.encode())
