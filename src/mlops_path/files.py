"""Read files that come from outside, and write files so that a crash never leaves half of one.

Reading: regular files only, never more than a stated size.

A catalogue or an import may name anything: a FIFO would block forever, ``/dev/zero`` would
fill memory. Each reader here opens without blocking, checks what the path really is, and
reads at most the cap, so a bad path is a clear error and never a hang.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = [
    "CATALOGUE_CAP",
    "IMPORT_CAP",
    "SMALL_FILE_CAP",
    "NotAFileError",
    "TooLargeError",
    "atomic_write",
    "read_regular_file",
    "reason",
]

#: The largest catalogue file read: 20,000 items are about 5 MB.
CATALOGUE_CAP = 32 * 1024 * 1024
#: The largest import read: about 350,000 events.
IMPORT_CAP = 64 * 1024 * 1024
#: The largest of this machine's own small files: settings, device id, known catalogues.
SMALL_FILE_CAP = 1024 * 1024


class NotAFileError(OSError):
    """Report a path that is a folder, a device, a FIFO or a socket rather than a file."""


class TooLargeError(OSError):
    """Report a file larger than the cap for its kind."""


def read_regular_file(path: Path, *, cap: int | None) -> bytes:
    """Return the bytes of the regular file at ``path`` (links followed), at most ``cap`` bytes.

    Raises FileNotFoundError and the other OSErrors of opening, NotAFileError for anything but
    a regular file, and TooLargeError past ``cap``.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise NotAFileError("it is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise NotAFileError("it is not a regular file (a device, FIFO or socket)")
        if cap is not None and info.st_size > cap:
            raise TooLargeError(_too_large(cap))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read() if cap is None else handle.read(cap + 1)
    finally:
        os.close(fd)
    if cap is not None and len(data) > cap:  # it grew while being read
        raise TooLargeError(_too_large(cap))
    return data


def reason(error: OSError) -> str:
    """Return why reading or writing a file failed, in the words the messages use."""
    import errno

    if error.errno == errno.ENOSPC:
        return "no space left on device"
    if error.errno == errno.EROFS:
        return "read-only file system"
    return error.strerror or str(error)


def _too_large(cap: int) -> str:
    """Say that a file passes the cap."""
    return f"it is larger than the {cap // (1024 * 1024)} MB limit"


def atomic_write(path: Path, data: bytes, *, private: bool = True) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    A symlink is written through: its target gets the new content and the link stays, so a
    store linked into a synced folder keeps feeding that folder. A ``private`` file (the
    learner's history) is made readable by its owner only; any other file (an export, the
    settings) gets the usual permissions, 0666 less the umask, or keeps the mode it had.
    """
    if path.is_symlink():
        path = path.resolve()
    mode = None
    if not private:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = None
    # A random name opened with O_EXCL, as tempfile.mkstemp does, without importing tempfile;
    # 0o666 is narrowed by the umask, exactly as open(path, "w") would do.
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself; some platforms cannot open a folder, which is fine there."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
