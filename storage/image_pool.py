"""Picture work off the event loop: a small, warm pool of worker processes, bounded twice.

Decoding and re-encoding a picture is CPU and memory the bot's turns must not share: in a
thread it competes for the event loop's GIL between Pillow's C calls, and nothing but the
operating system can hand back what a worst-case decode left in the heap. So pictures go to
``workers`` processes (``spawn``: nothing of the bot's threads or sockets is forked), kept
warm between pictures; each one holds at most one picture's budget (``ImageLimits``) at a
time, so memory is bounded by ``workers`` x the largest budget.

Admission, in the bot's process, before any bytes travel:

- the picture's header is judged first (``check_header``: bytes, format, structure, pixel
  budget), so a decompression bomb is refused in milliseconds and never takes a place;
- at most ``workers`` pictures are worked on at once and at most ``queue`` wait, first come
  first served; the next one is refused at once with ``image.busy`` ("try again in a
  moment") instead of waiting without end;
- guests (chats not signed in) have a lane of their own inside that: at most
  ``guest_workers`` of the workers (default: all but one, so a signed-in customer's photo
  always finds a worker free of guests) and ``guest_queue`` places in the queue.

A picture that crashes its worker (a decoder bug, the kernel's OOM killer) breaks only the
pool: it is replaced, and the pictures that were in it are answered ``image.busy``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from storage.images import (
    BUSY,
    DEFAULT_LIMITS,
    ImageLimits,
    ImageRejected,
    NormalizedImage,
    check_header,
    normalize,
)

log = logging.getLogger(__name__)

Job = Callable[[bytes, ImageLimits], tuple[bytes, int, int, str]]
ExecutorFactory = Callable[[int], Executor]


def normalize_job(data: bytes, limits: ImageLimits) -> tuple[bytes, int, int, str]:
    """What a worker runs: ``normalize``, answered as plain values (cheap to pickle)."""
    result = normalize(data, limits=limits)
    return result.jpeg, result.width, result.height, result.original_format


def _warm() -> int:
    """Imports and libjpeg tables in place before the first customer's picture."""
    from PIL import Image

    Image.new("RGB", (8, 8)).resize((4, 4))
    return os.getpid()


def process_executor(workers: int) -> Executor:
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_watch_parent,
        initargs=(os.getpid(),),
    )


def _watch_parent(parent: int) -> None:
    """In each worker: exit when the bot's process is gone. A worker holds both ends of its
    task pipe, so it would never see end-of-file and would wait forever after a SIGKILL or
    an OOM kill of the bot (seen in the kill -9 end-to-end test).

    SIGTERM and SIGINT are ignored: sent to the whole process group (systemd stopping the
    service, Ctrl-C in a terminal) they would kill a worker in the middle of a picture while
    the bot drains its turns; the bot ends its workers (the pool's close, or its death)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(
        target=_exit_with, args=(parent,), name="image-worker-parent", daemon=True
    ).start()


def _exit_with(parent: int, every: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(0)


class Gate:
    """At most ``slots`` holders at once, at most ``queue`` waiting (FIFO); beyond that,
    ``enter`` refuses at once with ``ImageRejected(BUSY)``."""

    def __init__(self, slots: int, queue: int) -> None:
        if slots < 1 or queue < 0:
            raise ValueError("a gate needs at least one slot and a queue of zero or more")
        self.slots = slots
        self.queue = queue
        self._free = asyncio.Semaphore(slots)
        self.waiting = 0
        self.holding = 0

    def full(self) -> bool:
        return self._free.locked() and self.waiting >= self.queue

    async def acquire(self) -> None:
        if self.full():
            raise ImageRejected(BUSY)
        self.waiting += 1
        try:
            await self._free.acquire()
        finally:
            self.waiting -= 1
        self.holding += 1

    def release(self) -> None:
        self.holding -= 1
        self._free.release()


class ImagePool:
    """``normalize`` in a bounded pool of worker processes; see the module docstring."""

    def __init__(
        self,
        workers: int = 2,
        queue: int = 8,
        *,
        guest_workers: int | None = None,
        guest_queue: int | None = None,
        executor_factory: ExecutorFactory = process_executor,
        job: Job = normalize_job,
    ) -> None:
        self.workers = workers
        self.all = Gate(workers, queue)
        self.guests = Gate(
            guest_workers if guest_workers is not None else max(1, workers - 1),
            guest_queue if guest_queue is not None else max(1, queue // 4),
        )
        self._factory = executor_factory
        self._job = job
        self._executor: Executor | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            self._executor = self._factory(self.workers)
        return self._executor

    async def warm(self) -> list[int]:
        """Start every worker now (the first picture then waits for no process start);
        returns their process ids."""
        loop = asyncio.get_running_loop()
        pool = self._pool()
        return list(
            await asyncio.gather(*(loop.run_in_executor(pool, _warm) for _ in range(self.workers)))
        )

    async def normalize(
        self, data: bytes, *, limits: ImageLimits = DEFAULT_LIMITS, guest: bool = False
    ) -> NormalizedImage:
        """The picture normalised by a worker; ``ImageRejected`` (``image.busy`` when full)."""
        # judged on its header first, off the loop but outside the pool: a bomb is refused
        # at once and never holds a worker or a place in the queue
        await asyncio.to_thread(check_header, data, limits=limits)
        if guest and self.all.full():  # do not hold a guest place for a picture that cannot go
            raise ImageRejected(BUSY)
        taken = await self._enter([self.guests, self.all] if guest else [self.all])
        pool = self._pool()
        future: asyncio.Future[tuple[bytes, int, int, str]] | None = None
        try:  # a pool found broken (or closed) raises as the picture is handed over, or later
            future = asyncio.get_running_loop().run_in_executor(pool, self._job, data, limits)
            jpeg, width, height, fmt = await asyncio.shield(future)
        except asyncio.CancelledError:
            if future is None:
                self._leave(taken)
            else:  # the caller gave up, the worker has not: its place is taken until it is done
                future.add_done_callback(lambda done: self._leave(taken, done))
            raise
        except BrokenProcessPool:
            self._leave(taken)
            self._replace(pool)
            raise ImageRejected(BUSY) from None
        except BaseException:
            self._leave(taken)
            raise
        self._leave(taken)
        return NormalizedImage(jpeg, width, height, fmt)

    @staticmethod
    async def _enter(gates: list[Gate]) -> list[Gate]:
        taken: list[Gate] = []
        try:
            for gate in gates:
                await gate.acquire()
                taken.append(gate)
        except BaseException:
            ImagePool._leave(taken)
            raise
        return taken

    @staticmethod
    def _leave(taken: list[Gate], done: asyncio.Future[Any] | None = None) -> None:
        if done is not None and not done.cancelled():
            done.exception()  # retrieved: nobody is waiting for it any more
        for gate in reversed(taken):
            gate.release()

    def _replace(self, broken: Executor) -> None:
        if self._executor is broken:
            log.error("an image worker died; starting a new pool")
            self._executor = None
            broken.shutdown(wait=False, cancel_futures=True)

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, True, cancel_futures=True)

    def stats(self) -> dict[str, Any]:
        return {
            "working": self.all.holding,
            "waiting": self.all.waiting,
            "guests_working": self.guests.holding,
            "guests_waiting": self.guests.waiting,
        }
