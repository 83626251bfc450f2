"""Private files: what the bot keeps on disk is readable by its own user only.

The databases (unused prize codes, password hashes, personal data), their WAL/SHM/journal
files, the media (invoices, S/N photos) and the secret key are created 0600 and the folders
the bot creates 0700, whatever the process umask. Files found looser at start are tightened
(never loosened: a read-only 0400 stays 0400). SQLite creates its -wal/-shm/-journal files
with the mode of the database file, so a database created 0600 here keeps them 0600 too.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def sqlite_path(url: str) -> Path | None:
    """The file of a file-based SQLite URL (``sqlite+aiosqlite:///./data/x.db``), else None."""
    if not url.startswith("sqlite") or "///" not in url:
        return None
    path = url.split("///", 1)[1].split("?", 1)[0]
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return Path(path).expanduser()


def sqlite_files(path: Path) -> list[Path]:
    """The database file and the companions SQLite may create next to it."""
    return [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_SIDECARS)]


def private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents, each one 0700 (an existing folder is left as
    it is: it may be shared; see :func:`tighten`)."""
    missing: list[Path] = []
    current = Path(path)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            folder.mkdir(mode=DIR_MODE)
            os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
    return Path(path)


def create_private_file(path: Path) -> bool:
    """Create an empty ``path`` 0600 unless it exists; ``True`` if this call created it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return True


def tighten(path: Path) -> bool:
    """Take every right of the group and of others away from ``path`` (a file or a folder),
    keeping the owner's; ``True`` if it had any. Missing files and symlinks are left alone."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode) or not info.st_mode & 0o077:
        return False
    os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o077)
    return True


def tighten_tree(root: Path) -> int:
    """:func:`tighten` a folder that is the bot's alone and everything in it; how many changed."""
    if not root.is_dir() or root.is_symlink():
        return 0
    changed = int(tighten(root))
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            changed += tighten(Path(folder) / name)
    return changed


def prepare_sqlite(url: str) -> int:
    """Before SQLite opens ``url``: its folder exists (created 0700), the database file exists
    (created 0600, so its WAL/SHM follow) and none of its files is readable by others.
    Returns how many existing files had to be tightened (0 for other databases)."""
    path = sqlite_path(url)
    if path is None:
        return 0
    private_dir(path.parent)
    create_private_file(path)
    return sum(tighten(p) for p in sqlite_files(path))


def only_holds(folder: Path, ours: Iterable[Path]) -> bool:
    """Whether every entry of ``folder`` is one of ``ours`` (or a hidden temp file): then the
    folder is the bot's alone and may be tightened; a shared one is left as it is."""
    names = {Path(p).name for p in ours if Path(p).parent.resolve() == folder.resolve()}
    try:
        entries = os.listdir(folder)
    except OSError:
        return False
    return all(name in names or name.startswith(".") for name in entries)


__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "create_private_file",
    "only_holds",
    "prepare_sqlite",
    "private_dir",
    "sqlite_files",
    "sqlite_path",
    "tighten",
    "tighten_tree",
]
