"""storage.media: a real MediaStore on tmp_path, no stand-ins."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from pathlib import Path

import pytest

from storage.media import (
    InvalidMediaRef,
    MediaCorrupt,
    MediaError,
    MediaNotFound,
    MediaStore,
    parse_ref,
    ref_for,
)

BLOB = b"\xff\xd8\xff\xe0 not really a jpeg, the store does not care"
HEX = hashlib.sha256(BLOB).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media")  # does not exist yet: created on first put


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


async def test_put_get_round_trip(store: MediaStore) -> None:
    ref = await store.put(BLOB)
    assert ref == f"sha256:{HEX}" == ref_for(BLOB)
    assert store.path(ref) == store.root / HEX[:2] / f"{HEX}.jpg"
    assert store.path(ref).read_bytes() == BLOB
    assert await store.get(ref) == BLOB
    assert await store.exists(ref)


async def test_other_extension(store: MediaStore) -> None:
    ref = await store.put(BLOB, ext="png")
    assert store.path(ref, "png").name == f"{HEX}.png"
    assert await store.get(ref, ext="png") == BLOB
    assert not await store.exists(ref)  # the .jpg of the same content was never written


async def test_bytes_like_input(store: MediaStore) -> None:
    assert await store.put(bytearray(BLOB)) == await store.put(memoryview(BLOB)) == ref_for(BLOB)
    with pytest.raises(TypeError):
        await store.put("text")  # type: ignore[arg-type]


async def test_same_content_same_ref_written_once(store: MediaStore) -> None:
    ref = await store.put(BLOB)
    first = store.path(ref).stat()
    assert await store.put(BLOB) == ref
    again = store.path(ref).stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert files_under(store.root) == [store.path(ref)]


async def test_concurrent_puts_of_one_blob_leave_one_file(store: MediaStore) -> None:
    refs = await asyncio.gather(*(store.put(BLOB) for _ in range(16)))
    assert set(refs) == {ref_for(BLOB)}
    assert files_under(store.root) == [store.path(refs[0])]


async def test_distinct_blobs_get_distinct_files(store: MediaStore) -> None:
    blobs = [bytes([i]) * 100 for i in range(20)]
    refs = await asyncio.gather(*(store.put(b) for b in blobs))
    assert len(set(refs)) == 20
    assert [await store.get(r) for r in refs] == blobs
    assert len(files_under(store.root)) == 20


async def test_writes_are_atomic_for_readers(store: MediaStore) -> None:
    """A reader polling the final path only ever sees nothing or the complete blob."""
    big = os.urandom(8 * 1024 * 1024)
    target = store.path(ref_for(big))
    seen: set[int] = set()
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                seen.add(len(target.read_bytes()))
            except FileNotFoundError:
                seen.add(-1)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        await store.put(big)
        while len(big) not in seen:  # let the poller observe the finished file (bounded by
            await asyncio.sleep(0.01)  # the test's timeout, not by 200 x 10 ms of wall clock)
    finally:
        stop.set()
        poller.join()
    assert seen <= {-1, len(big)}
    assert len(big) in seen
    assert not [p for p in files_under(store.root) if p.name.startswith(".tmp-")]


async def test_failed_write_leaves_no_temp_file(store: MediaStore) -> None:
    target = store.path(ref_for(BLOB))
    target.mkdir(parents=True)  # a directory squats on the target: os.replace must fail
    with pytest.raises(OSError):
        await store.put(BLOB)
    assert files_under(store.root) == []


async def test_stale_temp_file_is_ignored(store: MediaStore) -> None:
    """What a crash mid-write leaves behind does not count as the blob."""
    shard = store.path(ref_for(BLOB)).parent
    shard.mkdir(parents=True)
    (shard / ".tmp-crashed").write_bytes(BLOB[:5])
    ref = ref_for(BLOB)
    assert not await store.exists(ref)
    with pytest.raises(MediaNotFound):
        await store.get(ref)
    assert await store.put(BLOB) == ref
    assert await store.get(ref) == BLOB


async def test_missing_blob(store: MediaStore) -> None:
    ref = "sha256:" + "0" * 64
    assert not await store.exists(ref)
    with pytest.raises(MediaNotFound) as info:
        await store.get(ref)
    assert info.value.key == "media.not_found"
    assert info.value.params == {"ref": ref}


async def test_altered_blob_is_reported(store: MediaStore) -> None:
    ref = await store.put(BLOB)
    store.path(ref).write_bytes(BLOB + b"tampered")
    with pytest.raises(MediaCorrupt) as info:
        await store.get(ref)
    assert info.value.key == "media.corrupt"


async def test_stores_share_nothing(tmp_path: Path) -> None:
    a, b = MediaStore(tmp_path / "a"), MediaStore(tmp_path / "b")
    ref = await a.put(BLOB)
    assert await a.exists(ref)
    assert not await b.exists(ref)


BAD_REFS: list[object] = [
    "",
    "sha256:",
    HEX,  # no prefix
    "sha256:" + HEX[:63],
    "sha256:" + HEX + "0",
    "sha256:" + HEX.upper(),
    "SHA256:" + HEX,
    "md5:" + HEX,
    "sha256:" + "g" * 64,
    "sha256:" + HEX + "\n",
    " sha256:" + HEX,
    "sha256:../../../../etc/passwd",
    "sha256:" + HEX + "/../../x",
    "sha256:/" + HEX[1:],
    "../" + HEX,
    None,
    123,
    b"sha256:" + HEX.encode(),
]


@pytest.mark.parametrize("ref", BAD_REFS, ids=range(len(BAD_REFS)))
async def test_malformed_refs_are_refused(store: MediaStore, ref) -> None:
    with pytest.raises(InvalidMediaRef) as info:
        store.path(ref)
    assert info.value.key == "media.invalid_ref"
    assert isinstance(info.value, MediaError | ValueError)
    with pytest.raises(InvalidMediaRef):
        await store.get(ref)
    with pytest.raises(InvalidMediaRef):
        await store.exists(ref)
    with pytest.raises(InvalidMediaRef):
        parse_ref(ref)


BAD_EXTS = ["", "../jpg", "j/g", "JPG", ".jpg", "jpg\n", "a" * 9, "jp g", None]


@pytest.mark.parametrize("ext", BAD_EXTS, ids=range(len(BAD_EXTS)))
async def test_malformed_extensions_are_refused(store: MediaStore, ext) -> None:
    with pytest.raises(InvalidMediaRef):
        await store.put(BLOB, ext=ext)
    with pytest.raises(InvalidMediaRef):
        store.path(ref_for(BLOB), ext)
    assert not store.root.exists()  # nothing was written anywhere


async def test_every_path_stays_under_root(store: MediaStore) -> None:
    ref = await store.put(BLOB)
    assert store.path(ref).resolve().is_relative_to(store.root.resolve())
