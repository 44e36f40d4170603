"""A real `mkdocs serve` with broken agreements shows the problems in the browser page, and a
real `delaftale forhaandsvis` stops, server and all, when its process is signalled."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port

AGREEMENT = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"


def _fetch(url: str) -> str:
    """The page's HTML, also for a 404 (its page is what the reader sees); "" while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 90) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        html = _fetch(url)
        if text in html:
            return html
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}; last answer: {_fetch(url)[:2000]}")


def test_a_broken_build_shows_its_problems_in_the_browser_until_it_is_fixed(project):
    project.edit(AGREEMENT, "baseline_aar: 2022", "baseline_aar: <script>alert(1)</script>")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        # broken from the start: the server comes up and every page of the plan shows the problems
        html = _wait_for(base + "solbakken/tryghed-og-trivsel/", "Sitet kan ikke bygges")
        assert "<strong>1 fejl i 1 fil:</strong>" in html
        assert (
            f"<code>agreements/{AGREEMENT}:25</code>: delmaal[0].indikatorer[0].baseline_aar: "
            "'&lt;script&gt;alert(1)&lt;/script&gt;' er ikke et årstal"
        ) in html
        assert "<script>alert(1)" not in html
        assert "livereload" in html  # the server's reload script: the page reloads itself when fixed
        assert "Sitet kan ikke bygges" in _fetch(base)
        assert "1 fejl i 1 fil" in _fetch(base + "en/adresse/der/ikke/findes/")  # the 404 page too
        project.edit(AGREEMENT, "baseline_aar: <script>alert(1)</script>", "baseline_aar: 2022")
        _wait_for(base + "solbakken/tryghed-og-trivsel/", "Større oplevet tryghed")
        # broken again after a good build: the pages that build had show the problems
        project.edit("solbakken/plan.yaml", "type: politi", "type: politistation")
        html = _wait_for(base + "parter/solbakken/politiet/", "Sitet kan ikke bygges")
        assert "parter[2].type: 'politistation' er ikke en gyldig værdi" in html
        project.edit("solbakken/plan.yaml", "type: politistation", "type: politi")
        _wait_for(base + "parter/solbakken/politiet/", 'Eksempel Politi<a class="headerlink"')
    finally:
        server.terminate()
        server.wait(timeout=60)
    # `mkdocs build` still fails on the same problem
    project.edit(AGREEMENT, "baseline_aar: 2022", "baseline_aar: 2O22")
    result = project.build()
    assert result.returncode != 0 and "1 fejl i 1 fil:" in result.stderr


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command:
            found.append(f"{cmdline.parent.name}: {command}")
    return found


def _port_is_closed(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_stopping_forhaandsvis_by_its_process_id_stops_its_server(project, tmp_path, stop):
    port = free_port()
    address = f"127.0.0.1:{port}"
    scratch = tmp_path / "tmp"  # where the server keeps its site while it runs
    scratch.mkdir()
    preview = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "forhaandsvis", "solbakken", "--adresse", address],
        cwd=project.root,
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(f"http://{address}/solbakken/", "Solbakken Sammen")
        running = _descendants(preview.pid)
        assert any(scratch.iterdir())
        preview.send_signal(stop)
        output, _ = preview.communicate(timeout=60)
    finally:
        if preview.poll() is None:
            preview.kill()
            preview.wait()
    assert preview.returncode == 0, output
    assert "Traceback" not in output
    assert _port_is_closed(port)
    assert _processes_mentioning(address) == []  # no server left behind, whoever its parent is now
    assert not [pid for pid in running if Path(f"/proc/{pid}").exists()]
    assert list(scratch.iterdir()) == []  # shut down as with Ctrl+C: its temporary site removed
