"""Tests for the Bot API spec validator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.telegram.spec import SPEC_DIR_ENV, BotApiSpec, UploadedFile, default_spec_dir


@pytest.fixture(scope="module")
def spec() -> BotApiSpec:
    return BotApiSpec.load()


def keyboard(*buttons: dict[str, object]) -> dict[str, object]:
    return {"inline_keyboard": [list(buttons)]}


def only(violations: list[str], fragment: str) -> None:
    assert len(violations) == 1, violations
    assert fragment in violations[0], violations


# ---------------------------------------------------------------- loading


def test_loads_the_shared_spec(spec: BotApiSpec) -> None:
    assert spec.version.startswith("Bot API")
    assert spec.method("sendMessage") is not None
    assert "InlineKeyboardButton" in spec.types


def test_spec_dir_can_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny = {
        "version": "Bot API 0.1",
        "methods": {"getMe": {"name": "getMe", "returns": ["User"]}},
        "types": {},
    }
    (tmp_path / "api.json").write_text(json.dumps(tiny))
    monkeypatch.setenv(SPEC_DIR_ENV, str(tmp_path))
    assert default_spec_dir() == tmp_path
    loaded = BotApiSpec.load()
    assert loaded.version == "Bot API 0.1"
    assert loaded.validate_call("getMe", {}) == []
    assert loaded.validate_call("sendMessage", {}) == ["sendMessage: unknown method 'sendMessage'"]


# ---------------------------------------------------------------- sendMessage


def test_valid_send_message_from_json_and_from_a_form(spec: BotApiSpec) -> None:
    markup = keyboard(
        {"text": "Yes", "callback_data": "claim:yes"}, {"text": "Site", "url": "https://msi.com"}
    )
    assert (
        spec.validate_call("sendMessage", {"chat_id": 42, "text": "Hi", "reply_markup": markup})
        == []
    )
    form = {
        "chat_id": "42",
        "text": "Hi",
        "disable_notification": "true",
        "reply_markup": json.dumps(markup),
    }
    check = spec.check_call("sendmessage", form)  # method names are case-insensitive
    assert check.ok, check.messages
    assert check.method == "sendMessage"
    assert check.params == {
        "chat_id": 42,
        "text": "Hi",
        "disable_notification": True,
        "reply_markup": markup,
    }


def test_chat_id_may_be_a_username(spec: BotApiSpec) -> None:
    assert (
        spec.assert_valid("sendMessage", {"chat_id": "@staff", "text": "x"})["chat_id"] == "@staff"
    )


def test_missing_chat_id(spec: BotApiSpec) -> None:
    check = spec.check_call("sendMessage", {"text": "Hi"})
    only(check.messages, "sendMessage.chat_id: required parameter is missing")
    assert check.error_description() == "Bad Request: chat_id is empty"


def test_text_length_limits(spec: BotApiSpec) -> None:
    assert spec.validate_call("sendMessage", {"chat_id": 1, "text": "x" * 4096}) == []
    check = spec.check_call("sendMessage", {"chat_id": 1, "text": "x" * 4097})
    only(check.messages, "must be 1-4096 characters")
    assert check.error_description() == "Bad Request: message is too long"
    only(spec.validate_call("sendMessage", {"chat_id": 1, "text": "  \n"}), "must not be empty")


def test_text_length_counts_after_entity_parsing(spec: BotApiSpec) -> None:
    text = "<b>" + "x" * 4096 + "</b>"
    assert (
        spec.validate_call("sendMessage", {"chat_id": 1, "text": text, "parse_mode": "HTML"}) == []
    )
    only(spec.validate_call("sendMessage", {"chat_id": 1, "text": text}), "got 4103")


@pytest.mark.parametrize(
    ("text", "mode", "fragment"),
    [
        ("Serial <serial> please", "HTML", 'unsupported start tag "serial"'),
        ("<b>bold", "HTML", "can't find end tag"),
        ("a < b", "HTML", "unexpected '<'"),
        ("Total: 1.5", "MarkdownV2", "character '.' is reserved"),
        ("*bold", "MarkdownV2", "can't find end of the entity"),
        ("snake_case", "Markdown", "can't find end of the entity"),
    ],
)
def test_unparsable_markup(spec: BotApiSpec, text: str, mode: str, fragment: str) -> None:
    check = spec.check_call("sendMessage", {"chat_id": 1, "text": text, "parse_mode": mode})
    only(check.messages, fragment)
    assert check.error_description().startswith("Bad Request: can't parse entities")


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("<b>Hi</b> &lt;3 <a href='https://x.y'>link</a> <tg-spoiler>s</tg-spoiler>", "HTML"),
        ("*bold* _it_ __u__ ~s~ ||sp|| `co.de` [l](https://x.y/a_b) 1\\.5 \\- ok", "MarkdownV2"),
        ("```python\nprint(1.5)\n```", "MarkdownV2"),
        ("*bold* _it_ `code` [l](https://x.y)", "Markdown"),
        ("plain", "html"),
    ],
)
def test_parsable_markup(spec: BotApiSpec, text: str, mode: str) -> None:
    assert spec.validate_call("sendMessage", {"chat_id": 1, "text": text, "parse_mode": mode}) == []


def test_unknown_parse_mode(spec: BotApiSpec) -> None:
    only(
        spec.validate_call("sendMessage", {"chat_id": 1, "text": "x", "parse_mode": "rich"}),
        "unsupported parse_mode",
    )


def test_wrong_types_and_unknown_parameters(spec: BotApiSpec) -> None:
    violations = spec.validate_call(
        "sendMessage",
        {"chat_id": 1.5, "text": 5, "disable_notification": "maybe", "colour": "red"},
    )
    assert sorted(violations) == sorted(
        [
            "sendMessage.colour: unknown parameter for sendMessage",
            "sendMessage.chat_id: expected Integer or String, got Float 1.5",
            "sendMessage.text: expected String, got Integer 5",
            "sendMessage.disable_notification: expected Boolean, got String 'maybe'",
        ]
    )


def test_unknown_method(spec: BotApiSpec) -> None:
    check = spec.check_call("sendMesage", {"chat_id": 1})
    assert check.messages == ["sendMesage: unknown method 'sendMesage'"]
    assert not check.known
    assert check.error_description() == "Not Found"


def test_reply_markup_that_is_no_markup_at_all(spec: BotApiSpec) -> None:
    violations = spec.validate_call(
        "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": "[1, 2]"}
    )
    only(violations, "expected InlineKeyboardMarkup or ReplyKeyboardMarkup")
    violations = spec.validate_call(
        "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": "{broken"}
    )
    only(violations, "got String")


def test_nested_required_fields(spec: BotApiSpec) -> None:
    params = {"chat_id": 1, "text": "x", "reply_parameters": {"chat_id": 1}}
    only(
        spec.validate_call("sendMessage", params),
        "sendMessage.reply_parameters.message_id: required field is missing",
    )


# ---------------------------------------------------------------- keyboards


def test_callback_data_is_limited_to_64_bytes(spec: BotApiSpec) -> None:
    ok = keyboard({"text": "A", "callback_data": "x" * 64})
    assert spec.validate_call("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": ok}) == []
    too_long = keyboard({"text": "A", "callback_data": "x" * 65})
    check = spec.check_call("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": too_long})
    only(
        check.messages,
        "sendMessage.reply_markup.inline_keyboard[0][0].callback_data: must be 1-64 bytes, got 65",
    )
    assert check.error_description() == "Bad Request: BUTTON_DATA_INVALID"
    multibyte = keyboard({"text": "A", "callback_data": "é" * 33})  # 33 characters, 66 bytes
    only(
        spec.validate_call("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": multibyte}),
        "got 66",
    )


@pytest.mark.parametrize(
    "button",
    [
        {"text": "Nothing"},
        {"text": "Both", "callback_data": "a", "url": "https://x.y"},
    ],
)
def test_inline_button_needs_exactly_one_action(
    spec: BotApiSpec, button: dict[str, object]
) -> None:
    violations = spec.validate_call(
        "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": keyboard(button)}
    )
    only(violations, "exactly one of url, callback_data")


def test_inline_button_style_is_not_an_action(spec: BotApiSpec) -> None:
    button = {"text": "Go", "style": "primary", "callback_data": "go"}
    assert (
        spec.validate_call(
            "editMessageReplyMarkup",
            {"chat_id": 1, "message_id": 2, "reply_markup": keyboard(button)},
        )
        == []
    )


def test_reply_keyboards(spec: BotApiSpec) -> None:
    markup = {
        "keyboard": [[{"text": "Share phone", "request_contact": True}]],
        "resize_keyboard": True,
    }
    assert (
        spec.validate_call("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup}) == []
    )
    assert (
        spec.validate_call(
            "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": {"remove_keyboard": True}}
        )
        == []
    )
    violations = spec.validate_call(
        "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": {"remove_keyboard": "yes"}}
    )
    only(violations, "sendMessage.reply_markup.remove_keyboard: expected Boolean, got String 'yes'")


# ---------------------------------------------------------------- other methods


def test_set_my_commands(spec: BotApiSpec) -> None:
    commands = [
        {"command": "start", "description": "Start"},
        {"command": "status_2", "description": "d" * 256},
    ]
    assert spec.validate_call("setMyCommands", {"commands": json.dumps(commands)}) == []
    scoped = {
        "commands": commands,
        "scope": '{"type": "chat", "chat_id": -100123}',
        "language_code": "en",
    }
    assert spec.assert_valid("setMyCommands", scoped)["scope"] == {
        "type": "chat",
        "chat_id": -100123,
    }


@pytest.mark.parametrize(
    ("command", "fragment"),
    [
        ({"command": "Start", "description": "x"}, "only lowercase English letters"),
        ({"command": "my-claims", "description": "x"}, "only lowercase English letters"),
        ({"command": "c" * 33, "description": "x"}, "must be 1-32 characters"),
        ({"command": "start", "description": ""}, "must be 1-256 characters"),
        ({"command": "start", "description": "d" * 257}, "must be 1-256 characters"),
        ({"command": "start"}, "description: required field is missing"),
    ],
)
def test_bad_bot_commands(spec: BotApiSpec, command: dict[str, str], fragment: str) -> None:
    only(spec.validate_call("setMyCommands", {"commands": [command]}), fragment)


def test_command_scope_is_checked_by_its_type(spec: BotApiSpec) -> None:
    commands = [{"command": "start", "description": "Start"}]
    violations = spec.validate_call(
        "setMyCommands", {"commands": commands, "scope": {"type": "everyone"}}
    )
    only(violations, "setMyCommands.scope.type: must be one of")
    violations = spec.validate_call(
        "setMyCommands", {"commands": commands, "scope": {"type": "chat"}}
    )
    only(violations, "setMyCommands.scope.chat_id: required field is missing")


def test_too_many_commands(spec: BotApiSpec) -> None:
    commands = [{"command": f"c{i}", "description": "x"} for i in range(101)]
    only(
        spec.validate_call("setMyCommands", {"commands": commands}),
        "must have 0-100 items, got 101",
    )


def test_answer_callback_query_text_limit(spec: BotApiSpec) -> None:
    assert (
        spec.validate_call("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 200})
        == []
    )
    only(
        spec.validate_call("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 201}),
        "must be 0-200 characters",
    )


def test_input_files(spec: BotApiSpec) -> None:
    for photo in (
        b"\x89PNG",
        UploadedFile(b"\x89PNG", "a.png", "image/png"),
        "AgACAgQAAxkBAAI",
        "attach://p1",
    ):
        assert spec.validate_call("sendPhoto", {"chat_id": 1, "photo": photo}) == [], photo
    only(
        spec.validate_call("sendPhoto", {"chat_id": 1, "photo": 5}), "expected InputFile or String"
    )
    only(
        spec.validate_call("sendPhoto", {"chat_id": 1, "photo": "x", "caption": "c" * 1025}),
        "must be 0-1024 characters",
    )


def test_media_group_mixes_photos_and_videos(spec: BotApiSpec) -> None:
    media = [{"type": "photo", "media": "attach://a"}, {"type": "video", "media": "file-id"}]
    assert spec.validate_call("sendMediaGroup", {"chat_id": 1, "media": json.dumps(media)}) == []
    only(
        spec.validate_call("sendMediaGroup", {"chat_id": 1, "media": media[:1]}),
        "must have 2-10 items",
    )
    bad = [{"type": "photo", "media": "a"}, {"type": "gif", "media": "b"}]
    only(
        spec.validate_call("sendMediaGroup", {"chat_id": 1, "media": bad}),
        "sendMediaGroup.media[1]",
    )


def test_edit_needs_a_target(spec: BotApiSpec) -> None:
    assert spec.validate_call("editMessageText", {"chat_id": 1, "message_id": 2, "text": "x"}) == []
    assert spec.validate_call("editMessageText", {"inline_message_id": "abc", "text": "x"}) == []
    violations = spec.validate_call("editMessageText", {"text": "x"})
    assert violations == [
        "editMessageText.chat_id: required when inline_message_id is not specified",
        "editMessageText.message_id: required when inline_message_id is not specified",
    ]
    only(
        spec.validate_call("editMessageText", {"chat_id": 1, "message_id": 2}),
        "editMessageText.text",
    )


def test_integer_ranges_chat_actions_and_secret_tokens(spec: BotApiSpec) -> None:
    assert spec.validate_call("getUpdates", {"offset": "-1", "limit": "100", "timeout": "30"}) == []
    only(spec.validate_call("getUpdates", {"limit": 101}), "must be between 1 and 100")
    only(
        spec.validate_call("sendChatAction", {"chat_id": 1, "action": "thinking"}),
        "unknown chat action",
    )
    assert (
        spec.validate_call("setWebhook", {"url": "https://x.y/hook", "secret_token": "abc-DEF_1"})
        == []
    )
    only(
        spec.validate_call("setWebhook", {"url": "https://x.y", "secret_token": "a b"}), "only A-Z"
    )


def test_assert_valid_lists_every_violation(spec: BotApiSpec) -> None:
    with pytest.raises(AssertionError) as info:
        spec.assert_valid("sendMessage", {"text": "x" * 5000, "bogus": 1})
    message = str(info.value)
    assert "chat_id: required parameter is missing" in message
    assert "must be 1-4096 characters" in message
    assert "bogus: unknown parameter" in message


def test_validate_object(spec: BotApiSpec) -> None:
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "A"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    assert spec.validate_object("Update", update) == []
    del update["message"]["chat"]  # type: ignore[attr-defined]
    assert spec.validate_object("Update", update) == [
        "Update.message.chat: required field is missing"
    ]
