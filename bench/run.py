"""Time ipreport on the synthetic national set, side by side with references; write bench/RESULTS.md.

    python bench/run.py [--data DIR] [--runs N] [--heavy-runs N]

References (pip install '.[bench]'): lean pandas, polars and DuckDB scripts computing the same
statuses (bench/reference_*.py); ipreport runs with its columnar engine (polars installed) and
without it (polars hidden from it), in turn with the references.

Every command runs as a child process of a small launcher (see LAUNCHER); its wall time is measured
around it and its peak memory is the ru_maxrss that os.wait4 reports for it (the largest single
process, workers included).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SUBSET_REGIONS = 300
XLSX_REGIONS = 500  # 200,000 rows in the .xlsx timed against openpyxl
# Charts cost seconds per report (one figure per target): a smaller subset keeps a run within minutes.
CHART_REGIONS = 20


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mb: float


# Starts one command and reports its wall time and peak memory. A child's ru_maxrss counts the
# memory it had as a fork of its parent before exec: children forked by run.py itself (which holds
# the national file's subsets and the results) would all report at least run.py's size. This small
# process (no site packages) forks the command instead, so each figure is the command's own.
LAUNCHER = """
import os, sys, time
report, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(command[0], command)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(report, "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(command: list[str], *, stdout: Path | None = None, cwd: Path = ROOT) -> Timing:
    """Run ``command`` to completion through the launcher; fail loudly if it fails."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(stdout or os.devnull, "wb") as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "usage"
        launcher = [sys.executable, "-S", "-c", LAUNCHER, str(report), *command]
        process = subprocess.run(launcher, stdout=out, stderr=err, cwd=cwd, env=env, check=False)
        if process.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err.read().decode()}")
        seconds, max_rss_kb = report.read_text().split()
    return Timing(float(seconds), int(max_rss_kb) / 1024)


def median_of(command: list[str], runs: int) -> Timing:
    return median([run(command) for _ in range(runs)])


def median(timings: list[Timing]) -> Timing:
    """The median wall time and the largest peak memory of several runs of one command."""
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mb for t in timings))


def ipreport(*args: str) -> list[str]:
    return [sys.executable, "-m", "ipreport", *args]


# ipreport as a user without the `fast` extra runs it: `import polars` fails, the Python path runs.
WITHOUT_POLARS = (
    "import sys; sys.modules['polars'] = None; from ipreport.cli import main; "
    "sys.argv[0] = 'ipreport'; main()"
)


def ipreport_without_polars(*args: str) -> list[str]:
    return [sys.executable, "-c", WITHOUT_POLARS, *args]


XLSX_READ = """
import sys, time
path, what = sys.argv[1], sys.argv[2]
if what == "openpyxl":
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
else:
    from ipreport.statistics.read import read_statistics
    rows = len(read_statistics(path).observations)
assert rows == int(sys.argv[3]), rows
"""


REFERENCES = ("pandas", "polars", "duckdb")


def ensure_workbook(folder: Path) -> Path:
    """The .xlsx of bench/make_national.py with XLSX_REGIONS regions (written once; it takes a minute)."""
    target = folder / f"xlsx-{XLSX_REGIONS}"
    if not (target / "national.xlsx").is_file():
        subprocess.run([sys.executable, str(HERE / "make_national.py"), str(target), "--regions",
                        str(XLSX_REGIONS)], check=True)
    return target / "national.xlsx"


def ensure_data(folder: Path) -> None:
    if not (folder / "national.csv").is_file() or not (folder / "national-plan.toml").is_file():
        subprocess.run([sys.executable, str(HERE / "make_national.py"), str(folder), "--no-xlsx"], check=True)


def write_subset(source: Path, target: Path, regions: int) -> None:
    """The first ``regions`` regions of the national CSV (its rows are grouped by region)."""
    kept: list[str] = []
    seen: set[str] = set()
    with source.open(encoding="utf-8") as handle:
        kept.append(next(handle))
        for line in handle:
            region = line.split(",", 1)[0]
            if region not in seen:
                if len(seen) == regions:
                    break
                seen.add(region)
            kept.append(line)
    target.write_text("".join(kept), encoding="utf-8")


def machine(load_at_start: tuple[float, float, float]) -> list[str]:
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal")),
        "0",
    )
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (nproc)",
        f"- Memory: {int(memory) / 1024 / 1024:.1f} GiB",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        "- Load average (1, 5, 15 min; the machine may be shared) at the start: "
        + ", ".join(f"{load:.2f}" for load in load_at_start)
        + "; when the results were written: "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg()),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--runs", type=int, default=7, help="runs of the quick commands (median)")
    parser.add_argument("--heavy-runs", type=int, default=3,
                        help="runs of item 1, ipreport and pandas in turn (median)")
    options = parser.parse_args()
    load_at_start = os.getloadavg()
    data: Path = options.data.resolve()
    ensure_data(data)
    plan, national = data / "national-plan.toml", data / "national.csv"
    subset = data / f"national-{SUBSET_REGIONS}.csv"
    write_subset(national, subset, SUBSET_REGIONS)
    rows = sum(1 for _ in national.open(encoding="utf-8")) - 1
    results: list[tuple[str, str, Timing]] = []
    with tempfile.TemporaryDirectory(prefix="ipreport-bench-") as scratch:
        work = Path(scratch)
        # 1. every region of the national file, against the references: turn about, so that a busy
        # moment of a shared machine falls on all alike, and the median of each
        commands = {
            "ipreport": ipreport("gaps", str(plan), "--stats", str(national), "--each-region",
                                 "--format", "json"),
            "ipreport-python": ipreport_without_polars("gaps", str(plan), "--stats", str(national),
                                                       "--each-region", "--format", "json"),
            **{name: [sys.executable, str(HERE / f"reference_{name}.py"), str(plan), str(national),
                      "--out", str(work / f"{name}.json")] for name in REFERENCES},
        }
        heavy: dict[str, list[Timing]] = {name: [] for name in commands}
        for _ in range(options.heavy_runs):
            for name, command in commands.items():
                out = work / f"{name}.json" if name.startswith("ipreport") else None
                heavy[name].append(run(command, stdout=out))
        national_times = {name: median(timings) for name, timings in heavy.items()}
        same = (work / "ipreport.json").read_bytes() == (work / "ipreport-python.json").read_bytes()
        assert same, "the columnar engine and the Python path wrote different JSON"
        # Compared in a child process, so that run.py stays small.
        run([sys.executable, str(HERE / "reference_pandas.py"), str(plan), str(national),
             "--check", str(work / "ipreport.json")])
        labels = {
            "ipreport": f"`ipreport gaps --each-region --format json`, {rows:,} rows, columnar engine",
            "ipreport-python": "the same without polars (the Python path, one process)",
            "pandas": "lean pandas reference (bench/reference_pandas.py), same statuses",
            "polars": "polars reference (bench/reference_polars.py), same statuses",
            "duckdb": "DuckDB reference (bench/reference_duckdb.py), same statuses",
        }
        results += [("1", labels[name], timing) for name, timing in national_times.items()]
        # 2, 3. one report per region
        reports = {}
        chart_subset = data / f"national-{CHART_REGIONS}.csv"
        write_subset(national, chart_subset, CHART_REGIONS)
        for label, source, count, extra in (("2", subset, SUBSET_REGIONS, ["--no-charts"]),
                                            ("3", chart_subset, CHART_REGIONS, [])):
            out = work / f"reports-{label}"
            out.mkdir()
            timing = run(ipreport("report", str(plan), "--stats", str(source), "--each-region",
                                  "--out-dir", str(out), *extra))
            written = len(list(out.iterdir()))
            assert written == count, f"{written} reports written"
            reports[label] = count / timing.seconds
            what = "without charts" if extra else "with charts"
            command = f"`ipreport report --each-region` {what}, {count} regions (.docx)"
            results.append((label, command, timing))
        # 4. start-up, against importing click alone. An installed ipreport starts from byte-compiled
        # modules (pip compiles them, as it did click's); run from this checkout with
        # PYTHONDONTWRITEBYTECODE set, every start would compile all of ipreport's sources again.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ipreport")], check=True)
        example = ["jilin-2016", "--stats", str(ROOT / "examples" / "jilin" / "statistics.csv")]
        startup = {
            "pass": median_of([sys.executable, "-c", "pass"], options.runs),
            "click": median_of([sys.executable, "-c", "import click"], options.runs),
            "help": median_of(ipreport("--help"), options.runs),
            "gaps": median_of(ipreport("gaps", *example), options.runs),
            "report": median_of(ipreport("report", *example, "--no-charts", "-o", str(work / "r.docx")),
                                options.runs),
        }
        results.append(("4", "`python -c pass`", startup["pass"]))
        results.append(("4", "`python -c 'import click'`", startup["click"]))
        results.append(("4", "`ipreport --help`", startup["help"]))
        results.append(("4", "`ipreport gaps jilin-2016 --stats examples/jilin/statistics.csv`",
                        startup["gaps"]))
        results.append(("4", "`ipreport report jilin-2016 ... --no-charts` (.docx)", startup["report"]))
        # 5. a 200,000-row .xlsx: ipreport's reader against one read-only openpyxl pass, in turn
        book = ensure_workbook(data)
        book_rows = XLSX_REGIONS * 40 * 10
        reads: dict[str, list[Timing]] = {"openpyxl": [], "ipreport": []}
        for _ in range(options.heavy_runs):
            for name in reads:
                reads[name].append(run([sys.executable, "-c", XLSX_READ, str(book), name, str(book_rows)]))
        xlsx_times = {name: median(timings) for name, timings in reads.items()}
        results.append(("5", f"one read-only openpyxl pass over a {book_rows:,}-row .xlsx",
                        xlsx_times["openpyxl"]))
        results.append(("5", "ipreport's reader (python-calamine) on the same .xlsx", xlsx_times["ipreport"]))
    write_results(results, national_times, reports, startup, xlsx_times, rows, options, load_at_start)
    print((HERE / "RESULTS.md").read_text(encoding="utf-8"))


def write_results(
    results: list[tuple[str, str, Timing]],
    national: dict[str, Timing],
    reports: dict[str, float],
    startup: dict[str, Timing],
    xlsx: dict[str, Timing],
    rows: int,
    options: argparse.Namespace,
    load_at_start: tuple[float, float, float],
) -> None:
    import pendulum

    when = pendulum.now("Asia/Shanghai").format("YYYY-MM-DD HH:mm zz")
    ours = national["ipreport"]

    def ratio(name: str) -> str:
        return f"{ours.seconds / national[name].seconds:.2f}×"

    lines = [
        "# Benchmark results",
        "",
        "Written by `python bench/run.py` (do not edit by hand); data from `bench/make_national.py`",
        f"({rows:,} rows: 3,000 regions × 40 indicators × 10 years), run on {when}.",
        "",
        *machine(load_at_start),
        "",
        "| item | command | wall time | peak RSS |",
        "|---|---|---:|---:|",
        *(f"| {item} | {what} | {t.seconds:.3f} s | {t.peak_mb:.0f} MB |" for item, what, t in results),
        "",
        "## Ratios (all from this run)",
        "",
        f"- Item 1 (medians of {options.heavy_runs} runs each, the five commands in turn; the JSON of both "
        "ipreport paths is the same bytes and every status equals pandas'): ipreport with its columnar "
        f"engine / lean pandas = **{ratio('pandas')}** (target ≤ 1.0×); / polars = {ratio('polars')}; "
        f"/ DuckDB = {ratio('duckdb')}; without polars (the Python path) / lean pandas = "
        f"{national['ipreport-python'].seconds / national['pandas'].seconds:.2f}×; the engine is "
        f"{national['ipreport-python'].seconds / ours.seconds:.2f}× faster than the Python path. "
        f"Peak memory {ours.peak_mb:.0f} MB with the engine, "
        f"{national['ipreport-python'].peak_mb:.0f} MB without.",
        f"- Item 2: **{reports['2']:.1f} reports/s** without charts (target ≥ 30); "
        f"item 3: {reports['3']:.2f} reports/s with charts (target ≥ 5).",
        f"- Item 4 (medians of {options.runs} runs): `ipreport gaps` on the example = "
        f"**{startup['gaps'].seconds / startup['click'].seconds:.2f}×** `python -c 'import click'` "
        "(target ≤ 2×); `report --no-charts` = "
        f"**{startup['report'].seconds / startup['click'].seconds:.2f}×** (target ≤ 3.5×); "
        f"`ipreport --help` {startup['help'].seconds * 1000:.0f} ms.",
        f"- Item 5 (medians of {options.heavy_runs} runs, in turn): reading the .xlsx = "
        f"**{xlsx['ipreport'].seconds / xlsx['openpyxl'].seconds:.2f}×** one openpyxl pass (target ≤ 0.2×).",
        "",
        "Peak RSS is the largest single process (for `report`, the parent or one worker), each command",
        "started from a small launcher so that it does not count run.py's own memory.",
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
