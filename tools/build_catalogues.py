"""Compile the interface catalogues: ipreport/locale/*/LC_MESSAGES/ipreport.po -> ipreport.mo.

The stdlib reads .mo files (gettext) but ships no compiler outside CPython's source tree, and the
format is small: this writes it (GNU gettext's layout: magic, counts, two tables of lengths and
offsets, then the strings, with no hash table, which readers do not need). Both files are
committed; tests/test_i18n.py fails when a .mo no longer matches its .po.

    python tools/build_catalogues.py          # rewrite every .mo
    python tools/build_catalogues.py --check  # exit 1 if one is stale
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "ipreport" / "locale"
MAGIC = 0x950412DE


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a .po file (no plurals or contexts: ipreport's catalogue has none)."""
    entries: dict[str, str] = {}
    field: str | None = None
    parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}

    def flush() -> None:
        if parts["msgid"] or parts["msgstr"]:
            msgid, msgstr = "".join(parts["msgid"]), "".join(parts["msgstr"])
            if msgstr:
                entries[msgid] = msgstr
        parts["msgid"], parts["msgstr"] = [], []

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            field, line = "msgid", line[len("msgid "):]
        elif line.startswith("msgstr "):
            field, line = "msgstr", line[len("msgstr "):]
        if field is None or not (line.startswith('"') and line.endswith('"')):
            raise ValueError(f"line {number}: expected msgid, msgstr or a quoted string, found {raw!r}")
        parts[field].append(ast.literal_eval(line))
    flush()
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    """The .mo file for ``entries`` (keys sorted, as GNU msgfmt writes them)."""
    keys = sorted(entries)
    ids = [key.encode("utf-8") for key in keys]
    strs = [entries[key].encode("utf-8") for key in keys]
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    table_ids, table_strs, blob = [], [], b""
    for text in ids:
        table_ids.append((len(text), data_at + len(blob)))
        blob += text + b"\0"
    for text in strs:
        table_strs.append((len(text), data_at + len(blob)))
        blob += text + b"\0"
    head = struct.pack("<7I", MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    tables = b"".join(struct.pack("<2I", *pair) for pair in table_ids + table_strs)
    return head + tables + blob


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str]) -> int:
    stale = []
    for po in catalogues():
        data = mo_bytes(parse_po(po.read_text(encoding="utf-8")))
        mo = po.with_suffix(".mo")
        if "--check" in argv:
            if not mo.is_file() or mo.read_bytes() != data:
                stale.append(mo)
        else:
            mo.write_bytes(data)
            print(f"Wrote {mo}")
    for mo in stale:
        print(f"{mo} does not match its .po: run python tools/build_catalogues.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
