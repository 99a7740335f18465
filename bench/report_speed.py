"""Time `report --no-charts` alone and in a batch, against `python -c 'import click'`, in turn.

A lighter companion of run.py's items 2 and 4, for working on the report's speed: every round runs
each command once, in turn, so that a busy moment of a shared machine falls on all alike, and the
medians are compared. ``--other DIR`` adds the same commands run from another checkout of ipreport
(say ``git archive main | tar -x -C /tmp/main``), to compare before and after in the same minute.
Wall time and CPU time (user + system of the child) are both shown.

    python bench/report_speed.py [--regions N] [--runs N] [--other DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import write_subset  # noqa: E402 - run.py's subset of the national set


def timed(command: list[str], source: Path, cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command`` with ipreport imported from ``source``; a batch
    writes into an empty folder each time, as run.py's does."""
    if "--out-dir" in command:
        out = Path(command[command.index("--out-dir") + 1])
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(source)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed ipreport starts from byte-compiled modules
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def small_set(folder: Path, regions: int) -> tuple[Path, Path]:
    """The plan and a CSV of ``regions`` regions: run.py's subset of bench/data if it is there, else
    a set of that size from make_national.py."""
    data = HERE / "data"
    plan, national = data / "national-plan.toml", data / "national.csv"
    if plan.is_file() and national.is_file():
        subset = folder / f"national-{regions}.csv"
        write_subset(national, subset, regions)
        return plan, subset
    subprocess.run([sys.executable, str(HERE / "make_national.py"), str(folder), "--regions", str(regions),
                    "--no-xlsx"], check=True, stdout=subprocess.DEVNULL)
    return folder / "national-plan.toml", folder / "national.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=60, help="regions of the batch")
    parser.add_argument("--runs", type=int, default=7, help="rounds (medians)")
    parser.add_argument("--other", type=Path, help="another checkout of ipreport to compare with")
    options = parser.parse_args()
    checkouts = {"this": ROOT}
    if options.other is not None:
        checkouts["other"] = options.other.resolve()
    with tempfile.TemporaryDirectory(prefix="ipreport-speed-") as scratch:
        work = Path(scratch)
        os.environ["IPREPORT_CACHE_DIR"] = str(work / "cache")
        plan, source = small_set(work, options.regions)
        example = ["jilin-2016", "--stats", str(ROOT / "examples" / "jilin" / "statistics.csv")]
        python = [sys.executable]
        commands: dict[str, tuple[list[str], Path]] = {
            "import click": ([*python, "-c", "import click"], ROOT),
        }
        for name, checkout in checkouts.items():
            subprocess.run([*python, "-m", "compileall", "-q", str(checkout / "ipreport")], check=True)
            commands[f"report ({name})"] = (
                [*python, "-m", "ipreport", "report", *example, "--no-charts", "-o",
                 str(work / f"{name}.docx")],
                checkout,
            )
            out = work / f"batch-{name}"
            commands[f"batch ({name})"] = (
                [*python, "-m", "ipreport", "report", str(plan), "--stats", str(source), "--each-region",
                 "--no-charts", "--out-dir", str(out)],
                checkout,
            )
        for command, checkout in commands.values():  # the first run of each prepares its caches
            timed(command, checkout, work)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(options.runs):
            for name, (command, checkout) in commands.items():
                results[name].append(timed(command, checkout, work))
    click_wall = statistics.median(wall for wall, _ in results["import click"])
    print(f"load average {', '.join(f'{load:.2f}' for load in os.getloadavg())}; medians of {options.runs}")
    for name, timings in results.items():
        wall = statistics.median(w for w, _ in timings)
        cpu = statistics.median(c for _, c in timings)
        line = (f"{name:16} wall {wall * 1000:7.0f} ms  cpu {cpu * 1000:7.0f} ms  "
                f"{wall / click_wall:5.2f}x click")
        if name.startswith("batch"):
            line += f"  {options.regions / wall:5.1f} reports/s"
        print(line)
    if options.other is not None:  # the change itself, free of the baseline's own variation
        for what in ("report", "batch"):
            mine = statistics.median(w for w, _ in results[f"{what} (this)"])
            theirs = statistics.median(w for w, _ in results[f"{what} (other)"])
            print(f"{what}: this checkout takes {mine / theirs:.2f}x the other's wall time")


if __name__ == "__main__":
    main()
