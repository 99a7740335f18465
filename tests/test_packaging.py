"""The wheel must ship every bundled plan and template: setup.cfg's package_data covers them all."""

from __future__ import annotations

import configparser
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent


def _patterns(package: str) -> list[str]:
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    return [p.strip() for p in config["options.package_data"][package].split(",")]


def _uncovered(folder: str, package: str) -> list[str]:
    patterns = _patterns(package)
    files = [p.relative_to(REPO / folder) for p in (REPO / folder).rglob("*") if p.is_file()]
    # PurePosixPath.match anchors a relative pattern at the right, so "*.j2" would also match
    # "sentences/zh/x.j2"; comparing the part count keeps setuptools' one-folder-per-star meaning.
    return [
        str(f) for f in files
        if not any(PurePosixPath(f.as_posix()).match(p) and len(f.parts) == len(PurePosixPath(p).parts)
                   for p in patterns)
    ]


def test_every_template_file_is_packaged():
    assert _uncovered("templates", "ipreport.bundled.templates") == []


def test_every_plan_file_is_packaged():
    assert _uncovered("targets", "ipreport.bundled.targets") == []


def test_every_subpackage_is_listed():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    found = {
        ".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "ipreport").rglob("__init__.py")
    }
    assert found - listed == set()


def test_the_indicator_catalogue_is_packaged():
    assert "catalogue.toml" in _patterns("ipreport")
