"""Find the services a command works on from its Typer context, building them once per run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

    from .services import Services

__all__ = ["services_of"]


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
        catalogue = root.params.get("catalogue")  # the flag, or else the environment
        if catalogue is None:
            from .config import catalogue_from, load_settings

            catalogue = catalogue_from(load_settings())
        root.obj = open_services(catalogue_path=catalogue)
        if not quiet:
            for warning in root.obj.warnings:
                sys.stderr.write(printable(f"mlops-path: warning: {warning}") + "\n")
    return root.obj
