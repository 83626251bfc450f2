"""The composition root: builds everything from Settings, in one place, and closes it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from backend.port import RedemptionBackend, StaffDesk
from bot.config import Settings
from bot.engine import Engine
from bot.housekeeping import Housekeeping, Retention
from handlers.i18n import Catalog
from handlers.ports import Ports, Rules
from handlers.router import Conversation
from handlers.validators import DEFAULT_SERIAL_PATTERNS
from handlers.workspace import faq as workspace_faq
from handlers.workspace.desk import Workspace
from storage.db import make_engine, make_sessionmaker, truncate_wal
from storage.files import only_holds, private_dir, sqlite_files, sqlite_path, tighten, tighten_tree
from storage.image_pool import ImagePool
from storage.images import DEFAULT_LIMITS, GUEST_LIMITS, ImageLimits, ImageRejected
from storage.media import MediaStore
from storage.migrate import upgrade
from storage.models import utcnow
from storage.sessions import SessionStore
from storage.sticker import StickerReader

if TYPE_CHECKING:  # built in build_app (storage.links is imported there, when needed)
    from storage.links import BotStores, Inbox, LinkStore, Outbox, SupportStore, UpdateLog

log = logging.getLogger(__name__)


class ImageNormalizer:
    """The image port: the Pillow pipeline (storage/images.py) in the bounded worker pool
    (storage/image_pool.py), with the guests' tighter budget for chats not signed in."""

    def __init__(
        self,
        pool: ImagePool,
        limits: ImageLimits = DEFAULT_LIMITS,
        guest_limits: ImageLimits = GUEST_LIMITS,
    ) -> None:
        self.pool = pool
        self.limits = limits
        self.guest_limits = guest_limits

    async def normalize(
        self, data: bytes, *, filename: str | None, mime: str | None, guest: bool = False
    ) -> bytes:
        del filename, mime  # the content decides, never what the channel claimed
        limits = self.guest_limits if guest else self.limits
        return (await self.pool.normalize(data, limits=limits, guest=guest)).jpeg


Closer = Callable[[], Awaitable[object]]


@dataclass
class App:
    settings: Settings
    engine: Engine
    conversation: Conversation
    catalog: Catalog
    ports: Ports
    backend: RedemptionBackend
    desk: StaffDesk
    sessions: SessionStore
    links: LinkStore
    support: SupportStore
    updates: UpdateLog
    outbox: Outbox
    db: AsyncEngine
    inbox: Inbox  # updates received and not handled yet
    stores: BotStores | None = None  # every bot-side store (the workspace's among them)
    workspace: Workspace | None = None  # the staff workspace core (issue 10)
    claim_stats: Any = None  # ClaimStatsPort for /stats (the embedded backend's); None: remote
    _closers: list[Closer] = field(default_factory=list)

    def start_housekeeping(self, **kwargs: Any) -> Housekeeping:
        """Prune the update log, sent outbox rows and stuck inbox updates on a schedule while the bot runs
        (``kwargs``: an injected ``clock``/``sleep`` for tests); stopped by ``close``."""
        kwargs.setdefault("flush", lambda: truncate_wal(self.db))  # deleted rows leave the -wal too
        if self.stores is not None:
            kwargs.setdefault("pairs", self.stores.pairs)
        keeper = Housekeeping(
            self.updates,
            self.outbox,
            Retention.from_settings(self.settings),
            inbox=self.inbox,
            **kwargs,
        )
        keeper.start()
        self._closers.append(keeper.stop)  # closers run last first: it stops before the stores
        return keeper

    async def close(self) -> None:
        for closer in reversed(self._closers):
            try:
                await closer()
            except Exception:  # closing must go on whatever one part says
                log.exception("error while closing")


async def build_backend(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Callable[[], dt.datetime] | None = None,
    read_sessionmaker: async_sessionmaker[AsyncSession] | None = None,
) -> tuple[RedemptionBackend, StaffDesk, Closer]:
    """The redemption backend the settings ask for: embedded (local) or HTTP."""
    if settings.backend == "http":
        from backend.http import HttpBackend

        token = (
            settings.backend_token.get_secret_value() if settings.backend_token else ""
        )  # "": refused
        remote = HttpBackend(settings.backend_url, token, timeout=settings.backend_timeout)
        return remote, remote, remote.close
    from backend.catalog import load_catalog
    from backend.local import CodeRules, EmailRules, LocalBackend

    backend = LocalBackend(
        sessionmaker,
        load_catalog(settings.promotions_file),
        clock,
        max_failures=settings.login_max_failures,
        lock_minutes=settings.login_lock_minutes,
        read_sessionmaker=read_sessionmaker,
        email_rules=EmailRules(
            plus_tags=settings.email_ignore_plus_tags, dotless_domains=settings.dotless_domains()
        ),
        code_rules=CodeRules(
            ttl=dt.timedelta(minutes=settings.email_code_minutes),
            tries=settings.email_code_tries,
            cooldown=dt.timedelta(seconds=settings.email_resend_seconds),
        ),
        code_key=settings.secret_bytes(),
    )
    await backend.start()
    return backend, backend, backend.close


def secure_data(settings: Settings) -> int:
    """Only the bot's user may read its data, whatever the umask or an older version left:
    the SQLite files of both databases (with WAL/SHM/journal), the media tree, the secret
    key, and the folders that hold nothing else (a shared folder is left as it is) are
    tightened to 0600/0700, never loosened. One warning, without paths, if any had to be."""
    databases = [
        p for p in map(sqlite_path, (settings.database_url, settings.backend_database_url)) if p
    ]
    ours = [f for db in databases for f in sqlite_files(db)] + [
        settings.media_dir,
        settings.secret_key_path(),
    ]
    private_dir(settings.media_dir)
    changed = tighten_tree(settings.media_dir)
    changed += sum(tighten(p) for p in ours if not p.is_dir())
    for folder in {p.parent for p in ours}:
        if folder.is_dir() and only_holds(folder, ours):
            changed += tighten(folder)
    if changed:
        log.warning(
            "%d data files or folders were readable by other users; now by the bot's user only",
            changed,
        )
    return changed


def build_email(settings: Settings):
    """The outbound email port: SMTP when SMTP_HOST is set, else None (demo mode: the
    journey shows the code in the chat, clearly marked)."""
    if not settings.smtp_host:
        log.warning(
            "SMTP_HOST is not set: sign-up and reset codes are shown in the chat (demo mode)"
        )
        return None
    from bot.email import SmtpEmail

    return SmtpEmail(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_from,
        user=settings.smtp_user,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
        timeout=settings.smtp_timeout,
    )


async def build_app(
    settings: Settings | None = None, *, clock=None, warm_images: bool = False
) -> App:
    """Everything, from the settings. ``warm_images``: start the picture workers now (the
    running bot) rather than at the first picture (tests, one-off commands)."""
    from storage.links import BotStores

    settings = settings or Settings()
    secure_data(settings)
    await upgrade(settings.database_url)
    db = make_engine(settings.database_url)
    sessionmaker = make_sessionmaker(db)
    closers: list[Any] = [db.dispose]
    stores = BotStores.create(db, now=clock, cache_size=settings.session_cache_size)
    closers.append(stores.close)
    sessions, links, support, updates, outbox = (
        stores.sessions,
        stores.links,
        stores.support,
        stores.updates,
        stores.outbox,
    )
    backend_sessionmaker, read_sessionmaker = sessionmaker, None
    if settings.backend == "local" and settings.backend_database_url != settings.database_url:
        await upgrade(settings.backend_database_url)
        backend_db = make_engine(settings.backend_database_url, single_writer=True)
        backend_reads = make_engine(settings.backend_database_url, readers=4)
        closers += [backend_db.dispose, backend_reads.dispose]
        backend_sessionmaker = make_sessionmaker(backend_db)
        read_sessionmaker = make_sessionmaker(backend_reads)
    backend, desk, close_backend = await build_backend(
        settings, backend_sessionmaker, clock, read_sessionmaker
    )
    closers.append(close_backend)
    claim_stats = None
    if settings.backend == "local":
        from backend.stats import SqlClaimStats

        claim_stats = SqlClaimStats(backend_sessionmaker.kw["bind"])
    catalog = Catalog()
    await workspace_faq.seed(stores.faq, catalog)  # idempotent: the FAQ lives in the database
    workspace = Workspace(
        stores.topics,
        stores.faq,
        catalog,
        pairs=stores.pairs,
        room=settings.staff_chat_id or "",
        hours=settings.hours(),
        sla=dt.timedelta(minutes=settings.support_sla_minutes),
        now=clock or utcnow,
        staff_locale=catalog.resolve_locale(settings.staff_locale),
    )
    pool = ImagePool(settings.image_workers, settings.image_queue)
    closers.append(pool.close)
    if warm_images:
        await pool.warm()
    ocr = None
    if settings.ocr_workers > 0:
        from storage.ocr_pool import OcrPool

        ocr = OcrPool(
            settings.ocr_workers, settings.ocr_queue, timeout=settings.ocr_timeout_seconds
        )
        ocr.start()  # the models load in the background: start-up does not wait
        closers.append(ocr.close)
    ports_kwargs: dict[str, Any] = {}
    if clock is not None:
        ports_kwargs["clock"] = clock
    ports = Ports(
        backend=backend,
        media=MediaStore(settings.media_dir),
        images=ImageNormalizer(pool),
        links=links,
        support=support,
        rules=Rules(
            serial_patterns=tuple(settings.serial_regexes()),
            image_rate=settings.image_rate_pair(settings.image_rate),
            guest_image_rate=settings.image_rate_pair(settings.image_rate_guest),
            privacy_url=settings.privacy_url,
            terms_url=settings.terms_url,
        ),
        secret=settings.secret_bytes(),
        email=build_email(settings),
        sticker=StickerReader(
            settings.serial_regexes() or DEFAULT_SERIAL_PATTERNS,
            text=ocr.read_sticker_text if ocr else None,
        ),
        invoice_check=ocr,
        faq=stores.faq,
        rating=workspace,
        bans=workspace,
        **ports_kwargs,
    )
    conversation = Conversation(ports, catalog)
    engine = Engine(
        conversation,
        sessions,
        catalog,
        backend,
        links,
        support,
        default_locale=settings.default_locale,
    )
    return App(
        settings=settings,
        engine=engine,
        conversation=conversation,
        catalog=catalog,
        ports=ports,
        backend=backend,
        desk=desk,
        sessions=sessions,
        links=links,
        support=support,
        updates=updates,
        outbox=outbox,
        db=db,
        inbox=stores.inbox,
        stores=stores,
        workspace=workspace,
        claim_stats=claim_stats,
        _closers=closers,
    )


__all__ = ["App", "ImageNormalizer", "ImageRejected", "build_app", "build_backend"]
