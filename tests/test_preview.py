"""The editor's preview: served with the right types, rebuilt after a change."""

import threading
import time
import urllib.request

from moldir import preview


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
