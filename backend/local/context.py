"""What every part of the embedded backend shares: the two database workers, the catalog,
the clock, the secrets and the rules.

One way to the database: every read and every write is a synchronous *unit of work*,
``fn(session) -> T``, run on a :class:`~storage.db.Worker` (on file SQLite, the worker's own
thread and connection: one hop of the event loop per unit, however many statements). A
unit owns its transaction: it commits before it returns, or whatever it left open is
rolled back. Writes go to the writer (on SQLite, one connection: writers queue in order);
plain reads go to the readers (WAL: in parallel with the writer).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from argon2 import PasswordHasher
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from backend.catalog import Catalog
from backend.local.validation import CodeRules, EmailRules
from storage.db import Worker, is_sqlite

T = TypeVar("T")
Clock = Callable[[], dt.datetime]
Unit = Callable[[Session], T]

READ_THREADS = 4  # read worker threads (each with its own SQLite connection)
#: concurrent write transactions where the database has row locks (PostgreSQL); SQLite
#: has one writer at a time, so its writes queue on one connection instead
WRITE_CONNECTIONS = 4


def default_hasher() -> PasswordHasher:
    """argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 20 ms a
    hash here, instead of argon2-cffi's RFC 9106 profile (64 MiB, 4 lanes: ~150 ms), which
    would let a burst of sign-ups starve every other conversation on a 2-core machine.
    Hashes made with other parameters still verify and are upgraded at the next log-in."""
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclasses.dataclass(frozen=True, slots=True)
class Secrets:
    """The password hasher and the key of the email codes' digests (a copy of the database
    alone cannot test the 10^6 codes; replicas must share it: SECRET_KEY)."""

    hasher: PasswordHasher
    code_key: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class LoginRules:
    """Wrong passwords in a row before a lock-out, and how long it lasts."""

    max_failures: int = 5
    lock: dt.timedelta = dt.timedelta(minutes=15)


class Context:
    """The shared parts, handed to each concern of the backend."""

    def __init__(
        self,
        write_engine: AsyncEngine,
        read_engine: AsyncEngine,
        catalog: Catalog,
        clock: Clock,
        secrets: Secrets,
        *,
        emails: EmailRules,
        codes: CodeRules,
        logins: LoginRules,
    ) -> None:
        writers = 1 if is_sqlite(str(write_engine.url)) else WRITE_CONNECTIONS
        self.writer = Worker(write_engine, threads=writers)
        self.reader = Worker(read_engine, threads=READ_THREADS)
        self.catalog = catalog
        self.clock = clock
        self.secrets = secrets
        self.emails = emails
        self.codes = codes
        self.logins = logins

    def now(self) -> dt.datetime:
        now = self.clock()
        return now if now.tzinfo else now.replace(tzinfo=dt.UTC)

    async def read(self, fn: Unit[T]) -> T:
        """Run ``fn`` with an ORM session on a read worker connection."""
        return await self.reader.run(_unit(fn))

    async def write(self, fn: Unit[T]) -> T:
        """Run ``fn`` with an ORM session on the writer; ``fn`` commits what it keeps."""
        return await self.writer.run(_unit(fn))

    async def close(self) -> None:
        """Release the workers' threads and connections (the engines stay open)."""
        await self.reader.close()
        await self.writer.close()


def _unit(fn: Unit[T]) -> Callable[[Any], T]:
    def unit(conn: Any) -> T:
        with Session(bind=conn, expire_on_commit=False) as s:
            return fn(s)

    return unit
