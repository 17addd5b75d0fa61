"""Local preview for editors: serve output/ and rebuild when a source file changes.

A rebuild that fails (an invalid dataset, a template error) prints the report and keeps
serving the last good site, exactly as a failed build leaves output/ untouched.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# Types the standard library does not know, so that browsers and calendar apps get
# the right Content-Type from the preview server (docs/deploy.md lists them for nginx).
EXTRA_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WATCHED = ("datasets", "content", "theme", "pelicanconf.py", "publishconf.py")
IGNORED_PARTS = {".git", "__pycache__", ".venv", "output", ".moldir-cache"}


class PortalRequestHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **EXTRA_TYPES,
    }

    def log_message(self, format: str, *args) -> None:
        pass  # keep the editor's terminal for build reports


def make_server(output: Path, bind: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(PortalRequestHandler, directory=str(output))
    return http.server.ThreadingHTTPServer((bind, port), handler)


class RebuildOnChange(FileSystemEventHandler):
    """Calls ``rebuild`` once per burst of changes (editors save several files at once)."""

    def __init__(self, root: Path, rebuild: Callable[[], None], quiet_seconds: float = 0.5):
        self.root = root
        self.rebuild = rebuild
        self.quiet_seconds = quiet_seconds
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        # One build at a time: a change saved during a build waits for it, then rebuilds
        # (two builds at once would share the cache and the staging folder).
        self._building = threading.Lock()

    def _rebuild(self) -> None:
        with self._building:
            self.rebuild()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or is_ignored(
            event.src_path, self.root
        ):
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.quiet_seconds, self._rebuild)
            self._timer.daemon = True
            self._timer.start()


def is_ignored(path: str, root: Path) -> bool:
    """Generated, hidden and cache folders inside the project never trigger a rebuild."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return True
    if len(parts) < 2 and (not parts or parts[0] not in WATCHED):
        # The project folder itself (a build creates and renames its staging folder there)
        # or a file beside the settings that is not one of them: not a source.
        return True
    return bool(set(parts) & IGNORED_PARTS) or any(p.startswith(".") for p in parts)


def watch(project: Path, rebuild: Callable[[], None], names: Iterable[str] = WATCHED) -> Observer:
    """Start watching the project's sources; returns the running observer."""
    observer = Observer()
    handler = RebuildOnChange(project, rebuild)
    for name in names:
        path = project / name
        if path.is_dir():
            observer.schedule(handler, str(path), recursive=True)
        elif path.is_file():
            observer.schedule(handler, str(path.parent), recursive=False)
    observer.daemon = True
    observer.start()
    return observer


def serve_forever(server: http.server.ThreadingHTTPServer, observer: Observer | None) -> None:
    try:
        server.serve_forever()
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=2)
