"""The review desk as cards on Telegram (issue 10): every new and resubmitted claim is
posted to the review chat (``REVIEW_CHAT_ID``, default the staff group) as its invoice and
S/N photo, then a card with buttons; a pressed button is decided by the channel-neutral
``handlers/review_cards.py`` (staff only, as the staff group's policy says) and answered
with a short notice, the card edited in place.

Cards go out through the shared ``Outgoing`` (the rate limiter's 20 messages a minute per
group, 30 a second overall, retries on 429), in claim order, a few per pump round: a burst
of claims queues instead of hitting 429s. Which try of which claim has its card is in the
database (``storage.review_cards``), taken before the post, so replicas and restarts never
post a card twice nor lose one. Each round reads only the entries into review past the
room's cursor (``StaffDesk.review_arrivals``, the cursor in ``storage.review_cards``): its
cost does not grow with the queue.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from backend.port import ClaimStatus
from bot.app import App
from bot.channels.telegram.common import RetryPolicy, SendError
from bot.channels.telegram.delivery import Messenger
from bot.channels.telegram.gate import Gate
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import CHANNEL, BotPort, IncomingCallback, IncomingMessage
from bot.channels.telegram.review_port import ReviewPort, review_port
from bot.channels.telegram.staff import StaffGroup
from handlers.i18n import Catalog
from handlers.io import Action, Kind, Reply
from handlers.review_cards import ReviewCards
from handlers.review_pool import CodePool, install
from handlers.staff import RolePort, StaffIdentity, StaffRoom
from states import ConversationKey
from storage.review_cards import ReviewCards as CardStore
from storage.review_desk import ReviewDeskStore

log = logging.getLogger(__name__)

CARDS_AT_ONCE = 5  # per pump round: a card with its two photos is three group messages
READ_AT_ONCE = 50  # entries into review read per round (past the room's cursor)
# events looked at again behind the cursor each round: on PostgreSQL (several writer
# connections) an entry can commit after one numbered above it was read; what is found
# there is already posted (a cheap look-up), or is that late entry
LOOKBACK = 32
SHORT = RetryPolicy(transient_attempts=2, first_delay=0.2)
FORUM_RETRY = 60.0  # seconds before asking again whether the staff group is a forum


def topic_link(chat_id: int, thread_id: int | str) -> str | None:
    """``https://t.me/c/<chat>/<thread>``: a topic of a supergroup, for its members."""
    text = str(chat_id)
    return f"https://t.me/c/{text[4:]}/{thread_id}" if text.startswith("-100") else None


class ReviewRoom:
    """Posts the cards and answers their buttons, in one chat (and topic)."""

    def __init__(
        self,
        cards: ReviewCards,
        store: CardStore,
        outgoing: Outgoing,
        gate: Gate,
        chat_id: int,
        *,
        poke: Callable[[], None] = lambda: None,
        desk_store: ReviewDeskStore | None = None,
        forum: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cards, self.store, self.outgoing, self.gate = cards, store, outgoing, gate
        self.chat_id, self.room = chat_id, str(chat_id)
        self.key = ConversationKey(CHANNEL, self.room, "staff")  # in order with the staff side
        self.poke = poke
        self.desk_store = desk_store or ReviewDeskStore(store._engine)
        self.forum = forum  # True: a topic of the staff group (REVIEW_CHAT_ID unset)
        self.thread: int | None = None  # the Review topic, once known
        self.ready = not forum  # False until the topic is known (or the group is no forum)
        self.disabled = False  # the staff group is not a forum: no cards
        self.clock, self._asked_at = clock, -math.inf

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
        forum: bool = False,
        stats: Callable[[], Awaitable[str]] | None = None,
        topics_room: str | None = None,
    ) -> ReviewRoom:
        """The room on the staff group's policy; ``/import`` (and ``/stats``) added to the
        staff commands."""
        desk_store = ReviewDeskStore(store._engine)
        pool = CodePool(desk, catalog, locale, warn_below=warn_below, marks=desk_store)
        policy = staff.policy
        if str(chat_id) != policy.room:  # a separate review chat: its own room, same people
            policy = type(policy)(
                room=str(chat_id), allowed=policy.allowed, authority=policy.authority
            )
        link = None
        if topics_room:
            staff_chat = int(topics_room)

            async def link(claim: Any) -> str | None:
                thread = await desk_store.customer_thread(topics_room, claim.member_id)
                return topic_link(staff_chat, thread) if thread else None

        cards = ReviewCards(
            desk,
            backend,
            catalog,
            locale,
            policy=policy,
            roles=roles,
            pool=pool,
            customer_link=link,
        )
        room = cls(
            cards, store, outgoing, gate, chat_id, poke=poke, desk_store=desk_store, forum=forum
        )
        room.stats = stats
        install(staff, pool, stats, warn=room.warn)
        return room

    stats: Callable[[], Awaitable[str]] | None = None

    def owns(self, query: IncomingCallback) -> bool:
        action = Action.decode(query.data or "")
        return query.chat_id == self.chat_id and action is not None and action.kind is Kind.REVIEW

    def rport(self) -> ReviewPort | None:
        port = self.outgoing.port
        return review_port(port) if port is not None else None

    # ------------------------------------------------------------------ the room
    async def place(self) -> bool:
        """True when cards can be posted: the review chat, or the forum's Review topic (found
        in the database, else created once). A staff group that is no forum: never."""
        if self.ready or self.disabled:
            return self.ready
        known = await self.desk_store.thread(self.room)
        if known:
            self.thread, self.ready = int(known), True
            return True
        rport = self.rport()
        if rport is None or self.clock() - self._asked_at < FORUM_RETRY:
            return False
        self._asked_at = self.clock()
        try:
            is_forum = await self.outgoing.messenger.call(
                None, lambda: rport.is_forum(self.chat_id), counted=False, policy=SHORT
            )
        except SendError as exc:
            log.warning("could not ask whether the staff group is a forum: %s", exc)
            return False
        if not is_forum:
            log.info("the staff group is not a forum and REVIEW_CHAT_ID is unset: no cards")
            self.disabled = True
            return False
        if not await self.desk_store.take_room(self.room):
            return False  # another replica creates it; its thread is read next round
        name = self.cards.t("review.topic_name")
        try:
            thread = await self.outgoing.messenger.call(
                self.chat_id, lambda: rport.create_topic(self.chat_id, name), repeatable=False
            )
        except SendError as exc:
            log.warning("could not create the Review topic: %s", exc)
            await self.desk_store.room_failed(self.room)
            return False
        await self.desk_store.room_made(self.room, thread)
        log.info("Review topic created in the staff group")
        self.thread, self.ready = thread, True
        return True

    # ------------------------------------------------------------------ posting
    async def post_new_cards(self) -> int:
        """Post the cards of claims that entered review (sent, or sent again) since the
        room's cursor (a pump step): at most ``READ_AT_ONCE`` entries read (and ``LOOKBACK``
        events behind it again: ids and tries only), ``CARDS_AT_ONCE`` cards posted, in
        the order they came. The cursor moves past an entry once its card is posted (or its
        claim decided meanwhile); a failed post, or a card another replica is posting right
        now, holds it there for the next round: nothing is posted twice, nothing skipped,
        across restarts and replicas."""
        if self.outgoing.port is None or not await self.place():
            return 0
        after = await self.store.cursor(self.room)
        since = None if after is None else max(0, after - LOOKBACK)
        arrivals = await self.cards.desk.review_arrivals(since, READ_AT_ONCE + LOOKBACK)
        known = await self.store.known(
            (a.claim_id, a.attempt) for a in arrivals if a.attempt is not None
        )
        posted, settled = 0, after
        for arrival in arrivals:
            if (
                arrival.attempt is not None
                and (tried := (arrival.claim_id, arrival.attempt)) not in known
            ):
                if posted >= CARDS_AT_ONCE:
                    break  # the rest next round
                claim = await self.cards.desk.find_claim(arrival.claim_id)
                if claim.status is ClaimStatus.UNDER_REVIEW and claim.attempts == arrival.attempt:
                    if not await self.post(claim):
                        break  # it could not go, or another replica is posting it
                    posted += 1
                known.add(tried)  # else decided or sent again since: its next entry comes
            settled = arrival.seq
        if settled is not None and (after is None or settled > after):
            await self.store.advance(self.room, settled)
        return posted

    async def post(self, claim: Any) -> bool:
        """Post ``claim``'s card for its current try; False when it is not posted (another
        replica is posting it, or it could not go: tried again next round)."""
        if not await self.store.take(claim.id, claim.attempts, self.room):
            return False
        card = await self.cards.card(claim)
        async with self.outgoing.serial(self.key):
            message_id = await self.post_card(self.cards.media(claim), card)
        if message_id is None:
            await self.store.release(claim.id, claim.attempts)
            log.warning("could not post the review card of a claim; trying again later")
            return False
        await self.store.posted(claim.id, claim.attempts, message_id)
        return True

    async def post_card(self, media: list[Reply], card: Reply) -> int | None:
        """The photos (an album when there are two) then the card; the card's message id."""
        rport, messenger = self.rport(), self.outgoing.messenger
        if rport is None:
            return None
        photos = []
        for reply in media:
            data = await messenger._image(reply.image) if reply.image else None
            if data is not None:
                photos.append((data, reply.text))
        return await send_card(messenger, rport, self.chat_id, self.thread, photos, card)

    async def say(self, replies: list[Reply]) -> None:
        """Texts in the room (warnings, questions, answers), in its topic when it has one."""
        rport, messenger, chat = self.rport(), self.outgoing.messenger, self.chat_id
        if rport is None:
            return
        for reply in replies:
            send = functools.partial(rport.send_text, chat, reply.text, self.thread)
            try:
                await messenger.call(chat, send)
            except SendError as exc:
                log.warning("could not post in the review room: %s", type(exc).__name__)

    async def warn(self, replies: list[Reply]) -> bool:
        """The code pool's warnings after a typed ``/approve``: in the room (its Review topic)
        as after a button; False when the room has no place for them (no cards here)."""
        if self.outgoing.port is None or not await self.place():
            return False
        await self.say(replies)
        return True

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
                if pressed.ask:
                    await self.desk_store.ask(
                        self.room,
                        who.user_id,
                        str(self.thread or ""),
                        pressed.claim_id,
                        pressed.ask,
                        query.message_id,
                    )
                await self.show(port, query.message_id, pressed.card, pressed.posts)
            finally:
                text = notice or None
                await self.outgoing.messenger.quietly(
                    None,
                    lambda: port.answer_callback(query.callback_id, text),
                    "answerCallbackQuery",
                    policy=SHORT,
                )

    async def show(
        self, port: BotPort, message_id: int | None, card: Reply | None, posts: list[Reply]
    ) -> None:
        async with self.outgoing.serial(self.key):
            if card is not None and message_id is not None:
                await self.outgoing.messenger.deliver(
                    port,
                    None,
                    self.chat_id,
                    [Reply(card.text, card.buttons, replace=True, key=card.key)],
                    edit_message_id=message_id,
                )
            if posts:
                await self.say(posts)
        if posts:
            self.poke()

    async def close(self) -> None:
        await self.store.close()
        await self.desk_store.close()

    # ------------------------------------------------------------------ messages
    async def on_message(self, port: BotPort, message: IncomingMessage) -> bool:
        """A message the review room takes (True): an answer to a question it asked, /cancel,
        /import with a file, /import and /stats in the review chat or topic. Anything else is
        left to the staff side (False)."""
        from bot.channels.telegram.review_inbox import take

        return await take(self, port, message)


async def send_card(
    messenger: Messenger,
    rport: ReviewPort,
    chat: int,
    thread: int | None,
    photos: list[tuple[bytes, str]],
    card: Reply,
) -> int | None:
    """Post one card through the rate limiter (an album takes a slot per photo): the photos,
    then the card with its buttons; the card's message id, None when it could not go."""
    try:
        if len(photos) >= 2:
            # an album is as many messages as it has photos: the extra places are held
            # until it is answered, so the limiter counts them when Telegram does
            extra = [await messenger.limiter.acquire(chat) for _ in photos[1:]]
            try:
                await messenger.call(
                    chat, lambda: rport.send_album(chat, photos, thread), repeatable=False
                )
            finally:
                for slot in extra:
                    slot.release()
        elif photos:
            data, caption = photos[0]
            await messenger.call(
                chat, lambda: rport.send_photo_in(chat, data, caption, thread), repeatable=False
            )
        return await messenger.call(
            chat, lambda: rport.send_card(chat, card.text, card.buttons, thread), repeatable=False
        )
    except SendError as exc:
        log.warning("review card not posted: %s", type(exc).__name__)
        return None


def review_room(
    app: App, staff: StaffGroup, outgoing: Outgoing, gate: Gate, *, poke: Callable[[], None]
) -> ReviewRoom | None:
    """The review room of a running bot: in ``REVIEW_CHAT_ID``, else in the staff group's
    Review topic when the group is a forum (found out once the bot runs)."""
    settings = app.settings
    forum = not settings.review_chat_id
    chat_id = staff.chat_id if forum else int(str(settings.review_chat_id))
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
        forum=forum,
        stats=stats_of(app, staff),
        topics_room=staff.room,
    )


def stats_of(app: App, staff: StaffGroup) -> Callable[[], Awaitable[str]] | None:
    """/stats (handlers/workspace/stats.py) when the backend gives the numbers."""
    if app.claim_stats is None or app.stores is None:
        return None
    from handlers.workspace.stats import StatsDesk

    desk = StatsDesk(
        desk=app.desk,
        backend=app.backend,
        claim_stats=app.claim_stats,
        topics=app.stores.topics,
        support=app.support,
        catalog=app.catalog,
        now=app.stores.topics.now,
        locale=staff.journey.locale,
    )
    return desk.text
