"""``delaftale``: check agreements, write the JSON Schema, render Markdown without MkDocs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import DelaftaleError
from .loading import load_corpus
from .models import delaftale_schema, plan_schema


def _validate(args: argparse.Namespace) -> int:
    corpus = load_corpus(args.mappe)
    for note in corpus.notes:
        print(f"Bemærk: {note}")
    versions = sum(len(a.versions) for a in corpus.agreements)
    print(f"Alt i orden: {len(corpus.plans)} planer, {len(corpus.agreements)} delaftaler, {versions} versioner.")
    return 0


def _schema(args: argparse.Namespace) -> int:
    args.ud.mkdir(parents=True, exist_ok=True)
    for name, schema in (("plan", plan_schema()), ("delaftale", delaftale_schema())):
        target = args.ud / f"{name}.schema.json"
        target.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"Skrev {target}")
    return 0


def _render(args: argparse.Namespace) -> int:
    from .rendering import Renderer  # Jinja is only needed here

    corpus = load_corpus(args.mappe)
    pages = Renderer(args.skabeloner).render_corpus(corpus)
    for uri, markdown in pages.items():
        target = args.ud / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    print(f"Skrev {len(pages)} sider til {args.ud}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="delaftale", description="Værktøj til delaftaler skrevet i YAML. Sitet bygges med 'mkdocs build'.")
    sub = parser.add_subparsers(dest="kommando", required=True, metavar="KOMMANDO")

    check = sub.add_parser("validate", help="tjek alle aftaler og vis alle fejl (uden at bygge sitet)")
    check.add_argument("--mappe", type=Path, default=Path("agreements"), help="mappen med aftaler (standard: agreements)")
    check.set_defaults(run=_validate)

    schema = sub.add_parser("schema", help="skriv JSON Schema for plan.yaml og delaftaler (til editorer)")
    schema.add_argument("--ud", type=Path, default=Path("schema"), help="mappen, skemaerne skrives til")
    schema.set_defaults(run=_schema)

    render = sub.add_parser("render", help="skriv de genererede Markdown-sider til en mappe (til fejlsøgning)")
    render.add_argument("--mappe", type=Path, default=Path("agreements"))
    render.add_argument("--skabeloner", type=Path, default=Path("templates"))
    render.add_argument("--ud", type=Path, required=True)
    render.set_defaults(run=_render)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DelaftaleError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Fejl: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
