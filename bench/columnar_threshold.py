"""Where the columnar engine starts to pay: gaps --each-region --format json with and without it.

    python bench/columnar_threshold.py [REGIONS ...]     (default: 25 50 100 200 400)

For each size a national set (bench/make_national.py) is written to a temporary folder and the
command runs three times each way, in turn (medians); the engine forced on (MIN_COLUMNAR_BYTES = 0),
then with polars hidden (the Python path).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORCED = ("import sys; import ipreport.regions.run as r; r.MIN_COLUMNAR_BYTES = 0; "
          "from ipreport.cli import main; sys.argv[0] = 'ipreport'; main()")
WITHOUT = ("import sys; sys.modules['polars'] = None; from ipreport.cli import main; "
           "sys.argv[0] = 'ipreport'; main()")


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [25, 50, 100, 200, 400]
    with tempfile.TemporaryDirectory() as scratch:
        for regions in sizes:
            folder = Path(scratch) / str(regions)
            subprocess.run([sys.executable, str(HERE / "make_national.py"), str(folder), "--regions",
                            str(regions), "--no-xlsx"], check=True, stdout=subprocess.DEVNULL)
            args = ["gaps", str(folder / "national-plan.toml"), "--stats", str(folder / "national.csv"),
                    "--each-region", "--format", "json"]
            times: dict[str, list[float]] = {"engine": [], "python": []}
            for _ in range(3):
                for name, code in (("engine", FORCED), ("python", WITHOUT)):
                    start = time.perf_counter()
                    subprocess.run([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL, check=True)
                    times[name].append(time.perf_counter() - start)
            engine, python = statistics.median(times["engine"]), statistics.median(times["python"])
            size = (folder / "national.csv").stat().st_size / 1e6
            print(f"{regions:5d} regions, {size:5.2f} MB: engine {engine:.2f} s, Python path {python:.2f} s, "
                  f"Python/engine {python / engine:.2f}")


if __name__ == "__main__":
    main()
