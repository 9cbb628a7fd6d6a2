"""Cells that a spreadsheet must not run as formulas, and back (export → import is the identity).

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula (CSV injection, OWASP). The export prefixes such a cell with
``'``, so that it is shown as text and nothing runs. To make the prefix reversible, a cell that
itself starts with ``'`` gets one too; the import removes exactly one leading ``'``.
"""

from __future__ import annotations

ESCAPE = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """A cell as text that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return ESCAPE + text if text.startswith((*FORMULA_STARTS, ESCAPE)) else text


def restore(cell: str) -> str:
    """The value `neutralise` was given (for a cell it wrote)."""
    return cell[len(ESCAPE) :] if cell.startswith(ESCAPE) else cell
