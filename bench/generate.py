"""Generate a large, reproducible Moldir portal for benchmarks and differential tests.

Everything is derived from a fixed seed: the same command gives byte-identical files.

    .venv/bin/python bench/generate.py bench/work --datasets 1000 --articles 5000
    .venv/bin/python bench/generate.py bench/work --national --scale 0.01
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

REGIONS = ["Astana", "Almaty", "Shymkent", "Abai", "Akmola", "Aktobe", "Atyrau", "Zhetisu"]
FIELDS = [
    {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
    {"name": "region", "type": "string", "constraints": {"enum": REGIONS}},
    {"name": "name", "type": "string", "constraints": {"maxLength": 40}},
    {"name": "date", "type": "date", "constraints": {"minimum": "2000-01-01"}},
    {"name": "year", "type": "year"},
    {"name": "amount", "type": "number", "constraints": {"minimum": 0}},
    {"name": "count", "type": "integer", "constraints": {"minimum": 0, "maximum": 1000000}},
    {"name": "active", "type": "boolean"},
    {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z]{2}-[0-9]{3}"}},
    {"name": "note", "type": "string"},
]
SCHEMA = {"fields": FIELDS, "primaryKey": ["id"], "missingValues": ["", "NA"]}


# Planted errors: each replaces one whole line by a broken one (row number known).
def planted_line(kind: str, row_id: int) -> str:
    good = [str(row_id), "Astana", "Name", "2020-01-02", "2020", "1.5", "3", "true", "AB-123"]
    variants = {
        "type-integer": [f"x{row_id}", *good[1:], "n"],
        "type-date": [*good[:3], "2021-02-30", *good[4:], "n"],
        "type-number": [*good[:5], "1,5", *good[6:], "n"],
        "type-boolean": [*good[:7], "maybe", good[8], "n"],
        "type-year": [*good[:4], "20x1", *good[5:], "n"],
        "enum": [good[0], "Paris", *good[2:], "n"],
        "minimum": [*good[:5], "-3.25", *good[6:], "n"],
        "maximum": [*good[:6], "1000001", *good[7:], "n"],
        "pattern": [*good[:8], "ab-12", "n"],
        "maxLength": [good[0], good[1], "N" * 41, *good[3:], "n"],
        "date-minimum": [*good[:3], "1999-12-31", *good[4:], "n"],
        "required": ["", *good[1:], "n"],
        "missing-cell": good[:7],
        "extra-cell": [*good, "n", "extra"],
        "blank": [""] * 10,
        "formula": [*good, "=HYPERLINK(1)"],
        "quoted": [*good, '"a, ""quoted"" note"'],
        "duplicate": ["7", *good[1:], "n"],
    }
    return ",".join(variants[kind])


def write_table(path: Path, rows: int, seed: int, planted: int = 0) -> list[tuple[int, str]]:
    """A CSV of ``rows`` data rows; ``planted`` broken lines at random rows. Returns them."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, rows + 1)
    region = np.array(REGIONS)[rng.integers(0, len(REGIONS), rows)]
    names = np.char.add("Name ", rng.integers(0, 99999, rows).astype(str))
    days = rng.integers(0, 8000, rows)
    dates = (np.datetime64("2001-01-01") + days).astype(str)
    years = rng.integers(1990, 2030, rows).astype(str)
    amounts = np.char.mod("%.2f", rng.random(rows) * 10000)
    counts = rng.integers(0, 1_000_000, rows).astype(str)
    active = np.where(rng.random(rows) < 0.5, "true", "false")
    codes = np.char.add(
        np.array(["KZ-", "RU-", "EN-"])[rng.integers(0, 3, rows)],
        rng.integers(100, 999, rows).astype(str),
    )
    notes = np.where(rng.random(rows) < 0.1, "NA", "ok")
    columns = [ids.astype(str), region, names, dates, years, amounts, counts, active, codes, notes]
    lines = [",".join(parts) for parts in zip(*(c.tolist() for c in columns), strict=True)]
    kinds = []
    if planted:
        chooser = random.Random(seed)
        kinds_all = list(KINDS)
        positions = chooser.sample(range(10, rows), planted)
        for index, position in enumerate(sorted(positions)):
            kind = kinds_all[index % len(kinds_all)]
            lines[position] = planted_line(kind, position + 1)
            kinds.append((position + 2, kind))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        stream.write(",".join(f["name"] for f in FIELDS) + "\n")
        stream.write("\n".join(lines))
        stream.write("\n")
    return kinds


KINDS = [
    "type-integer", "type-date", "type-number", "type-boolean", "type-year", "enum", "minimum",
    "maximum", "pattern", "maxLength", "date-minimum", "required", "missing-cell",
    "extra-cell", "blank", "formula", "quoted", "duplicate",
]  # fmt: skip


def write_dataset(root: Path, slug: str, rows: int, seed: int, planted: int = 0) -> None:
    """One dataset folder in Moldir's layout: datapackage.json + data/<slug>.csv."""
    folder = root / slug
    write_table(folder / "data" / f"{slug}.csv", rows, seed, planted)
    descriptor = {
        "name": slug,
        "title": f"Benchmark dataset {slug}",
        "description": "Generated by bench/generate.py (fixed seed).",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "publisher": "Benchmark",
        "topic": "budget",  # one of MOLDIR["topics"]
        "resources": [
            {
                "name": slug,
                "path": f"data/{slug}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": SCHEMA,
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def write_articles(content: Path, count: int, seed: int) -> None:
    """``count`` Markdown articles with a few paragraphs each."""
    rng = random.Random(seed)
    words = ["budget", "report", "region", "school", "hospital", "road", "water", "tender"]
    content.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        body = "\n\n".join(
            " ".join(rng.choice(words) for _ in range(60)).capitalize() + "." for _ in range(4)
        )
        (content / f"article-{index:05d}.md").write_text(
            f"Title: Article {index}\nDate: 2024-01-{index % 28 + 1:02d} 10:00\n"
            f"Category: News\nTags: {rng.choice(words)}\nSlug: article-{index:05d}\n\n{body}\n",
            encoding="utf-8",
        )


# ----------------------------------------------------------------------------- national
# A national portal (bench/run.py --national): ~10,000 datasets of a realistic mix of
# sizes, a quarter of them as Kazakh and Russian spreadsheets export them, and news in three
# languages. Tables are written in chunks, each built column-wise with numpy and pyarrow
# (no Python per row), so the 5,000,000-row table takes seconds and little memory.

NATIONAL = {"datasets": 10_000, "big_rows": 5_000_000, "articles": 3_000}
# Size classes: (name, datasets at scale 1, fewest rows, most rows, rows scale too).
# Small and thousand-row tables keep their sizes at any --scale, so the per-dataset work of a
# scaled run stays representative; the tables of 100,000s of rows and the biggest shrink.
SIZE_CLASSES = [
    ("small", None, 10, 999, False),  # the rest of the datasets: tens to hundreds of rows
    ("thousands", 989, 1_000, 9_999, False),
    ("hundred-thousands", 10, 100_000, 500_000, True),
    ("biggest", 1, None, None, True),  # NATIONAL["big_rows"]
]
EXPORT_SHARE = 0.25  # of small and thousand-row datasets; every other hundred-thousand one
TOPICS = ["appeals", "receptions", "budget", "surveys", "open-government"]
REGIONS_RU = ["Астана", "Алматы", "Шымкент", "Абай", "Акмола", "Актобе", "Атырау", "Жетысу"]
REGION_LABELS = {
    "kk": ["Астана", "Алматы", "Шымкент", "Абай", "Ақмола", "Ақтөбе", "Атырау", "Жетісу"],
    "ru": REGIONS_RU,
}
# How a Kazakh or Russian Excel export looks: Windows-1251, ';', decimal commas, dd.mm.yyyy,
# да/нет. Every value is representable in Windows-1251 (no Kazakh-only letters in the data).
EXPORT_FIELDS = [
    {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
    {"name": "region", "type": "string", "constraints": {"enum": REGIONS_RU}},
    {"name": "name", "type": "string", "constraints": {"maxLength": 40}},
    {"name": "date", "type": "date", "format": "%d.%m.%Y"},
    {"name": "year", "type": "year"},
    {"name": "amount", "type": "number", "decimalChar": ",", "constraints": {"minimum": 0}},
    {"name": "count", "type": "integer", "constraints": {"minimum": 0, "maximum": 1000000}},
    {"name": "active", "type": "boolean", "trueValues": ["да"], "falseValues": ["нет"]},
    {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z]{2}-[0-9]{3}"}},
    {"name": "note", "type": "string"},
]
EXPORT_SCHEMA = {"fields": EXPORT_FIELDS, "primaryKey": ["id"], "missingValues": ["", "NA"]}
CHUNK_ROWS = 200_000


# A NamedTuple, not a dataclass: tests load this file without registering it as a module.
class PlannedTable(NamedTuple):
    """One dataset of the national portal: its slug, rows, size class and format."""

    slug: str
    rows: int
    size_class: str
    export: bool  # Windows-1251, ';', decimal commas, dd.mm.yyyy (else UTF-8, ',', ISO)
    topic: str


def national_plan(scale: float = 1.0, seed: int = 20261122) -> list[PlannedTable]:
    """The datasets of a national portal at ``scale`` (1.0: ~10,000 datasets), in slug order.

    Deterministic: the same scale and seed give the same plan.
    """
    rng = np.random.default_rng(seed)
    total = max(4, round(NATIONAL["datasets"] * scale))
    counts = {name: max(1, round(n * scale)) for name, n, *_ in SIZE_CLASSES if n}
    counts["small"] = max(1, total - sum(counts.values()))
    rows: list[tuple[int, str]] = []
    for name, _, low, high, scaled in SIZE_CLASSES:
        count = counts[name]
        if name == "biggest":
            drawn = np.array([NATIONAL["big_rows"]])
        else:  # log-uniform: many near the low end, as real catalogues are
            drawn = np.exp(rng.uniform(np.log(low), np.log(high + 1), count)).astype(int)
        if scaled:
            drawn = np.maximum(1, (drawn * scale).astype(int))
        rows += [(int(r), name) for r in drawn]
    order = rng.permutation(len(rows))  # the big ones anywhere among the slugs
    export_draw = rng.random(len(rows))
    plan = []
    hundred = 0
    for index, position in enumerate(order):
        count, name = rows[position]
        if name == "biggest":
            export = False  # comparable with the full bench's UTF-8 1,000,000-row tables
        elif name == "hundred-thousands":
            export, hundred = hundred % 2 == 1, hundred + 1
        else:
            export = bool(export_draw[index] < EXPORT_SHARE)
        topic = TOPICS[index % len(TOPICS)]
        plan.append(PlannedTable(f"ds-{index:05d}", count, name, export, topic))
    return plan


def _strings(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _chunk_columns(rng: np.random.Generator, start: int, rows: int, export: bool) -> list:
    """The ten columns of rows ``start+1 .. start+rows`` as pyarrow string arrays."""
    regions = pa.array(REGIONS_RU if export else REGIONS)
    region = pc.take(regions, pa.array(rng.integers(0, len(REGIONS), rows)))
    number = _strings(rng.integers(0, 99999, rows))
    name = pc.binary_join_element_wise(pa.scalar("Name"), number, " ")
    days = np.datetime64("2001-01-01", "D") + rng.integers(0, 8000, rows)
    date = pc.cast(pa.array(days), pa.string())  # YYYY-MM-DD
    if export:  # DD.MM.YYYY, cut from the ISO text (faster than strftime)
        parts = [pc.utf8_slice_codeunits(date, a, b) for a, b in ((8, 10), (5, 7), (0, 4))]
        date = pc.binary_join_element_wise(*parts, ".")
    year = _strings(rng.integers(1990, 2030, rows))
    cents = rng.integers(0, 1_000_000, rows)
    fraction = pc.utf8_lpad(_strings(cents % 100), width=2, padding="0")
    amount = pc.binary_join_element_wise(_strings(cents // 100), fraction, "," if export else ".")
    count = _strings(rng.integers(0, 1_000_000, rows))
    flags = pa.array(["да", "нет"] if export else ["true", "false"])
    active = pc.take(flags, pa.array((rng.random(rows) >= 0.5).astype(np.int8)))
    prefix = pc.take(pa.array(["KZ-", "RU-", "EN-"]), pa.array(rng.integers(0, 3, rows)))
    code = pc.binary_join_element_wise(prefix, _strings(rng.integers(100, 999, rows)), "")
    note = pc.take(pa.array(["ok", "NA"]), pa.array((rng.random(rows) < 0.1).astype(np.int8)))
    ids = _strings(np.arange(start + 1, start + rows + 1))
    return [ids, region, name, date, year, amount, count, active, code, note]


def write_national_table(path: Path, rows: int, seed: int, export: bool) -> None:
    """A valid CSV of ``rows`` rows, written in chunks of CHUNK_ROWS (bounded memory).

    ``export``: Windows-1251, ';' and CRLF line ends, as Excel saves a CSV in Kazakhstan.
    """
    rng = np.random.default_rng(seed)
    delimiter, newline, encoding = (";", "\r\n", "cp1251") if export else (",", "\n", "utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        header = delimiter.join(f["name"] for f in (EXPORT_FIELDS if export else FIELDS))
        stream.write((header + newline).encode(encoding))
        for start in range(0, rows, CHUNK_ROWS):
            count = min(CHUNK_ROWS, rows - start)
            columns = _chunk_columns(rng, start, count, export)
            # Each line + its line end in one string array: its value buffer is the text.
            lines = pc.binary_join_element_wise(*columns, delimiter)
            lines = pc.binary_join_element_wise(lines, pa.scalar(""), newline)
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
            text = lines.buffers()[2].to_pybytes()[offsets[0] : offsets[count]]
            stream.write(text if not export else text.decode("utf-8").encode(encoding))


def national_descriptor(table: PlannedTable) -> dict:
    """The datapackage.json of a planned dataset, translated into kk and ru (no warnings)."""
    slug = table.slug
    resource = {
        "name": slug,
        "path": f"data/{slug}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": SCHEMA,
    }
    labels = {lang: dict(zip(REGIONS, names, strict=True)) for lang, names in REGION_LABELS.items()}
    if table.export:
        resource.update(encoding="windows-1251", dialect={"delimiter": ";"}, schema=EXPORT_SCHEMA)
        labels = {
            "kk": dict(zip(REGIONS_RU, REGION_LABELS["kk"], strict=True)),
            "ru": {name: name for name in REGIONS_RU},
            "en": dict(zip(REGIONS_RU, REGIONS, strict=True)),
        }
    texts = {
        "kk": ("Сынақ деректер жиынтығы", "bench/generate.py жасаған (тұрақты seed)."),
        "ru": ("Тестовый набор данных", "Создан bench/generate.py (фиксированный seed)."),
    }
    i18n = {
        lang: {
            "title": f"{title} {slug}",
            "description": description,
            "licenses": {"CC-BY-4.0": {"title": "Creative Commons Attribution 4.0"}},
            "publisher": {"name": "Benchmark"},
            "resources": {slug: {"fields": {"region": {"labels": labels[lang]}}}},
        }
        for lang, (title, description) in texts.items()
    }
    if "en" in labels:
        i18n["en"] = {"resources": {slug: {"fields": {"region": {"labels": labels["en"]}}}}}
    return {
        "name": slug,
        "title": f"Benchmark dataset {slug} ({table.rows:,} rows)",
        "description": "Generated by bench/generate.py (fixed seed).",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "publisher": "Benchmark",
        "topic": table.topic,
        "resources": [resource],
        "i18n": i18n,
    }


NEWS_WORDS = {
    "en": ["budget", "report", "region", "school", "hospital", "road", "water", "tender"],
    "kk": ["бюджет", "есеп", "өңір", "мектеп", "аурухана", "жол", "су", "тендер"],
    "ru": ["бюджет", "отчёт", "регион", "школа", "больница", "дорога", "вода", "тендер"],
}


def write_articles_i18n(content: Path, count: int, seed: int) -> None:
    """``count`` news articles, each in English (the original) and in Kazakh and Russian."""
    rng = random.Random(seed)
    content.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        slug = f"news-{index:05d}"
        tag = rng.randrange(len(NEWS_WORDS["en"]))
        picks = [[rng.randrange(8) for _ in range(60)] for _ in range(4)]
        for lang, words in NEWS_WORDS.items():
            body = "\n\n".join(
                " ".join(words[i] for i in para).capitalize() + "." for para in picks
            )
            suffix = "" if lang == "en" else f".{lang}"
            (content / f"{slug}{suffix}.md").write_text(
                f"Title: {words[tag].capitalize()} {index}\n"
                f"Date: 2024-{index % 12 + 1:02d}-{index % 28 + 1:02d} 10:00\n"
                f"Category: News\nTags: {words[tag]}\nSlug: {slug}\nLang: {lang}\n\n{body}\n",
                encoding="utf-8",
            )


def write_national(root: Path, scale: float = 1.0, seed: int = 20261122) -> dict:
    """A national portal's datasets/ and content/articles/ under ``root``; what was written.

    Returns the plan, the article count and the seconds taken (the biggest table's apart).
    """
    started = time.perf_counter()
    plan = national_plan(scale, seed)
    biggest_s = 0.0
    for number, table in enumerate(plan):
        folder = root / "datasets" / table.slug
        table_started = time.perf_counter()
        write_national_table(
            folder / "data" / f"{table.slug}.csv", table.rows, seed + number, table.export
        )
        if table.size_class == "biggest":
            biggest_s = time.perf_counter() - table_started
        descriptor = national_descriptor(table)
        (folder / "datapackage.json").write_text(
            json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    articles = max(1, round(NATIONAL["articles"] * scale))
    write_articles_i18n(root / "content" / "articles", articles, seed)
    return {
        "plan": plan,
        "articles": articles,
        "seconds": time.perf_counter() - started,
        "biggest_seconds": biggest_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("work", type=Path)
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=200, help="rows of each small dataset")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--national", action="store_true", help="a national portal (~10,000 datasets, 3 languages)"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="of --national (e.g. 0.01)")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    if args.national:
        made = write_national(args.work, args.scale, args.seed)
        rows = sum(t.rows for t in made["plan"])
        print(
            f"{len(made['plan']):,} datasets ({rows:,} rows), {made['articles']:,} articles × 3"
            f" languages in {made['seconds']:.1f} s (biggest table {made['biggest_seconds']:.1f} s)"
        )
        return
    for index in range(args.datasets):
        write_dataset(args.work / "datasets", f"set-{index:04d}", args.rows, args.seed + index)
    write_articles(args.work / "content" / "articles", args.articles, args.seed)


if __name__ == "__main__":
    main()
