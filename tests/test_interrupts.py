"""Whatever stops a build, site/ is afterwards the previous site, untouched, or the new one, complete.

Real `mkdocs build` processes of 80 generated agreements (two processes share the
work, Pagefind runs beside MkDocs) are stopped at moments observed in the file system and
/proc, then interrupted by SIGINT (Ctrl-C), SIGTERM or SIGKILL; a full disk is a real tmpfs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import REPO, make_project, runs_pagefind

from generator.publish.staging import StagedSite, backup_of, recover

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONPATH": str(REPO)}
# Pagefind writes these in hash-map order (Pagefind issue #638), named by a hash of it.
UNSTABLE = ("filter", ".pf_meta", "pagefind-entry.json")


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def comparable(hashes: dict[str, str]) -> tuple[dict[str, str], int]:
    """The files two builds of the same sources agree on, and how many they do not (by name)."""
    unstable = {p for p in hashes if p.startswith("pagefind/") and any(u in p for u in UNSTABLE)}
    return {p: h for p, h in hashes.items() if p not in unstable}, len(unstable)


def build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("site."))


@pytest.fixture(scope="module")
def sites(generated, tmp_path_factory):
    """A built project (the previous site) and the site its edited version builds (the new one)."""
    previous = tree(generated.site)
    edited = tmp_path_factory.mktemp("afbrudt") / "ny"
    shutil.copytree(generated.root, edited)
    _edit(edited)
    assert build(edited).returncode == 0
    assert leftovers(edited) == []
    new = comparable(tree(edited / "site"))
    assert comparable(previous) != new
    return generated.root, previous, new


def _edit(root: Path) -> None:
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_name: Boligsociale delaftaler", "site_name: Boligsociale delaftaler (ny udgave)"
        ),
        encoding="utf-8",
    )


def _staging(root: Path) -> Path | None:
    for entry in os.scandir(root):
        if entry.name.startswith("site.bygges-"):
            return Path(entry.path)
    return None


def _runs_pagefind(pid: int, root: Path) -> bool:
    return runs_pagefind(pid)


# The moments, as seen from outside: each a test on (build process, project folder).
MOMENTS = {
    "build folder created": lambda pid, root: _staging(root) is not None,
    "first file written": lambda pid, root: (s := _staging(root)) is not None and any(True for _ in os.scandir(s)),
    "search index running": _runs_pagefind,
    "all files written, before the swap": lambda pid, root: (
        (s := _staging(root)) is not None and (s / "adresser.json").exists()
    ),
}


CASES = [(signal.SIGKILL, moment) for moment in MOMENTS] + [
    (signal.SIGINT, "first file written"),
    (signal.SIGINT, "search index running"),
    (signal.SIGINT, "all files written, before the swap"),
    (signal.SIGTERM, "first file written"),
    (signal.SIGTERM, "all files written, before the swap"),
]


@pytest.mark.slow
@pytest.mark.timeout(300, func_only=True)  # the test's own build and signal, not the shared sites' builds
@pytest.mark.parametrize("signum, moment", CASES, ids=[f"{s.name}-{m}" for s, m in CASES])
def test_an_interrupted_build_leaves_the_previous_site_or_the_complete_new_one(sites, tmp_path, signum, moment):
    original, _, new = sites
    root = tmp_path / "projekt"
    shutil.copytree(original, root)
    # The site as it is before this build: the shared project's site may have been rebuilt (by
    # another test of this worker) since the fixture looked at it.
    previous = tree(root / "site")
    _edit(root)
    reached = MOMENTS[moment]
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        last = moment == "all files written, before the swap"
        while not reached(process.pid, root):
            if process.poll() is not None:  # over before the moment was seen: only the last may pass by
                assert last, f"the build ended before '{moment}': {process.stderr.read()}"
                break
        if process.poll() is None:  # not yet reaped: the pid is still this build's
            os.kill(process.pid, signal.SIGSTOP)  # frozen at the moment seen, then interrupted
            if signum == signal.SIGKILL:
                os.killpg(process.pid, signal.SIGKILL)  # as a CI runner cancels a job: Pagefind too
            else:
                os.kill(process.pid, signum)
                os.kill(process.pid, signal.SIGCONT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    after = tree(root / "site")
    if last and comparable(after) == new:
        pass  # the build had completed the swap before the signal arrived: the new site, whole
    else:
        assert after == previous, "site/ changed although the build was interrupted"
        assert process.returncode != 0
        if signum != signal.SIGKILL:
            assert "Bygningen blev afbrudt; det tidligere site er uændret." in stderr
            assert "Traceback" not in stderr
            assert leftovers(root) == []  # cleaned up on the way out
    if signum != signal.SIGKILL:
        return
    # The next build removes what the killed one left behind and replaces the site with the new one.
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert comparable(tree(root / "site")) == new
    assert leftovers(root) == []


@pytest.mark.timeout(300)
def test_a_full_disk_leaves_the_previous_site(tmp_path):
    """A real tmpfs of 16 MB in a private mount namespace (nothing is mounted outside the test).
    Mounting needs root: as root, or in a user namespace, or through sudo (as on CI runners)."""
    project = make_project(tmp_path / "kilde")
    script = textwrap.dedent(f"""
        import json, os, shutil, subprocess, sys
        disk = {str(tmp_path / "disk")!r}
        os.makedirs(disk)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk], check=True)
        root = os.path.join(disk, "projekt")
        shutil.copytree({str(project.root)!r}, root)
        build = lambda: subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                                       capture_output=True, text=True)
        first = build()
        def tree(folder):
            found = {{}}
            for base, _, names in os.walk(folder):
                for name in names:
                    with open(os.path.join(base, name), "rb") as f:
                        found[os.path.relpath(os.path.join(base, name), folder)] = hash(f.read())
            return found
        before = tree(os.path.join(root, "site"))
        free = shutil.disk_usage(disk).free
        with open(os.path.join(disk, "fyld"), "wb") as filler:  # leave 64 KB: less than a new site
            filler.write(b"0" * (free - 64 * 1024))
        second = build()
        print(json.dumps({{"first": first.returncode, "second": second.returncode, "stderr": second.stderr,
                          "before": before, "after": tree(os.path.join(root, "site")),
                          "left": sorted(n for n in os.listdir(root) if n.startswith("site."))}}))
    """)
    namespace = ["unshare", "--mount", "--propagation", "private"]
    ways = (
        [namespace]
        if os.geteuid() == 0
        else [[namespace[0], "--map-root-user", *namespace[1:]], ["sudo", "-n", "--preserve-env", *namespace]]
    )
    failures = []
    for way in ways:
        result = subprocess.run(
            [*way, sys.executable, "-c", script], env=ENV, capture_output=True, text=True, timeout=300
        )
        if result.returncode == 0:
            break
        failures.append(f"{' '.join(way)}: {result.stderr.strip()[-300:]}")
        shutil.rmtree(tmp_path / "disk", ignore_errors=True)
    assert result.returncode == 0, "no private tmpfs could be mounted:\n" + "\n".join(failures)
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["first"] == 0
    assert outcome["second"] != 0
    assert "der er ikke mere plads på disken — frigør plads, og byg igen" in outcome["stderr"]
    assert "Traceback" not in outcome["stderr"]
    assert "Bygningen fejlede; det tidligere site er uændret." in outcome["stderr"]
    assert outcome["after"] == outcome["before"] and len(outcome["before"]) > 50
    assert outcome["left"] == []


def _file_size_limit():
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_failing_write_leaves_the_previous_site(project):
    """Another real write failure, needing no privileges: files may not grow beyond 64 KB."""
    assert build(project.root).returncode == 0
    before = tree(project.site)
    _edit(project.root)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project.root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_file_size_limit,
    )
    assert result.returncode != 0
    assert "Sitet kunne ikke skrives (" in result.stderr and "filsystemet svarede 'File too large'" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project.site) == before
    assert leftovers(project.root) == []


# The swap itself, alone: what a killed build can leave, and what the next start does with it.


def _site(folder: Path, text: str) -> Path:
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_publishing_exchanges_the_folders_and_removes_the_old_site(tmp_path):
    site = _site(tmp_path / "site", "gammel")
    staged = StagedSite(site)
    _site(staged.folder, "ny")
    staged.publish()
    assert (site / "a" / "index.html").read_text(encoding="utf-8") == "ny"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert oct(site.stat().st_mode & 0o777) != oct(0o700)  # readable by a web server, as mkdir makes it


def test_a_site_folder_that_is_a_link_stays_a_link(tmp_path):
    real = _site(tmp_path / "www" / "html", "gammel")
    (tmp_path / "projekt").mkdir()
    link = tmp_path / "projekt" / "site"
    link.symlink_to(real, target_is_directory=True)
    staged = StagedSite(link)
    assert staged.folder.parent == real.parent  # the exchange happens where the folder is
    _site(staged.folder, "ny")
    staged.publish()
    assert link.is_symlink() and (link / "a" / "index.html").read_text(encoding="utf-8") == "ny"
    assert sorted(p.name for p in real.parent.iterdir()) == ["html"]


def test_a_discarded_build_leaves_the_site_alone(tmp_path):
    site = _site(tmp_path / "site", "gammel")
    staged = StagedSite(site)
    _site(staged.folder, "halv")
    staged.discard()
    assert (site / "a" / "index.html").read_text(encoding="utf-8") == "gammel"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_dirty_build_starts_from_a_copy_of_the_site_with_its_file_times(tmp_path):
    site = _site(tmp_path / "site", "gammel")
    os.utime(site / "a" / "index.html", (1_000_000, 1_000_000))
    staged = StagedSite(site, keep_contents=True)
    copy = staged.folder / "a" / "index.html"
    assert copy.read_text(encoding="utf-8") == "gammel" and copy.stat().st_mtime == 1_000_000
    staged.discard()


def test_the_next_start_removes_build_folders_of_killed_builds_but_not_of_running_ones(tmp_path):
    site = _site(tmp_path / "site", "gammel")
    killed = _site(tmp_path / "site.bygges-dræbt", "halv")  # no process holds its lock any more
    running = tmp_path / "site.bygges-koerer"
    running.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(running)!r}, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("låst", flush=True)
        time.sleep(300)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "låst"
        recover(site)
        assert not killed.exists()
        assert running.is_dir()  # another build is writing it right now
        assert (site / "a" / "index.html").read_text(encoding="utf-8") == "gammel"
    finally:
        holder.kill()
        holder.wait()
    recover(site)
    assert not running.exists()


def test_a_site_caught_between_the_two_renames_is_restored_at_the_next_start(tmp_path):
    """Where the system cannot exchange two folders, site/ is renamed to site.forrige and the new
    build to site/; a kill between the two leaves only the backup, which the next start restores."""
    site = tmp_path / "site"
    _site(backup_of(site), "gammel")
    recover(site)
    assert (site / "a" / "index.html").read_text(encoding="utf-8") == "gammel"
    assert not backup_of(site).exists()
    _site(backup_of(site), "ældre")  # killed after both renames: site/ is the new one, the backup goes
    recover(site)
    assert (site / "a" / "index.html").read_text(encoding="utf-8") == "gammel"
    assert not backup_of(site).exists()


def test_serve_still_builds_into_its_own_folder(project):
    """`mkdocs serve` (and --dirty builds within it) keeps working: covered with a real server in
    test_site.py; here its `--clean` variant, whose plugins are started as for 'build'."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--clean", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        end, page = time.monotonic() + 120, ""
        while time.monotonic() < end and "Solbakken" not in page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
        assert "Solbakken" in page
        assert leftovers(project.root) == [] and not (project.root / "site").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)
