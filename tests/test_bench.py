"""The national benchmark's generator (bench/generate.py, ``--national``), at a tiny scale.

The plan (how many datasets of which size and format) is checked at full scale, which costs
no files; the files are written at scale 0.002 (20 datasets, a 10,000-row biggest table) and
checked by reading them back and by ``moldir validate`` and Frictionless.
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import io
import json
from pathlib import Path

import frictionless
import pytest
from click.testing import CliRunner

from moldir.cli import main

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)

TINY = 0.002


def test_national_plan_has_the_mix_of_a_national_portal():
    plan = generate.national_plan(1.0)
    assert plan == generate.national_plan(1.0)  # fixed seed
    assert len(plan) == 10_000
    assert len({t.slug for t in plan}) == len(plan)
    by_class = collections.defaultdict(list)
    for table in plan:
        by_class[table.size_class].append(table)
    assert {k: len(v) for k, v in by_class.items()} == {
        "small": 9_000,
        "thousands": 989,
        "hundred-thousands": 10,
        "biggest": 1,
    }
    bounds = {"small": (10, 999), "thousands": (1_000, 9_999), "hundred-thousands": (1e5, 5e5)}
    for name, (low, high) in bounds.items():
        assert all(low <= t.rows <= high for t in by_class[name]), name
    # Most small tables are tens of rows to a few hundred: log-uniform, not uniform.
    assert sum(t.rows < 100 for t in by_class["small"]) > 0.4 * 9_000
    (biggest,) = by_class["biggest"]
    assert biggest.rows == 5_000_000 == max(t.rows for t in plan)
    assert not biggest.export
    exports = [t for t in plan if t.size_class in ("small", "thousands") and t.export]
    assert 0.2 < len(exports) / 9_989 < 0.3
    assert sum(t.export for t in by_class["hundred-thousands"]) == 5
    assert set(generate.TOPICS) == {t.topic for t in plan}


def test_national_plan_scales_counts_and_big_tables():
    plan = generate.national_plan(0.01)
    assert len(plan) == 100
    biggest = max(plan, key=lambda t: t.rows)
    assert (biggest.size_class, biggest.rows) == ("biggest", 50_000)
    assert sum(t.size_class == "hundred-thousands" for t in plan) == 1
    assert all(1_000 <= t.rows <= 5_000 for t in plan if t.size_class == "hundred-thousands")
    # Small and thousand-row tables keep their sizes, so per-dataset work stays representative.
    assert all(t.rows <= 9_999 for t in plan if t.size_class in ("small", "thousands"))


@pytest.mark.parametrize("export", [False, True])
def test_national_table_is_chunked_without_seams(tmp_path, monkeypatch, export):
    monkeypatch.setattr(generate, "CHUNK_ROWS", 1_000)
    path = tmp_path / "t.csv"
    generate.write_national_table(path, 2_500, 3, export)
    again = tmp_path / "again.csv"
    generate.write_national_table(again, 2_500, 3, export)
    assert path.read_bytes() == again.read_bytes()
    encoding, delimiter, newline = ("cp1251", ";", "\r\n") if export else ("utf-8", ",", "\n")
    text = path.read_bytes().decode(encoding)
    assert text.endswith(newline) and text.count(newline) == 2_501
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    fields = generate.EXPORT_FIELDS if export else generate.FIELDS
    assert rows[0] == [f["name"] for f in fields]
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 2_501))
    assert {len(r) for r in rows} == {10}
    if export:
        assert {r[1] for r in rows[1:]} <= set(generate.REGIONS_RU)
        assert all(r[3][2] == "." and "," in r[5] and r[7] in ("да", "нет") for r in rows[1:])


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("national")
    return root, generate.write_national(root, TINY)


def test_national_files_match_the_plan(national):
    root, made = national
    plan = made["plan"]
    assert len(plan) == 20
    assert sorted(p.name for p in (root / "datasets").iterdir()) == [t.slug for t in plan]
    for table in plan:
        folder = root / "datasets" / table.slug
        data = (folder / "data" / f"{table.slug}.csv").read_bytes()
        assert data.count(b"\n") == table.rows + 1, table.slug
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        resource = descriptor["resources"][0]
        assert resource["encoding"] == ("windows-1251" if table.export else "utf-8")
        assert set(descriptor["i18n"]) >= {"kk", "ru"}
    assert max(t.rows for t in plan) == 10_000
    assert any(t.export for t in plan) and not all(t.export for t in plan)
    articles = sorted(p.name for p in (root / "content" / "articles").iterdir())
    assert len(articles) == 3 * made["articles"]
    first = {
        name: (root / "content" / "articles" / name).read_text(encoding="utf-8")
        for name in articles[:3]
    }
    assert {text.split("Lang: ")[1][:2] for text in first.values()} == {"en", "kk", "ru"}
    assert len({text.split("Slug: ")[1].split()[0] for text in first.values()}) == 1


def test_national_datasets_are_valid(national, tmp_path, monkeypatch):
    root, made = national
    monkeypatch.chdir(tmp_path)  # no pelicanconf.py: Moldir's default settings and topics
    result = CliRunner().invoke(
        main, ["validate", str(root / "datasets"), "--format", "json"], catch_exceptions=False
    )
    report = json.loads(result.output)
    assert result.exit_code == 0, [t["errors"] for t in report["tasks"] if t["errors"]]
    assert len(report["tasks"]) == len(made["plan"])
    # Frictionless reads the exports as declared (encoding, delimiter, decimal comma, dates).
    export = next(t for t in made["plan"] if t.export)
    found = frictionless.validate(root / "datasets" / export.slug / "datapackage.json")
    assert found.valid, found.flatten(["rowNumber", "fieldName", "type"])
