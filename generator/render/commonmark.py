"""GitHub-flavoured Markdown to HTML with cmark-gfm (through cmarkgfm), freeing what it allocates.

``cmarkgfm.github_flavored_markdown_to_html`` (2025.10.22 and before) never frees the parsed
document's node tree nor the HTML string that cmark-gfm returns: each page converted kept
about 400 KB of C memory, so a build of 1,000 agreements kept some 1.5 GB and a long
``delaftale forhaandsvis`` session grew with every save. This module makes the same calls as
that function, on cmarkgfm's own parser and extensions, and then frees both with cmark-gfm's
``cmark_node_free`` and the allocator that made the string (its default: the C library's
``free``), which cmarkgfm's bindings do not expose; they are reached in the same compiled
library through cffi (cmarkgfm's own binding tool).
"""

from __future__ import annotations

import functools
from typing import Any

from cmarkgfm import cmark
from cmarkgfm.cmark import Options

#: What ``github_flavored_markdown_to_html`` enables: its extensions and option.
GITHUB_EXTENSIONS = ("table", "autolink", "tagfilter", "strikethrough", "tasklist")
GITHUB_OPTIONS = Options.CMARK_OPT_GITHUB_PRE_LANG


@functools.cache
def _release() -> tuple[Any, Any, Any]:
    """(ffi, cmark_node_free, the default allocator's free), from cmarkgfm's compiled library."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef("""
        typedef struct cmark_mem {
            void *(*calloc)(size_t, size_t);
            void *(*realloc)(void *, size_t);
            void (*free)(void *);
        } cmark_mem;
        cmark_mem *cmark_get_default_mem_allocator(void);
        void cmark_node_free(void *node);
    """)
    library = ffi.dlopen(cmark._cmark.__file__)
    return ffi, library.cmark_node_free, library.cmark_get_default_mem_allocator().free


@functools.cache
def _extensions() -> tuple:
    cmark.core_extensions_ensure_registered()
    return tuple(cmark.find_syntax_extension(name) for name in GITHUB_EXTENSIONS)


def _pointer(ffi: Any, value: Any) -> Any:
    """``value``, a pointer of cmarkgfm's cffi instance, as a ``void *`` of ``ffi``."""
    return ffi.cast("void *", int(cmark._cmark.ffi.cast("uintptr_t", value)))


def github_html(text: str, options: int = 0) -> str:
    """The HTML ``cmarkgfm.github_flavored_markdown_to_html(text, options)`` returns."""
    lib, own_ffi = cmark._cmark.lib, cmark._cmark.ffi
    ffi, node_free, free = _release()
    options |= GITHUB_OPTIONS
    parser = cmark.parser_new(options=options)
    root = None
    try:
        for extension in _extensions():
            cmark.parser_attach_syntax_extension(parser, extension)
        cmark.parser_feed(parser, text)
        root = cmark.parser_finish(parser)
        if lib.cmark_node_get_type(root) == lib.CMARK_NODE_NONE:
            raise ValueError("cmark-gfm could not parse the Markdown")
        rendered = lib.cmark_render_html(root, options, cmark.parser_get_syntax_extensions(parser))
        try:
            return own_ffi.string(rendered).decode("utf-8")
        finally:
            free(_pointer(ffi, rendered))
    finally:  # in the order of cmark-gfm's own command line tool: the parser, then the document
        cmark.parser_free(parser)
        if root is not None:
            node_free(_pointer(ffi, root))


def commonmark_html(text: str, options: int = 0) -> str:
    """The HTML ``cmarkgfm.markdown_to_html(text, options)`` returns (CommonMark, no extensions);
    that function frees the document but not the string."""
    lib, own_ffi = cmark._cmark.lib, cmark._cmark.ffi
    ffi, _, free = _release()
    encoded = text.encode("utf-8")
    rendered = lib.cmark_markdown_to_html(encoded, len(encoded), options)
    try:
        return own_ffi.string(rendered).decode("utf-8")
    finally:
        free(_pointer(ffi, rendered))
