"""Real builds with the streaming data path (issue 19): tables and downloads made in worker
processes give the same site as one after another; download bodies live in the cache's
file store, which recovers from a cleaned folder and drops what no entry names; a table
beyond Excel's limits gets no XLSX, and its page says why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hostile.conftest import HostileProject, package, table
from test_reuse import differences

import moldir.pipeline.downloads as downloads_module


def project_of(root: Path, datasets: int = 3) -> HostileProject:
    project = HostileProject(root)
    for number in range(datasets):
        rows = "".join(f"v{number}-{i}\n" for i in range(20 + number))
        project.dataset(f"set-{number}", package([table()]), {"data.csv": "text\n" + rows})
    project.page("note.md", "Title: Note\nDate: 2024-01-01\n\nText.\n", folder="articles")
    return project


def build(project: HostileProject, output: Path, jobs: int) -> None:
    from moldir import connect_features
    from moldir.site.build import build_site

    connect_features()
    build_site(project.root / "pelicanconf.py", output, None, use_cache=False, jobs=jobs)


def test_worker_processes_build_the_same_site_as_one_process(tmp_path, monkeypatch):
    monkeypatch.setenv("MOLDIR_TODAY", "2026-01-15")
    project = project_of(tmp_path / "project")
    build(project, tmp_path / "serial", jobs=1)
    build(project, tmp_path / "parallel", jobs=2)
    assert (tmp_path / "serial" / "datasets" / "set-2" / "data.parquet").is_file()
    assert differences(tmp_path / "serial", tmp_path / "parallel") == []


def test_the_file_store_recovers_from_a_cleaned_folder_and_drops_unnamed_files(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("MOLDIR_NO_CACHE", raising=False)
    monkeypatch.setenv("MOLDIR_TODAY", "2026-01-15")
    project = project_of(tmp_path / "project", datasets=2)
    assert project.build().built
    files = project.root / ".moldir-cache" / "files"
    first = {path.name for path in files.rglob("*") if path.is_file()}
    csv = (project.root / "output" / "datasets" / "set-0" / "data.csv").read_bytes()
    assert first and all(len(name) == 64 for name in first)
    # The cache entries stay small: bodies are references, not bytes.
    entry = project.root / ".moldir-cache" / "datasets" / "set-0.pickle"
    assert csv not in entry.read_bytes()

    # Someone cleans the files but not the entries: the downloads are made again.
    shutil.rmtree(files)
    (project.root / "content" / "articles" / "note.md").write_text(
        "Title: Note\nDate: 2024-01-01\n\nText again.\n"
    )
    assert project.build().built
    assert (project.root / "output" / "datasets" / "set-0" / "data.csv").read_bytes() == csv
    assert {path.name for path in files.rglob("*") if path.is_file()} == first

    # A changed dataset: the files of its old downloads are deleted with its old entry.
    (project.root / "datasets" / "set-0" / "data.csv").write_text("text\nchanged\n")
    assert project.build().built
    now = {path.name for path in files.rglob("*") if path.is_file()}
    index = json.loads((project.root / ".moldir-cache" / "files.json").read_text())
    assert now == {name for names in index.values() for name in names}
    assert first - now  # the old bodies of set-0 are gone


def test_a_table_beyond_excels_limit_says_on_its_page_why_it_has_no_xlsx(tmp_path, monkeypatch):
    monkeypatch.setattr(downloads_module, "XLSX_MAX_ROWS", 5)
    monkeypatch.setenv("MOLDIR_TODAY", "2026-01-15")
    project = project_of(tmp_path / "project", datasets=1)
    build(project, tmp_path / "out", jobs=1)
    folder = tmp_path / "out" / "datasets" / "set-0"
    assert not (folder / "data.xlsx").exists() and (folder / "data.parquet").is_file()
    expected = {
        "": "Excel (XLSX) файлы жоқ",  # Kazakh, the default language, at the root
        "ru/": "Файла Excel (XLSX) нет",
        "en/": "No Excel (XLSX) file",
    }
    for lang_folder, words in expected.items():
        page = (tmp_path / "out" / lang_folder / "datasets" / "set-0" / "index.html").read_text()
        assert 'id="no-xlsx-' in page and "data.xlsx" not in page, lang_folder
        assert words in page, lang_folder
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["resources"][0]["moldir:noXlsx"].startswith("No XLSX file: more than 6 rows")


def test_worker_processes_validate_to_the_same_report_as_one_process(tmp_path):
    # Valid and broken datasets side by side: every error found, in the same order, with
    # one job or two (the seconds each dataset took aside).
    from moldir import connect_features
    from moldir.model.report_formats import format_json
    from moldir.model.settings import MoldirSettings
    from moldir.pipeline.portal import validate

    project = project_of(tmp_path / "project", datasets=3)
    number = [{"name": "n", "type": "integer", "constraints": {"minimum": 0}}]
    project.dataset("bad-cells", package([table(fields=number)]), {"data.csv": "n\n1\nx\n-5\n"})
    project.dataset("no-file", package([table(path="gone.csv")]), {})
    project.dataset("bad-json", "{not json", {"data.csv": "text\na\n"})
    connect_features(pelican=False)

    def report(jobs: int) -> dict:
        found = validate(MoldirSettings(), project.root / "datasets", project.root, jobs=jobs)[0]
        as_json = json.loads(format_json(found))
        for task in as_json["tasks"]:
            task["stats"].pop("seconds", None)
        return as_json

    serial = report(1)
    assert [task["name"] for task in serial["tasks"] if not task["valid"]] == [
        "bad-cells",
        "bad-json",
        "no-file",
    ]
    assert report(2) == serial
