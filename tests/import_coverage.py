"""Prints the share of each seed's text that the site shows after importing it as text, Word and
PDF and approving the draft (the figures test_import.py asserts are >= 0.95).

    PYTHONPATH=. python3 tests/import_coverage.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from seed_coverage import coverage, site_grams
from seed_documents import make_docx, make_pdf

from generator.importer import import_document

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))


def measure(seed: Path, document: Path, root: Path) -> float:
    root.mkdir(parents=True)
    for name in ("mkdocs.yml", "templates", "site_overrides", "docs"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    (root / "agreements").mkdir()
    shutil.copy(REPO / "agreements" / "indsatsomraader.yaml", root / "agreements")
    result = import_document(document, root / "agreements")
    for path in result.written:
        if path.name != "plan.yaml":
            path.write_text(
                re.sub(r"^status: udkast.*\n", "", path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8"
            )
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root, capture_output=True, text=True
    )
    if build.returncode:
        raise SystemExit(build.stderr)
    return coverage(seed.read_text(encoding="utf-8"), site_grams(root / "site"))[0]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("| seed | .txt | .docx | .pdf |\n| --- | --- | --- | --- |")
        for seed in SEEDS:
            documents = {
                "txt": seed,
                "docx": make_docx(seed, work / f"{seed.stem}.docx"),
                "pdf": make_pdf(seed, work / f"{seed.stem}.pdf"),
            }
            shares = [measure(seed, documents[fmt], work / f"{seed.stem}-{fmt}") for fmt in ("txt", "docx", "pdf")]
            print(f"| {seed.name[:3]} | " + " | ".join(f"{share:.3f}" for share in shares) + " |", flush=True)


if __name__ == "__main__":
    main()
