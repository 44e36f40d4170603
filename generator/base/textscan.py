"""What is looked for inside an author's text: contact data and invisible control characters.

Contact data: e-mail addresses and Danish phone numbers typed into running text (the fields
for contact persons are kept out of the search index and the open data by their field kind,
models.PERSONOPLYSNING; a text field cannot be, so its contact data is found by its form).
``validate`` notes each one (checks.note_contact_data), and the open data and the search index
replace it with a placeholder (:func:`mask`) unless the plugin's ``mask_contact_data`` is off.

Invisible characters: the controls of the Unicode bidirectional algorithm reorder what a
reader sees (U+202E shows 'abc' as 'cba' and everything after it the same way), and zero-width
characters make two names that look the same differ. They are refused in ids and names
(models.py) and noted in running text (checks.note_invisible_characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# --------------------------------------------------------------------------- contact data

# An address as people type it: a local part, '@', a domain with a dot and a top-level domain
# of letters (æøå allowed: Danish domains may have them). Not part of a longer word. Looked for
# from each '@' (str.find): a pattern tried at every letter of a file is 400 times slower.
_LOCAL = re.compile(r"[\w.%+-]{1,64}$")  # at most 64 characters (RFC 5321)
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")


def _emails(text: str) -> Iterator[tuple[int, int]]:
    at = text.find("@")
    while at != -1:
        local, domain = _LOCAL.search(text, max(0, at - 64), at), _DOMAIN.match(text, at + 1)
        if local and domain:
            yield local.start(), domain.end()
        at = text.find("@", at + 1)


# A space or a no-break space between the groups of digits; not a hyphen, so that no id, date or
# year range ('20-30-40-50', '2011-2016') is one, and the data can be masked without knowing its fields.
_SPACE = r"[ \u00a0]"
# Danish phone numbers have eight digits and start with 2-9. Written in pairs ('22 34 56 78') or
# after the country code ('+45 22345678') they are phone numbers whatever stands around them:
# amounts group by thousands ('12.345.678', '12 345 678'), dates and year ranges by hyphens, and
# a CVR number written in pairs is told apart by its word (_NOT_A_PHONE). In one run or as two
# fours ('33663366', '3366 3366') they are as often amounts, CVR or journal numbers or two years
# ('2018 2019'): phone numbers only after a word that says so ('tlf.', 'ring på').
_PAIRS = rf"[2-9]\d(?:{_SPACE}\d{{2}}){{3}}"
_FOURS = rf"[2-9]\d{{3}}{_SPACE}?\d{{4}}"
_COUNTRY = rf"(?:\+|00)45{_SPACE}?(?:{_PAIRS}|{_FOURS})"
_END = r"(?!\w|[.,-]\d|[ \u00a0]\d{2}\b)"  # not followed by more digits of a longer number
_PHONE_ANYWHERE = re.compile(rf"(?<![\w.,/+-])(?<!\d[ \u00a0])(?:{_COUNTRY}|{_PAIRS}){_END}")
_PHONE_AFTER_WORD = re.compile(
    rf"\b(?:tlf|telefon|telefonnummer|telefonnr|tel|mobil|mobilnummer|mobilnr|mob|sms|ring)\b\.?"
    rf"(?:{_SPACE}?(?:nr|nummer)\.?)?:?{_SPACE}*(?:på{_SPACE}+)?(?P<number>{_COUNTRY}|{_PAIRS}|{_FOURS}){_END}",
    re.IGNORECASE,
)
# Numbers of firms, accounts and products are written in pairs too: not phone numbers.
_NOT_A_PHONE = re.compile(
    r"\b(?:cvr|se|ean|p|reg|konto|kontonr|journal|j)\b[\s.:-]*(?:nr|nummer)?[\s.:-]*$", re.IGNORECASE
)
#: What the open data and the search index show instead of an address or a number.
EMAIL_MASK = "[e-mailadresse udeladt]"
PHONE_MASK = "[telefonnummer udeladt]"


@dataclass(frozen=True)
class Found:
    """One piece of contact data in a text: where it stands and what it is."""

    start: int
    end: int
    kind: str  # 'email' or 'telefon'
    text: str


# Every digit as '0' and a no-break space as a space (the byte 0xC2 before it dropped), in UTF-8:
# then str.find (memchr) tells whether a text can hold a phone number at all, some fifty times
# faster than the patterns themselves; they run only where it can (a few texts in a thousand).
_DIGITS = bytes.maketrans(b"0123456789\xa0", b"0000000000 ")
_PHONE_SHAPES = (b"00 00 00 00", b"0000 0000", b"00000000")


def may_hold_phone_number(text: str) -> bool:
    shapes = text.encode("utf-8").translate(_DIGITS, b"\xc2")
    return any(shape in shapes for shape in _PHONE_SHAPES)


def contact_data(text: str) -> list[Found]:
    """Every e-mail address and phone number in ``text``, in order."""
    found = [Found(start, end, "email", text[start:end]) for start, end in _emails(text)]
    if not may_hold_phone_number(text):
        return found
    for m in _PHONE_AFTER_WORD.finditer(text):
        found.append(Found(m.start("number"), m.end("number"), "telefon", m["number"]))
    for m in _PHONE_ANYWHERE.finditer(text):
        if not _NOT_A_PHONE.search(text[max(0, m.start() - 20) : m.start()]):
            found.append(Found(m.start(), m.end(), "telefon", m[0]))
    # One piece of text is one finding: a number inside an address, or found by both patterns.
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[Found] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def mask(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by a placeholder."""
    out, at = [], 0
    for item in contact_data(text):
        out += [text[at : item.start], EMAIL_MASK if item.kind == "email" else PHONE_MASK]
        at = item.end
    return "".join(out) + text[at:] if out else text


# --------------------------------------------------------------------------- invisible characters

#: Controls of the bidirectional algorithm: each changes the order or direction the text after it
#: is shown in (embeddings, overrides, isolates and the marks that act like a letter of a direction).
BIDI_CONTROLS = {
    "\u202a": "venstre-til-højre-indlejring",
    "\u202b": "højre-til-venstre-indlejring",
    "\u202c": "afslutning af retningsformatering",
    "\u202d": "venstre-til-højre-tilsidesættelse",
    "\u202e": "højre-til-venstre-tilsidesættelse",
    "\u2066": "venstre-til-højre-isolering",
    "\u2067": "højre-til-venstre-isolering",
    "\u2068": "retningsisolering efter første bogstav",
    "\u2069": "afslutning af retningsisolering",
    "\u200e": "venstre-til-højre-markering",
    "\u200f": "højre-til-venstre-markering",
    "\u061c": "arabisk bogstavmarkering",
}
#: Characters without width: invisible, but they make a word differ from the same word without them.
ZERO_WIDTH = {
    "\u200b": "mellemrum uden bredde",
    "\u200c": "usynlig adskiller",
    "\u200d": "usynlig binder",
    "\u2060": "usynlig ordbinder",
    "\ufeff": "usynligt hårdt mellemrum (byte-order-mærke)",
}
INVISIBLE = BIDI_CONTROLS | ZERO_WIDTH
_INVISIBLE = re.compile(f"[{''.join(INVISIBLE)}]")


def describe(char: str) -> str:
    """'U+202E (højre-til-venstre-tilsidesættelse)': a character that cannot be shown, by its code."""
    name = INVISIBLE.get(char) or {"\n": "linjeskift", "\t": "tabulator", "\r": "linjeskift"}.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def invisible(text: str) -> Iterator[str]:
    """Each invisible character of ``text`` once, in the order they first appear."""
    return iter(dict.fromkeys(_INVISIBLE.findall(text)))


def first_bidi_control(text: str) -> str | None:
    return next((c for c in invisible(text) if c in BIDI_CONTROLS), None)


HOW_TO_REMOVE = "slet tegnet: det ses ikke i de fleste editorer, så slet ordet omkring det og skriv det igen"
