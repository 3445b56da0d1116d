"""Regenerate the README's screenshots from the real CLI, or check that they are current.

    python scripts/screenshots.py           # rewrite docs/screenshots/*.svg and *.txt
    python scripts/screenshots.py --check   # exit 1 if any screenshot is out of date

Each screenshot runs mlops-path in-process with colour forced, on a fixed demo history and a
fixed clock, and turns the terminal output into SVG with rich. The .txt beside each SVG holds
the same output as plain text: --check compares those, so a newer rich that draws SVGs a
little differently does not fail CI, but any change to what the CLI prints does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from mlops_path.cache import ReadCache
from mlops_path.cli import app
from mlops_path.events import Event, dump_progress
from mlops_path.paths import DataPaths
from mlops_path.services import open_services
from mlops_path.store import ProgressStore

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NOW = datetime(2026, 11, 26, 18, 30, tzinfo=UTC)
WIDTH = 96
SHOTS = {
    "next": ["next", "-n", "2"],
    "list": ["list", "--section", "intermediate"],
    "stats": ["stats"],
    "show": ["show", "distribution-shifts"],
    "search": ["search", "airbnb"],
    "log": ["log", "--since", "2026-11-20"],
}


def demo_history() -> list[Event]:
    """Return a learner's plausible last weeks, with fixed ids and times."""
    plan = [
        (40, "done", "free-ml-courses", "Took the whole autumn."),
        (33, "skip", "murphy-mlpp", "Read it at university."),
        (30, "done", "mackay-itila", None),
        (21, "done", "stanford-ai-courses", None),
        (20, "done", "tools-and-concepts", None),
        (12, "done", "ml-production-myths", None),
        (9, "done", "intro-ml-production", None),
        (8, "done", "rules-of-ml", "Rule #4: keep the first model simple."),
        (4, "done", "ml-tools-200", None),
        (3, "done", "ml-tools-landscape-v2", None),
        (2, "done", "ml-test-score", None),
        (1, "done", "llm-apps-production", None),
        (1, "start", "distribution-shifts", None),
        (
            0,
            "note",
            "distribution-shifts",
            "Compare covariate and label shift with our churn data.",
        ),
    ]
    events = []
    for number, (days_ago, action, item, note) in enumerate(plan):
        at = NOW - timedelta(days=days_ago, hours=2) + timedelta(minutes=number)
        events.append(
            Event(
                id=f"demo{number:04d}",
                catalogue="mlops-guide",
                item=item,
                action=action,  # type: ignore[arg-type]
                at=at,
                note=note,
            )
        )
    return events


def capture(args: list[str], data_dir: Path) -> str:
    """Run the CLI with colour forced and return what it printed, escape codes included."""
    paths = DataPaths(data_dir=data_dir, cache_dir=data_dir / "cache", state_dir=data_dir / "state")
    cache = ReadCache(None)
    store = ProgressStore(
        data_dir=paths.data_dir, lock_path=paths.lock, device=lambda: "demo", cache=cache
    )
    # The demo's days are UTC days, and the shooter's own settings (colour, week start) stay out.
    services = replace(
        open_services(), paths=paths, store=store, cache=cache, clock=lambda: NOW, zone=UTC
    )
    env = {
        "FORCE_COLOR": "1",
        "COLUMNS": str(WIDTH),
        "TZ": "UTC",
        "MLOPS_PATH_CONFIG_DIR": str(data_dir / "config"),
    }
    result = CliRunner().invoke(app, args, obj=services, env=env, catch_exceptions=False)
    if result.exit_code != 0:
        sys.exit(f"mlops-path {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def render(name: str, args: list[str], output: str) -> tuple[str, str]:
    """Return the SVG and the plain text of one screenshot."""
    console = Console(record=True, width=WIDTH, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(Text("$ mlops-path " + " ".join(args), style="bold"))
    console.print(Text.from_ansi(output), end="")
    svg = console.export_svg(title=f"mlops-path {name}", clear=False)
    return svg, console.export_text()


def main() -> int:
    """Write the screenshots, or with --check report the ones that are out of date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    options = parser.parse_args()
    stale = []
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        demo = data_dir / "progress" / "demo" / "2026-11.toml"
        demo.parent.mkdir(parents=True)
        demo.write_bytes(dump_progress(demo_history(), device="demo"))
        for name, args in SHOTS.items():
            svg, text = render(name, args, capture(args, data_dir))
            text_file, svg_file = OUT / f"{name}.txt", OUT / f"{name}.svg"
            if options.check:
                current = text_file.read_text() if text_file.exists() else None
                if current != text or not svg_file.exists():
                    stale.append(name)
                continue
            OUT.mkdir(parents=True, exist_ok=True)
            text_file.write_text(text)
            svg_file.write_text(svg)
    if stale:
        print(f"out of date: {', '.join(stale)}; run: python scripts/screenshots.py")
        return 1
    print(
        "screenshots are current" if options.check else f"wrote {len(SHOTS)} screenshots to {OUT}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
