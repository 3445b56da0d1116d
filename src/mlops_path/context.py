"""Find what a command works with from its Typer context: settings and services, made once."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import tzinfo

    import typer

    from .config import Settings
    from .services import Services

__all__ = ["services_of", "settings_of", "zone_of"]

#: Where a run keeps the settings it read, in the root context's ``meta``.
_SETTINGS = "mlops_path.settings"


def settings_of(ctx: typer.Context, *, lenient: bool = False) -> Settings:
    """Return the run's settings: the services' own when they were passed in, else the file's.

    The file is read once per run. With ``lenient``, a file that cannot be read gives the
    defaults: the `config` commands must still work to mend it.
    """
    from .config import ConfigError, Settings, load_settings
    from .paths import config_file
    from .services import Services

    root = ctx.find_root()
    if isinstance(root.obj, Services):
        return root.obj.settings
    settings: Settings | None = root.meta.get(_SETTINGS)
    if settings is None:
        try:
            settings = root.meta[_SETTINGS] = load_settings()
        except ConfigError:
            if not lenient:
                raise
            return Settings(path=config_file())
    return settings


def zone_of(ctx: typer.Context, *, lenient: bool = False) -> tzinfo:
    """Return the run's time zone: the services' own when passed in, else from TZ or settings."""
    from .localtime import local_zone
    from .services import Services

    root = ctx.find_root()
    if isinstance(root.obj, Services):
        return root.obj.zone
    return local_zone(time_zone=settings_of(ctx, lenient=lenient).time_zone)


def services_of(ctx: typer.Context, *, quiet: bool = False) -> Services:
    """Return the services passed in by the caller (tests), or the default ones, made once.

    The catalogue is chosen here and nowhere else: ``--catalogue``, else
    ``MLOPS_PATH_CATALOGUE``, else the settings file's ``catalogue``, else the bundled guide.
    Their warnings go to stderr once, when they are made, unless ``quiet`` (shell completion
    must stay silent).
    """
    import sys

    from .services import Services, open_services
    from .terminal_text import printable

    root = ctx.find_root()
    if not isinstance(root.obj, Services):
        settings = settings_of(ctx)
        catalogue = root.params.get("catalogue")  # the flag, or else the environment
        if catalogue is None:
            from .config import catalogue_from

            catalogue = catalogue_from(settings)
        root.obj = open_services(catalogue_path=catalogue, settings=settings)
        if not quiet:
            for warning in root.obj.warnings:
                sys.stderr.write(printable(f"mlops-path: warning: {warning}") + "\n")
    return root.obj
