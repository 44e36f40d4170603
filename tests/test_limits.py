"""Bounded work (issue 21, item 7): images, measurements, activities and Word files over their
limits are refused with a located Danish message, before the build spends minutes or gigabytes.

Real YAML files, real `delaftale validate`, `mkdocs build` and `delaftale importer` runs, images
made by Pillow, a .docx made by LibreOffice and real zip files.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, Project
from PIL import Image

from generator.corpus import load_corpus
from generator.importer.read_docx import MAX_DOCX_BYTES, MAX_DOCX_PARAGRAPHS, MAX_DOCX_PART_BYTES, read_docx
from generator.model.activities import MAX_ACTIVITIES
from generator.model.indicators import MAX_MEASUREMENTS, MAX_MEASUREMENTS_PER_FILE
from generator.source import figures

VERSION = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"
FOLDER = "solbakken/tryghed-og-trivsel"
TEXT = "sammenhaeng_kommunal: |\n  Indsatsen supplerer kommunens SSP-arbejde.\n"


def line_of(project: Project, relative: str, needle: str) -> int:
    lines = (project.agreements / relative).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def problems(project: Project) -> str:
    result = project.validate()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


# --------------------------------------------------------------------------- activities, measurements


def activity(n: int) -> str:
    return (
        f"  - id: aktivitet-{n}\n    navn: Aktivitet {n}\n    formaal: At prøve.\n    maalgrupper: Alle beboere\n"
        f"    indhold: Noget.\n    roller:\n      - part: sekretariatet\n        tekst: Står for den.\n"
    )


def test_a_version_with_10000_activities_is_refused_by_validate(project):
    text = (project.agreements / VERSION).read_text(encoding="utf-8")
    head = text[: text.index("aktiviteter:\n")]
    project.write(VERSION, head + "aktiviteter:\n" + "".join(activity(n) for n in range(10_000)))
    found = problems(project)
    line = line_of(project, VERSION, "aktiviteter:")
    assert (
        f"agreements/{VERSION}:{line}: aktiviteter: versionen har 10.000 aktiviteter; højst {MAX_ACTIVITIES} pr. "
        "version — saml de aktiviteter, der hører sammen, eller del indsatsområdet i flere delaftaler"
    ) in found, found


def test_a_version_at_the_activity_limit_validates(project):
    text = (project.agreements / VERSION).read_text(encoding="utf-8")
    head = text[: text.index("aktiviteter:\n")]
    project.write(VERSION, head + "aktiviteter:\n" + "".join(activity(n) for n in range(MAX_ACTIVITIES)))
    result = project.validate()
    assert result.returncode == 0, result.stderr


def measured(project: Project, counts: list[int]) -> str:
    """Ids on Solbakken's two indicators; maalinger.yaml with ``counts`` measurements for each (of
    them, then of indicators a file refused for its size is not checked against)."""
    project.edit(
        VERSION,
        "      - tekst: Andel der føler sig trygge i boligområdet\n",
        "      - id: tryghed\n        tekst: Andel der føler sig trygge i boligområdet\n",
    )
    project.edit(
        VERSION,
        "      - tekst: Der afholdes 40 tryghedsvandringer\n",
        "      - id: vandringer\n        tekst: Der afholdes 40 tryghedsvandringer\n",
    )
    lines = ["indikatorer:"]
    for indicator, count in zip(["tryghed", "vandringer", *(f"indikator-{n}" for n in range(3, 10))], counts):
        lines += [f"  - indikator: {indicator}", "    maalinger:"]
        lines += [f"      - tid: {2000 + n % 30}\n        vaerdi: {n % 100}" for n in range(count)]
    relative = f"{FOLDER}/maalinger.yaml"
    project.write(relative, "\n".join(lines) + "\n")
    return relative


def test_100000_measurements_of_one_indicator_are_refused_by_validate(project):
    relative = measured(project, [100_000, 1])
    found = problems(project)
    line = line_of(project, relative, "maalinger:")
    assert (
        f"agreements/{relative}:{line}: indikatorer[0].maalinger: indikatoren har 100.000 målinger; højst "
        f"{MAX_MEASUREMENTS} pr. indikator — skriv én måling pr. opgørelse (fx pr. år, kvartal eller måned), ikke "
        "hver enkelt registrering"
    ) in found, found


def test_measurements_spread_over_indicators_are_bounded_per_file(project):
    over = MAX_MEASUREMENTS_PER_FILE // MAX_MEASUREMENTS + 1  # indicators, each at its own limit
    relative = measured(project, [MAX_MEASUREMENTS] * (over - 1) + [1])
    found = problems(project)
    assert (
        f"agreements/{relative}:1: indikatorer: filen har 2.001 målinger i alt; højst 2.000 pr. fil — skriv én "
        "måling pr. opgørelse"
    ) in found, found
    assert "pr. indikator" not in found  # the first indicator, at its limit, is not over it


# --------------------------------------------------------------------------- images


def with_figure(project: Project, name: str, data: bytes) -> int:
    """``data`` as the image ``name`` beside the version, shown in one of its texts; its line."""
    (project.agreements / FOLDER / name).write_bytes(data)
    project.edit(VERSION, TEXT, TEXT + f"\n  ![Kort over området]({name})\n")
    return line_of(project, VERSION, f"]({name})")


def image(size: tuple[int, int], kind: str = "PNG", mode: str = "RGB", **options) -> bytes:
    """A real image made by Pillow: a plain colour with a band, so it compresses as a diagram does."""
    picture = Image.new(mode, size, "white")
    if mode == "RGB":
        picture.paste((30, 90, 160), (0, 0, size[0], size[1] // 3))
    out = io.BytesIO()
    picture.save(out, kind, **options)
    return out.getvalue()


def test_an_image_over_the_byte_limit_is_refused_before_the_build(project):
    data = image((2000, 1900), compress_level=0)  # 11.4 MB: stored without compression, as a photo nearly is
    assert len(data) > figures.MAX_IMAGE_BYTES
    line = with_figure(project, "kort.png", data)
    found = problems(project)
    assert (
        f"agreements/{VERSION}:{line}: sammenhaeng_kommunal: figuren 'kort.png' fylder 11,4 MB; et billede må "
        "højst fylde 10 MB, da det kopieres til sitet og ind i hver PDF, der viser det — gem billedet i mindre "
        "opløsning, fx højst 4000 × 4000 punkter, eller et foto som JPEG"
    ) in found, found


def test_a_png_bomb_is_refused_from_its_header_and_the_built_site_is_kept(project):
    assert project.build_here().returncode == 0
    before = project.page("solbakken/tryghed-og-trivsel")
    data = image((30000, 30000), mode="1")  # 900 million pixels in 109 KB
    assert len(data) < 200_000
    line = with_figure(project, "kort.png", data)
    result = project.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        f"agreements/{VERSION}:{line}: sammenhaeng_kommunal: figuren 'kort.png' er 30000 × 30000 punkter (900 "
        "mio.); et billede må højst have 25 mio. punkter — gem billedet i mindre opløsning, fx højst 4000 × 4000 "
        "punkter"
    ) in result.stderr, result.stderr
    assert project.page("solbakken/tryghed-og-trivsel") == before
    assert not (project.site / "figurer").exists()


def damaged(data: bytes, marker: bytes) -> bytes:
    """``data`` with ten bytes of its image data changed, 20 bytes after ``marker``."""
    start = data.index(marker) + 20
    return data[:start] + bytes(b ^ 0x55 for b in data[start : start + 10]) + data[start + 10 :]


def test_a_png_with_a_damaged_body_is_refused(project):
    good = image((400, 300))
    line = with_figure(project, "kort.png", damaged(good, b"IDAT"))
    found = problems(project)
    assert (
        f"agreements/{VERSION}:{line}: sammenhaeng_kommunal: filen 'kort.png' er et beskadiget PNG-billede, som "
        "ikke kan vises — åbn det i et billedprogram, og gem det igen som PNG"
    ) in found, found


@pytest.mark.parametrize(
    "name, kind, shown", [("kort.jpg", "JPEG", "JPEG"), ("kort.gif", "GIF", "GIF"), ("kort.webp", "WEBP", "WebP")]
)
def test_a_jpeg_gif_or_webp_cut_short_is_refused(project, name, kind, shown):
    good = image((400, 300), kind)
    line = with_figure(project, name, good[: len(good) // 2])
    found = problems(project)
    assert (
        f"agreements/{VERSION}:{line}: sammenhaeng_kommunal: filen '{name}' er et beskadiget {shown}-billede, som "
        f"ikke kan vises — åbn det i et billedprogram, og gem det igen som {shown}"
    ) in found, found


def test_an_animation_counts_the_pixels_of_all_its_frames(project):
    frames = [Image.new("P", (1000, 1000), n) for n in range(30)]  # 30 million pixels together
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    line = with_figure(project, "film.gif", out.getvalue())
    found = problems(project)
    assert (
        f"agreements/{VERSION}:{line}: sammenhaeng_kommunal: figuren 'film.gif' er en animation med 30 billeder på "
        "1000 × 1000 punkter (30 mio. punkter i alt); et billede må højst have 25 mio. punkter — gem billedet i "
        "mindre opløsning, fx højst 4000 × 4000 punkter, og med færre billeder"
    ) in found, found


def test_images_within_the_limits_of_each_kind_validate(project):
    images = {
        "a.png": image((400, 300)),
        "b.jpg": image((400, 300), "JPEG"),
        "c.gif": image((400, 300), "GIF"),
        "d.webp": image((400, 300), "WEBP"),
        "e.png": image((5000, 5000), mode="L"),
    }  # e: at the pixel limit
    for name, data in images.items():
        (project.agreements / FOLDER / name).write_bytes(data)
        project.edit(VERSION, TEXT, TEXT + f"\n  ![Figur {name}]({name})\n")
    result = project.validate()
    assert result.returncode == 0, result.stderr


def test_an_image_is_decoded_once_however_many_texts_show_it(project):
    (project.agreements / FOLDER / "kort.png").write_bytes(image((400, 300)))
    project.edit(VERSION, TEXT, TEXT + "\n  ![Kort over området](kort.png)\n")
    project.edit(VERSION, "revision: |\n", "revision: |\n  ![Kort over området igen](kort.png)\n\n")
    figures.image_problem.cache_clear()
    load_corpus(project.agreements, root=project.root)
    load_corpus(project.agreements, root=project.root)  # a rebuild (mkdocs serve) of the same files
    info = figures.image_problem.cache_info()
    assert (info.misses, info.hits) == (1, 3)
    (project.agreements / FOLDER / "kort.png").write_bytes(image((401, 300)))  # a new image: checked again
    load_corpus(project.agreements, root=project.root)
    assert figures.image_problem.cache_info().misses == 2


# --------------------------------------------------------------------------- Word files


@pytest.fixture(scope="module")
def libreoffice_docx(tmp_path_factory) -> Path:
    """A real .docx written by LibreOffice: a heading, a paragraph, a list and a table."""
    folder = tmp_path_factory.mktemp("libreoffice")
    source = folder / "aftale.html"
    source.write_text(
        "<html><body><h1>Delaftale for indsatsområdet Tryghed</h1><p>Aftalen gælder fra 2024.</p>"
        "<h2>Aktiviteter</h2><ul><li>Tryghedsvandringer</li><li>Gårdfester</li></ul>"
        "<table border='1'><tr><td>Formål:</td><td>Tryghed</td></tr></table></body></html>",
        encoding="utf-8",
    )
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "aftale.docx"


def repacked(
    docx: Path,
    target: Path,
    replace: dict[str, bytes] | None = None,
    padded: dict[str, tuple[bytes, int]] | None = None,
) -> Path:
    """``docx`` as a real zip file with some parts replaced, and ``padded[name] = (after, size)``:
    the part with ``size`` bytes of spaces written after ``after`` (a zip bomb's way: they compress
    a thousandfold); a name the document does not have is a new part of only spaces."""
    padded = padded or {}
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        names = [info.filename for info in source.infolist()]
        for name in names + [n for n in padded if n not in names]:
            data = (replace or {}).get(name) or (source.read(name) if name in names else b"")
            if name not in padded:
                out.writestr(name, data)
                continue
            after, size = padded[name]
            head, marker, tail = data.partition(after) if after else (b"", b"", data)
            with out.open(name, "w", force_zip64=True) as member:
                member.write(head + marker)
                for _ in range(size // 1_000_000):
                    member.write(b" " * 1_000_000)
                member.write(tail)
    return target


def import_cli(document: Path, cwd: Path) -> subprocess.CompletedProcess:
    agreements = cwd / "agreements"
    agreements.mkdir(parents=True)
    shutil.copy(REPO / "agreements" / "indsatsomraader.yaml", agreements)
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "importer", str(document)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def refused(result: subprocess.CompletedProcess, cwd: Path) -> str:
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert [p.name for p in (cwd / "agreements").iterdir()] == ["indsatsomraader.yaml"]  # nothing written
    return result.stderr


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(libreoffice_docx, tmp_path):
    # word/document.xml, the part every reader unpacks, grows to 300 MB in a file of 300 KB
    bomb = repacked(libreoffice_docx, tmp_path / "bombe.docx", padded={"word/document.xml": (b"<w:body>", 300_000_000)})
    assert bomb.stat().st_size < 500_000
    found = refused(import_cli(bomb, tmp_path / "p"), tmp_path / "p")
    assert (
        f"Fejl: {bomb}: delen 'word/document.xml' af Word-filen fylder 300 MB udpakket; højst "
        f"{MAX_DOCX_PART_BYTES // 1_000_000} MB pr. del kan importeres — del dokumentet i flere Word-filer, fx én pr. "
        "delaftale, og importer dem hver for sig"
    ) in found, found


def test_a_docx_whose_parts_together_unpack_too_large_is_refused(libreoffice_docx, tmp_path):
    parts = {f"word/media/billede{n}.png": (b"", 45_000_000) for n in range(5)}  # 225 MB, each under its limit
    document = repacked(libreoffice_docx, tmp_path / "billeder.docx", padded=parts)
    found = refused(import_cli(document, tmp_path / "p"), tmp_path / "p")
    assert (
        f"Fejl: {document}: Word-filen fylder 225 MB udpakket; højst {MAX_DOCX_BYTES // 1_000_000} MB kan "
        "importeres — gem billederne i lavere opløsning (Komprimer billeder i Word), eller del dokumentet i flere "
        "Word-filer, fx én pr. delaftale, og importer dem hver for sig"
    ) in found, found


def paragraphs_docx(libreoffice_docx: Path, target: Path, count: int) -> Path:
    """The LibreOffice document with its body replaced by ``count`` one-word paragraphs."""
    with zipfile.ZipFile(libreoffice_docx) as source:
        text = source.read("word/document.xml")
    head, _, rest = text.partition(b"<w:body>")
    section = rest[rest.index(b"<w:sectPr") :]
    body = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * count
    return repacked(libreoffice_docx, target, replace={"word/document.xml": head + b"<w:body>" + body + section})


def test_a_docx_of_1_2_million_paragraphs_is_refused(libreoffice_docx, tmp_path):
    document = paragraphs_docx(libreoffice_docx, tmp_path / "afsnit.docx", 1_200_000)
    assert document.stat().st_size < 300_000
    found = refused(import_cli(document, tmp_path / "p"), tmp_path / "p")
    limit = f"{MAX_DOCX_PARAGRAPHS:,}".replace(",", ".")
    assert (
        f"Fejl: {document}: dokumentet har 1.200.000 afsnit; højst {limit} kan importeres — del dokumentet i flere "
        "Word-filer, fx én pr. delaftale, og importer dem hver for sig"
    ) in found, found


def test_a_docx_at_the_paragraph_limit_is_read(libreoffice_docx, tmp_path):
    document = paragraphs_docx(libreoffice_docx, tmp_path / "afsnit.docx", MAX_DOCX_PARAGRAPHS)
    blocks = read_docx(document)
    assert len(blocks) == MAX_DOCX_PARAGRAPHS and {b.kind for b in blocks} == {"para"}


def test_a_libreoffice_document_keeps_its_headings_lists_and_tables(libreoffice_docx):
    """Each paragraph's style is read from the styles part once (not by python-docx's search per
    paragraph), with python-docx's names: LibreOffice's 'Heading1' is 'Heading 1'."""
    blocks = [(b.kind, b.text, b.level, b.rows) for b in read_docx(libreoffice_docx)]
    assert blocks == [
        ("heading", "Delaftale for indsatsområdet Tryghed", 1, []),
        ("para", "Aftalen gælder fra 2024.", 0, []),
        ("heading", "Aktiviteter", 2, []),
        ("item", "Tryghedsvandringer", 0, []),
        ("item", "Gårdfester", 0, []),
        ("table", "", 0, [["Formål:", "Tryghed"]]),
    ]
