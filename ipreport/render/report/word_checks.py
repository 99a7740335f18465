"""What the checks of a Word template found, kept on disk by the template's content.

Before a .docx template is rendered it is checked: its package (util.word_package: zip directory,
compression, XML depth), the Jinja syntax of each part, and the variables it uses. For one report
these checks were about a sixth of the run, and they give the same answer for the same bytes. So
the variables a template that passed uses are kept under a name that is the hash of its bytes and
of everything the checks depend on (docxtpl's XML preparation, python-docx, Jinja, Python, and
the text of the modules that check); a template whose hash is found is not checked again. Entries
live beside the compiled template code (render/templating/code_cache.py: same folder, same
rules: only the user's own files are read, ``IPREPORT_CACHE_DIR=""`` turns it off, entries unused
for 30 days are pruned when one is written).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from ipreport.render.templating.code_cache import cache_root, dependency_stamp, read_entry, write_entry

_FORMAT = "1"  # bump when the entry's layout changes
# The modules whose text decides what the checks find.
_CHECKING_MODULES = ("render/report/docx.py", "render/report/word_checks.py", "render/templating/env.py",
                     "render/templating/sandbox.py", "util/word_package.py")
_STAMP: list[str] = []


def _stamp() -> str:
    if not _STAMP:
        import docx
        import docxtpl
        import jinja2

        versions = (_FORMAT, sys.version, jinja2.__version__, getattr(docxtpl, "__version__", "?"),
                    getattr(docx, "__version__", "?"))
        _STAMP.append(dependency_stamp(versions, _CHECKING_MODULES).hex())
    return _STAMP[0]


def _folder() -> Path | None:
    root = cache_root()
    return root / "word-checks" if root is not None else None


def entry_name(template: bytes) -> str:
    return hashlib.sha256(_stamp().encode() + template).hexdigest()


def load(template: bytes) -> frozenset[str] | None:
    """The variables a template with these bytes uses, if it passed the checks before; else None."""
    folder = _folder()
    if folder is None:
        return None
    data = read_entry(folder, entry_name(template))
    if data is None:
        return None
    try:
        used = json.loads(data.decode("utf-8"))["used"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(used, list) or not all(isinstance(name, str) for name in used):
        return None
    return frozenset(used)


def store(template: bytes, used: frozenset[str]) -> None:
    """Keep that a template with these bytes passed the checks, and the variables it uses."""
    folder = _folder()
    if folder is not None:
        write_entry(folder, entry_name(template), json.dumps({"used": sorted(used)}).encode("utf-8"))
