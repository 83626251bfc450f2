"""The review desk as cards on Telegram (issue 10): every new and resubmitted claim is
posted to the review chat (``REVIEW_CHAT_ID``, default the staff group) as its invoice and
S/N photo, then a card with buttons; a pressed button is decided by the channel-neutral
``handlers/review_cards.py`` (staff only, as the staff group's policy says) and answered
with a short notice, the card edited in place.

Cards go out through the shared ``Outgoing`` (the rate limiter's 20 messages a minute per
group, 30 a second overall, retries on 429), in claim order, a few per pump round: a burst
of claims queues instead of hitting 429s. Which try of which claim has its card is in the
database (``storage.review_cards``), taken before the post, so replicas and restarts never
post a card twice nor lose one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.app import App
from bot.channels.telegram.common import RetryPolicy
from bot.channels.telegram.gate import Gate
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import CHANNEL, BotPort, IncomingCallback
from bot.channels.telegram.staff import StaffGroup
from handlers.i18n import Catalog
from handlers.io import Action, Kind, Reply
from handlers.review_cards import ReviewCards
from handlers.review_pool import CodePool, install
from handlers.staff import RolePort, StaffIdentity, StaffRoom
from states import ConversationKey
from storage.review_cards import ReviewCards as CardStore

log = logging.getLogger(__name__)

CARDS_AT_ONCE = 5  # per pump round: a card with its two photos is three group messages
SHORT = RetryPolicy(transient_attempts=2, first_delay=0.2)


class ReviewRoom:
    """Posts the cards and answers their buttons, in one chat."""

    def __init__(
        self,
        cards: ReviewCards,
        store: CardStore,
        outgoing: Outgoing,
        gate: Gate,
        chat_id: int,
        *,
        poke: Callable[[], None] = lambda: None,
    ) -> None:
        self.cards, self.store, self.outgoing, self.gate = cards, store, outgoing, gate
        self.chat_id, self.room = chat_id, str(chat_id)
        self.key = ConversationKey(CHANNEL, self.room, "staff")  # in order with the staff side
        self.poke = poke

    @classmethod
    def build(
        cls,
        *,
        desk: object,
        backend: object,
        catalog: Catalog,
        locale: str,
        staff: StaffRoom,
        roles: RolePort | None,
        store: CardStore,
        outgoing: Outgoing,
        gate: Gate,
        chat_id: int,
        warn_below: int,
        poke: Callable[[], None] = lambda: None,
    ) -> ReviewRoom:
        """The room on the staff group's policy; ``/import`` added to the staff commands."""
        pool = CodePool(desk, catalog, locale, warn_below=warn_below)
        policy = staff.policy
        if str(chat_id) != policy.room:  # a separate review chat: its own room, same people
            policy = type(policy)(
                room=str(chat_id), allowed=policy.allowed, authority=policy.authority
            )
        cards = ReviewCards(desk, backend, catalog, locale, policy=policy, roles=roles, pool=pool)
        install(staff, pool)
        return cls(cards, store, outgoing, gate, chat_id, poke=poke)

    def owns(self, query: IncomingCallback) -> bool:
        action = Action.decode(query.data or "")
        return query.chat_id == self.chat_id and action is not None and action.kind is Kind.REVIEW

    # ------------------------------------------------------------------ posting
    async def post_new_cards(self) -> int:
        """Post the cards of claims waiting for review that have none for their current try
        (a pump step); stops at the first failure, the rest next round, in order."""
        port = self.outgoing.port
        if port is None:
            return 0
        queue = await self.cards.desk.review_queue()
        known = await self.store.known((c.id, c.attempts) for c in queue)
        posted = 0
        for claim in [c for c in queue if (c.id, c.attempts) not in known][:CARDS_AT_ONCE]:
            if not await self.store.take(claim.id, claim.attempts, self.room):
                continue  # another replica posts it
            replies = [*self.cards.media(claim), await self.cards.card(claim)]
            async with self.outgoing.serial(self.key):
                delivery = await self.outgoing.messenger.deliver(port, None, self.chat_id, replies)
            if not delivery.ok or not delivery.message_ids:
                await self.store.release(claim.id, claim.attempts)
                log.warning("could not post the review card of a claim; trying again later")
                break
            await self.store.posted(claim.id, claim.attempts, delivery.message_ids[-1])
            posted += 1
        return posted

    # ------------------------------------------------------------------ buttons
    async def on_callback(self, port: BotPort, query: IncomingCallback) -> None:
        with self.gate.inflight:
            notice = ""
            try:
                if self.gate.left(query.update_id) or not await self.gate.first_time(
                    query.update_id
                ):
                    return
                who = StaffIdentity(
                    channel=CHANNEL,
                    user_id=str(query.user_id),
                    display=query.sender_name or f"tg:{query.user_id}",
                    room=str(query.chat_id),
                )
                pressed = await self.cards.press(query.data or "", who)
                notice = pressed.notice
                await self.show(port, query, pressed.card, pressed.posts)
            finally:
                text = notice or None
                await self.outgoing.messenger.quietly(
                    None,
                    lambda: port.answer_callback(query.callback_id, text),
                    "answerCallbackQuery",
                    policy=SHORT,
                )

    async def show(
        self, port: BotPort, query: IncomingCallback, card: Reply | None, posts: list[Reply]
    ) -> None:
        async with self.outgoing.serial(self.key):
            if card is not None and query.message_id is not None:
                await self.outgoing.messenger.deliver(
                    port,
                    None,
                    self.chat_id,
                    [Reply(card.text, card.buttons, replace=True, key=card.key)],
                    edit_message_id=query.message_id,
                )
        if posts:
            await self.outgoing.send(port, self.key, self.chat_id, posts)
            self.poke()


def review_room(
    app: App, staff: StaffGroup, outgoing: Outgoing, gate: Gate, *, poke: Callable[[], None]
) -> ReviewRoom | None:
    """The review room of a running bot, in ``REVIEW_CHAT_ID``; None without one (the staff
    group then works as before: /queue, /show, /approve ...)."""
    settings = app.settings
    if not settings.review_chat_id:
        return None
    chat_id = int(settings.review_chat_id)
    return ReviewRoom.build(
        desk=app.desk,
        backend=app.backend,
        catalog=app.catalog,
        locale=staff.journey.locale,
        staff=staff.journey,
        roles=staff.roles,
        store=CardStore(app.db),
        outgoing=outgoing,
        gate=gate,
        chat_id=chat_id,
        warn_below=settings.code_stock_warn,
        poke=poke,
    )
