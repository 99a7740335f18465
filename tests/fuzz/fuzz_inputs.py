"""Fuzz the statistics reader and the plan loader: any bytes either load or raise ipreport's own error.

Run with atheris (coverage-guided), for example::

    PYTHONPATH=. python tests/fuzz/fuzz_inputs.py -runs=1000000 -max_len=4096 /tmp/fuzz-corpus tests/fuzz/seeds

Set IPREPORT_FUZZ_FINDINGS=/tmp/fuzz-findings to log findings there and keep going.

The first byte of an input picks the target (CSV statistics, .xlsx statistics, plan file); the rest
is the file. Any exception other than IpreportError is a finding: atheris stops and saves the input.
tests/test_fuzz.py runs the same checks for a bounded number of hypothesis examples in CI.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

TARGETS = ("stats.csv", "stats.xlsx", "plan.toml")


def _read_statistics(path: Path) -> object:
    from ipreport.statistics.read import read_statistics

    return read_statistics(path)


def _load_plan(path: Path) -> object:
    from ipreport.plans.load import load_plans

    return load_plans([path])


READERS: dict[str, Callable[[Path], object]] = {
    "stats.csv": _read_statistics,
    "stats.xlsx": _read_statistics,
    "plan.toml": _load_plan,
}


def check(folder: Path, name: str, data: bytes) -> None:
    """Write ``data`` as ``folder/name`` and read it; only IpreportError may escape as a refusal."""
    from ipreport.errors import IpreportError

    path = folder / name
    path.write_bytes(data)
    try:
        READERS[name](path)
    except IpreportError:
        pass


def one_input(folder: Path, data: bytes, findings: Path | None = None) -> None:
    """The atheris entry: the first byte chooses the target, the rest is the file's content.

    With ``findings`` (a folder), an unexpected exception is recorded there and the run goes on,
    so that one long run collects every kind of finding instead of stopping at the first.
    """
    if not data:
        return
    try:
        check(folder, TARGETS[data[0] % len(TARGETS)], data[1:])
    except Exception:
        if findings is None:
            raise
        digest = hashlib.sha1(data).hexdigest()[:16]
        (findings / f"input-{digest}").write_bytes(data)
        last = traceback.format_exc().strip().splitlines()[-1]
        with (findings / "findings.log").open("a", encoding="utf-8") as log:
            log.write(f"input-{digest}\t{TARGETS[data[0] % len(TARGETS)]}\t{last}\n")


def main() -> None:
    import atheris

    with atheris.instrument_imports():
        import ipreport.plans.load  # noqa: F401
        import ipreport.statistics.read  # noqa: F401
        import ipreport.util.decoding  # noqa: F401
        import ipreport.util.numbers  # noqa: F401
        import ipreport.util.units  # noqa: F401
    folder = Path(tempfile.mkdtemp(prefix="ipreport-fuzz-"))
    # IPREPORT_FUZZ_FINDINGS=/tmp/findings keeps going past findings and logs them there.
    keep = os.environ.get("IPREPORT_FUZZ_FINDINGS")
    findings = Path(keep) if keep else None
    if findings is not None:
        findings.mkdir(parents=True, exist_ok=True)
    atheris.Setup(sys.argv, lambda data: one_input(folder, data, findings))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
