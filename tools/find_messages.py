"""Find every message the package can show a user, as gettext ids, and list those without a translation.

A message is a string (or f-string) given to one of the project's error or problem types
(ipreport/errors.py: Problem, InputError, OptionError, TemplateError, IpreportError) or to a helper
that makes one, assigned to a variable that holds a message or hint, added to a list of warnings, or
returned by a function that makes a message, warning, hint or problem. An f-string becomes an id
with {fields} named after what fills them (``f"missing column {name}"`` -> ``missing column
{name}``), which is how the catalogue's ids are written; a field may hold anything, so ``row{s}``
covers "row" and "rows". Only prose counts: a piece without two English words in a row (an option
name, a key, a separator) is not a message.

    python tools/find_messages.py            # every message: file:line: id
    python tools/find_messages.py --missing  # those without a translation, as .po entries to fill in

tests/test_i18n.py fails when one is missing.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ipreport"

# Calls whose string arguments are messages: the error family and the helpers that build problems.
PRODUCERS = {
    "Problem", "InputError", "OptionError", "TemplateError", "IpreportError",
    "problem", "office_problem", "add", "say", "usage", "fail", "BadParameter", "UsageError", "_Wrong",
    "_refuse", "refuse_edited",
}
# Variables that hold (a piece of) a message; functions whose return value is one.
MESSAGE_VARIABLES = re.compile(
    r"^_?(message|detail|hint|advice|warning|problem|reason|recap|done|why|more|kept|also|times|size|what)s?$"
)
# (and the plain-words descriptions of what a file holds, which messages quote)
MESSAGE_FUNCTIONS = re.compile(r"(message|warning|hint|problem|looks_like|what_is_there|special_kind)s?$")
# Two words, with spaces, commas or quotes between ('expected "zh" or "en"' is prose too).
PROSE = re.compile(r"[A-Za-z]{2,}[\s,'\"]+[A-Za-z]{2,}")
# Modules whose strings are never interface text (none now: the "# CHECK:" notes extract/walker.py
# writes into a drafted plan file follow the interface language, as the rest of the draft does).
SKIPPED: tuple[str, ...] = ()
# Strings that look like messages but never reach a user (id -> why).
NOT_SHOWN = {
    "a milestone with numbers": "assessment/columnar.py's signal to fall back to the Python engine",
    "All targets and tasks are on course.": "the English report's text (--lang en), not the interface",
}


@dataclass(frozen=True)
class Message:
    file: str
    line: int
    msgid: str  # as the catalogue writes it: {fields} for the values
    sample: str  # as a user might see it: every field an "X"


def _own_error(name: str | None) -> bool:
    """An exception class of ipreport's own (NumberError, StatusNameError ...): its text reaches the
    user inside a problem. Python's own (ValueError ...) mark a programming error, never shown."""
    return bool(name) and name.endswith("Error") and not hasattr(builtins, name)  # type: ignore[union-attr]


def _field_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id.strip("_")
    if isinstance(node, ast.Attribute):
        return node.attr.strip("_")
    if isinstance(node, ast.Call):
        return _field_name(node.func)
    if isinstance(node, ast.Subscript):
        return _field_name(node.value)
    if isinstance(node, ast.IfExp):
        return "s"
    return "value"


def _as_message(node: ast.expr) -> tuple[str, str] | None:
    """(msgid, sample) of a string or f-string node; None when it holds no prose."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        msgid = sample = node.value
    elif isinstance(node, ast.JoinedStr):
        msgid, sample, names = "", "", {}
        for part in node.values:
            if isinstance(part, ast.Constant):
                msgid += str(part.value)
                sample += str(part.value)
                continue
            assert isinstance(part, ast.FormattedValue)
            source = ast.unparse(part.value)
            name = _field_name(part.value)
            if names.get(name, source) != source:  # one name, two different values: number them
                name = f"{name}{sum(1 for key in names if key.startswith(name)) + 1}"
            names[name] = source
            msgid += "{" + name + "}"
            sample += "X"
    else:
        return None
    literal = re.sub(r"\{\w+\}", " ", msgid)
    if literal.lstrip().startswith("<"):  # markup written into a file, not said to anyone
        return None
    if re.match(r"\s*[\u4e00-\u9fff]", literal):
        return None  # Chinese already (the report's language chose it)
    return (msgid.strip(), sample.strip()) if PROSE.search(literal) else None


def _strings(node: ast.AST) -> Iterator[ast.expr]:
    """The string and f-string nodes in ``node``, not those inside an f-string (its format specs)."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        yield node  # type: ignore[misc]
        return
    if isinstance(node, ast.Call):  # a call inside a message: its arguments, not a nested producer's
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in ("join", "format", "removeprefix", "removesuffix"):
            return
    for child in ast.iter_child_nodes(node):
        yield from _strings(child)


def _sources(tree: ast.AST) -> Iterator[ast.AST]:
    """The expressions of ``tree`` that hold messages."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in PRODUCERS or _own_error(name):
                yield from node.args
                yield from (keyword.value for keyword in node.keywords)
            elif name in ("append", "extend") and "warning" in ast.unparse(node.func).lower():
                yield from node.args
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [getattr(target, "id", None) or getattr(target, "attr", None) for target in targets]
            if node.value is not None and any(n and MESSAGE_VARIABLES.match(n.lower()) for n in names):
                yield node.value
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and MESSAGE_FUNCTIONS.search(node.name):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Return) and sub.value is not None:
                    yield sub.value


def messages(package: Path = PACKAGE) -> list[Message]:
    found: dict[tuple[str, int, str], Message] = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.startswith(SKIPPED) or relative == "util/i18n.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for source in _sources(tree):
            for node in _strings(source):
                made = _as_message(node)
                if made is not None and made[0] not in NOT_SHOWN:
                    key = (relative, node.lineno, made[0])
                    found[key] = Message(f"ipreport/{relative}", node.lineno, *made)
    return list(found.values())


def untranslated(found: list[Message]) -> list[Message]:
    """The messages the Chinese catalogue leaves in English (exactly or by a pattern)."""
    sys.path.insert(0, str(PACKAGE.parent))
    from ipreport.util.i18n import translate_message

    return [message for message in found if translate_message(message.sample, "zh") == message.sample]


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(argv: list[str]) -> int:
    found = messages()
    if "--missing" not in argv:
        for message in found:
            print(f"{message.file}:{message.line}: {message.msgid}")
        return 0
    missing = untranslated(found)
    for msgid in dict.fromkeys(message.msgid for message in missing):
        where = next(m for m in missing if m.msgid == msgid)
        print(f"#: {where.file}:{where.line}\nmsgid {_po_string(msgid)}\nmsgstr \"\"\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
