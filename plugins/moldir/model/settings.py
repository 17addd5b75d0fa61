"""Moldir's settings: one ``MOLDIR`` dict in pelicanconf.py, parsed once into a frozen
dataclass. Unknown keys are an error that names them (a typo must not be ignored)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class MoldirSettings:
    """Documented in docs/settings.md; every key there is a field here and vice versa."""

    # Folder of dataset folders; relative paths are taken from the project root
    # (the parent of Pelican's content PATH).
    datasets_path: str = "datasets"
    # Data files larger than this are rejected with a clear error.
    max_file_bytes: int = 200 * 1024 * 1024
    # Limits of one data file, checked on its bytes before it is parsed (limits.py): cells
    # (columns) on a line, bytes in a cell, and rows (lines after the header).
    max_columns: int = 1_000
    max_cell_bytes: int = 1024 * 1024
    max_rows: int = 5_000_000
    # Rows shown in the preview table of a dataset page (all rows are in the downloads).
    preview_rows: int = 25
    # Name of the body that runs the portal, shown in the footer and catalogue metadata.
    publisher: str = ""
    # Contact e-mail of the portal team, shown in the footer.
    contact_email: str = ""
    # Licence of the portal's own texts, shown in the footer.
    content_license: str = "CC BY 4.0"
    # Languages of the portal (codes with a catalogue in plugins/moldir/locale/); Pelican's
    # DEFAULT_LANG is built at /, the others under /<code>/. Empty: DEFAULT_LANG only.
    languages: tuple[str, ...] | list[str] = ()
    # SITENAME in each language, e.g. {"kk": "…", "ru": "…"}; others keep SITENAME.
    site_names: dict[str, str] | None = None
    # Topics a dataset's "topic" may name (the catalogue's filter); a typo is an error.
    topics: tuple[str, ...] | list[str] = (
        "appeals",
        "receptions",
        "budget",
        "surveys",
        "open-government",
    )

    @classmethod
    def from_pelican(cls, settings: dict[str, Any]) -> MoldirSettings:
        return parse_settings(cls, settings, "MOLDIR")

    def datasets_root(self, pelican_settings: dict[str, Any]) -> Path:
        path = Path(self.datasets_path)
        if path.is_absolute():
            return path
        return project_root(pelican_settings) / path


T = TypeVar("T")


def parse_settings(cls: type[T], settings: dict[str, Any], key: str) -> T:
    """The dataclass ``cls`` from the dict ``settings[key]``; unknown keys are an error
    that names them (a typo in pelicanconf.py must not be ignored)."""
    raw = dict(settings.get(key, {}) or {})
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(
            f"unknown {key} setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return cls(**raw)


def project_root(pelican_settings: dict[str, Any]) -> Path:
    """The folder holding pelicanconf.py, content/ and datasets/."""
    return Path(pelican_settings.get("PATH", "content")).resolve().parent
