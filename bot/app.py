"""The composition root: builds everything from Settings, in one place, and closes it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.engine import Engine
from handlers.i18n import Catalog
from handlers.ports import Ports, Rules
from handlers.router import Conversation
from storage.db import make_engine, make_sessionmaker
from storage.images import ImageRejected, normalize_async
from storage.media import MediaStore
from storage.migrate import upgrade

log = logging.getLogger(__name__)


class ImageNormalizer:
    """The image port on the Pillow pipeline (storage/images.py), at most ``parallel``
    decodes at once: one worst-case decode may hold a few hundred MB."""

    def __init__(self, parallel: int = 2) -> None:
        self._slots = asyncio.Semaphore(parallel)

    async def normalize(self, data: bytes, *, filename: str | None, mime: str | None) -> bytes:
        async with self._slots:
            return (await normalize_async(data, filename=filename, mime=mime)).jpeg


@dataclass
class App:
    settings: Settings
    engine: Engine
    conversation: Conversation
    catalog: Catalog
    ports: Ports
    backend: Any
    desk: Any
    sessions: Any
    links: Any
    support: Any
    updates: Any
    outbox: Any
    db: Any
    inbox: Any = None  # updates received and not handled yet (storage.links.Inbox)
    _closers: list[Any] = field(default_factory=list)

    async def close(self) -> None:
        for closer in reversed(self._closers):
            try:
                await closer()
            except Exception:  # closing must go on whatever one part says
                log.exception("error while closing")


async def build_backend(settings: Settings, sessionmaker, clock=None, read_sessionmaker=None):
    """The redemption backend the settings ask for: embedded (local) or HTTP."""
    if settings.backend == "http":
        from backend.http import HttpBackend

        token = settings.backend_token.get_secret_value() if settings.backend_token else None
        backend = HttpBackend(settings.backend_url, token, timeout=settings.backend_timeout)
        return backend, backend, backend.close
    from backend.catalog import load_catalog
    from backend.local import LocalBackend

    backend = LocalBackend(
        sessionmaker,
        load_catalog(settings.promotions_file),
        clock,
        max_failures=settings.login_max_failures,
        lock_minutes=settings.login_lock_minutes,
        read_sessionmaker=read_sessionmaker,
    )
    await backend.start()
    return backend, backend, backend.close


async def build_app(settings: Settings | None = None, *, clock=None) -> App:
    from storage.links import BotStores

    settings = settings or Settings()
    await upgrade(settings.database_url)
    db = make_engine(settings.database_url)
    sessionmaker = make_sessionmaker(db)
    closers: list[Any] = [db.dispose]
    stores = BotStores.create(db)
    closers.append(stores.close)
    sessions, links, support, updates, outbox = stores.sessions, stores.links, stores.support, stores.updates, stores.outbox
    backend_sessionmaker, read_sessionmaker = sessionmaker, None
    if settings.backend == "local" and settings.backend_database_url != settings.database_url:
        await upgrade(settings.backend_database_url)
        backend_db = make_engine(settings.backend_database_url, single_writer=True)
        backend_reads = make_engine(settings.backend_database_url, readers=4)
        closers += [backend_db.dispose, backend_reads.dispose]
        backend_sessionmaker = make_sessionmaker(backend_db)
        read_sessionmaker = make_sessionmaker(backend_reads)
    backend, desk, close_backend = await build_backend(settings, backend_sessionmaker, clock, read_sessionmaker)
    if close_backend:
        closers.append(close_backend)
    catalog = Catalog()
    ports_kwargs: dict[str, Any] = {}
    if clock is not None:
        ports_kwargs["clock"] = clock
    ports = Ports(
        backend=backend,
        media=MediaStore(settings.media_dir),
        images=ImageNormalizer(),
        links=links,
        support=support,
        rules=Rules(serial_patterns=tuple(settings.serial_regexes())),
        secret=settings.secret_bytes(),
        **ports_kwargs,
    )
    conversation = Conversation(ports, catalog)
    engine = Engine(conversation, sessions, catalog, backend, links, support, default_locale=settings.default_locale)
    return App(
        settings=settings, engine=engine, conversation=conversation, catalog=catalog, ports=ports,
        backend=backend, desk=desk, sessions=sessions, links=links, support=support, updates=updates,
        outbox=outbox, db=db, inbox=stores.inbox, _closers=closers,
    )


__all__ = ["App", "ImageNormalizer", "ImageRejected", "build_app", "build_backend"]
