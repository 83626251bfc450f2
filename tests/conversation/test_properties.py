"""Property-based: random sequences of events, from any state, never raise and always answer;
the texts include what a channel may hand over (lone surrogates, NUL, control characters)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.port import ProductRegistration, SignUp
from bot.app import build_app
from handlers.io import ActionIn, CommandIn, Event, ImageIn, Reply, TextIn
from states import ConversationKey, Session, State
from tests.conftest import Clock, jpeg, make_settings

GOOD_JPEG = jpeg(800, 600)
# what a channel may hand over: lone surrogates, NUL and other control characters mixed in
ODD_TEXT = st.one_of(
    st.text(
        alphabet=st.one_of(
            st.characters(categories=["Cs"]), st.characters(categories=["Cc"]), st.characters()
        ),
        max_size=40,
    ),
    st.sampled_from(
        ["\ud800x", "\udfff", "\x00", "Passw0rd-prop\ud800", "jo\x00@example.com", "\ud83d\ude00"]
    ),
)
TEXTS = st.one_of(
    st.text(max_size=60),
    ODD_TEXT,
    st.sampled_from(
        [
            "Germany",
            "BA3T01946000V",
            "ba3tO1946OOOv",
            "123",
            "2026-10-01",
            "03/04/2026",
            "today",
            "yes",
            "no",
            "jo@example.com",
            "+49 30 1234567",
            "10115",
            "?",
            "Laptop",
            "1",
            "Online retailer",
            "Berlin",
            "Invalidenstr. 1",
            "K2203N0123456",
            "Passw0rd-prop",
        ]
    ),
)
COMMANDS = st.sampled_from(
    [
        "start",
        "menu",
        "cancel",
        "help",
        "status",
        "faq",
        "support",
        "register",
        "redeem",
        "profile",
        "promos",
        "products",
        "logout",
        "login",
        "signup",
        "nonsense",
        "redeem",
        "redeem",
        "status",
    ]
)
EVENTS = st.one_of(
    st.tuples(st.just("text"), TEXTS),
    st.tuples(st.just("cmd"), COMMANDS),
    st.tuples(st.just("tap"), st.integers(min_value=0, max_value=12)),
    st.tuples(st.just("raw"), st.one_of(st.text(max_size=70), ODD_TEXT)),
    st.tuples(st.just("cmd+"), st.tuples(COMMANDS, ODD_TEXT)),
    st.tuples(st.just("image"), st.sampled_from([GOOD_JPEG, b"junk", b"", GOOD_JPEG[:100]])),
)


def body_for(kind: str, value, last: list[Reply]):
    if kind == "text":
        return TextIn(value)
    if kind == "cmd":
        return CommandIn(value)
    if kind == "cmd+":  # a command with odd arguments, as typed
        return CommandIn(value[0], value[1], raw=f"/{value[0]} {value[1]}")
    if kind == "tap":
        data = [d for r in last for d in r.button_data()]
        return ActionIn(data[value % len(data)]) if data else TextIn("hello")
    if kind == "raw":
        return ActionIn(value)

    async def fetch(payload=value) -> bytes:
        return payload

    return ImageIn(fetch=fetch, size=len(value), filename="x.jpg", mime="image/jpeg")


def test_random_sequences_never_raise_and_always_answer(tmp_path_factory) -> None:
    loop = asyncio.new_event_loop()
    tmp = tmp_path_factory.mktemp("prop")
    app = loop.run_until_complete(build_app(make_settings(tmp), clock=Clock()))
    challenge = loop.run_until_complete(
        app.backend.sign_up(
            SignUp(
                email="prop@example.com",
                password="Passw0rd-prop",
                first_name="Pat",
                last_name="Prop",
                region="DE",
                phone="+49301234567",
                newsletter=False,
                reward_program=False,
                privacy_consent=True,
            )
        )
    )
    member = loop.run_until_complete(app.backend.verify_code(challenge.id, challenge.code))
    invoice = loop.run_until_complete(app.ports.media.put(GOOD_JPEG))
    loop.run_until_complete(
        app.backend.register_product(
            member.id,
            ProductRegistration(
                category="Graphics Card",
                product_name="RTX",
                model="V531",
                serial="BA3T01946000V",
                chk="123",
                region="DE",
                store="Shop",
                purchase_date=dt.date(2026, 10, 1),
                channel="online",
                invoice=invoice,
            ),
        )
    )
    users = itertools.count(1)

    async def play(start: State, logged_in: bool, events: list) -> None:
        key = ConversationKey("prop", str(next(users)), "u")
        await app.sessions.save(
            Session(key=key, state=start, member_id=member.id if logged_in else None)
        )
        if logged_in:  # logged in = the chat link says so too (checked on every turn)
            await app.links.link(member.id, key, "en")
        last = await app.engine.current_prompt(key)
        for n, (kind, value) in enumerate(events):
            outcome = await app.engine.handle(
                Event(key=key, body=body_for(kind, value, last), event_id=f"{n}")
            )
            assert outcome.replies, f"no answer to {kind} {value!r}"
            assert "error.unexpected" not in [r.key for r in outcome.replies], [
                r.text for r in outcome.replies
            ]
            assert all(r.text.strip() and len(r.text) < 20000 for r in outcome.replies)
            assert all(len(d.encode()) <= 64 for r in outcome.replies for d in r.button_data())
            last = outcome.replies

    @settings(
        max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "120")),
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        start=st.sampled_from(list(State)),
        logged_in=st.booleans(),
        events=st.lists(EVENTS, max_size=14),
    )
    def run(start: State, logged_in: bool, events: list) -> None:
        loop.run_until_complete(play(start, logged_in, events))

    try:
        run()
    finally:
        loop.run_until_complete(app.close())
        loop.close()
