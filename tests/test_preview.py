"""The editor's preview: served with the right types, rebuilt after a change."""

import threading
import time
import urllib.request

from moldir.cli import preview


def test_server_sends_calendar_and_jsonld_types(tmp_path):
    (tmp_path / "all.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (tmp_path / "catalog.jsonld").write_text("{}")
    server = preview.make_server(tmp_path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with urllib.request.urlopen(f"{base}/all.ics") as response:
            assert response.headers["Content-Type"].startswith("text/calendar")
        with urllib.request.urlopen(f"{base}/catalog.jsonld") as response:
            assert response.headers["Content-Type"] == "application/ld+json"
    finally:
        server.shutdown()
        server.server_close()


def test_a_burst_of_changes_triggers_one_rebuild(tmp_path):
    (tmp_path / "datasets").mkdir()
    calls = []
    observer = preview.watch(tmp_path, lambda: calls.append(time.monotonic()), ["datasets"])
    try:
        time.sleep(0.2)
        for index in range(3):
            (tmp_path / "datasets" / f"file{index}.csv").write_text("a\n1\n")
        deadline = time.monotonic() + 5
        while not calls and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.8)
    finally:
        observer.stop()
        observer.join()
    assert len(calls) == 1


def test_generated_folders_are_ignored(tmp_path):
    root = tmp_path / ".projects" / "portal"
    assert preview.is_ignored(str(root / "output" / "index.html"), root)
    assert preview.is_ignored(str(root / ".output.building-12" / "x.html"), root)
    assert not preview.is_ignored(str(root / "datasets" / "a" / "data.csv"), root)
    # A build creates and renames its staging folder in the project folder: the folder's
    # own "modified" events, and files beside the settings, are not sources.
    assert preview.is_ignored(str(root), root)
    assert preview.is_ignored(str(root / "README.md"), root)
    assert not preview.is_ignored(str(root / "pelicanconf.py"), root)


def test_a_change_during_a_build_waits_for_it(tmp_path):
    handler = preview.RebuildOnChange(tmp_path, lambda: None, quiet_seconds=0.05)
    running, overlaps, done = [], [], []

    def slow_build() -> None:
        overlaps.append(len(running))
        running.append(1)
        time.sleep(0.4)
        running.pop()
        done.append(1)

    handler.rebuild = slow_build
    event = type(
        "Event", (), {"event_type": "modified", "src_path": str(tmp_path / "content" / "a.md")}
    )
    handler.on_any_event(event)
    time.sleep(0.2)  # the first build is running
    handler.on_any_event(event)
    deadline = time.monotonic() + 5
    while len(done) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert done == [1, 1] and overlaps == [0, 0]
