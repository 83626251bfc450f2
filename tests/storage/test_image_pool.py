"""storage.image_pool: the bound, the guests' lane, cancellation, a dying worker; and the
real process pool end to end. Jobs that must wait are held by events, never by time."""

from __future__ import annotations

import asyncio
import io
import os
import threading
from concurrent.futures import Executor, ThreadPoolExecutor

import pytest
from PIL import Image

from storage.image_pool import ImagePool, process_executor
from storage.images import BOMB, BUSY, GUEST_LIMITS, ImageLimits, ImageRejected
from tests.storage.test_images import _png_declaring


def jpeg(size: tuple[int, int] = (900, 700), shade: int = 10) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (shade, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()


NAMES = [b"a", b"b", b"c", b"g1", b"g2", b"g3", b"m"]
PICTURES = {name: jpeg(shade=20 + 20 * i) for i, name in enumerate(NAMES)}  # real, distinct
CRASH = jpeg(shade=250)


async def until(condition) -> None:
    """Wait for the pool to get there (bounded by the test timeout, not by a clock)."""
    while not condition():
        await asyncio.sleep(0.001)


class Held:
    """A job for a thread pool that reports it started and finishes when told to."""

    def __init__(self) -> None:
        self.started: dict[bytes, threading.Event] = {}
        self.go: dict[bytes, threading.Event] = {}

    def __call__(self, data: bytes, limits: ImageLimits) -> tuple[bytes, int, int, str]:
        name = next(n for n, picture in PICTURES.items() if picture == data)
        self.started[name].set()
        self.go[name].wait(30)
        return name, 1, 1, "JPEG"

    def expect(self, *names: bytes) -> None:
        for name in names:
            self.started[name] = threading.Event()
            self.go[name] = threading.Event()

    async def wait_started(self, name: bytes) -> None:
        await asyncio.to_thread(self.started[name].wait, 30)


def thread_pool(held: Held, workers: int, queue: int, **kwargs) -> ImagePool:
    def factory(n: int) -> Executor:
        return ThreadPoolExecutor(n + 2)  # more threads than workers: the gate must bound

    return ImagePool(workers, queue, executor_factory=factory, job=held, **kwargs)


async def test_at_most_workers_run_and_queue_wait_then_busy() -> None:
    held = Held()
    held.expect(b"a", b"b", b"c")
    pool = thread_pool(held, workers=1, queue=1)
    a = asyncio.create_task(pool.normalize(PICTURES[b"a"]))
    await held.wait_started(b"a")
    b = asyncio.create_task(pool.normalize(PICTURES[b"b"]))
    await until(lambda: pool.stats()["waiting"] == 1)
    assert pool.stats() == {"working": 1, "waiting": 1, "guests_working": 0, "guests_waiting": 0}
    with pytest.raises(ImageRejected) as info:
        await pool.normalize(PICTURES[b"c"])  # refused at once, not queued without end
    assert info.value.key == BUSY
    assert not held.started[b"b"].is_set()  # one worker: b waits for a
    held.go[b"a"].set()
    assert (await a).jpeg == b"a"
    await held.wait_started(b"b")
    held.go[b"b"].set()
    assert (await b).jpeg == b"b"
    assert pool.stats()["working"] == 0
    await pool.close()


async def test_guests_never_take_the_last_worker() -> None:
    held = Held()
    held.expect(b"g1", b"g2", b"g3", b"m")
    pool = thread_pool(held, workers=2, queue=4)  # guests: 1 worker, 1 waiting place
    g1 = asyncio.create_task(pool.normalize(PICTURES[b"g1"], guest=True))
    await held.wait_started(b"g1")
    g2 = asyncio.create_task(pool.normalize(PICTURES[b"g2"], guest=True))
    await until(lambda: pool.stats()["guests_waiting"] == 1)
    with pytest.raises(ImageRejected) as info:
        await pool.normalize(PICTURES[b"g3"], guest=True)
    assert info.value.key == BUSY
    m = asyncio.create_task(pool.normalize(PICTURES[b"m"]))  # a signed-in customer goes straight on
    await held.wait_started(b"m")
    assert not held.started[b"g2"].is_set()
    held.go[b"m"].set()
    await m
    held.go[b"g1"].set()
    await g1
    await held.wait_started(b"g2")
    held.go[b"g2"].set()
    await g2
    await pool.close()


async def test_a_caller_that_gives_up_keeps_the_worker_until_it_is_done() -> None:
    held = Held()
    held.expect(b"a", b"b")
    pool = thread_pool(held, workers=1, queue=1)
    a = asyncio.create_task(pool.normalize(PICTURES[b"a"]))
    await held.wait_started(b"a")
    a.cancel()
    with pytest.raises(asyncio.CancelledError):
        await a
    assert pool.stats()["working"] == 1  # the worker is still on it
    b = asyncio.create_task(pool.normalize(PICTURES[b"b"]))
    await until(lambda: pool.stats()["waiting"] == 1)
    assert not held.started[b"b"].is_set()
    held.go[b"a"].set()
    await held.wait_started(b"b")
    held.go[b"b"].set()
    assert (await b).jpeg == b"b"
    await pool.close()


def _die(data: bytes, limits: ImageLimits) -> tuple[bytes, int, int, str]:
    if data == CRASH:
        os._exit(1)  # a decoder bug or the OOM killer
    from storage.image_pool import normalize_job

    return normalize_job(data, limits)


async def test_real_process_pool_normalizes_refuses_and_survives_a_dead_worker() -> None:
    pool = ImagePool(1, 2, executor_factory=process_executor, job=_die)
    try:
        pids = await pool.warm()
        assert pids and os.getpid() not in pids  # pictures are worked on in another process
        result = await pool.normalize(jpeg((2000, 1500)), limits=GUEST_LIMITS, guest=True)
        assert (result.width, result.height, result.original_format) == (1600, 1200, "JPEG")
        with pytest.raises(ImageRejected) as info:  # the rejection crosses the process boundary
            await pool.normalize(jpeg((800, 800)), limits=ImageLimits(max_jpeg_pixels=100_000))
        assert info.value.key == BOMB
        with pytest.raises(ImageRejected) as info:
            await pool.normalize(CRASH)
        assert info.value.key == BUSY
        assert (await pool.normalize(jpeg())).width == 900  # a new pool took over
    finally:
        await pool.close()


async def test_a_bomb_is_refused_on_its_header_without_taking_a_place() -> None:
    held = Held()
    held.expect(b"a")
    pool = thread_pool(held, workers=1, queue=0)
    a = asyncio.create_task(pool.normalize(PICTURES[b"a"]))
    await held.wait_started(b"a")  # the one worker is busy, nobody may wait
    with pytest.raises(ImageRejected) as info:
        await pool.normalize(_png_declaring(7700, 7700), guest=True)
    assert info.value.key == BOMB  # told what is wrong with it, not "busy"
    with pytest.raises(ImageRejected) as info:
        await pool.normalize(PICTURES[b"b"])
    assert info.value.key == BUSY
    held.go[b"a"].set()
    await a
    await pool.close()


ORPHAN_SCRIPT = """
import asyncio, os, signal, sys
from storage.image_pool import ImagePool

async def main():
    pool = ImagePool(2, 1)
    pids = await pool.warm()
    print(*pids, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # the bot killed: no close, no atexit

asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def test_workers_exit_when_the_bot_is_killed(tmp_path) -> None:
    import sys

    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        ORPHAN_SCRIPT,
        stdout=asyncio.subprocess.PIPE,
        env={
            **os.environ,
            "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parents[2]),
        },
    )
    out, _ = await proc.communicate()
    pids = [int(p) for p in out.split()]
    assert len(pids) == 2 and proc.returncode == -9
    while any(_alive(pid) for pid in pids):  # bounded by the test timeout, not by a clock
        await asyncio.sleep(0.05)


async def test_a_pool_found_broken_at_hand_over_gives_its_place_back() -> None:
    from concurrent.futures.process import BrokenProcessPool

    made: list[Executor] = []

    class Broken(ThreadPoolExecutor):
        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("a worker died a moment ago")

    def factory(n: int) -> Executor:
        made.append(Broken(n) if not made else ThreadPoolExecutor(n))
        return made[-1]

    pool = ImagePool(1, 0, executor_factory=factory)
    with pytest.raises(ImageRejected) as info:
        await pool.normalize(jpeg())
    assert info.value.key == BUSY
    assert pool.stats()["working"] == 0  # the one place is free again
    assert (await pool.normalize(jpeg())).width == 900  # on a new pool
    assert len(made) == 2
    await pool.close()


def _held_by_files(data: bytes, limits: ImageLimits) -> tuple[bytes, int, int, str]:
    """In a worker process: say so (with its pid), then work until the test says stop."""
    import pathlib
    import time

    folder = pathlib.Path(os.environ["IMAGE_POOL_TEST_DIR"])
    (folder / "started").write_text(str(os.getpid()))
    while not (folder / "release").exists():  # waits for the test, not for a duration
        time.sleep(0.01)
    return data, 1, 1, "JPEG"


async def test_a_signal_to_the_whole_process_group_does_not_kill_a_picture_in_progress(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM (systemd stops every process of the service) or SIGINT (Ctrl-C in a terminal)
    reaches the workers too: the bot drains its turns for SHUTDOWN_TIMEOUT, so a picture being
    decoded must be finished, not answered "busy" by a worker that died on the signal. The
    workers leave their lifetime to the bot (the pool's close, or the bot's death)."""
    import signal

    monkeypatch.setenv("IMAGE_POOL_TEST_DIR", str(tmp_path))
    pool = ImagePool(1, 1, executor_factory=process_executor, job=_held_by_files)
    try:
        picture = jpeg()
        task = asyncio.create_task(pool.normalize(picture))
        started = tmp_path / "started"
        await until(started.exists)
        await until(lambda: started.read_text().isdigit())
        worker = int(started.read_text())
        for sig in (signal.SIGTERM, signal.SIGINT):
            os.kill(worker, sig)
        (tmp_path / "release").write_text("")
        assert (await task).jpeg == picture  # the worker lived on and finished it
        assert _alive(worker)
    finally:
        (tmp_path / "release").write_text("")
        await pool.close()
