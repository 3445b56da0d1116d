"""Read and write the learner's settings file: default catalogue, colour, week start, time zone.

The file is TOML in the user config folder (``MLOPS_PATH_CONFIG_DIR`` moves it). Flags win
over the environment, and the environment over this file: it only fills in what neither says.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Literal

from .errors import InvalidValueError, MlopsPathError

__all__ = [
    "DEFAULTS",
    "SETTINGS",
    "ConfigError",
    "ConfigView",
    "Settings",
    "canonical_key",
    "catalogue_from",
    "change_setting",
    "load_settings",
    "view_settings",
    "zone_named",
]

#: Every setting, with the line `config list` and the README say about it.
SETTINGS = {
    "catalogue": "the catalogue to study when no --catalogue or MLOPS_PATH_CATALOGUE names one",
    "colour": "auto, always or never (NO_COLOR, FORCE_COLOR and TERM=dumb still win)",
    "week-start": "monday or sunday: where the weeks of stats begin",
    "time-zone": "a zone such as Europe/Paris for days and times (TZ still wins)",
}
#: The value each setting has when the file does not give one (None: nothing set).
DEFAULTS: dict[str, str | None] = {
    "catalogue": None,
    "colour": "auto",
    "week-start": "monday",
    "time-zone": None,
}
#: Other spellings people type, taken as the setting they mean.
ALIASES = {
    "color": "colour",
    "week_start": "week-start",
    "weekstart": "week-start",
    "time_zone": "time-zone",
    "timezone": "time-zone",
    "tz": "time-zone",
}
CHOICES = {"colour": ("auto", "always", "never"), "week-start": ("monday", "sunday")}
#: The name that means the guide bundled with mlops-path.
BUNDLED_NAMES = ("mlops-guide", "bundled")


class ConfigError(MlopsPathError):
    """Report a settings file that cannot be read or holds a bad value; names file and key."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """The settings in force from the file, defaults filled in."""

    path: Path
    catalogue: str | None = None
    colour: str = "auto"
    week_start: str = "monday"
    time_zone: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigView:
    """What a `config` command answers: the file, and the settings it shows or changed."""

    action: Literal["list", "get", "set", "unset", "path"]
    path: Path
    #: (key, value or None when unset, where it comes from: "config file" or "default").
    entries: tuple[tuple[str, str | None, str], ...] = ()


def load_settings(*, environ: Mapping[str, str] | None = None) -> Settings:
    """Return the settings in the file, defaults where it is silent; a run reads them once."""
    from .paths import config_file

    path = config_file(environ=environ)
    return _settings_from(_read_table(path), path=path)


def canonical_key(key: str) -> str:
    """Return the setting a typed key names, case and other spellings forgiven."""
    from .errors import UnknownNameError

    folded = key.strip().lower()
    folded = ALIASES.get(folded, folded)
    if folded in SETTINGS:
        return folded
    import difflib

    close = difflib.get_close_matches(folded, [*SETTINGS, *ALIASES], n=1, cutoff=0.6)
    suggestions = [ALIASES.get(name, name) for name in close]
    raise UnknownNameError(what="setting", name=key, suggestions=suggestions)


def view_settings(
    action: Literal["list", "get"], *, settings: Settings, key: str | None = None
) -> ConfigView:
    """Return the settings file's place and the settings in force (or one of them)."""
    table = _read_table(settings.path)
    keys = [canonical_key(key)] if key is not None else list(SETTINGS)
    entries = tuple(
        (name, _value(settings, name), "config file" if name in table else "default")
        for name in keys
    )
    return ConfigView(action=action, path=settings.path, entries=entries)


def change_setting(key: str, value: str | None) -> ConfigView:
    """Set one setting in the file (or remove it when ``value`` is None) and return it."""
    import tomli_w

    from .files import atomic_write
    from .paths import config_file

    path = config_file()
    name = canonical_key(key)
    table = _read_table(path)
    for stale in [typed for typed in table if typed != name and ALIASES.get(typed) == name]:
        del table[stale]
    if value is None:
        table.pop(name, None)
    else:
        try:
            table[name] = _checked(name, value, for_file=False)
        except ValueError as error:
            raise InvalidValueError(f"{name}: {error}") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, tomli_w.dumps(table).encode("utf-8"), private=False)
    except OSError as error:
        raise ConfigError(f"config file {path}: cannot write it: {error.strerror}") from None
    shown = table.get(name)
    return ConfigView(
        action="set" if value is not None else "unset",
        path=path,
        entries=((name, str(shown) if shown is not None else DEFAULTS[name], "config file"),),
    )


def catalogue_from(settings: Settings) -> Path | None:
    """Return the catalogue file the settings name, or None for the bundled guide."""
    value = settings.catalogue
    if value is None or value.lower() in BUNDLED_NAMES:
        return None
    from .catalogue_source import BUNDLED

    if value in BUNDLED:
        return Path(value)  # a bundled study path, by name
    if _looks_like_path(value):
        return Path(value).expanduser()
    known = _known_catalogues()
    if value in known:
        return Path(known[value])
    import difflib

    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ConfigError(
        f"config file {settings.path}: catalogue: no catalogue named {value!r} has been used "
        f"on this machine{hint}",
        hint="name a file, or 'mlops-guide' for the bundled guide",
    )


@lru_cache(maxsize=64)
def zone_named(name: str) -> tzinfo | None:
    """Return the zone an IANA name such as Europe/Paris (or UTC) names, or None."""
    text = name.strip().lstrip(":")
    if text.upper() in ("UTC", "Z", "GMT", "ETC/UTC"):
        return UTC
    # Every run now works its zone out when it starts: UTC must not cost the zoneinfo import.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _read_table(path: Path) -> dict[str, object]:
    """Return the file's TOML table, empty when there is no file."""
    from .files import SMALL_FILE_CAP, read_regular_file, reason

    try:
        data = read_regular_file(path, cap=SMALL_FILE_CAP)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"config file {path}: cannot read it: {reason(error)}") from None
    try:
        return tomllib.loads(data.decode("utf-8-sig"))  # a leading byte-order mark is not text
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path}: not valid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"config file {path}: values nest too deeply to read") from None


def _settings_from(table: Mapping[str, object], *, path: Path) -> Settings:
    """Check every key and value of the file; the first bad one is the error."""
    settings = Settings(path=path)
    for typed, raw in table.items():
        try:
            name = canonical_key(typed)
        except MlopsPathError as error:
            hint = f" ({error.hint})" if error.hint else ""
            raise ConfigError(
                f"config file {path}: {typed}: not a setting{hint}; "
                f"the settings are {', '.join(SETTINGS)}"
            ) from None
        if not isinstance(raw, str):
            raise ConfigError(f"config file {path}: {name}: must be a string, not {raw!r}")
        try:
            value = _checked(name, raw, for_file=True)
        except ValueError as error:
            raise ConfigError(f"config file {path}: {name}: {error}") from None
        settings = replace(settings, **{name.replace("-", "_"): value})  # type: ignore[arg-type]
    return settings


def _checked(name: str, value: str, *, for_file: bool) -> str:
    """Return a setting's value as it is kept; raise ValueError saying what is wrong."""
    text = value.strip()
    if name in CHOICES:
        folded = text.lower()
        if folded == "color":
            folded = "colour"
        if folded not in CHOICES[name]:
            raise ValueError(f"{value!r} is not one of {', '.join(CHOICES[name])}")
        return folded
    if not text:
        raise ValueError("is empty")
    if name == "time-zone":
        if zone_named(text) is None:
            raise ValueError(f"{value!r} is not a time zone; use a name such as Europe/Paris")
        return text
    # The catalogue: a file (kept as an absolute path) or the id of one used before.
    from .catalogue_source import BUNDLED

    if text.lower() in BUNDLED_NAMES or text in BUNDLED:
        return "mlops-guide" if text.lower() in BUNDLED_NAMES else text
    if _looks_like_path(text):
        if for_file:
            return text
        file = Path(text).expanduser().resolve()
        if not file.is_file():
            raise ValueError(f"there is no file {str(file)!r}")
        return str(file)
    if not for_file and text not in _known_catalogues():
        raise ValueError(
            f"no file or catalogue named {value!r}; name a .toml file, or 'mlops-guide'"
        )
    return text


def _looks_like_path(text: str) -> bool:
    """Tell whether a catalogue setting names a file rather than a catalogue id."""
    return os.sep in text or "/" in text or text.lower().endswith(".toml") or Path(text).exists()


def _known_catalogues() -> dict[str, str]:
    """Return the catalogue files used on this machine, by catalogue id."""
    from .identity import known_catalogue_files
    from .paths import resolve_paths

    return known_catalogue_files(resolve_paths().known_catalogues)


def _value(settings: Settings, name: str) -> str | None:
    """Return a setting's value in force."""
    value = getattr(settings, name.replace("-", "_"))
    return value if isinstance(value, str) else None
