"""Small typographic fixes of generated HTML that agreements need."""

from __future__ import annotations

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(number: int | str) -> str:
    """3 -> '³': the agreements' own footnote markers, which read as marks, not as words."""
    return str(number).translate(_SUPERSCRIPT)
