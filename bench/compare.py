"""Benchmark: the same N-agreement build at this checkout and at an earlier commit, alternately.

    python3 bench/compare.py 1000 --against HEAD~1 --runs 2

Both builds read one synthetic project (bench/run.py's generator) and share its PDF cache,
which an unmeasured first build fills, so the figures compare the generator, not WeasyPrint.
The builds alternate (this, earlier, this, earlier, …) so that a change in the machine's load
touches both. Prints each build's wall time and peak memory and the best of each. Run it by
hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import EPOCH, project  # bench/run.py, beside this file

#: Before the subpackages, the plugin was ``generator.plugin``; the installed entry point names
#: ``generator.mkdocs.plugin``. An older checkout gets a one-line module there that re-exports it.
_ENTRY_POINT_SHIM = "from generator.plugin import DelaftalerPlugin  # noqa: F401\n"


#: What a checkout brings to the project besides its code (bench/run.py's project copies the same).
PROJECT_FILES = ("mkdocs.yml", "templates", "site_overrides", "docs")


def checkout(revision: str, folder: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), revision], check=True, capture_output=True
    )
    glue = folder / "generator" / "mkdocs"
    if not (glue / "plugin.py").exists():
        glue.mkdir(exist_ok=True)
        (glue / "__init__.py").write_text("")
        (glue / "plugin.py").write_text(_ENTRY_POINT_SHIM)
    return folder


def build(root: Path, code: Path, home: str) -> tuple[float, float]:
    """One `mkdocs build` of the project with the generator in ``code`` and that checkout's
    templates, theme overrides, pages and mkdocs.yml: (seconds, peak MB)."""
    shutil.rmtree(root / "site", ignore_errors=True)
    for name in PROJECT_FILES:
        target = root / name
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
        (shutil.copytree if (code / name).is_dir() else shutil.copy)(code / name, target)
    env = {
        "SOURCE_DATE_EPOCH": EPOCH,
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": str(code),
    }
    start = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{code}: {result.stderr[-3000:]}")
    return seconds, int(result.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--against", default="HEAD~1", help="the earlier commit")
    parser.add_argument("--runs", type=int, default=2, help="measured builds of each (0: only fill --keep)")
    parser.add_argument("--keep", type=Path, help="a folder for the project and its PDF cache, kept for the next run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep and (args.keep / "projekt").is_dir():
            root = args.keep / "projekt"
        else:
            root = project(str(args.keep or tmp), args.count)
            build(root, REPO, tmp)  # fills the PDF cache both share; not measured
        earlier = checkout(args.against, Path(tmp) / "earlier")
        try:
            times: dict[str, list[tuple[float, float]]] = {"this checkout": [], args.against: []}
            for _ in range(args.runs):
                for name, code in (("this checkout", REPO), (args.against, earlier)):
                    times[name].append(build(root, code, tmp))
                    print(f"{name}: {times[name][-1][0]:.1f} s, {times[name][-1][1]:.0f} MB", flush=True)
            for name, runs in times.items() if args.runs else ():
                print(f"best of {len(runs)}, {name}: {min(t for t, _ in runs):.1f} s, {min(m for _, m in runs):.0f} MB")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(earlier)], capture_output=True)


if __name__ == "__main__":
    main()
