"""Benchmark: build the site for N synthetic agreements and report what issue 7 targets.

    python3 bench/run.py 250 500 1000 2000

For each N it writes N schema-valid delaftaler (4 per plan, realistic Danish text taken from
the bundled agreements, 3-5 activities with roles, every fifth agreement with a second
version, yearly measurements of every indicator in maalinger.yaml) through the project's own YAML format into a temporary copy of the project, builds
it with `mkdocs build`, and prints: total build time, the time spent loading, validating and
rendering the YAML (measured in-process, the same calls the plugin makes), peak memory, the
HTML size of a median agreement page, the total site size, and the bytes a browser fetches
for a first search query. Run it by hand; nothing here is a test.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.corpus import load_corpus
from generator.publish.pdf import CACHE_DIR, pdf_sources, write_pdfs
from generator.publish.pdfcache import open_cache
from generator.render.html import convert
from generator.render.renderer import Renderer

EPOCH = "1735689600"  # 2025-01-01, the reference date of every measurement

AREAS = [
    "Sammenhængskraft og medborgerskab",
    "Uddannelse og livschancer",
    "Kriminalitetsforebyggelse og tryghed",
    "Beskæftigelse",
]
AREA_IDS = [
    "sammenhaengskraft-og-medborgerskab",
    "uddannelse-og-livschancer",
    "kriminalitetsforebyggelse-og-tryghed",
    "beskaeftigelse",
]
KOMMUNER = [
    "Brøndby Kommune",
    "Gladsaxe Kommune",
    "Slagelse Kommune",
    "Københavns Kommune",
    "Aarhus Kommune",
    "Odense Kommune",
    "Aalborg Kommune",
    "Esbjerg Kommune",
]


def sentence_pool() -> list[str]:
    """Real Danish sentences from the bundled agreements' text fields."""
    sentences: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and len(value) > 60:
            sentences.extend(
                " ".join(s.split())
                for s in re.split(r"(?<=[.!?])\s+", value)
                if 40 < len(s) < 400 and not re.search(r"[\[|*#\n]|^\s*[-\d]", s)
            )

    for path in (REPO / "agreements").rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(set(sentences))


def text(rng: random.Random, pool: list[str], sentences: int) -> str:
    return " ".join(rng.choice(pool) for _ in range(sentences))


def paragraphs(rng: random.Random, pool: list[str], count: int) -> str:
    return "\n\n".join(text(rng, pool, rng.randint(2, 5)) for _ in range(count))


def agreement(
    rng: random.Random, pool: list[str], plan: str, area: int, start: date, end: date, parties: list[str]
) -> dict:
    goals = [
        {
            "tekst": text(rng, pool, 1)[:120],
            "indikatorer": [
                {
                    "id": f"indikator-{g + 1}-{i + 1}",
                    "tekst": text(rng, pool, 1)[:150],
                    "baseline": f"{rng.randint(10, 90)} %",
                    "anden_baseline": f"66 udsatte boligområder {rng.randint(10, 90)} %",
                    "baseline_aar": str(rng.randint(2016, 2022)),
                    "datakilde": "VIVE Tryghed og trivsel",
                    **({"type": "aktivitetsnaer"} if rng.random() < 0.3 else {}),
                }
                for i in range(rng.randint(1, 3))
            ],
        }
        for g in range(rng.randint(2, 4))
    ]
    activities = [
        {
            "id": f"aktivitet-{i + 1}",
            "navn": text(rng, pool, 1)[:60].rstrip(" ,."),
            "formaal": paragraphs(rng, pool, 1),
            "maalgrupper": "\n".join(f"- {text(rng, pool, 1)[:80]}" for _ in range(3)),
            "indhold": paragraphs(rng, pool, rng.randint(3, 6)),
            "roller": [
                {"part": p, "opgaver": [text(rng, pool, 1) for _ in range(rng.randint(2, 5))]}
                for p in rng.sample(parties, k=min(len(parties), rng.randint(2, 3)))
            ],
        }
        for i in range(rng.randint(3, 5))
    ]
    return {
        "id": AREA_IDS[area],
        "plan": plan,
        "skabelon": "lbf-2019",
        "indsatsomraade": AREAS[area],
        "gyldig_fra": start.isoformat(),
        "gyldig_til": end.isoformat(),
        "parter": [{"gruppe": "Styregruppe", "deltagere": [{"part": p} for p in parties]}],
        "delmaal": goals,
        "medarbejderressourcer": "\n".join(f"- {rng.randint(10, 100)} % {text(rng, pool, 1)[:50]}" for _ in range(3)),
        "sammenhaeng_kommunal": paragraphs(rng, pool, 3),
        "revision": paragraphs(rng, pool, 1),
        "aktiviteter": activities,
    }


def measurements(rng: random.Random, data: dict) -> dict:
    """maalinger.yaml: yearly measurements (and a target) of every indicator of the agreement."""
    return {
        "indikatorer": [
            {
                "indikator": indicator["id"],
                "enhed": "%",
                "maal": str(rng.randint(50, 95)),
                "maal_aar": "2026",
                "maalinger": [
                    {
                        "tid": str(year),
                        "vaerdi": f"{rng.randint(10, 90)},{rng.randint(0, 9)}",
                        "kilde": "VIVE Tryghed og trivsel",
                    }
                    for year in range(2022, 2022 + rng.randint(2, 4))
                ],
            }
            for goal in data["delmaal"]
            for indicator in goal["indikatorer"]
        ]
    }


def amended(rng: random.Random, pool: list[str], data: dict, start: date, end: date) -> dict:
    """A later version as real ones are: the same agreement with a few changes (a new baseline, a
    reworded paragraph, an added duty, a new activity), not a different text."""
    new = copy.deepcopy(data)
    new["gyldig_fra"], new["gyldig_til"] = start.isoformat(), end.isoformat()
    new["delmaal"][0]["indikatorer"][0]["baseline"] = f"{rng.randint(10, 90)} %"
    activity = new["aktiviteter"][0]
    paragraphs_ = activity["indhold"].split("\n\n")
    paragraphs_[0] = text(rng, pool, 3)
    activity["indhold"] = "\n\n".join(paragraphs_)
    activity["roller"][0]["opgaver"].append(text(rng, pool, 1))
    new["aktiviteter"].append(
        {
            **copy.deepcopy(new["aktiviteter"][-1]),
            "id": f"aktivitet-{len(new['aktiviteter']) + 1}",
            "navn": text(rng, pool, 1)[:60].rstrip(" ,."),
        }
    )
    return new


def generate(folder: Path, count: int, seed: int = 1) -> None:
    rng, pool = random.Random(seed), sentence_pool()
    folder.mkdir(parents=True)
    (folder / "indsatsomraader.yaml").write_text(
        yaml.safe_dump(
            {"indsatsomraader": [{"id": i, "navn": n} for i, n in zip(AREA_IDS, AREAS)]}, allow_unicode=True
        ),
        encoding="utf-8",
    )
    for n in range(0, count, 4):
        plan_id = f"plan-{n // 4 + 1:04d}"
        parties = [f"part-{k}" for k in range(1, 6)]
        plan = {
            "id": plan_id,
            "navn": f"Helhedsplan {n // 4 + 1}",
            "kommune": KOMMUNER[(n // 4) % len(KOMMUNER)],
            "parter": [
                {"id": p, "navn": f"{text(rng, pool, 1)[:30].rstrip(' ,.')} ({p})", "type": "kommune"} for p in parties
            ],
        }
        (folder / plan_id).mkdir(parents=True)
        (folder / plan_id / "plan.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
        for area in range(min(4, count - n)):
            target = folder / plan_id / AREA_IDS[area]
            target.mkdir()
            versions = (
                [(date(2021, 1, 1), date(2022, 12, 31)), (date(2023, 1, 1), date(2026, 12, 31))]
                if (n + area) % 5 == 0
                else [(date(2022, 1, 1), date(2026, 12, 31))]
            )
            data = agreement(rng, pool, plan_id, area, *versions[0], parties)
            for number, (start, end) in enumerate(versions):
                if number:
                    data = amended(rng, pool, data, start, end)
                (target / f"{start.isoformat()}.yaml").write_text(
                    yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
                )
            (target / "maalinger.yaml").write_text(
                yaml.safe_dump(measurements(rng, data), allow_unicode=True, sort_keys=False, width=10_000),
                encoding="utf-8",
            )


def search_bytes(site: Path, query: str = "tryghed") -> tuple[int, int]:
    """Bytes a browser fetches for a first search query with a cold cache, gzipped as a server
    sends them: (search code and index: Pagefind and our script; everything the search page
    loads). Measured in chromium: what the page really requests, not a list of files."""
    sys.path.insert(0, str(REPO / "tests"))
    from browser import GuardedPage, browser, serve

    fetched: list[str] = []
    with serve(site) as url, browser() as instance:
        guarded = GuardedPage(instance)
        guarded.page.on("requestfinished", lambda request: fetched.append(request.url))
        guarded.page.goto(f"{url}soeg/?q={query}")
        guarded.page.locator(".soegeresultat__titel").first.wait_for(timeout=60_000)
        guarded.page.wait_for_load_state("networkidle")
        assert not guarded.foreign, guarded.foreign
        guarded.close()

    def size(address: str) -> int:
        path = site / urlsplit(address).path.lstrip("/")
        return len(gzip.compress((path / "index.html" if path.is_dir() else path).read_bytes()))

    search = sum(size(a) for a in set(fetched) if "/pagefind" in a or "soegning" in a)  # every part
    return search, sum(size(a) for a in set(fetched))


def preview_seconds(root: Path, env: dict, *, plan: str | None = "plan-0001", edits: int = 1) -> float:
    """Seconds from saving an edit to the served page showing it (the median of ``edits``
    edits), in `delaftale forhaandsvis` (mkdocs serve for one ``plan``) on the whole collection,
    or in a plain `mkdocs serve` of the whole site (``plan=None``). The initial build is not counted."""
    shown = plan or sorted(p.name for p in (root / "agreements").iterdir() if (p / "plan.yaml").is_file())[0]
    target = sorted((root / "agreements" / shown).glob("*/[0-9]*.yaml"))[0]  # a version, not maalinger.yaml
    url_path = f"{shown}/{target.parent.name}/"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env={**env, **({"DELAFTALER_PLAN": plan} if plan else {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def page() -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{url_path}", timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    original = target.read_text(encoding="utf-8")
    try:
        deadline = time.monotonic() + 600
        while "</html>" not in page():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"the server did not start ({'forhaandsvis' if plan else 'mkdocs serve'})")
            time.sleep(0.2)
        seconds = []
        for _ in range(edits):
            time.sleep(1.5)  # let the watcher settle after the last build
            marker = f"Rettet i forhåndsvisningen {time.time_ns()}"
            data = yaml.safe_load(original)
            data["resume"] = f"{marker}. {data.get('resume') or ''}"  # every generation shows it, at the top
            edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
            start = time.perf_counter()
            target.write_text(edited, encoding="utf-8")
            while marker not in page():
                if time.perf_counter() - start > 300:
                    raise SystemExit("the edit never showed")
                time.sleep(0.05)
            seconds.append(time.perf_counter() - start)
        return statistics.median(seconds)
    finally:
        target.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def timed_build(root: Path, env: dict) -> tuple[float, float, int, int]:
    """One `mkdocs build` in ``root``: (seconds, peak memory in MB of the largest process, PDFs
    made, PDFs taken from the cache), as its log says."""
    start = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    made = re.search(r"PDF: (\d+) lavet, (\d+) genbrugt", result.stderr)
    return seconds, int(result.stderr.strip().splitlines()[-1]) / 1024, int(made[1]), int(made[2])


def measure_integrity(count: int) -> dict:
    """Issue 21's figures: a cold build with PDFs (empty cache) and a second one with nothing
    changed, both without SOURCE_DATE_EPOCH (as the README's command and the pipelines build);
    the edit latency of `delaftale forhaandsvis` on the collection and of `mkdocs serve` on the
    bundled agreements."""
    with tempfile.TemporaryDirectory() as tmp:
        root = project(tmp, count)
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
        cold = timed_build(root, env)
        warm = timed_build(root, env)
        preview = preview_seconds(root, env, edits=5)
    with tempfile.TemporaryDirectory() as tmp:
        bundled = Path(tmp) / "projekt"
        shutil.copytree(REPO, bundled, ignore=shutil.ignore_patterns(".git", "site", ".cache", "node_modules"))
        serve = preview_seconds(
            bundled,
            {"PATH": "/usr/bin:/bin", "HOME": tmp, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)},
            plan=None,
            edits=5,
        )
    return {
        "n": count,
        "cold_s": cold[0],
        "cold_mb": cold[1],
        "cold_made": cold[2],
        "warm_s": warm[0],
        "warm_mb": warm[1],
        "warm_made": warm[2],
        "warm_reused": warm[3],
        "preview_s": preview,
        "serve_s": serve,
    }


def pdf_figures(root: Path, corpus) -> dict:
    """Cold and warm PDF figures for the corpus, leaving the cache in the project (see above)."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH  # creation dates, as in the build: the same cache keys
    pages = Renderer(root / "templates").render_corpus(corpus)
    html = {uri: convert(page.body, page.inserts).html for uri, page in pages.items()}  # as the plugin converts
    sources = pdf_sources(corpus, None)
    site = root / "pdf-maaling"
    start = time.perf_counter()
    cold = write_pdfs(sources, html.get, site, open_cache(root))
    cold_seconds = time.perf_counter() - start
    start = time.perf_counter()
    warm = write_pdfs(sources, html.get, site, open_cache(root))
    warm_seconds = time.perf_counter() - start
    assert warm.made == 0 and warm.reused == cold.made, (cold, warm)
    sizes = [path.stat().st_size for path in (root / CACHE_DIR).glob("*.pdf")]
    pages_made = 0
    if sizes:
        from pypdf import PdfReader

        sample = sorted((root / CACHE_DIR).glob("*.pdf"))[:50]
        pages_made = statistics.mean(len(PdfReader(path).pages) for path in sample)
    shutil.rmtree(site)
    return {
        "pdfs": cold.made,
        "pdf_cold_s": cold_seconds,
        "pdf_warm_s": warm_seconds,
        "pdf_mb": sum(sizes) / 1024 / 1024,
        "pdf_median_kb": statistics.median(sizes) / 1024,
        "pdf_pages": pages_made,
    }


def project(tmp: str, count: int) -> Path:
    root = Path(tmp) / "projekt"
    root.mkdir()
    for name in ("mkdocs.yml", "templates", "site_overrides", "docs"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    generate(root / "agreements", count)
    return root


def measure_pdf(count: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = project(tmp, count)
        return {"n": count, **pdf_figures(root, load_corpus(root / "agreements", reference_date=date(2025, 1, 1)))}


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = project(tmp, count)
        pdf = pdf_figures(root, load_corpus(root / "agreements", reference_date=date(2025, 1, 1)))

        start = time.perf_counter()
        corpus = load_corpus(root / "agreements", reference_date=date(2025, 1, 1))
        loaded = time.perf_counter()
        Renderer(root / "templates").render_corpus(corpus)
        yaml_seconds = time.perf_counter() - start
        load_seconds = loaded - start
        # The floor under the YAML share: libyaml (C) turning the files into nodes, nothing else.
        start = time.perf_counter()
        for path in sorted((root / "agreements").rglob("*.yaml")):
            yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        libyaml_seconds = time.perf_counter() - start

        env_time = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
        start = time.perf_counter()
        result = subprocess.run(
            [*env_time, sys.executable, "-m", "mkdocs", "build", "-q"],
            cwd=root,
            capture_output=True,
            text=True,
            env={
                "SOURCE_DATE_EPOCH": EPOCH,
                "PATH": "/usr/bin:/bin",
                "HOME": tmp,
                "NO_MKDOCS_2_WARNING": "1",
                "PYTHONPATH": str(REPO),
            },
        )  # this checkout's code
        build_seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(result.stderr[-3000:])
        if len(list((root / CACHE_DIR).glob("*.pdf"))) != pdf["pdfs"]:
            raise SystemExit(
                "the build made PDFs the measurement above had made: the build time would include "
                "cold PDFs (the bench's HTML differs from the build's)"
            )
        peak_kb = int(result.stderr.strip().splitlines()[-1]) if env_time else 0
        site = root / "site"
        preview = preview_seconds(
            root,
            {
                "PATH": "/usr/bin:/bin",
                "HOME": tmp,
                "NO_MKDOCS_2_WARNING": "1",
                "SOURCE_DATE_EPOCH": EPOCH,
                "PYTHONPATH": str(REPO),
            },
        )
        agreement_pages = [site / a.url / "index.html" for a in corpus.agreements]
        return {
            "n": count,
            "pages": sum(1 for _ in site.rglob("*.html")),
            "build_s": build_seconds,
            "yaml_s": yaml_seconds,
            "load_s": load_seconds,
            "libyaml_s": libyaml_seconds,
            "peak_mb": peak_kb / 1024,
            "median_page_kb": statistics.median(p.stat().st_size for p in agreement_pages) / 1024,
            "site_mb": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1024 / 1024,
            **dict(zip(("search_kb", "search_page_kb"), (b / 1024 for b in search_bytes(site)))),
            "preview_s": preview,
            **pdf,
        }


PDF_HEADER = (
    "| N | PDFs (published versions) | cold PDF time (per PDF) | PDF size total (median; pages) "
    "| a rebuild with nothing changed adds |\n| --- | --- | --- | --- | --- |"
)


def pdf_row(m: dict) -> str:
    return (
        f"| {m['n']} | {m['pdfs']} | {m['pdf_cold_s']:.0f} s ({1000 * m['pdf_cold_s'] / max(m['pdfs'], 1):.0f} ms) "
        f"| {m['pdf_mb']:.0f} MB ({m['pdf_median_kb']:.0f} KB; {m['pdf_pages']:.0f} pages) | {m['pdf_warm_s']:.2f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[250, 500, 1000, 2000])
    parser.add_argument("--pdf-only", action="store_true", help="measure only the PDFs (cold, warm, size)")
    parser.add_argument(
        "--integrity",
        action="store_true",
        help="issue 21's figures: cold and unchanged builds without SOURCE_DATE_EPOCH, edit latency",
    )
    args = parser.parse_args()
    if args.integrity:
        print(
            "| N | cold build (PDFs made; peak memory) | build with nothing changed (PDFs made / reused; peak) "
            "| forhaandsvis edit (median of 5) | mkdocs serve edit, bundled agreements (median of 5) |"
        )
        print("| --- | --- | --- | --- | --- |")
        for count in args.counts:
            m = measure_integrity(count)
            print(
                f"| {m['n']} | {m['cold_s']:.0f} s ({m['cold_made']} PDFs; {m['cold_mb']:.0f} MB) "
                f"| {m['warm_s']:.0f} s ({m['warm_made']} / {m['warm_reused']}; {m['warm_mb']:.0f} MB) "
                f"| {m['preview_s']:.2f} s | {m['serve_s']:.2f} s |",
                flush=True,
            )
        return
    if args.pdf_only:
        print(PDF_HEADER)
        for count in args.counts:
            print(pdf_row(measure_pdf(count)), flush=True)
        return
    rows = []
    print(
        "| N | pages | build | YAML load+validate+render (load; libyaml alone, 1 core) | share | peak memory | median agreement page | site "
        "| search, first query (whole search page) | preview of an edit |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for count in args.counts:
        m = measure(count)
        print(
            f"| {m['n']} | {m['pages']} | {m['build_s']:.1f} s | {m['yaml_s']:.2f} s ({m['load_s']:.2f} s; {m['libyaml_s']:.2f} s) "
            f"| {100 * m['yaml_s'] / m['build_s']:.1f} % "
            f"| {m['peak_mb']:.0f} MB | {m['median_page_kb']:.0f} KB | {m['site_mb']:.0f} MB "
            f"| {m['search_kb']:.0f} KB gz ({m['search_page_kb']:.0f} KB) | {m['preview_s']:.1f} s |",
            flush=True,
        )
        rows.append(pdf_row(m))
    print("\nPDFs (apart from the build above, which found them in the cache):\n" + PDF_HEADER + "\n" + "\n".join(rows))


if __name__ == "__main__":
    main()
