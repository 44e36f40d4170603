"""Nothing a build or a command does reaches beyond its own folders, and nothing switches the
checks off (issue 21, items 3, 4, 8 and 9):

- a ``site`` that is a link (or a file) is refused, not replaced with what it points to;
- `delaftale importer` writes only in ``agreements/``, its validation copy only in a temporary folder;
- the search index's scratch folders of a killed build are removed by the next build, never
  those of a build running at the same time;
- a damaged ``publicerede-adresser.json`` is a located error that stops validate, the build,
  ``ny-version`` and ``tjek-adresser``, never an empty record.

Real builds, real links, real documents, a real SIGKILL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURE, REPO, make_project

SEED = Path(__file__).parent / "data" / "seeds" / "002_1fc611896f201ded.txt"  # plan 'en-faelles-indsats'
VERSIONS = FIXTURE.parent / "versioner" / "agreements"
AGREEMENT = "lindely/tryghed"
EPOCH_2025 = {"SOURCE_DATE_EPOCH": "1735689600"}  # 2025-01-01


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO), **EPOCH_2025, **env},
    )


def build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return run(root, "-m", "mkdocs", "build", "--strict", *extra)


def set_plugin_option(root: Path, line: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      agreements_dir: agreements\n" in text
    config.write_text(
        text.replace("      agreements_dir: agreements\n", f"      agreements_dir: agreements\n{line}\n"),
        encoding="utf-8",
    )


def line_of(path: Path, start: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith(start))


# --------------------------------------------------------------------------- 3. a site that is a link


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder with something else in it, that a link named site points to."""
    folder = tmp_path / "hjemme"
    folder.mkdir()
    (folder / "precious.txt").write_text("uerstattelig\n", encoding="utf-8")
    (folder / "billeder").mkdir()
    (folder / "billeder" / "ferie.txt").write_text("også\n", encoding="utf-8")
    return folder


def _refused(result: subprocess.CompletedProcess, home: Path, before: dict[str, bytes]) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Intet er bygget eller slettet; det tidligere site er uændret." in result.stderr
    assert tree(home) == before
    assert sorted(p.name for p in home.parent.iterdir() if p.name.startswith(home.name)) == [home.name]


def test_a_site_link_in_mkdocs_yml_is_refused_and_the_folder_it_points_to_is_untouched(project, home):
    link = project.root / "site"
    link.symlink_to(home, target_is_directory=True)
    before = tree(home)
    result = build(project.root)
    _refused(result, home, before)
    line = line_of(project.root / "mkdocs.yml", "site_dir:")
    assert (
        f"mkdocs.yml:{line}: site_dir: '{link}' er et symbolsk link (til {home}), og bygningen ville erstatte hele "
        "den mappe, linket peger på"
    ) in result.stderr
    assert "'publish_through_link: true' under delaftaler i mkdocs.yml" in result.stderr
    assert link.is_symlink() and os.readlink(link) == str(home)
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith("site")) == ["site", "site_overrides"]


def test_a_link_given_to_mkdocs_build_d_is_refused_too(project, home, tmp_path):
    link = tmp_path / "ud"
    link.symlink_to(home, target_is_directory=True)
    before = tree(home)
    result = build(project.root, "-d", str(link))
    _refused(result, home, before)
    assert f"mkdocs.yml: site_dir: (angivet med -d/--site-dir) '{link}' er et symbolsk link" in result.stderr
    assert not (project.root / "site").exists()


def test_a_link_inside_a_parent_that_is_a_link_is_refused(project, home, tmp_path):
    elsewhere = tmp_path / "andetsteds"
    elsewhere.mkdir()
    (elsewhere / "site").symlink_to(home, target_is_directory=True)
    (project.root / "ud").symlink_to(elsewhere, target_is_directory=True)
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_dir: site\n", "site_dir: ud/site\n"), encoding="utf-8"
    )
    before = tree(home)
    result = build(project.root)
    _refused(result, home, before)
    assert (
        f"mkdocs.yml:{line_of(config, 'site_dir:')}: site_dir: '{project.root / 'ud' / 'site'}' er et symbolsk link"
        in result.stderr
    )
    assert sorted(p.name for p in elsewhere.iterdir()) == ["site"]


def test_a_site_folder_reached_through_a_parent_link_is_still_built(project, tmp_path):
    """Only the folder that is replaced may not be a link: a project in a linked folder builds."""
    elsewhere = tmp_path / "andetsteds"
    elsewhere.mkdir()
    (project.root / "ud").symlink_to(elsewhere, target_is_directory=True)
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_dir: site\n", "site_dir: ud/site\n"), encoding="utf-8"
    )
    result = build(project.root)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "site" / "index.html").is_file()


def test_a_site_that_is_a_file_is_refused_and_kept(project):
    site = project.root / "site"
    site.write_text("ikke et site\n", encoding="utf-8")
    result = build(project.root)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert (
        f"mkdocs.yml:{line_of(project.root / 'mkdocs.yml', 'site_dir:')}: site_dir: '{site}' er en fil, ikke en "
        "mappe, og bygningen ville erstatte den med sitet — flyt eller slet filen"
    ) in result.stderr
    assert site.read_text(encoding="utf-8") == "ikke et site\n"
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith("site")) == ["site", "site_overrides"]


def test_the_config_can_say_that_the_link_leads_to_a_folder_of_the_site_alone(project, tmp_path):
    www = tmp_path / "www" / "html"
    www.mkdir(parents=True)
    (www / "gammel.html").write_text("det forrige site\n", encoding="utf-8")
    link = project.root / "site"
    link.symlink_to(www, target_is_directory=True)
    set_plugin_option(project.root, "      publish_through_link: true")
    result = build(project.root)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and (link / "index.html").is_file() and not (link / "gammel.html").exists()
    assert sorted(p.name for p in www.parent.iterdir()) == ["html"]


# --------------------------------------------------------------------------- 4. the importer's --plan


def importer_project(root: Path) -> Path:
    """A project folder with templates and an agreements folder holding only the vocabulary."""
    (root / "agreements").mkdir(parents=True)
    shutil.copy(REPO / "agreements" / "indsatsomraader.yaml", root / "agreements")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def _import(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run(root, "-m", "generator.cli", "importer", str(SEED), *args, **env)


def test_plan_must_be_an_id_and_nothing_is_written_outside_agreements(tmp_path):
    """``--plan ../../x`` led out of agreements/ (to tmp/x) and, in the validation copy, out of the
    temporary folder (to $TMPDIR/x), where it overwrote an existing plan.yaml."""
    root = importer_project(tmp_path / "projekt")
    temporary = tmp_path / "tmp"
    existing = temporary / "x"  # where ../../x leads from the validation copy ($TMPDIR/delaftale-import-…/agreements)
    (existing / "tryghed").mkdir(parents=True)
    (existing / "plan.yaml").write_text("id: x\nnavn: En andens plan\n", encoding="utf-8")
    (existing / "tryghed" / "2018-01-01.yaml").write_text("# en andens version\n", encoding="utf-8")
    before = tree(tmp_path)
    result = _import(root, "--plan", "../../x", TMPDIR=str(temporary))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "Fejl: --plan '../../x' er ikke et plan-id — skriv id'et på en plan (navnet på dens mappe i agreements), "
        "med kun små bogstaver a-z, tal og bindestreger, fx --plan x"
    ) in result.stderr
    assert tree(tmp_path) == before
    assert not (tmp_path / "x").exists()  # where ../../x leads from agreements/


def test_an_absolute_plan_is_refused_in_danish(tmp_path):
    root = importer_project(tmp_path / "projekt")
    elsewhere = tmp_path / "andetsteds"
    result = _import(root, "--plan", str(elsewhere))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "importen stoppede uventet" not in result.stderr
    assert f"Fejl: --plan '{elsewhere}' er ikke et plan-id" in result.stderr
    assert not elsewhere.exists()
    assert tree(root / "agreements") == {
        "indsatsomraader.yaml": (REPO / "agreements" / "indsatsomraader.yaml").read_bytes()
    }


def test_a_plan_folder_that_links_out_of_agreements_is_not_written_through(tmp_path):
    """An existing plan whose folder is a link leading out of agreements/: the import would land there."""
    first = importer_project(tmp_path / "forste")
    assert _import(first).returncode == 0
    outside = tmp_path / "ude"
    shutil.copytree(first / "agreements" / "en-faelles-indsats", outside)
    shutil.rmtree(outside / "sammenhaengskraft-og-medborgerskab")  # the plan alone, without the delaftale
    root = importer_project(tmp_path / "projekt")
    (root / "agreements" / "en-faelles-indsats").symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    result = _import(root, "--plan", "en-faelles-indsats")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "ligger uden for agreements, og importen skriver kun i mappen med aftaler — intet er skrevet" in result.stderr
    )
    assert tree(outside) == before


# --------------------------------------------------------------------------- 8. scratch folders of a killed build

_KILLED_BUILD = textwrap.dedent("""
    import json, os, signal, subprocess, sys, time
    from pathlib import Path

    slow, quick, temporary, options = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    # This namespace's own /dev/shm: what other builds on the machine keep there is out of reach.
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", "/dev/shm"], check=True)

    def scratch():
        return sorted(str(p) for parent in (Path("/dev/shm"), temporary) for p in parent.glob("delaftaler-soeg-*"))

    def runs_pagefind(pid):  # conftest.runs_pagefind, in this script's own namespace
        children = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                children += (task / "children").read_text().split()
            except OSError:
                continue
        for child in children:
            try:
                if b"pagefind" in Path(f"/proc/{child}/cmdline").read_bytes():
                    return True
            except OSError:
                continue
        return False

    def build(root):
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                                capture_output=True, text=True)
        return [result.returncode, result.stderr[-2000:]]

    running = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=slow,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    while not runs_pagefind(running.pid) and running.poll() is None:
        time.sleep(0.01)
    os.kill(running.pid, signal.SIGSTOP)  # holds its scratch folder while another build runs
    theirs = scratch()
    beside = build(quick)
    while_running = [os.path.isdir(p) for p in theirs]
    os.killpg(running.pid, signal.SIGKILL)  # as a CI runner cancels a job: Pagefind too
    running.wait()
    after_kill = [os.path.isdir(p) for p in theirs]
    next_build = build(quick)
    print(json.dumps({"theirs": theirs, "beside": beside, "while_running": while_running, "after_kill": after_kill,
                      "next": next_build, "left": scratch()}))
""")


def _in_private_mounts(script: str, *args: str, temporary: Path) -> subprocess.CompletedProcess:
    """``python -c script args`` in a mount namespace of its own (as root, or in a user namespace, or
    through sudo; as tests/test_interrupts.py mounts its full disk), with ``temporary`` as $TMPDIR."""
    namespace = ["unshare", "--mount", "--propagation", "private"]
    ways = (
        [namespace]
        if os.geteuid() == 0
        else [[namespace[0], "--map-root-user", *namespace[1:]], ["sudo", "-n", "--preserve-env", *namespace]]
    )
    failures = []
    for way in ways:
        result = subprocess.run(
            [*way, sys.executable, "-c", script, *args],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "PYTHONPATH": str(REPO), **EPOCH_2025, "TMPDIR": str(temporary)},
        )
        if result.returncode == 0:
            return result
        failures.append(f"{' '.join(way)}: {result.stderr.strip()[-1000:]}")
    raise AssertionError("no private mount namespace could be made:\n" + "\n".join(failures))


@pytest.mark.slow  # builds the 80 agreements of `generated`
@pytest.mark.timeout(600)
@pytest.mark.parametrize(
    "where, options", [("memory", "size=256m"), ("temporary folder", "ro")], ids=["dev-shm", "tmp-dir"]
)
def test_the_next_build_removes_the_search_scratch_of_a_killed_build_but_not_of_a_running_one(
    generated, tmp_path, where, options
):
    """A read-only /dev/shm sends the scratch folders to the temporary folder ($TMPDIR)."""
    slow = tmp_path / "langsom"
    shutil.copytree(generated.root, slow)
    quick = make_project(tmp_path / "hurtig")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = _in_private_mounts(_KILLED_BUILD, str(slow), str(quick.root), str(temporary), options, temporary=temporary)
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(outcome["theirs"]) == 1, outcome
    assert outcome["theirs"][0].startswith("/dev/shm/" if where == "memory" else f"{temporary}/")
    assert outcome["beside"][0] == 0, outcome["beside"][1]
    assert outcome["while_running"] == [True]  # the running build's folder is left alone
    assert outcome["after_kill"] == [True]  # SIGKILL: no handler runs, the folder stays ...
    assert outcome["next"][0] == 0, outcome["next"][1]
    assert outcome["left"] == []  # ... until the next build removes it (and its own)


# --------------------------------------------------------------------------- 9. the published record


@pytest.fixture
def published(tmp_path):
    """The versions project, built and published, with a published approved version edited since."""
    project = make_project(tmp_path / "projekt", VERSIONS)
    assert build(project.root).returncode == 0
    record = project.root / "publicerede-adresser.json"
    record.write_bytes((project.site / "adresser.json").read_bytes())
    project.edit(f"{AGREEMENT}/2020-01-01.yaml", "to gange om året", "tre gange om året")
    result = project.validate()
    assert result.returncode == 1 and "er offentliggjort, og 'aktiviteter' er ændret siden" in result.stderr
    project.edit(f"{AGREEMENT}/2020-01-01.yaml", "tre gange om året", "to gange om året")
    assert project.validate().returncode == 0
    return project


def _damaged(record: str) -> str:
    data = json.loads(record)
    key = f"{AGREEMENT}/2020-01-01/"
    data["versioner"][key]["rettelser"] = "0"
    data["versioner"][key]["status"] = "Godkendt"
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


FIX = "hent den seneste udgave fra git (git checkout -- publicerede-adresser.json)"
CASES = {
    "malformed JSON": (lambda record: record[: len(record) // 2], None),
    "an empty list": (
        lambda record: "[]\n",
        ":1: filen skal være et objekt med 'sider', 'omdirigeringer', "
        "'versioner' og 'datafiler' (som site/adresser.json), men er en liste",
    ),
    "a list of numbers": (lambda record: "[1, 2, 3]\n", ":1: filen skal være et objekt med 'sider'"),
    "a string": (
        lambda record: '"x"\n',
        ":1: filen skal være et objekt med 'sider', 'omdirigeringer', "
        "'versioner' og 'datafiler' (som site/adresser.json), men er teksten 'x'",
    ),
    "an empty object": (lambda record: "{}\n", ":1: versioner: 'versioner' mangler"),
    "wrong types": (
        _damaged,
        f"versioner.{AGREEMENT}/2020-01-01/.rettelser: skal være et helt tal, men er teksten '0'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_record_stops_validate_the_build_ny_version_and_tjek_adresser(published, case):
    damage, message = CASES[case]
    project = published
    record = project.root / "publicerede-adresser.json"
    record.write_text(damage(record.read_text(encoding="utf-8")), encoding="utf-8")
    text = record.read_text(encoding="utf-8")
    if message is None:  # where the JSON parser stopped: the line it gives
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            message = f":{exc.lineno}: filen er ikke gyldig JSON (fejlen står i kolonne {exc.colno})"
    if case == "wrong types":
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines, 1) if line.strip().startswith(f'"{AGREEMENT}/2020-01-01/"'))
        at = next(i for i in range(start, len(lines) + 1) if lines[i - 1].strip().startswith('"rettelser"'))
        message = f":{at}: {message}"
    project.edit(f"{AGREEMENT}/2020-01-01.yaml", "to gange om året", "tre gange om året")  # would pass unnoticed
    site_before = tree(project.site)

    validate = project.validate()
    assert validate.returncode == 1 and "Traceback" not in validate.stderr
    assert f"publicerede-adresser.json{message}" in validate.stderr and FIX in validate.stderr

    built = build(project.root)
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert f"publicerede-adresser.json{message}" in built.stderr and FIX in built.stderr
    assert tree(project.site) == site_before

    folder = project.agreements / AGREEMENT
    versions_before = tree(folder)
    new = run(project.root, "-m", "generator.cli", "ny-version", f"agreements/{AGREEMENT}", "--fra", "2028-01-01")
    assert new.returncode == 1 and "Traceback" not in new.stderr
    assert f"publicerede-adresser.json{message}" in new.stderr
    assert tree(folder) == versions_before  # nothing written before the record was read

    check = run(project.root, "-m", "generator.cli", "tjek-adresser", "--site", "site")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert f"publicerede-adresser.json{message}" in check.stderr and FIX in check.stderr


def test_a_damaged_site_manifest_is_a_located_error_in_tjek_adresser(published):
    project = published
    (project.site / "adresser.json").write_text('{"sider": ["a/"], "omdirigeringer": {}}\n', encoding="utf-8")
    result = run(project.root, "-m", "generator.cli", "tjek-adresser", "--site", "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "site/adresser.json:1: versioner: 'versioner' mangler — byg sitet igen (mkdocs build); filen skrives af "
        "bygningen"
    ) in result.stderr
    assert "site/adresser.json:1: datafiler: 'datafiler' mangler" in result.stderr
