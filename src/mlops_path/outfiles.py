"""Write the files the learner asks for (exports, settings) as any other program would.

A new file gets the usual permissions (0666 less the umask); a file that is already there is
replaced atomically and keeps its mode, so ``chmod`` choices survive. A symlink is written
through: the link stays, its target gets the content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["write_file"]


def write_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a crash leaves the old file or the new one, never half."""
    if path.is_symlink():
        path = path.resolve()
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    # 0o666 here is narrowed by the umask, exactly as open(path, "w") would do.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
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
