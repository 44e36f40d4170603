"""Compiled Jinja templates kept in memory between builds of one process.

Every build makes a new Jinja environment (a Renderer per build; MkDocs a new theme environment
per `mkdocs serve` rebuild), and compiling the templates again took a quarter of a preview's
rebuild. Jinja's bytecode cache keys a template by its name and file and checks its source's
hash on every load, so an edited template is compiled again and an unchanged one never is.
"""

from __future__ import annotations

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in a dict (its own caches are on disk). Bounded by the templates
    there are: one entry per template file, replaced when its source changes."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


#: One cache per kind of environment: the same source compiles differently under other options
#: (trim_blocks, autoescape), and the key is the template's name and file only.
AGREEMENT_TEMPLATES = MemoryBytecodeCache()  # rendering.Renderer's environments
THEME_TEMPLATES = MemoryBytecodeCache()  # MkDocs' theme environment (plugin.on_env)
