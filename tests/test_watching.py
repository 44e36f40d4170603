"""Saves seen through inotify in `mkdocs serve` (watching.py), on MkDocs' own LiveReloadServer."""

from __future__ import annotations

import time

from mkdocs.livereload import LiveReloadServer

from generator.mkdocs.watching import watch_changes


def _server(tmp_path) -> LiveReloadServer:
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))


def _wants_rebuild(server, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server._want_rebuild:  # what the server's watch callback sets for its build loop
            return True
        time.sleep(0.02)
    return False


def test_a_save_is_seen_and_reading_files_is_not(tmp_path):
    folder = tmp_path / "agreements" / "plan"
    folder.mkdir(parents=True)
    version = folder / "2024-01-01.yaml"
    version.write_text("id: a\n", encoding="utf-8")
    server = _server(tmp_path)
    observer = watch_changes(server, [tmp_path / "agreements"])
    try:
        assert observer is not None and observer.is_alive()
        assert server.observer is not observer  # MkDocs' own observer polls the rest, as before
        assert not server.observer.emitters  # ... but not the agreements
        for _ in range(20):  # a build reads every file: that must not look like a save
            assert version.read_text(encoding="utf-8") == "id: a\n"
        assert not _wants_rebuild(server, 0.5)
        version.write_text("id: b\n", encoding="utf-8")  # the author saves
        assert _wants_rebuild(server, 5)
        server._want_rebuild = False
        (folder / "ny.yaml.tmp").write_text("x", encoding="utf-8")
        (folder / "ny.yaml.tmp").rename(folder / "2025-01-01.yaml")  # an editor's atomic save
        assert _wants_rebuild(server, 5)
    finally:
        observer.stop()


def test_when_inotify_runs_out_the_folders_are_polled(tmp_path, monkeypatch):
    from watchdog.observers import inotify

    def refuse(self):
        raise OSError(28, "No space left on device")  # what inotify_add_watch says at max_user_watches

    monkeypatch.setattr(inotify.InotifyEmitter, "on_thread_start", refuse)
    (tmp_path / "agreements").mkdir()
    server = _server(tmp_path)
    assert watch_changes(server, [tmp_path / "agreements"]) is None
    assert [emitter.watch.path for emitter in server.observer.emitters] == [str(tmp_path / "agreements")]
