"""``delaftale``: check agreements, write the JSON Schema, render Markdown without MkDocs."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from generator.argparse_da import DanishParser
from generator.base.problems import DelaftaleError, Problem, display_path
from generator.base.typography import danish_date
from generator.corpus import load_corpus
from generator.model.delaftale import GENERATIONS
from generator.model.schema import delaftale_schema, maalinger_schema, plan_schema
from generator.publish.manifest import Manifest


def _site_url_problem(agreements: Path) -> Problem | None:
    """The public address as mkdocs.yml (beside the agreements folder) gives it, checked: it must
    be a full address when set, and set at all for a build that is published."""
    from generator.publish.siteurl import PRODUCTION_VARIABLE, SITE_URL_VARIABLE, production_build, site_url_problem

    config = agreements.resolve().parent / "mkdocs.yml"
    site_url = os.environ.get(SITE_URL_VARIABLE)
    if config.is_file():
        import yaml
        from mkdocs.utils.yaml import yaml_load  # resolves !ENV as MkDocs does

        try:
            with config.open(encoding="utf-8") as stream:
                site_url = (yaml_load(stream) or {}).get("site_url")
        except (OSError, yaml.YAMLError):
            pass  # MkDocs itself reports a broken mkdocs.yml
    problem = site_url_problem(site_url)
    if problem is None or (not site_url and not production_build()):
        return None
    why = f" ({PRODUCTION_VARIABLE} er sat, så sitet skal udgives)" if not site_url else ""
    return Problem(display_path(config), None, "site_url", problem + why)


def _refuse_links_outside(*folders: Path) -> None:
    """Before anything is read: no symbolic link may lead out of the project (see sources.py)."""
    from generator.source.symlinks import links_leading_outside

    root = Path(os.path.commonpath([os.path.dirname(os.path.abspath(folder)) for folder in folders]))
    problem = links_leading_outside(root, folders)
    if problem is not None:
        raise problem


def _validate(args: argparse.Namespace) -> int:

    _refuse_links_outside(args.mappe)
    problems = [p for p in [_site_url_problem(args.mappe)] if p is not None]
    try:
        published = Manifest.read_published(args.publiceret)
    except DelaftaleError as exc:  # a damaged manifest: reported with the agreements' problems, never taken as empty
        problems += exc.problems
        published = Manifest.empty()
    try:
        corpus = load_corpus(args.mappe, published=published.versioner)
    except DelaftaleError as exc:
        raise DelaftaleError([*exc.problems, *problems]) from None
    if problems:
        raise DelaftaleError(problems)
    for note in corpus.notes:
        print(f"Bemærk: {note}")
    versions = sum(len(a.versions) for a in corpus.agreements)
    print(f"Alt i orden: {len(corpus.plans)} planer, {len(corpus.agreements)} delaftaler, {versions} versioner.")
    return 0


def _schema(args: argparse.Namespace) -> int:
    args.ud.mkdir(parents=True, exist_ok=True)
    for name, schema in (("plan", plan_schema()), ("delaftale", delaftale_schema()), ("maalinger", maalinger_schema())):
        target = args.ud / f"{name}.schema.json"
        target.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"Skrev {target}")
    return 0


def _render_options(args: argparse.Namespace):
    """The settings of mkdocs.yml beside the agreements folder, as the plugin reads them (the
    same Site as a build), with this command's folders; the defaults where there is none."""
    from generator.publish.site import SiteOptions, reference_date

    config_file = args.mappe.resolve().parent / "mkdocs.yml"
    if not config_file.is_file():
        root = args.mappe.resolve().parent
        return SiteOptions(
            root=root,
            agreements_dir=args.mappe,
            templates_dir=args.skabeloner,
            reference_date=reference_date(None),
            published_addresses=root / "publicerede-adresser.json",
        )
    from mkdocs.config import load_config  # MkDocs only here: it reads mkdocs.yml as a build does
    from mkdocs.exceptions import ConfigurationError

    from generator.mkdocs.config import site_options

    try:
        config = load_config(str(config_file))
    except ConfigurationError as exc:
        raise DelaftaleError([Problem(display_path(config_file), None, "", f"kan ikke læses: {exc}")]) from None
    options = site_options(config, config.plugins["delaftaler"].config)
    return dataclasses.replace(options, agreements_dir=args.mappe, templates_dir=args.skabeloner)


def _render(args: argparse.Namespace) -> int:
    """The Site a build publishes (publish/site.py), as files: the generated pages as Markdown
    with their front matter, the feed, the open data, the redirect stubs and the figures."""
    import shutil

    from generator.publish.site import SiteOptionError, build_site  # Jinja is only needed here

    _refuse_links_outside(args.mappe, args.skabeloner)
    try:
        site = build_site(_render_options(args))
    except SiteOptionError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    pages = 0
    for path, content in site.files_to_write():
        target = args.ud / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        pages += path.endswith(".md")
    print(f"Skrev {pages} sider til {args.ud}")
    return 0


def _check_addresses(args: argparse.Namespace) -> int:
    from generator.publish.manifest import MANIFEST, REBUILD, REFETCH

    manifests: list[Manifest] = []
    problems: list[Problem] = []
    for path, fix in ((args.forrige, REFETCH), (args.site / MANIFEST, REBUILD)):
        try:
            manifests.append(Manifest.read(path, fix))
        except FileNotFoundError as exc:
            print(f"Fejl: {exc.filename} findes ikke — byg sitet først (mkdocs build)", file=sys.stderr)
            return 1
        except DelaftaleError as exc:  # both files checked: every problem in one run
            problems += exc.problems
    if problems:
        raise DelaftaleError(problems)
    previous, current = manifests
    missing = previous.missing_in(current)
    for address in missing:
        print(
            f"{args.forrige}: /{address} var offentliggjort, men findes ikke i den nye udgave — "
            "slet ikke sider, der er linket til; omdøb med 'tidligere_id', så den gamle adresse sender videre",
            file=sys.stderr,
        )
    if missing:
        return 1
    print(f"Alle {len(previous.sider) + len(previous.omdirigeringer)} offentliggjorte adresser findes stadig.")
    return 0


class _Refused(Exception):
    """Why ``ny-version`` makes no new version: said as 'Fejl: …', and nothing is written."""


def _date_option(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Refused(f"{option} '{text}' er ikke en dato på formen ÅÅÅÅ-MM-DD") from None


def _newest_version(folder: Path) -> Path:
    versions = sorted(p for p in folder.glob("*.yaml") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.stem))
    if not versions:
        raise _Refused(f"{folder} har ingen versioner (filer som 2024-01-01.yaml)")
    return versions[-1]


def _read_newest(newest: Path) -> tuple[str, date]:
    """The newest version's text and its gyldig_til."""
    from generator.source.yamlfile import YamlSyntaxError, parse_yaml  # per command, as the others: start-up time

    text = newest.read_text(encoding="utf-8")
    try:
        data = parse_yaml(text).data
        return text, date.fromisoformat(str(data.get("gyldig_til")))  # type: ignore[union-attr]
    except (YamlSyntaxError, AttributeError, ValueError):
        raise _Refused(
            f"{newest} kan ikke læses (tjek den med 'delaftale validate'), så den nye version kan ikke laves ud fra den"
        ) from None


def _new_end(newest: Path, start: date, end: date | None, old_end: date) -> date:
    """The new version's gyldig_til: as given, else the newest version's (when that is after the start)."""
    if end is None:
        if old_end <= start:
            raise _Refused(
                f"den nyeste version ({newest.name}) slutter {old_end.isoformat()}, før den nye starter — "
                "angiv den nye versions slutdato med --til ÅÅÅÅ-MM-DD"
            )
        end = old_end
    if end < start:
        raise _Refused(f"--til {end.isoformat()} ligger før --fra {start.isoformat()}")
    return end


def _draft_copy(text: str, start: date, end: date) -> str:
    """The newest version's text as the new draft: its period, without its approval, status and notes."""
    copy = re.sub(r"^gyldig_fra: .*$", f"gyldig_fra: {start.isoformat()}", text, count=1, flags=re.M)
    copy = re.sub(
        r"^(godkendt|aendringsnote|rettelser|status|hoeringsfrist):.*\n(?:[ \t]+.*\n|\n(?=[ \t]))*",
        "",
        copy,
        flags=re.M,
    )
    return re.sub(
        r"^gyldig_til: .*$",
        f"gyldig_til: {end.isoformat()}\nstatus: udkast                 "
        "# slet linjen, og tilføj 'godkendt:', når versionen er godkendt",
        copy,
        count=1,
        flags=re.M,
    )


def _close_newest(newest: Path, text: str, start: date, old_end: date, published: Manifest) -> None:
    """The newest version, which would overlap the new one, closed the day before its start; if
    it has been published, with a dated correction note that says so on its page."""
    day_before = start - timedelta(days=1)
    closed = re.sub(r"^gyldig_til: .*$", f"gyldig_til: {day_before.isoformat()}", text, count=1, flags=re.M)
    folder = newest.parent
    url = f"{folder.parent.name}/{folder.name}/{newest.stem}/"
    noted = published.was_published(url)
    if noted:
        note = (
            f"  - dato: {date.today().isoformat()}\n    tekst: Gyldighedsperioden er afkortet fra "
            f"{danish_date(old_end)} til {danish_date(day_before)}, fordi versionen fra {danish_date(start)} "
            "afløser denne version.\n"
        )
        if re.search(r"^rettelser:[ \t]*\n", closed, flags=re.M):
            closed = re.sub(r"^rettelser:[ \t]*\n", lambda m: m[0] + note, closed, count=1, flags=re.M)
        else:
            closed = closed.rstrip("\n") + "\nrettelser:\n" + note
    newest.write_text(closed, encoding="utf-8")
    print(
        f"Satte gyldig_til: {day_before.isoformat()} i {newest.name}, så perioderne ikke overlapper"
        + (" (med en dateret rettelse, da versionen er offentliggjort)." if noted else ".")
    )


def _new_version(args: argparse.Namespace) -> int:
    """Start a new version of a delaftale from its newest one, as a draft.

    Text edits, not a YAML round-trip: the author's comments and layout stay as they were. The
    past is read-only: only a version that would overlap the new one (it runs past the new
    start) is touched, by closing it the day before; if it has been published, a dated
    correction note says so on its page."""

    folder: Path = args.delaftale
    try:
        newest = _newest_version(folder)
        start, end = _date_option(args.fra, "--fra"), _date_option(args.til, "--til")
        published = Manifest.read_published(args.publiceret)  # before anything is written: a damaged one stops here
        target = folder / f"{start.isoformat()}.yaml"
        if target.exists() or start <= date.fromisoformat(newest.stem):
            raise _Refused(f"den nye version skal starte efter den nyeste ({newest.name})")
        text, old_end = _read_newest(newest)
        end = _new_end(newest, start, end, old_end)
    except _Refused as refused:
        print(f"Fejl: {refused}", file=sys.stderr)
        return 1
    target.write_text(_draft_copy(text, start, end), encoding="utf-8")
    print(f"Oprettede {target} (kopi af {newest.name}) som udkast: gælder {start.isoformat()} – {end.isoformat()}.")
    if old_end >= start:  # the newest version would overlap the new one: close it the day before
        _close_newest(newest, text, start, old_end, published)
    print("Ret den nye version. Når den er godkendt: slet 'status: udkast', og tilføj 'godkendt:' og 'aendringsnote:'.")
    return 0


def _preview(args: argparse.Namespace) -> int:
    """`mkdocs serve` for one plan (mkdocs.yml reads it from DELAFTALER_PLAN), run in this process:
    there is no child server to leave behind. Stopping this process by its id (SIGTERM, SIGHUP)
    stops the server as Ctrl+C does: port closed, temporary folder removed."""
    import signal

    from mkdocs.__main__ import cli as mkdocs_cli

    os.environ["DELAFTALER_PLAN"] = args.plan
    os.environ["DELAFTALER_UDKAST"] = "true"  # a preview shows drafts, with their banner
    print(
        f"Forhåndsvisning af '{args.plan}' på http://{args.adresse}/ — siden genindlæses, når du gemmer. "
        "Stop med Ctrl+C.",
        flush=True,
    )

    stop_signals = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]

    def stop(signum, frame):
        for stopping in stop_signals:  # once: let the shutdown finish
            signal.signal(stopping, signal.SIG_IGN)
        raise KeyboardInterrupt  # what Ctrl+C (SIGINT) raises: MkDocs shuts its server down

    previous = {stopping: signal.signal(stopping, stop) for stopping in stop_signals}
    try:
        mkdocs_cli.main(["serve", "--dev-addr", args.adresse], prog_name="mkdocs")
    except SystemExit as exc:  # click ends every command with SystemExit
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:  # stopped before the server was up
        return 0
    finally:
        for stopping, handler in previous.items():
            signal.signal(stopping, handler)
    return 0


def _import(args: argparse.Namespace) -> int:
    from generator.importer import ImportFejl, import_document

    try:
        result = import_document(args.fil, args.mappe, plan_id=args.plan, skabelon=args.skabelon)
    except ImportFejl as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    except OSError:
        raise  # main() reports it
    except Exception as exc:  # a document the recognition did not foresee: say so, without a traceback
        print(
            f"Fejl: {args.fil}: importen stoppede uventet ({type(exc).__name__}: {exc}) — intet er skrevet. "
            "Prøv med --skabelon, eller en anden udgave af dokumentet (.docx i stedet for .pdf)",
            file=sys.stderr,
        )
        return 1
    for path in result.written:
        print(f"Skrev {path}")
    print(
        "Udkastet har 'status: udkast' og offentliggøres ikke. Tjek hver linje med '# TJEK:', "
        "sammenlign med dokumentet, og slet så linjen 'status: udkast'."
    )
    if result.report:
        print(f"Rapport: {len(result.report)} ting at tjekke:")
        for line in result.report:
            print(f"  - {line}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = DanishParser(
        prog="delaftale", description="Værktøj til delaftaler skrevet i YAML. Sitet bygges med 'mkdocs build'."
    )
    sub = parser.add_subparsers(dest="kommando", required=True, metavar="KOMMANDO", title="kommandoer")

    check = sub.add_parser("validate", help="tjek alle aftaler og vis alle fejl (uden at bygge sitet)")
    check.add_argument(
        "--mappe", type=Path, default=Path("agreements"), help="mappen med aftaler (standard: agreements)"
    )
    check.add_argument(
        "--publiceret",
        type=Path,
        default=Path("publicerede-adresser.json"),
        help="adresserne fra sidste offentliggørelse: deres versioner må ikke ændres i det stille",
    )
    check.set_defaults(run=_validate)

    schema = sub.add_parser("schema", help="skriv JSON Schema for plan.yaml og delaftaler (til editorer)")
    schema.add_argument("--ud", type=Path, default=Path("schema"), help="mappen, skemaerne skrives til")
    schema.set_defaults(run=_schema)

    render = sub.add_parser(
        "render", help="skriv sitets genererede sider (Markdown) og filer til en mappe, som bygningen laver dem"
    )
    render.add_argument(
        "--mappe", type=Path, default=Path("agreements"), help="mappen med aftaler (standard: agreements)"
    )
    render.add_argument(
        "--skabeloner", type=Path, default=Path("templates"), help="mappen med skabeloner (standard: templates)"
    )
    render.add_argument("--ud", type=Path, required=True, help="mappen, siderne skrives til")
    render.set_defaults(run=_render)
    new = sub.add_parser("ny-version", help="start en ny version af en delaftale ud fra den nyeste")
    new.add_argument("delaftale", type=Path, help="delaftalens mappe, fx agreements/brondby-strand/tryghed")
    new.add_argument("--fra", required=True, help="datoen den nye version gælder fra (ÅÅÅÅ-MM-DD)")
    new.add_argument("--til", help="datoen den nye version gælder til (standard: den nyeste versions slutdato)")
    new.add_argument(
        "--publiceret",
        type=Path,
        default=Path("publicerede-adresser.json"),
        help="adresserne fra sidste offentliggørelse (en offentliggjort version får en rettelse)",
    )
    new.set_defaults(run=_new_version)

    importer = sub.add_parser("importer", help="lav et udkast i YAML ud fra en delaftale i Word, PDF eller tekst")
    importer.add_argument("fil", type=Path, help="dokumentet: .docx, .pdf eller .txt")
    importer.add_argument("--plan", help="planens id, hvis planen allerede findes (standard: ud fra planens navn)")
    importer.add_argument(
        "--skabelon", choices=list(GENERATIONS), help="skabelongenerationen (standard: gættes ud fra dokumentet)"
    )
    importer.add_argument(
        "--mappe", type=Path, default=Path("agreements"), help="mappen med aftaler (standard: agreements)"
    )
    importer.set_defaults(run=_import)

    preview = sub.add_parser(
        "forhaandsvis", help="vis én plan i browseren, mens du retter i den (genindlæses på et øjeblik)"
    )
    preview.add_argument("plan", help="planens id, fx brondby-strand")
    preview.add_argument("--adresse", default="127.0.0.1:8000", help="adresse og port (standard: 127.0.0.1:8000)")
    preview.set_defaults(run=_preview)

    addresses = sub.add_parser(
        "tjek-adresser", help="tjek at alle tidligere offentliggjorte adresser stadig findes (eller sender videre)"
    )
    addresses.add_argument(
        "--forrige",
        type=Path,
        default=Path("publicerede-adresser.json"),
        help="adresserne fra sidste offentliggørelse (standard: publicerede-adresser.json)",
    )
    addresses.add_argument("--site", type=Path, default=Path("site"), help="det nye, byggede site")
    addresses.set_defaults(run=_check_addresses)
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
