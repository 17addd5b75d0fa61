"""The hostile-input suite: datasets, pages and settings written as an attacker or a
careless editor would, each case asserting its exact outcome (docs/security.md).

``HostileProject`` is a throwaway project (the real settings and theme, no example data)
into which a case writes one dataset or page, then validates or builds it for real.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from moldir import connect_features
from moldir.model.report import InvalidDatasets, Report

ROOT = Path(__file__).resolve().parents[2]

LICENSE = [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}]


def package(resources: list[dict[str, Any]], **metadata: Any) -> dict[str, Any]:
    """A minimal valid descriptor around ``resources``; ``metadata`` overrides."""
    descriptor = {
        "title": "Hostile case",
        "description": "A dataset written by the hostile-input suite.",
        "licenses": LICENSE,
        "topic": "appeals",
        "resources": resources,
    }
    descriptor.update(metadata)
    return descriptor


def table(
    name: str = "data",
    path: str = "data.csv",
    fields: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A CSV resource with a schema (default: one string field "text")."""
    return {
        "name": name,
        "path": path,
        "schema": {"fields": fields or [{"name": "text", "type": "string"}]},
        **extra,
    }


@dataclass
class BuildOutcome:
    output: Path
    report: Report | None = None

    @property
    def built(self) -> bool:
        return self.report is None

    def errors(self, keys=("dataset", "row", "field", "type")) -> list[list]:
        assert self.report is not None, "the build succeeded"
        return self.report.flatten(list(keys))


class HostileProject:
    """A project folder with the real settings and theme and only the datasets and pages
    a case writes."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        for name in ("pelicanconf.py", "publishconf.py"):
            shutil.copy(ROOT / name, root / name)
        shutil.copytree(ROOT / "theme", root / "theme")
        (root / "content" / "pages").mkdir(parents=True)
        (root / "content" / "articles").mkdir(parents=True)
        (root / "datasets").mkdir()

    def dataset(
        self,
        slug: str,
        descriptor: dict[str, Any] | str,
        files: dict[str, str | bytes] | None = None,
        descriptor_name: str = "datapackage.json",
    ) -> Path:
        """Write ``datasets/<slug>/`` with a descriptor (dict as JSON, or raw text) and
        data files (text as UTF-8, bytes as they are)."""
        folder = self.root / "datasets" / slug
        folder.mkdir(parents=True, exist_ok=True)
        text = descriptor if isinstance(descriptor, str) else json.dumps(descriptor, indent=2)
        (folder / descriptor_name).write_text(text, encoding="utf-8")
        for name, content in (files or {}).items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return folder

    def page(self, name: str, text: str, folder: str = "pages") -> Path:
        path = self.root / "content" / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def validate(self) -> Report:
        """``moldir validate`` of every dataset, as the command runs it (no Pelican)."""
        from moldir.model.settings import MoldirSettings
        from moldir.pipeline.portal import validate

        connect_features(pelican=False)
        return validate(MoldirSettings(), self.root / "datasets", self.root)[0]

    def build(self, output: Path | None = None, **overrides: Any) -> BuildOutcome:
        """A real build into ``output`` (default ``<project>/output``), as ``moldir build``
        runs it: with the settings the environment sets (``MOLDIR_TODAY``), and from
        scratch with ``MOLDIR_NO_CACHE=1``."""
        from moldir.model.settings import environment_settings
        from moldir.site.build import build_site

        connect_features()
        output = output or self.root / "output"
        settings = {**environment_settings(os.environ), **overrides}
        try:
            build_site(
                self.root / "pelicanconf.py",
                output,
                settings or None,
                use_cache=not os.environ.get("MOLDIR_NO_CACHE"),
            )
        except InvalidDatasets as failure:
            return BuildOutcome(output, failure.report)
        return BuildOutcome(output)


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> HostileProject:
    # Every build of the suite starts from nothing: no cache shared between cases.
    monkeypatch.setenv("MOLDIR_NO_CACHE", "1")
    return HostileProject(tmp_path / "project")


def rows_of(report: Report, keys=("dataset", "row", "field", "type")) -> list[list]:
    return report.flatten(list(keys))
