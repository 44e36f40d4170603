"""Agreement files on disk: YAML with lines, the file layout, reading, the checks across fields and files, figures, cross-references, outside links. Imports ``base`` and ``model``."""
