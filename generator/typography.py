"""Small typographic fixes of generated HTML that agreements need."""

from __future__ import annotations

import re

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FOOTNOTE_REF = re.compile(r'<sup id="(fnref\d*:[^"]+)"><a class="footnote-ref" href="(#fn:[^"]+)">(\d+)</a></sup>')


def superscript(number: int | str) -> str:
    """3 -> '³': the agreements' own footnote markers, which read as marks, not as words."""
    return str(number).translate(_SUPERSCRIPT)


def footnote_refs_as_superscript(html: str) -> str:
    """Markdown footnote references as superscript digits, as the source documents print them.

    Python-Markdown writes ``<sup><a>3</a></sup>``: the digit is then part of the sentence's
    text ("aftentimerne 3 . Begge") for search, copying and text tools. A superscript
    character is a mark; the link keeps a spoken label.
    """
    return _FOOTNOTE_REF.sub(
        lambda m: f'<a id="{m[1]}" class="footnote-ref" href="{m[2]}" aria-label="Fodnote {m[3]}">{superscript(m[3])}</a>',
        html,
    )
