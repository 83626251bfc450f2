"""The hottest statements of every turn, run on SQLite's own cursor.

Every customer turn reads the chat's link twice and saves the session; every update is
stored in the inbox. Through ``Connection.execute`` a link read cost 19-22 us, on the cursor
6 us (an execution context, parameter processing and a result object the difference): with
one customer in flight a turn ran about seven such statements.

A :class:`Lean` statement is compiled by SQLAlchemy once, for the engine's dialect. On a
plain ``sqlite3`` connection (the database workers' own) it then runs on that connection's
cursor, its parameters converted by the same bind processors SQLAlchemy would use (a
``UtcDateTime`` stored exactly as ``Connection.execute`` stores it), inside the transaction
the caller's ``Connection`` began. Anything else (PostgreSQL; an in-memory SQLite database,
which runs through aiosqlite's ``run_sync``) goes through ``Connection.execute``, as before.
The SQL is SQLAlchemy's; only the per-execution wrapping is skipped.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler


class Lean:
    """``stmt`` compiled once; ``rows``, ``first`` and ``rowcount`` run it on ``conn``."""

    def __init__(self, stmt: Executable, dialect: Dialect) -> None:
        self.stmt = stmt
        self.raw = dialect.name == "sqlite" and dialect.paramstyle == "qmark"
        self.sql = ""
        self._params: list[tuple[str, Callable[[Any], Any] | None]] = []
        if self.raw:
            compiled = stmt.compile(dialect=dialect)  # type: ignore[attr-defined]
            assert isinstance(compiled, SQLCompiler)
            if compiled.positiontup is None or "__[POSTCOMPILE" in compiled.string:
                raise ValueError("a lean statement has plain positional parameters only")
            if compiled.insert_prefetch or compiled.update_prefetch:
                raise ValueError("a lean statement takes every value from its parameters")
            for column in getattr(stmt, "selected_columns", ()):  # rows come as stored
                impl = column.type.dialect_impl(dialect)
                if impl.result_processor(dialect, None) is not None:
                    raise ValueError(f"a lean query reads columns as stored: not {column.name}")
            self.sql = compiled.string
            for name in compiled.positiontup:
                kind = compiled.binds[name].type
                self._params.append((name, kind.dialect_impl(dialect).bind_processor(dialect)))

    def rows(self, conn: Connection, params: dict[str, Any]) -> list[Sequence[Any]]:
        """All rows of a query: tuples of the selected columns, as stored (a column that
        needs converting when read, a time say, is refused when the statement is made)."""
        if not self._here(conn):
            return [tuple(row) for row in conn.execute(self.stmt, params)]
        values = self._values(params)
        return self._cursor(conn, values).execute(self.sql, values).fetchall()

    def first(self, conn: Connection, params: dict[str, Any]) -> Any:
        """The first column of the first row, or ``None`` (``Result.scalar``)."""
        if not self._here(conn):
            return conn.execute(self.stmt, params).scalar()
        values = self._values(params)
        row = self._cursor(conn, values).execute(self.sql, values).fetchone()
        return None if row is None else row[0]

    def rowcount(self, conn: Connection, params: dict[str, Any] | list[dict[str, Any]]) -> int:
        """Run a write (one parameter set, or many as ``executemany``); the rows it touched."""
        if not self._here(conn):
            return int(conn.execute(self.stmt, params).rowcount)
        if not conn.in_transaction():  # the caller's commit (or rollback) must cover it
            raise RuntimeError("a lean write runs inside a transaction the Connection began")
        if isinstance(params, list):
            many = [self._values(p) for p in params]
            cursor = self._cursor(conn, many, many=True)
            cursor.executemany(self.sql, many)
        else:
            values = self._values(params)
            cursor = self._cursor(conn, values)
            cursor.execute(self.sql, values)
        return int(cursor.rowcount)

    def _here(self, conn: Connection) -> bool:
        """Whether it runs on ``conn``'s cursor: a file SQLite's worker connection is a plain
        ``sqlite3`` one; through ``run_sync`` (an in-memory database) it is aiosqlite's."""
        return self.raw and isinstance(conn.connection.driver_connection, sqlite3.Connection)

    def _values(self, params: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            params[name] if process is None else process(params[name])
            for name, process in self._params
        )

    def _cursor(self, conn: Connection, values: Any, *, many: bool = False) -> Any:
        """A cursor on ``conn``'s DB-API connection, in the transaction ``conn`` began (an
        SQLite read outside one reads the latest commit, as ``Connection.execute`` does).
        Listeners of ``before_cursor_execute`` see the statement as they would any other
        (statement counts, tests)."""
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        cursor = raw.cursor()
        conn.dispatch.before_cursor_execute(conn, cursor, self.sql, values, None, many)
        return cursor


_KEY = re.compile(r"k\d+")


class LeanIn:
    """A statement over a list of keys (``... IN (:k0, ..., :kN)``), as :class:`Lean` ones:
    one per list length up to ``most``, made on first use; a longer list goes in chunks.

    ``build(n)`` makes the statement for ``n`` keys bound as ``k0`` ... ``k{n-1}`` (SQLAlchemy's
    expanding ``IN`` would be compiled again at every execution, and cannot run lean)."""

    def __init__(
        self, build: Callable[[int], Executable], dialect: Dialect, *, most: int = 100
    ) -> None:
        self._build = build
        self._dialect = dialect
        self.most = most
        self._of: dict[int, Lean] = {}

    def chunks(
        self, keys: Sequence[Any], params: dict[str, Any] | None = None
    ) -> Iterator[tuple[Lean, dict[str, Any]]]:
        """Each chunk of ``keys`` (at most ``most``) with its statement and its parameters
        (``params`` and the chunk's keys; a parameter named like a key is refused)."""
        if params and any(_KEY.fullmatch(name) for name in params):
            raise ValueError("k0, k1, ... are the keys' parameters: name the others otherwise")
        for start in range(0, len(keys), self.most):
            chunk = keys[start : start + self.most]
            values = dict(params or {})
            values.update((f"k{i}", key) for i, key in enumerate(chunk))
            yield self.of(len(chunk)), values

    def of(self, n: int) -> Lean:
        """The statement for ``n`` keys (1 <= ``n`` <= ``most``)."""
        lean = self._of.get(n)
        if lean is None:
            if not 1 <= n <= self.most:
                raise ValueError(f"1 to {self.most} keys a statement, not {n}")
            lean = self._of[n] = Lean(self._build(n), self._dialect)
        return lean


def keys_in(n: int) -> list[Any]:
    """``n`` bound parameters ``k0`` ... ``k{n-1}``, for the ``IN`` of a :class:`LeanIn`."""
    return [bindparam(f"k{i}") for i in range(n)]


__all__ = ["Lean", "LeanIn", "keys_in"]
