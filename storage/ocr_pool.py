"""OCR work off the event loop: the invoice check and the sticker's text fallback, in a small
pool of worker processes (the image pool's executor and gate, ``storage/image_pool.py``).

- ``workers`` processes (one by default: an OCR read takes ~1 s of one core and ~300 MB for
  the models; the 2-core machine keeps the other core for the bot), ``queue`` waiting;
  beyond that the answer is "unchecked" at once (the claim goes on without the pre-check);
- ``start()`` warms the workers in the background (the models load in ~1 s; the bot's
  start-up does not wait for it, and a check that arrives first simply waits its turn);
- each check within ``timeout`` seconds, else "unchecked"; a late check keeps its place until
  its worker is done, so late checks cannot pile up;
- a worker that dies (the OOM killer) breaks only the pool: it is replaced, the checks that
  were in it are "unchecked";
- nothing here raises for a bad file: the photo is never lost, the answer only advises.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import datetime as dt
import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from storage.image_pool import ExecutorFactory, Gate, _watch_parent
from storage.images import ImageRejected
from storage.invoice import InvoiceCheck, check_invoice, unchecked
from storage.invoice_text import Expected
from storage.sticker import FAILED, StickerReading

log = logging.getLogger(__name__)
T = TypeVar("T")


def ocr_executor(workers: int) -> Executor:
    """The image pool's process executor, each worker with one malloc arena (onnxruntime's
    threads would otherwise keep an arena each, a few hundred MB that never shrink)."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )


def _init_worker(parent: int) -> None:
    _watch_parent(parent)
    with contextlib.suppress(OSError, AttributeError):  # not glibc: its default allocator
        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, 1)


_M_ARENA_MAX = -8


def _trimmed(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, then the freed heap handed back to the system (glibc's malloc_trim):
    the worker's resident memory falls back to the models' between checks."""
    try:
        return fn(*args)
    finally:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def warm_job() -> bool:
    """What a worker runs first: the OCR engine loaded and run once."""
    from storage.ocr import warm

    return warm()


def sticker_text_job(data: bytes, patterns: tuple[str, ...]) -> StickerReading:
    from storage.sticker_text import read_sticker_text

    return read_sticker_text(data, patterns)


class OcrPool:
    """The invoice check and the sticker text fallback, bounded and timed (see above).
    ``jobs`` replaces the worker functions (tests: a job that blocks on an event)."""

    def __init__(
        self,
        workers: int = 1,
        queue: int = 4,
        *,
        timeout: float = 20.0,
        executor_factory: ExecutorFactory = ocr_executor,
        invoice_job: Callable[..., InvoiceCheck] = check_invoice,
        sticker_job: Callable[..., StickerReading] = sticker_text_job,
        warm: Callable[[], Any] = warm_job,
    ) -> None:
        self.workers = workers
        self.gate = Gate(workers, queue)
        self.timeout = timeout
        self._factory = executor_factory
        self._invoice_job = invoice_job
        self._sticker_job = sticker_job
        self._warm = warm
        self._executor: Executor | None = None
        self._warming: asyncio.Task[None] | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            self._executor = self._factory(self.workers)
        return self._executor

    def start(self) -> None:
        """Warm every worker in the background; returns at once."""
        if self._warming is None:
            self._warming = asyncio.get_running_loop().create_task(
                self._warm_all(), name="ocr-warm"
            )

    async def _warm_all(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            pool = self._pool()
            await asyncio.gather(
                *(loop.run_in_executor(pool, self._warm) for _ in range(self.workers))
            )
            log.info("OCR workers ready")
        except Exception:
            log.exception("warming the OCR workers failed; checks will say 'unchecked'")

    async def warmed(self) -> None:
        """Wait for the background warm-up (benchmarks, the CLI)."""
        if self._warming is not None:
            await asyncio.shield(self._warming)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T | None:
        """``fn(*args)`` in a worker; None when busy, late, or failed."""
        try:
            await self.gate.acquire()
        except ImageRejected:
            log.warning("OCR busy: a check was skipped")
            return None
        pool = self._pool()
        try:
            future = asyncio.get_running_loop().run_in_executor(pool, _trimmed, fn, *args)
        except BaseException:
            self.gate.release()
            self._replace(pool)
            log.exception("the OCR pool could not take a check")
            return None
        future.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.timeout)
        except TimeoutError:
            log.warning("an OCR check was not done within %.1f s", self.timeout)
        except BrokenProcessPool:
            self._replace(pool)
        except Exception:
            log.exception("an OCR check failed")
        return None

    def _done(self, future: asyncio.Future[Any]) -> None:
        """The worker is done (whoever still waits for it): its place is free again."""
        if not future.cancelled():
            future.exception()  # retrieved; the waiter (if any) logged it
        self.gate.release()

    def _replace(self, broken: Executor) -> None:
        if self._executor is broken:
            log.error("an OCR worker died; starting a new pool")
            self._executor = None
            broken.shutdown(wait=False, cancel_futures=True)

    async def check_invoice(
        self,
        data: bytes,
        *,
        product: str = "",
        model: str = "",
        date: dt.date | None = None,
        store: str = "",
        window: tuple[dt.date, dt.date] | None = None,
        catalog: Sequence[str] = (),
    ) -> InvoiceCheck:
        """The invoice pre-check (``storage/invoice.py``) against what the claim says, or
        ``unchecked`` (the ``InvoiceCheckPort`` of handlers/ports.py)."""
        expected = Expected(product, model, date, store, window, tuple(catalog))
        result = await self._run(self._invoice_job, data, expected)
        return result if result is not None else unchecked()

    async def read_sticker_text(self, data: bytes, patterns: Sequence[str]) -> StickerReading:
        """The printed S/N (and CHK) by OCR, when the barcode gave nothing."""
        result = await self._run(self._sticker_job, data, tuple(patterns))
        return result if result is not None else StickerReading(findings=(FAILED,))

    async def close(self) -> None:
        if self._warming is not None and not self._warming.done():
            self._warming.cancel()
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, True, cancel_futures=True)
