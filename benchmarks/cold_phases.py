"""Time each phase of reading a whole history cold, in one process: where a cold start goes.

Run by benchmarks/run.py with the installed wheel, on a workload's data folder:

    python benchmarks/cold_phases.py DATA_DIR CATALOGUE_ID

It prints JSON: the median milliseconds of each phase over five rounds, and the event count.
The phases are those of the history in a cold ``next``, each on the previous one's output,
with the package's own functions: no phase is a stand-in. Loading the catalogue, working out
the standing and writing the cache back are not timed here.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mlops_path.events import read_columns
from mlops_path.ledger import Ledger

ROUNDS = 5


def main() -> int:
    """Time the phases of a cold read of the history in ``sys.argv[1]``."""
    data_dir, catalogue_id = Path(sys.argv[1]), sys.argv[2]
    paths = sorted((data_dir / "progress").glob("*/*.toml"))
    times: dict[str, list[float]] = {}

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        """Note the time the block takes under ``name``."""
        start = time.perf_counter()
        yield
        times.setdefault(name, []).append((time.perf_counter() - start) * 1000)

    count = 0
    for _ in range(ROUNDS):
        gc.disable()  # as the package does while it reads (cache.bulk_reading)
        with phase("read the files"):
            data = [path.read_bytes() for path in paths]
        with phase("decode and check them (one regex pass)"):
            columns = [
                read_columns(file, path=path) for file, path in zip(data, paths, strict=True)
            ]
        with phase("merge their columns"):
            ledger = Ledger(columns)
        with phase("put the events in recording order"):
            ledger.order  # noqa: B018 (a cached property: this computes it)
        with phase("replay the states"):
            ledger.states(catalogue_id=catalogue_id)
        count = len(ledger.ids)
        gc.enable()
    medians = {name: statistics.median(ms) for name, ms in times.items()}
    print(json.dumps({"events": count, "phases": medians}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
