"""argparse in Danish: ``delaftale``'s help, usage and errors without "usage:" or "options:".

argparse looks every text it prints up through gettext (``argparse._`` and
``argparse.ngettext``). ``DanishParser`` answers those look-ups from the table below while it
builds itself, parses and prints, and gives the lookup back afterwards, so nothing else in the
process is affected. A text missing from the table (a newer Python's) stays English; a test
runs every subcommand's help and errors and fails on English.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

DANISH = {
    "usage: ": "brug: ",
    "positional arguments": "argumenter",
    "options": "tilvalg",
    "optional arguments": "tilvalg",  # Python < 3.10
    "show this help message and exit": "vis denne hjælp og afslut",
    "show program's version number and exit": "vis programmets version og afslut",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "disse argumenter mangler: %s",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldigt valg: %(value)r (vælg mellem %(choices)s)",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": "ugyldigt valg: %(value)r — mente du %(closest)r? (vælg mellem %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "ukendt kommando %(parser_name)r (vælg mellem %(choices)s)",
    "expected one argument": "mangler en værdi",
    "expected at most one argument": "højst én værdi",
    "expected at least one argument": "mangler mindst én værdi",
    "expected %s argument": "forventede %s værdi",
    "expected %s arguments": "forventede %s værdier",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydigt tilvalg: %(option)s kan være %(matches)s",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "ignored explicit argument %r": "tilvalget tager ingen værdi: %r",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "invalid %(type)s value: %(value)r": "ugyldig værdi: %(value)r",
    "%r is not callable": "%r kan ikke kaldes",
}


def _danish(message: str) -> str:
    return DANISH.get(message, message)


@contextmanager
def danish_messages() -> Iterator[None]:
    """argparse's texts in Danish while the block runs (re-entrant: it restores what it found)."""
    saved = argparse._, argparse.ngettext
    argparse._ = _danish  # type: ignore[attr-defined]
    argparse.ngettext = lambda singular, plural, n: _danish(singular if n == 1 else plural)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class DanishParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Danish; its subcommands' parsers are DanishParsers too."""

    def __init__(self, *args, **kwargs):
        with danish_messages():  # the -h help text and the group titles are set up here
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):  # it words "unrecognized arguments" itself
        with danish_messages():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with danish_messages():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with danish_messages():
            return super().format_usage()

    def format_help(self) -> str:
        with danish_messages():
            return super().format_help()

    def error(self, message: str):
        with danish_messages():
            super().error(message)
