"""The `config` commands: read and change the settings file.

No ``from __future__ import annotations``, as in every cli_*.py module (cli_app.py says why).
"""

from typing import Annotated

import typer

from .cli_app import PANEL_SETTINGS, app, command, emit, help_example
from .completion import complete_setting_names
from .context import settings_of

__all__: list[str] = []

config_app = typer.Typer(
    help="Read and change your settings: default catalogue, colour, week start, time zone.",
    epilog=help_example("config set catalogue rust.toml"),
    no_args_is_help=True,
)
app.add_typer(config_app, name="config", rich_help_panel=PANEL_SETTINGS)

SettingKey = Annotated[
    str,
    typer.Argument(
        metavar="KEY",
        help="catalogue, colour, week-start or time-zone.",
        autocompletion=complete_setting_names,
    ),
]


@command("set", group=config_app, example="config set week-start sunday")
def config_set(
    ctx: typer.Context,
    key: SettingKey,
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="catalogue: a file or a catalogue id used before (mlops-guide: the bundled "
            "guide); colour: auto, always or never; week-start: monday or sunday; "
            "time-zone: e.g. Europe/Paris.",
        ),
    ],
) -> None:
    """Set one setting; the environment and flags still win over it."""
    from .config import change_setting

    emit(ctx, change_setting(key, value), lenient=True)


@command("unset", group=config_app, example="config unset time-zone")
def config_unset(ctx: typer.Context, key: SettingKey) -> None:
    """Remove one setting, so its default applies again."""
    from .config import change_setting

    emit(ctx, change_setting(key, None), lenient=True)


@command("get", group=config_app, example="config get catalogue")
def config_get(ctx: typer.Context, key: SettingKey) -> None:
    """Print one setting's value in force: the file's, else the default (nothing if none)."""
    from .config import view_settings

    emit(ctx, view_settings("get", settings=settings_of(ctx), key=key))


@command("list", group=config_app, example="config list")
def config_list(ctx: typer.Context) -> None:
    """List every setting, its value, and whether it comes from the file or is the default."""
    from .config import view_settings

    emit(ctx, view_settings("list", settings=settings_of(ctx)))


@command("path", group=config_app, example="config path")
def config_path(ctx: typer.Context) -> None:
    """Print where the settings file is (MLOPS_PATH_CONFIG_DIR moves it)."""
    from .config import ConfigView

    path = settings_of(ctx, lenient=True).path
    emit(ctx, ConfigView(action="path", path=path), lenient=True)
