"""Property elements put back into the order of the ECMA-376 schema (wml.xsd) after rendering.

Word refuses or "repairs" a document whose property children are out of their schema sequence;
LibreOffice does not mind, so nothing else would notice. docxtpl's ``{% cellbg %}`` tag, which a
user's template may use, inserts <w:shd> first in <w:tcPr>, before <w:tcW>: this pass moves such
children back to their place. Children it does not know are left where they are, and so is every
element holding one, since their place cannot be told.
"""

from __future__ import annotations

import itertools

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# wml.xsd CT_TcPr (CT_TcPrBase with the transitional hMerge, then the revision tail).
TCPR = (
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
    "headers",
    "cellIns",
    "cellDel",
    "cellMerge",
    "tcPrChange",
)
# wml.xsd CT_TblPr (CT_TblPrBase, then tblPrChange).
TBLPR = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
)
SEQUENCES = {"tcPr": TCPR, "tblPr": TBLPR}


def reorder_properties(root: etree._Element) -> int:
    """Sort the children of every <w:tcPr> and <w:tblPr> under ``root`` into schema order; a later
    duplicate of a child is dropped (the first one is what Word would read). Returns how many
    elements changed."""
    changed = 0
    for local, sequence in SEQUENCES.items():
        rank = {name: index for index, name in enumerate(sequence)}
        for element in root.iter(f"{{{W}}}{local}"):
            children = [child for child in element if isinstance(child.tag, str)]
            names = [_local_name(child) for child in children]
            if any(name not in rank for name in names):
                continue
            ranks = [rank[name] for name in names]
            if all(before < after for before, after in itertools.pairwise(ranks)):
                continue  # in order, without duplicates: what a report's template writes
            kept: dict[str, etree._Element] = {}
            for name, child in zip(names, children, strict=True):
                kept.setdefault(name, child)
            ordered = sorted(kept.items(), key=lambda item: rank[item[0]])
            if [child for _, child in ordered] == children:
                continue
            for child in children:
                element.remove(child)
            for _, child in ordered:
                element.append(child)
            changed += 1
    return changed


_W_PREFIX = f"{{{W}}}"


def _local_name(child: etree._Element) -> str:
    """A w: element's name without prefix; "" for any other namespace (never reordered)."""
    tag = child.tag
    return tag[len(_W_PREFIX):] if isinstance(tag, str) and tag.startswith(_W_PREFIX) else ""
