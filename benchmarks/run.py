"""Benchmark mlops-path as whole processes against bare Python and the floor of its stack.

    python benchmarks/run.py                      # both sizes, 20 runs each, markdown to stdout
    python benchmarks/run.py -o docs/performance.md
    python benchmarks/run.py --size small --runs 15

It builds a wheel of this checkout and installs it in a fresh virtualenv (an editable
install or a version-manager shim would add their own start-up cost), generates a catalogue
and a progress store of each size, then runs every command interleaved with the baseline
(`python -c pass`) and the floor (benchmarks/floor_app.py: Typer + pydantic + tomllib) on the
same interpreter. Each sample is one process: wall time and peak RSS from os.wait4.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
FLOOR = ROOT / "benchmarks" / "floor_app.py"
KINDS = ["book", "video", "paper", "blog-post", "tutorial", "course", "code", "article"]
ACTIONS = ["done", "start", "note", "reset", "skip"]
#: Budgets from the issue: (ratio to the floor at small, ratio to its own small time at large).
BUDGETS = {
    "next": (1.2, 1.5),
    "done ID": (1.2, 1.5),
    "--help": (1.2, 1.5),
    "complete ids": (1.2, 1.5),
    "stats": (1.5, 3.0),
    "list --json": (1.5, 3.0),
    "log": (1.2, 1.5),
    "show ID": (1.2, 1.5),
}
MEMORY_BUDGET_MB = 100


@dataclass(frozen=True)
class Workload:
    """A data folder, the catalogue to use (None: bundled), and items free for `done`."""

    name: str
    data_dir: Path
    catalogue: Path | None
    fresh_items: list[str]
    shown_item: str


def build_venv(work: Path) -> Path:
    """Build this checkout's wheel and install it in a new virtualenv; return its bin folder."""
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = next(dist.glob("*.whl"))
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv / "bin"


def event(n: int, catalogue: str, item: str, action: str, at: datetime) -> dict[str, object]:
    """Return one stored event as a TOML table, with a readable fixed id."""
    record: dict[str, object] = {
        "id": f"bench{n:08d}",
        "catalogue": catalogue,
        "item": item,
        "action": action,
        "at": at,
    }
    if action in ("note", "skip"):
        record["note"] = f"benchmark note {n}"
    return record


def write_store(path: Path, events: list[dict[str, object]]) -> None:
    """Write a schema-2 progress store holding ``events``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps({"schema": 2, "events": events}))


def small_workload(work: Path, rng: random.Random) -> Workload:
    """Return the bundled guide with 200 events over its first 25 items; 25 stay free."""
    guide = tomllib.loads((ROOT / "resources" / "mlops-guide.toml").read_text())
    ids = [item["id"] for item in guide["items"]]
    used, free = ids[:25], ids[25:]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    events = [
        event(n, "mlops-guide", rng.choice(used), rng.choice(ACTIONS), start + timedelta(hours=n))
        for n in range(200)
    ]
    data = work / "small"
    write_store(data / "mlops-path" / "progress.toml", events)
    return Workload("small", data, None, free, used[0])


def large_workload(work: Path, rng: random.Random) -> Workload:
    """Return 2,000 items in 20 sections with 20,000 events; the last 100 items stay free."""
    sections = [{"id": f"section-{s:02d}", "title": f"Section {s}"} for s in range(20)]
    items = []
    for n in range(2000):
        item: dict[str, object] = {
            "id": f"item-{n:04d}",
            "section": f"section-{n // 100:02d}",
            "title": f"Generated item number {n}",
            "kind": rng.choice(KINDS),
            "summary": f"A generated item for the benchmark, number {n}.",
            "effort": rng.randint(5, 600),
            "url": f"https://example.org/items/{n}",
        }
        if n % 10 == 5:
            item["requires"] = [f"item-{n - 1:04d}"]
        items.append(item)
    catalogue = {
        "catalogue": {"id": "bench-large", "title": "Large benchmark", "version": "1"},
        "sections": sections,
        "items": items,
    }
    catalogue_path = work / "large-catalogue.toml"
    catalogue_path.write_text(tomli_w.dumps(catalogue))
    used = [f"item-{n:04d}" for n in range(1900)]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    events = [
        event(
            n,
            "bench-large",
            rng.choice(used),
            rng.choice(ACTIONS),
            start + timedelta(minutes=37 * n),
        )
        for n in range(20_000)
    ]
    data = work / "large"
    write_store(data / "mlops-path" / "progress.toml", events)
    fresh = [f"item-{n:04d}" for n in range(1900, 2000)]
    return Workload("large", data, catalogue_path, fresh, used[0])


@dataclass
class Sample:
    """One run of one command."""

    ms: float
    rss_mb: float


def run_once(argv: list[str], env: dict[str, str]) -> Sample:
    """Run one process to completion; return its wall time and peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read() if process.stderr else b""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {stderr.decode()}")
    return Sample(ms=elapsed * 1000, rss_mb=usage.ru_maxrss / 1024)


def commands(bin_dir: Path, workload: Workload) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Return each measured command: its argv and environment."""
    # Paths come from XDG variables, as for a user: platformdirs runs as it does for them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLOPS_PATH")}
    env["XDG_DATA_HOME"] = str(workload.data_dir)
    env["XDG_CACHE_HOME"] = str(workload.data_dir / "cache")
    if workload.catalogue:
        env["MLOPS_PATH_CATALOGUE"] = str(workload.catalogue)
    mlops = str(bin_dir / "mlops-path")
    python = str(bin_dir / "python")
    completion = {
        **env,
        "_MLOPS_PATH_COMPLETE": "complete_bash",
        "COMP_WORDS": "mlops-path done it" if workload.catalogue else "mlops-path done ml",
        "COMP_CWORD": "2",
    }
    return {
        "python -c pass": ([python, "-c", "pass"], env),
        "floor": ([python, str(FLOOR)], env),
        "next": ([mlops, "next"], env),
        "done ID": ([mlops, "done", "{fresh}"], env),
        "list --json": ([mlops, "list", "--json"], env),
        "stats": ([mlops, "stats"], env),
        "log": ([mlops, "log"], env),
        "show ID": ([mlops, "show", workload.shown_item], env),
        "--help": ([mlops, "--help"], env),
        "complete ids": ([mlops], completion),
    }


def measure(
    bin_dir: Path, workload: Workload, runs: int, rng: random.Random
) -> dict[str, list[Sample]]:
    """Run every command ``runs`` times, in a fresh random order each round."""
    table = commands(bin_dir, workload)
    samples: dict[str, list[Sample]] = {name: [] for name in table}
    fresh = iter(workload.fresh_items)
    for argv, env in table.values():  # one warm-up each: page cache, .pyc files, caches
        run_once([next(fresh) if a == "{fresh}" else a for a in argv], env)
    for _ in range(runs):
        order = list(table)
        rng.shuffle(order)
        for name in order:
            argv, env = table[name]
            argv = [next(fresh) if a == "{fresh}" else a for a in argv]
            samples[name].append(run_once(argv, env))
    return samples


def versions(bin_dir: Path) -> str:
    """Return the interpreter's and the packages' versions, as installed in the venv."""
    script = (
        "import sys, importlib.metadata as m;"
        "print('Python', sys.version.split()[0], *[f'{p} {m.version(p)}' for p in "
        "('mlops-path', 'typer', 'pydantic', 'rich', 'platformdirs', 'tomli-w')], sep=', ')"
    )
    return subprocess.run(
        [str(bin_dir / "python"), "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()


def report(results: dict[str, dict[str, list[Sample]]], bin_dir: Path, runs: int) -> str:
    """Return the results as markdown, with every budget checked."""
    lines = [
        "## Latest run",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} by `python benchmarks/run.py"
        f" --runs {runs}` on {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}.",
        f"{versions(bin_dir)}. Each figure is the median of {runs} whole-process runs, the"
        " commands interleaved in a random order each round; output piped. `floor` is"
        " benchmarks/floor_app.py (Typer + pydantic + tomllib, one command).",
        "",
    ]
    failures = []
    small = {
        name: statistics.median(s.ms for s in samples)
        for name, samples in results.get("small", {}).items()
    }
    for size, samples in results.items():
        base = statistics.median(s.ms for s in samples["python -c pass"])
        floor = statistics.median(s.ms for s in samples["floor"])
        lines += [
            f"### {size}",
            "",
            "| command | median ms | x baseline | x floor | x own small | peak MB | budget |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for name, runs_of in samples.items():
            ms = statistics.median(s.ms for s in runs_of)
            peak = max(s.rss_mb for s in runs_of)
            own = ms / small[name] if size == "large" and name in small else None
            verdict = ""
            if name in BUDGETS:
                limit_floor, limit_own = BUDGETS[name]
                ok = (
                    ms / floor <= limit_floor
                    if size == "small"
                    else own is not None and own <= limit_own
                )
                ok = ok and peak < MEMORY_BUDGET_MB
                limit = (
                    f"x floor <= {limit_floor}"
                    if size == "small"
                    else f"x own small <= {limit_own}"
                )
                verdict = f"{'met' if ok else 'MISSED'} ({limit}, < {MEMORY_BUDGET_MB} MB)"
                if not ok:
                    failures.append(f"{size} {name}")
            own_text = f"{own:.2f}" if own is not None else ""
            lines.append(
                f"| `{name}` | {ms:.1f} | {ms / base:.1f} | {ms / floor:.2f} | {own_text}"
                f" | {peak:.1f} | {verdict} |"
            )
        lines.append("")
    lines.append("Budgets: " + ("all met." if not failures else "missed: " + ", ".join(failures)))
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- benchmark results: written by benchmarks/run.py -->", "<!-- end of results -->"


def write_results(path: Path, text: str) -> None:
    """Put the results between the markers in ``path``, keeping the prose around them."""
    block = f"{BEGIN}\n{text}{END}\n"
    current = path.read_text() if path.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        path.write_text(head + block + ("\n" + tail if tail else ""))
    else:
        path.write_text(block)


def generate_in_child(size: str, work: Path) -> Workload:
    """Generate a workload in another process.

    Peak memory is read from os.wait4, and a child forked from a large parent starts with the
    parent's memory counted: generating the large store here would inflate every figure.
    """
    result = subprocess.run(
        [sys.executable, __file__, "--generate", size, str(work)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    return Workload(
        name=data["name"],
        data_dir=Path(data["data_dir"]),
        catalogue=Path(data["catalogue"]) if data["catalogue"] else None,
        fresh_items=data["fresh_items"],
        shown_item=data["shown_item"],
    )


def main() -> int:
    """Generate a workload (internal), or run the whole benchmark."""
    if len(sys.argv) == 4 and sys.argv[1] == "--generate":
        builders = {"small": small_workload, "large": large_workload}
        workload = builders[sys.argv[2]](Path(sys.argv[3]), random.Random(sys.argv[2]))
        print(
            json.dumps(
                {
                    "name": workload.name,
                    "data_dir": str(workload.data_dir),
                    "catalogue": str(workload.catalogue) if workload.catalogue else None,
                    "fresh_items": workload.fresh_items,
                    "shown_item": workload.shown_item,
                }
            )
        )
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", choices=["small", "large"])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("-o", "--output", type=Path)
    options = parser.parse_args()
    if not 15 <= options.runs <= 24:
        parser.error("--runs must be from 15 to 24 (the small path has 25 items to mark done)")
    rng = random.Random(20261126)
    work = Path(tempfile.mkdtemp(prefix="mlops-path-bench-"))
    try:
        bin_dir = build_venv(work)
        results = {}
        for size in options.size or ["small", "large"]:
            workload = generate_in_child(size, work)
            results[size] = measure(bin_dir, workload, options.runs, rng)
        text = report(results, bin_dir, options.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if options.output:
        write_results(options.output, text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
