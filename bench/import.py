"""Times `delaftale importer` on one ~30-page document (run by hand, not a test).

The document is seed 003 ("Rum for Liv", a whole 2013 master plan) laid out as Word and as PDF by
tests/seed_documents.py (29 A4 pages as PDF), and its text as extracted. Each import reads,
recognises, validates (the project's own loading) and writes, into an empty agreements folder.

    PYTHONPATH=. python3 bench/import.py [repetitions]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from seed_documents import make_docx, make_pdf

from generator.importer import import_document

SEED = next((REPO / "tests" / "data" / "seeds").glob("003_*.txt"))
TARGET = 10.0  # seconds, the limit for a 30-page document


def pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as document:
        return len(document.pages)


def main(repetitions: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        documents = {
            "txt": SEED,
            "docx": make_docx(SEED, work / "rum-for-liv.docx"),
            "pdf": make_pdf(SEED, work / "rum-for-liv.pdf"),
        }
        print(f"Seed 003 ({SEED.stat().st_size // 1000} KB text; the PDF has {pages(documents['pdf'])} pages)")
        for fmt, document in documents.items():
            times = []
            for n in range(repetitions):
                agreements = work / f"{fmt}-{n}" / "agreements"
                agreements.mkdir(parents=True)
                shutil.copy(REPO / "agreements" / "indsatsomraader.yaml", agreements)
                start = time.perf_counter()
                result = import_document(document, agreements, templates=REPO / "templates")
                times.append(time.perf_counter() - start)
            best = min(times)
            print(
                f"  .{fmt:<5} {best:6.2f} s (best of {repetitions}; {len(result.written)} files)"
                f"{'' if best < TARGET else '  OVER THE 10 s TARGET'}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
