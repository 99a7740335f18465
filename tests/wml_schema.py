"""ECMA-376 (wml.xsd) child sequences of Word's property elements, and a checker of every XML part.

Shared by tests/render/test_wml_order.py (the template, rendered fixtures) and tests/test_samples.py
(the sample reports of the examples).
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# The child sequences of ECMA-376 Part 1, wml.xsd (transitional), element names without prefix.
# CT_PPrBase + CT_PPr's own tail (rPr, sectPr, pPrChange).
PPR = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
)
# CT_ParaRPr's revision marks, then EG_RPrBase, then rPrChange.
RPR = (
    "ins", "del", "moveFrom", "moveTo",
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange",
)
# CT_TblPrBase + tblPrChange.
TBLPR = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
    "tblLook", "tblCaption", "tblDescription", "tblPrChange",
)
# CT_TcPrBase (hMerge is transitional) + CT_TcPr's tail.
TCPR = (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
    "tcPrChange",
)
# CT_SectPr: EG_HdrFtrReferences (any number, any order), then EG_SectPrContents, then the tail.
SECTPR = (
    "headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
    "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)
TBLBORDERS = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV")
TCBORDERS = (*TBLBORDERS, "tl2br", "tr2bl")
SEQUENCES = {
    "pPr": PPR,
    "rPr": RPR,
    "tblPr": TBLPR,
    "tcPr": TCPR,
    "sectPr": SECTPR,
    "tblBorders": TBLBORDERS,
    "tcBorders": TCBORDERS,
}
# Only these may repeat: a section has a header and a footer reference per page kind.
REPEATABLE = {"headerReference|footerReference"}


def _slot(sequence: tuple[str, ...], name: str) -> str | None:
    return next((entry for entry in sequence if name in entry.split("|")), None)


def order_problems(part: str, xml: bytes) -> list[str]:
    """Every property element whose children are out of the schema sequence, repeated or unknown."""
    problems = []
    root = etree.fromstring(xml)
    for parent, sequence in SEQUENCES.items():
        for element in root.iter(f"{{{W}}}{parent}"):
            position, seen = -1, set()
            for child in element:
                if not isinstance(child.tag, str):
                    continue  # a comment or processing instruction
                qname = etree.QName(child)
                where = f"{part}: <w:{parent}> at line {element.sourceline}"
                slot = _slot(sequence, qname.localname) if qname.namespace == W else None
                if slot is None:
                    problems.append(f"{where}: <{qname.localname}> is no child of it")
                    continue
                index = sequence.index(slot)
                if slot in seen and slot not in REPEATABLE:
                    problems.append(f"{where}: <w:{qname.localname}> twice")
                elif index < position:
                    problems.append(f"{where}: <w:{qname.localname}> after <w:{sequence[position]}>")
                seen.add(slot)
                position = max(position, index)
    return problems


def package_problems(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            problem
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
            for problem in order_problems(name, archive.read(name))
        ]
