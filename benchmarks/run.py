"""Benchmark mlops-path as whole processes against bare Python and the floor of its stack.

    python benchmarks/run.py                      # every size, markdown to stdout
    python benchmarks/run.py -o docs/performance.md
    python benchmarks/run.py --size small --runs 15

It builds a wheel of this checkout and installs it in a fresh virtualenv (an editable
install or a version-manager shim would add their own start-up cost), generates a catalogue
and a progress store of each size, then runs every command of every size interleaved with the
baseline (`python -c pass`) and the floor (benchmarks/floor_app.py: Typer + pydantic + tomllib)
on the same interpreter. Each sample is one process: wall time and peak RSS from os.wait4.
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
COLD_PHASES = ROOT / "benchmarks" / "cold_phases.py"
KINDS = ["book", "video", "paper", "blog-post", "tutorial", "course", "code", "article"]
ACTIONS = ["done", "start", "note", "reset", "skip"]
#: Budgets (issue 11): what each command is compared with, and the ratio it must stay under.
#: "own small" is the same command on the small workload; "small next" is warm next on it.
#: Every workload is measured in the same interleaved rounds, so each ratio is one of medians.
BUDGETS: dict[tuple[str, str], tuple[str, float]] = {
    **{
        ("large", name): ("own small", 1.5)
        for name in ("next", "done ID", "stats", "log", "show ID", "search", "undo --list")
    },
    ("large", "list --json"): ("own small", 2.0),
    ("large", "export"): ("own small", 3.0),
    ("large", "doctor"): ("own small", 3.0),
    ("large", "next, cold cache"): ("small next", 2.0),
    ("huge", "next, cold cache"): ("small next", 3.0),
    ("large", "next, after a sync"): ("small next", 2.0),
    ("huge", "next, after a sync"): ("small next", 3.0),
    ("large", "next, after a hand edit"): ("small next", 2.0),
    ("huge", "next, after a hand edit"): ("small next", 3.0),
    ("xl", "next"): ("floor", 1.5),
    ("xl", "done ID"): ("floor", 1.5),
    ("small", "complete ids"): ("floor", 0.5),
    **{("small", name): ("floor", 1.2) for name in ("next", "done ID", "--help")},
}
#: Peak memory budgets in MB, by workload.
MEMORY_BUDGET_MB = {"small": 100, "large": 100, "xl": 100, "huge": 150}
DEVICES = 5


@dataclass(frozen=True)
class Workload:
    """A data folder, the catalogue to use (None: bundled), and items free for `done`."""

    name: str
    data_dir: Path
    catalogue: Path | None
    fresh_items: list[str]
    shown_item: str
    search_words: str


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


def write_history(data: Path, events: list[dict[str, object]], *, devices: int) -> None:
    """Write ``events`` as the progress folder holds them: per device, per year (schema 3)."""
    folder = data / "mlops-path"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "progress.toml").write_text(tomli_w.dumps({"schema": 3, "layout": "progress/"}))
    files: dict[Path, list[dict[str, object]]] = {}
    for n, record in enumerate(events):
        device = f"bench-{n % devices}"
        at = record["at"]
        assert isinstance(at, datetime)
        files.setdefault(folder / "progress" / device / f"{at:%Y}.toml", []).append(record)
    for path, records in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {"schema": 3, "device": path.parent.name, "events": records}
        path.write_text(tomli_w.dumps(body))


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
    write_history(data, events, devices=1)
    return Workload("small", data, None, free, used[0], "machine learning")


def generated_catalogue(work: Path, rng: random.Random, *, items: int, name: str) -> Path:
    """Write a catalogue of ``items`` items in sections of 100; every tenth needs the one before."""
    sections = [
        {"id": f"section-{s:03d}", "title": f"Section {s}"} for s in range(max(1, items // 100))
    ]
    entries = []
    for n in range(items):
        item: dict[str, object] = {
            "id": f"item-{n:05d}",
            "section": f"section-{n // 100:03d}",
            "title": f"Generated item number {n} about machine learning",
            "kind": rng.choice(KINDS),
            "summary": f"A generated item for the benchmark, number {n}.",
            "effort": rng.randint(5, 600),
            "url": f"https://example.org/items/{n}",
        }
        if n % 10 == 5:
            item["requires"] = [f"item-{n - 1:05d}"]
        entries.append(item)
    catalogue = {
        "catalogue": {"id": name, "title": f"Benchmark {name}", "version": "1"},
        "sections": sections,
        "items": entries,
    }
    path = work / f"{name}-catalogue.toml"
    path.write_text(tomli_w.dumps(catalogue))
    return path


def events_workload(
    work: Path, rng: random.Random, *, name: str, items: int, events: int
) -> Workload:
    """Return a generated catalogue with ``events`` events from five devices; 100 items free."""
    catalogue = generated_catalogue(work, rng, items=items, name=name)
    used = [f"item-{n:05d}" for n in range(items - 100)]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    step = max(1, (6 * 365 * 24 * 60) // events)  # spread over six years of months
    records = [
        event(n, name, rng.choice(used), rng.choice(ACTIONS), start + timedelta(minutes=step * n))
        for n in range(events)
    ]
    data = work / name
    write_history(data, records, devices=DEVICES)
    fresh = [f"item-{n:05d}" for n in range(items - 100, items)]
    return Workload(name, data, catalogue, fresh, used[0], "machine learning 42")


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


class EmptiedCache:
    """Before a run, remove the whole read cache: every file is parsed and validated again."""

    def __init__(self, folder: Path) -> None:
        """Empty ``folder`` before each run."""
        self.folder = folder

    def __call__(self) -> None:
        """Remove the cache folder."""
        shutil.rmtree(self.folder, ignore_errors=True)


class SyncedFile:
    """Before a run, add an event to another device's newest file, as a sync brings it in.

    Each run finds one changed file, one event longer: its events and every derived answer
    must be worked out again, from the cache where they can be.
    """

    def __init__(self, data_dir: Path) -> None:
        """Pick the newest file of the last device in ``data_dir``."""
        folder = data_dir / "mlops-path" / "progress" / f"bench-{DEVICES - 1}"
        self.path = max(folder.glob("*.toml")) if folder.is_dir() else None
        self.count = 0

    def __call__(self) -> None:
        """Append one event, recorded now, in the form mlops-path writes."""
        if self.path is None:
            return
        self.count += 1
        at = datetime.now(UTC).isoformat(sep=" ", timespec="microseconds")
        event = (
            f'\n[[events]]\nid = "synced{self.count:08d}"\ncatalogue = "x"\n'
            f'item = "synced"\naction = "note"\nat = {at}\nnote = "from a sync"\n'
        )
        with self.path.open("a", encoding="utf-8") as file:
            file.write(event)


class EditedFile:
    """Before a run, change the first note of another device's oldest file, as a hand edit.

    A change that is not a later event: that file is read again, and the states are derived
    from the whole history, its other files' events coming from the cache.
    """

    def __init__(self, data_dir: Path) -> None:
        """Pick the oldest file of the second device in ``data_dir``."""
        folder = data_dir / "mlops-path" / "progress" / "bench-1"
        self.path = min(folder.glob("*.toml")) if folder.is_dir() else None

    def __call__(self) -> None:
        """Add a mark to the first note, or take it away again."""
        if self.path is None:
            return
        text = self.path.read_text(encoding="utf-8")
        marked, plain = 'note = "edited by hand: ', 'note = "'
        edited = (
            text.replace(marked, plain, 1) if marked in text else text.replace(plain, marked, 1)
        )
        self.path.write_text(edited, encoding="utf-8")


Prepare = EmptiedCache | SyncedFile | EditedFile


def commands(
    bin_dir: Path, workload: Workload
) -> dict[str, tuple[list[str], dict[str, str], Prepare | None]]:
    """Return each measured command: argv, environment, and what to do before each run.

    The cold cases prepare their run: the whole read cache removed (the worst case), or one
    file of another device changed, as after a sync (an event added: only that file is read
    again) or a hand edit (an old note changed: that file, and the states from the whole
    history, its other files from the cache).
    """
    # Paths come from XDG variables, as for a user: platformdirs runs as it does for them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLOPS_PATH")}
    env["XDG_DATA_HOME"] = str(workload.data_dir)
    env["XDG_CACHE_HOME"] = str(workload.data_dir / "cache")
    env["XDG_STATE_HOME"] = str(workload.data_dir / "state")
    env["XDG_CONFIG_HOME"] = str(workload.data_dir / "config")
    env["MLOPS_PATH_DEVICE"] = "bench-0"
    if workload.catalogue:
        env["MLOPS_PATH_CATALOGUE"] = str(workload.catalogue)
    cold_cache = workload.data_dir / "cold-cache"
    cold = {**env, "XDG_CACHE_HOME": str(cold_cache)}
    mlops = str(bin_dir / "mlops-path")
    python = str(bin_dir / "python")
    completion = {
        **env,
        "_MLOPS_PATH_COMPLETE": "complete_bash",
        "COMP_WORDS": "mlops-path done it" if workload.catalogue else "mlops-path done ml",
        "COMP_CWORD": "2",
    }
    base: dict[str, tuple[list[str], dict[str, str], Prepare | None]] = {
        "python -c pass": ([python, "-c", "pass"], env, None),
        "floor": ([python, str(FLOOR)], env, None),
        "next": ([mlops, "next"], env, None),
        "done ID": ([mlops, "done", "{fresh}"], env, None),
        "next, cold cache": ([mlops, "next"], cold, EmptiedCache(cold_cache)),
    }
    if workload.name in ("large", "huge"):
        base["next, after a sync"] = ([mlops, "next"], env, SyncedFile(workload.data_dir))
        base["next, after a hand edit"] = ([mlops, "next"], env, EditedFile(workload.data_dir))
    if workload.name == "huge":
        return base
    if workload.name == "xl":
        return {
            **base,
            "stats": ([mlops, "stats"], env, None),
            "list --json": ([mlops, "list", "--json"], env, None),
        }
    return {
        **base,
        "list --json": ([mlops, "list", "--json"], env, None),
        "stats": ([mlops, "stats"], env, None),
        "log": ([mlops, "log"], env, None),
        "log --json --all": ([mlops, "log", "--json", "--all"], env, None),
        "show ID": ([mlops, "show", workload.shown_item], env, None),
        "search": ([mlops, "search", *workload.search_words.split()], env, None),
        "undo --list": ([mlops, "undo", "--list"], env, None),
        "export": ([mlops, "export"], env, None),
        "doctor": ([mlops, "doctor"], env, None),
        "--help": ([mlops, "--help"], env, None),
        "complete ids": ([mlops], completion, None),
    }


def measure(
    bin_dir: Path, workloads: dict[str, Workload], runs: dict[str, int], rng: random.Random
) -> dict[str, dict[str, list[Sample]]]:
    """Run every command of every workload, all interleaved in a fresh random order each round.

    The machine's speed drifts over minutes; measured in the same rounds, every workload
    meets the same drift, and a ratio across two workloads is a ratio of their medians. A
    workload with fewer runs (huge) takes part in rounds spread over the run.
    """
    tables = {size: commands(bin_dir, workload) for size, workload in workloads.items()}
    fresh = {size: iter(workload.fresh_items) for size, workload in workloads.items()}
    samples: dict[str, dict[str, list[Sample]]] = {
        size: {name: [] for name in table} for size, table in tables.items()
    }
    for size, table in tables.items():  # one warm-up each: page cache, .pyc, caches
        for argv, env, _prepare in table.values():
            run_once([next(fresh[size]) if a == "{fresh}" else a for a in argv], env)
    rounds = max(runs.values())
    for round_ in range(rounds):
        order = [
            (size, name)
            for size, table in tables.items()
            # Spread n runs over the rounds: one in each stretch of rounds / n.
            if round_ * runs[size] // rounds != (round_ + 1) * runs[size] // rounds
            for name in table
        ]
        rng.shuffle(order)
        for size, name in order:
            argv, env, prepare = tables[size][name]
            if prepare is not None:
                prepare()
            argv = [next(fresh[size]) if a == "{fresh}" else a for a in argv]
            samples[size][name].append(run_once(argv, env))
    return samples


def cold_phases(bin_dir: Path, workload: Workload) -> dict[str, float]:
    """Return the median ms of each phase of a cold read of ``workload``, in one process."""
    result = subprocess.run(
        [
            str(bin_dir / "python"),
            str(COLD_PHASES),
            str(workload.data_dir / "mlops-path"),
            workload.name,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    phases: dict[str, float] = json.loads(result.stdout)["phases"]
    return phases


def phases_report(phases: dict[str, float], *, median: dict[str, dict[str, float]]) -> list[str]:
    """Return where the huge workload's cold start goes, against what its budget leaves."""
    limit = BUDGETS[("huge", "next, cold cache")][1]
    margin = limit * median["small"]["next"] - median["huge"]["next"]
    total = sum(phases.values())
    lines = [
        "### huge: where a cold `next` goes",
        "",
        "Each phase of reading the whole history, timed in one process with the package's own"
        " functions (benchmarks/cold_phases.py, median of 5), each on the previous one's output."
        f" The budget leaves {margin:.0f} ms over a warm `next` for all of them:"
        f" {limit:g} x small `next` minus warm `next` on this workload.",
        "",
        "| phase | median ms | of that margin |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {ms:.0f} | {ms / margin:.0%} |" for name, ms in phases.items()]
    lines += [f"| all of them | {total:.0f} | {total / margin:.0%} |", ""]
    return lines


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


def report(
    results: dict[str, dict[str, list[Sample]]],
    bin_dir: Path,
    runs: dict[str, int],
    phases: dict[str, float] | None = None,
) -> str:
    """Return the results as markdown, with every budget checked."""
    counts = ", ".join(f"{size} {n}" for size, n in runs.items())
    lines = [
        "## Latest run",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} by `python benchmarks/run.py`"
        f" on {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}.",
        f"{versions(bin_dir)}. Each figure is the median of whole-process runs (runs per workload:"
        f" {counts}), the commands of every workload interleaved in one random order each"
        " round; output piped."
        " `floor` is benchmarks/floor_app.py (Typer + pydantic + tomllib, one command).",
        "",
    ]
    failures = []
    median = {
        size: {name: statistics.median(s.ms for s in samples) for name, samples in table.items()}
        for size, table in results.items()
    }
    small = median.get("small", {})
    # Every workload runs the floor in the same rounds: its runs are alike wherever they fall,
    # and this machine's times come in two modes, so the floor is the median of all of them.
    floor_runs = [s.ms for table in results.values() for s in table["floor"]]
    floor = statistics.median(floor_runs)
    lines += [
        f"The floor, against which every `x floor` is taken: {floor:.1f} ms, the median of its"
        f" {len(floor_runs)} runs in every workload's rounds.",
        "",
    ]
    for size, samples in results.items():
        lines += [
            f"### {size}",
            "",
            "| command | median ms | x floor | x own small | peak MB | budget |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for name, runs_of in samples.items():
            ms = median[size][name]
            peak = max(s.rss_mb for s in runs_of)
            own = ms / small[name] if size != "small" and name in small else None
            verdict = ""
            if (size, name) in BUDGETS:
                against, limit = BUDGETS[(size, name)]
                base = {
                    "floor": floor,
                    "own small": small.get(name),
                    "small next": small.get("next"),
                }[against]
                ratio = ms / base if base else float("inf")
                ok = ratio <= limit and peak < MEMORY_BUDGET_MB[size]
                verdict = (
                    f"{'met' if ok else 'MISSED'}: {ratio:.2f} x {against} <= {limit},"
                    f" < {MEMORY_BUDGET_MB[size]} MB"
                )
                if not ok:
                    failures.append(f"{size} {name}")
            elif peak >= MEMORY_BUDGET_MB[size] and name not in ("floor", "python -c pass"):
                verdict = f"MISSED: peak >= {MEMORY_BUDGET_MB[size]} MB"
                failures.append(f"{size} {name} (memory)")
            own_text = f"{own:.2f}" if own is not None else ""
            lines.append(
                f"| `{name}` | {ms:.1f} | {ms / floor:.2f} | {own_text} | {peak:.1f} | {verdict} |"
            )
        lines.append("")
        if size == "huge" and phases and "small" in median:
            lines += phases_report(phases, median=median)
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
        search_words=data["search_words"],
    )


def main() -> int:
    """Generate a workload (internal), or run the whole benchmark."""
    if len(sys.argv) == 4 and sys.argv[1] == "--generate":
        size, work = sys.argv[2], Path(sys.argv[3])
        rng = random.Random(size)
        builders = {
            "small": lambda: small_workload(work, rng),
            "large": lambda: events_workload(work, rng, name="large", items=2000, events=20_000),
            "xl": lambda: events_workload(work, rng, name="xl", items=20_000, events=200),
            "huge": lambda: events_workload(work, rng, name="huge", items=2000, events=200_000),
        }
        workload = builders[size]()
        print(
            json.dumps(
                {
                    "name": workload.name,
                    "data_dir": str(workload.data_dir),
                    "catalogue": str(workload.catalogue) if workload.catalogue else None,
                    "fresh_items": workload.fresh_items,
                    "shown_item": workload.shown_item,
                    "search_words": workload.search_words,
                }
            )
        )
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", choices=["small", "large", "xl", "huge"])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--huge-runs", type=int, default=3)
    parser.add_argument("-o", "--output", type=Path)
    options = parser.parse_args()
    if not 5 <= options.runs <= 24:
        parser.error("--runs must be from 5 to 24 (the small path has 25 items to mark done)")
    if not 1 <= options.huge_runs <= options.runs:
        parser.error("--huge-runs must be from 1 to --runs (huge runs in some of its rounds)")
    rng = random.Random(20261126)
    work = Path(tempfile.mkdtemp(prefix="mlops-path-bench-"))
    runs: dict[str, int] = {}
    phases: dict[str, float] | None = None
    try:
        bin_dir = build_venv(work)
        sizes = options.size or ["small", "large", "xl", "huge"]
        workloads = {size: generate_in_child(size, work) for size in sizes}
        runs = {size: options.huge_runs if size == "huge" else options.runs for size in sizes}
        results = measure(bin_dir, workloads, runs, rng)
        if "huge" in workloads:
            phases = cold_phases(bin_dir, workloads["huge"])
        text = report(results, bin_dir, runs, phases)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if options.output:
        write_results(options.output, text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
