"""Know which device this is: an id made once per machine, kept outside the data folder.

Each device writes only its own files under progress/, so a data folder synced between
machines never has two writers of one file. The id lives in the user's state folder, so
copying or syncing the data folder never copies the identity; MLOPS_PATH_DEVICE overrides it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from .errors import InvalidValueError, MlopsPathError
from .paths import DEVICE_ENV

__all__ = ["DEVICE_PATTERN", "device_id"]

#: Device ids name folders and appear in messages: letters, digits, dashes and underscores.
DEVICE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$")


def device_id(*, device_file: Path, environ: Mapping[str, str] | None = None) -> str:
    """Return this device's id: the override, the one kept in ``device_file``, or a new one."""
    env = os.environ if environ is None else environ
    override = env.get(DEVICE_ENV, "").strip()
    if override:
        if not DEVICE_PATTERN.match(override):
            raise InvalidValueError(
                f"{DEVICE_ENV}={override!r} is not a device id: use letters, digits, dashes "
                "and underscores, at most 64, starting with a letter or digit"
            )
        return override
    from .files import SMALL_FILE_CAP, read_regular_file

    try:
        kept = read_regular_file(device_file, cap=SMALL_FILE_CAP).decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        kept = ""
    if DEVICE_PATTERN.match(kept):
        return kept
    return _new_device_id(device_file)


def _new_device_id(device_file: Path) -> str:
    """Make and keep a new id: the host name's first word and six random hex digits."""
    import socket

    host = re.sub(r"[^0-9a-z]+", "-", socket.gethostname().split(".")[0].lower()).strip("-")
    made = f"{host[:40] or 'device'}-{os.urandom(3).hex()}"
    try:
        device_file.parent.mkdir(parents=True, exist_ok=True)
        with device_file.open("x", encoding="utf-8") as handle:
            handle.write(made + "\n")
    except FileExistsError:
        # Another command made it first: use that one, so the machine has a single id.
        kept = device_file.read_text(encoding="utf-8").strip()
        return kept if DEVICE_PATTERN.match(kept) else made
    except OSError as error:
        # An id that changed from run to run would scatter this machine's history over
        # many folders: better to stop and say how to name the device.
        raise MlopsPathError(
            f"cannot keep this device's id in {device_file}: {error.strerror or error}",
            hint=f"set {DEVICE_ENV} to a name for this machine",
        ) from None
    return made
