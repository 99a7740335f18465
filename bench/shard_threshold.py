"""Where sharing regions out among worker processes starts to pay: `--jobs 1` against `--jobs 2`.

    python bench/shard_threshold.py [--regions 25 50 100 200] [--runs 5]

For national-like files of a few sizes (bench/make_national.py with fewer regions), times
`gaps --each-region --format json` on one process and on two, with the size limit of
ipreport.regions.shards lifted so that both run whatever the size; prints the best of ``--runs`` runs.
ipreport.regions.shards.MIN_SHARED_BYTES is set from this.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The CLI with the size limit lifted, so that --jobs 2 shares out even a small file.
UNLIMITED = (
    "from ipreport.regions import shards; shards.MIN_SHARED_BYTES = 0; from ipreport.cli import cli; cli()"
)


def best_of(command: list[str], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    print("| regions | CSV size | --jobs 1 | --jobs 2 | ratio |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="ipreport-threshold-") as scratch:
        for regions in options.regions:
            folder = Path(scratch) / str(regions)
            subprocess.run([sys.executable, str(HERE / "make_national.py"), str(folder), "--regions",
                            str(regions), "--no-xlsx"], check=True, capture_output=True)
            stats = folder / "national.csv"
            command = [sys.executable, "-c", UNLIMITED, "gaps", str(folder / "national-plan.toml"),
                       "--stats", str(stats), "--each-region", "--format", "json"]
            one = best_of([*command, "--jobs", "1"], options.runs)
            two = best_of([*command, "--jobs", "2"], options.runs)
            size = stats.stat().st_size / 1e6
            print(f"| {regions} | {size:.2f} MB | {one:.3f} s | {two:.3f} s | {one / two:.2f}× |", flush=True)


if __name__ == "__main__":
    main()
