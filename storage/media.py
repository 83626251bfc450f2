"""Content-addressed media store for normalized uploads.

A blob is named by the SHA-256 of its bytes: ``put`` returns ``"sha256:<64 hex>"`` and the file
lives at ``root/<first 2 hex>/<64 hex>.<ext>``. Same bytes, same ref, written once. Writes are
atomic (a temp file in the target directory, fsync, ``os.replace``), so a reader never sees a
half-written file and a crash leaves at most a stray ``.tmp-*`` file behind. Refs are parsed
strictly, so no ref can name a path outside ``root``. All file I/O runs in a worker thread.

Errors carry catalog keys (``MediaError.key``), never English text.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

from storage.files import private_dir

REF_PREFIX = "sha256:"
_REF_RE = re.compile(r"sha256:([0-9a-f]{64})")
_EXT_RE = re.compile(r"[a-z0-9]{1,8}")
_TMP_PREFIX = ".tmp-"


class MediaError(Exception):
    """A media store failure; ``key`` is a catalog key, ``params`` fill it in."""

    key = "media.error"

    def __init__(self, **params: object) -> None:
        super().__init__(self.key)
        self.params = params


class InvalidMediaRef(MediaError, ValueError):
    """The ref (or extension) is not of the form this store hands out."""

    key = "media.invalid_ref"


class MediaNotFound(MediaError, LookupError):
    key = "media.not_found"


class MediaCorrupt(MediaError):
    """The stored bytes no longer hash to their ref (disk damage or tampering)."""

    key = "media.corrupt"


def ref_for(data: bytes) -> str:
    """The ref ``put`` would return for ``data``."""
    return REF_PREFIX + hashlib.sha256(data).hexdigest()


def parse_ref(ref: str) -> str:
    """The 64-hex digest inside a well-formed ref, else ``InvalidMediaRef``."""
    match = _REF_RE.fullmatch(ref) if isinstance(ref, str) else None
    if match is None:
        raise InvalidMediaRef()
    return match.group(1)


class MediaStore:
    """Blobs on the local filesystem under ``root``; holds no state beyond the root path."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, ref: str, ext: str = "jpg") -> Path:
        """Where the blob for ``ref`` lives (whether or not it exists yet)."""
        digest = parse_ref(ref)
        return self.root / digest[:2] / f"{digest}.{_check_ext(ext)}"

    async def put(self, data: bytes, ext: str = "jpg") -> str:
        """Store ``data`` (idempotent) and return its ref."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("data must be bytes")
        _check_ext(ext)
        return await asyncio.to_thread(self._put_sync, bytes(data), ext)

    async def get(self, ref: str, ext: str = "jpg") -> bytes:
        """The stored bytes; ``MediaNotFound`` if absent, ``MediaCorrupt`` if altered."""
        path = self.path(ref, ext)
        return await asyncio.to_thread(_read_verified, path, ref)

    async def exists(self, ref: str, ext: str = "jpg") -> bool:
        path = self.path(ref, ext)
        return await asyncio.to_thread(path.is_file)

    def _put_sync(self, data: bytes, ext: str) -> str:
        ref = ref_for(data)
        target = self.path(ref, ext)
        if not target.is_file():
            private_dir(target.parent)  # 0700; the file itself is made 0600 (mkstemp)
            _write_atomic(target, data)
        return ref


def _check_ext(ext: str) -> str:
    if not isinstance(ext, str) or _EXT_RE.fullmatch(ext) is None:
        raise InvalidMediaRef(ext=ext)
    return ext


def _write_atomic(target: Path, data: bytes) -> None:
    """Temp file in the same directory, fsync, then rename over the target."""
    fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable; best effort where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _read_verified(path: Path, ref: str) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MediaNotFound(ref=ref) from None
    if ref_for(data) != ref:
        raise MediaCorrupt(ref=ref)
    return data
