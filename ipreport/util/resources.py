"""Where the bundled plans (targets/) and templates (templates/) are found.

Installed, they sit inside the package as ``ipreport/bundled/``; in a source checkout
(or an editable install) they are the repository's own top-level folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # ipreport/


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def targets_dir() -> Path:
    """The folder of bundled plan files."""
    return _bundled("targets")


def templates_dir() -> Path:
    """The folder of built-in report templates."""
    return _bundled("templates")
