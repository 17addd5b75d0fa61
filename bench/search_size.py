"""How big is the search index, and how many bytes does a first search cost a reader?

Two sites are measured:

- ``example``: the example portal, built with ``moldir.site.build.build_site`` into a temporary
  folder (or ``--example-site DIR``, an already built output folder). The first query is
  typed into the real search page (``/en/search/`` or ``/search/``), as a reader would.
- ``large``: a generated portal of ``--pages`` HTML pages per language (kk, ru, en), made
  directly from a fixed seed (no Pelican): dataset-like pages with the same
  ``data-pagefind-*`` markup as the real templates, indexed with ``moldir.features.search``. The
  first query runs on a small page that makes the calls the search page makes (init,
  filters, search, the data of the first 10 results).

The bytes of a first query are the sizes of every file fetched from ``/pagefind/`` while
a fresh browser (empty cache) loads the page and answers one query, recorded with
Playwright on a local http.server. Results: a table on stdout, JSON in
``bench/results/search.json`` (git-ignored).

    .venv/bin/python bench/search_size.py [--pages 3000] [--seed 7]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import itertools
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "search.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LANGUAGES = {"kk": "", "ru": "ru/", "en": "en/"}
QUERIES = {"kk": "қала", "ru": "Шымкент", "en": "Astana"}

# Syllables of each language for made-up words; Kazakh ones use the Kazakh letters.
SYLLABLES = {
    "kk": [
        "қа",
        "ға",
        "ңы",
        "өр",
        "ұл",
        "үй",
        "һа",
        "ік",
        "әк",
        "ба",
        "ды",
        "та",
        "лы",
        "ме",
        "ке",
        "сі",
        "ну",
        "ма",
        "ты",
        "ар",
        "ол",
        "ез",
        "ің",
        "дер",
    ],
    "ru": [
        "ка",
        "ра",
        "то",
        "ви",
        "ле",
        "на",
        "ст",
        "ро",
        "по",
        "ми",
        "ко",
        "зи",
        "де",
        "ны",
        "го",
        "ва",
        "ль",
        "ти",
        "жа",
        "ще",
    ],
    "en": [
        "ka",
        "ra",
        "to",
        "vi",
        "le",
        "na",
        "st",
        "ro",
        "po",
        "mi",
        "co",
        "si",
        "de",
        "ny",
        "go",
        "va",
        "th",
        "ti",
        "ja",
        "re",
    ],
}
BODIES = {
    "kk": ["Астана қаласының әкімдігі", "Шымкент қаласының әкімдігі", "Ақтөбе облысы"],
    "ru": ["Акимат города Астаны", "Акимат города Шымкента", "Актюбинская область"],
    "en": ["Akimat of Astana", "Akimat of Shymkent", "Aktobe region"],
}
TYPES = {"kk": "Деректер жиынтығы", "ru": "Набор данных", "en": "Dataset"}
TOPICS = ["appeals", "budget", "receptions", "surveys", "open-government"]


# --- a generated portal -------------------------------------------------------------


def vocabulary(rng: random.Random, lang: str, size: int) -> list[str]:
    syllables = SYLLABLES[lang]
    words: dict[str, None] = {}
    while len(words) < size:
        words.setdefault("".join(rng.choice(syllables) for _ in range(rng.randint(2, 5))), None)
    return list(words)


def zipf_weights(size: int) -> list[float]:
    """Cumulative Zipf-like weights: a few words are frequent, most are rare."""
    return list(itertools.accumulate(1 / (rank + 1) for rank in range(size)))


def generated_page(
    rng: random.Random, lang: str, number: int, words: list[str], weights: list[float]
) -> str:
    """One dataset-like page: title, description, a field table and some rows."""

    def sentence(length: int) -> str:
        return " ".join(rng.choices(words, cum_weights=weights, k=length)).capitalize() + "."

    body = rng.choice(BODIES[lang])
    year = rng.randint(2015, 2024)
    fields = "".join(
        f"<tr><th scope=row><code>field_{n}_{rng.choice(words)}</code></th>"
        f"<td>{sentence(3)}</td><td>{sentence(8)}</td></tr>"
        for n in range(rng.randint(3, 10))
    )
    rows = "".join(f"<tr><td>{body}</td><td>{rng.randint(0, 99999)}</td></tr>" for _ in range(10))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{number}</title></head>
<body><header data-pagefind-ignore><nav>Portal</nav></header>
<main data-pagefind-body>
<h1>{sentence(5)} {number}</h1>
<p>{" ".join(sentence(rng.randint(8, 20)) for _ in range(rng.randint(2, 6)))}</p>
<div hidden data-pagefind-ignore>
<span data-pagefind-filter="type" data-pagefind-meta="type">{TYPES[lang]}</span>
<span data-pagefind-filter="topic">{rng.choice(TOPICS)}</span>
<span data-pagefind-filter="publisher" data-pagefind-meta="publisher">{body}</span>
<span data-pagefind-filter="year">{year}</span>
<span data-pagefind-sort="date" data-pagefind-meta="date">{year}-{rng.randint(1, 12):02d}-01</span>
</div>
<table><caption>Fields</caption><tbody>{fields}</tbody></table>
<table><caption>Preview</caption><tbody>{rows}</tbody></table>
</main><footer data-pagefind-ignore>Footer</footer></body></html>
"""


QUERY_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>search</title></head>
<body><main><h1>search</h1></main></body></html>
"""


def generate_portal(folder: Path, pages: int, seed: int) -> None:
    """``pages`` pages per language, reproducible from ``seed``."""
    rng = random.Random(seed)
    for lang, prefix in LANGUAGES.items():
        words = vocabulary(rng, lang, 5000)
        weights = zipf_weights(len(words))
        for number in range(pages):
            path = folder / prefix / "datasets" / f"d{number:05d}" / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(generated_page(rng, lang, number, words, weights), encoding="utf-8")
        search = folder / prefix / "search" / "index.html"
        search.parent.mkdir(parents=True, exist_ok=True)
        search.write_text(QUERY_PAGE.format(lang=lang), encoding="utf-8")


# --- measuring ------------------------------------------------------------------------


def bundle_sizes(site: Path) -> dict[str, Any]:
    """Bytes of the bundle: all of it, the part the JS API can load, per language."""
    bundle = site / "pagefind"
    files = [path for path in bundle.rglob("*") if path.is_file()]
    ui = {path for path in files if "-ui." in path.name or path.name == "pagefind-highlight.js"}
    per_language: Counter[str] = Counter()
    for path in files:
        if path.parent.name in ("index", "fragment", "filter") or path.suffix == ".pf_meta":
            lang = path.name.split("_", 1)[0].removeprefix("pagefind.")
            per_language[lang] += path.stat().st_size
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {
        "bundle_bytes": sum(path.stat().st_size for path in files),
        "api_bytes": sum(path.stat().st_size for path in files if path not in ui),
        "files": len(files),
        "index_bytes_per_language": dict(sorted(per_language.items())),
        "pages_per_language": {
            lang: info.get("page_count", 0) for lang, info in entry["languages"].items()
        },
    }


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def kind_of(name: str) -> str:
    if name.endswith(".pf_fragment"):
        return "fragments"
    if name.endswith(".pf_index"):
        return "index chunks"
    if name.endswith(".pf_filter"):
        return "filters"
    if name.endswith(".pf_meta"):
        return "meta"
    if ".pagefind" in name or name.endswith(".wasm"):
        return "wasm"
    if name.endswith(".json"):
        return "entry"
    return "js"


def first_query_bytes(browser, site: Path, path: str, query: str, real_ui: bool) -> dict:
    """Bytes fetched from /pagefind/ by a fresh browser context answering one query."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context()
    page = context.new_page()
    fetched: dict[str, int] = {}

    def record(response) -> None:
        url = response.url.split("?")[0]
        if "/pagefind/" in url and response.ok:
            fetched[url.rsplit("/", 1)[-1]] = len(response.body())

    page.on("response", record)
    started = time.perf_counter()
    try:
        if real_ui:
            page.goto(f"{base}/{path}?q={query}")
            page.wait_for_selector(
                "[data-module=moldir-search][data-search-ready]", state="attached"
            )
            results = page.locator(".moldir-search-result").count()
        else:
            page.goto(f"{base}/{path}")
            results = page.evaluate(
                """async (query) => {
                    const pagefind = await import(new URL("/pagefind/pagefind.js", location).href);
                    await pagefind.init();
                    await pagefind.filters();
                    const search = await pagefind.search(query);
                    await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
                    return search.results.length;
                }""",
                query,
            )
        page.wait_for_load_state("networkidle")
        seconds = time.perf_counter() - started
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    by_kind: Counter[str] = Counter()
    for name, size in fetched.items():
        by_kind[kind_of(name)] += size
    return {
        "query": query,
        "results": results,
        "requests": len(fetched),
        "bytes": sum(fetched.values()),
        "bytes_by_kind": dict(sorted(by_kind.items())),
        "seconds": round(seconds, 2),
    }


def measure(browser, name: str, site: Path, real_ui: bool) -> list[dict]:
    sizes = bundle_sizes(site)
    rows = []
    for lang, prefix in LANGUAGES.items():
        if lang not in sizes["pages_per_language"]:
            continue
        query = first_query_bytes(browser, site, f"{prefix}search/", QUERIES[lang], real_ui)
        rows.append({"site": name, "language": lang, **sizes, "first_query": query})
    return rows


def build_example(folder: Path) -> Path:
    from moldir import connect_features
    from moldir.site.build import build_site

    connect_features()
    return build_site(ROOT / "pelicanconf.py", folder / "output").output


def kib(value: int) -> str:
    return f"{value / 1024:,.1f}"


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'site':8} {'lang':4} {'pages':>6} {'bundle KiB':>10} {'lang index KiB':>14} "
        f"{'query':12} {'results':>7} {'requests':>8} {'first query KiB':>15}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        query = row["first_query"]
        print(
            f"{row['site']:8} {row['language']:4} {row['pages_per_language'][row['language']]:>6} "
            f"{kib(row['bundle_bytes']):>10} "
            f"{kib(row['index_bytes_per_language'].get(row['language'], 0)):>14} "
            f"{query['query']:12} {query['results']:>7} {query['requests']:>8} "
            f"{kib(query['bytes']):>15}"
        )
    print()
    print("first query bytes by kind (KiB):")
    for row in rows:
        kinds = ", ".join(f"{k} {kib(v)}" for k, v in row["first_query"]["bytes_by_kind"].items())
        print(f"  {row['site']:8} {row['language']:4} {kinds}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3000, help="generated pages per language")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--example-site", type=Path, help="an already built example portal")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "plugins"))
    from playwright.sync_api import sync_playwright

    from moldir.features.search import build_index

    with tempfile.TemporaryDirectory(prefix="moldir-search-bench-") as work:
        work = Path(work)
        example = args.example_site or build_example(work / "example")
        large = work / "large"
        started = time.perf_counter()
        generate_portal(large, args.pages, args.seed)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        build_index(large)
        indexed = time.perf_counter() - started

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                rows = measure(browser, "example", example, real_ui=True)
                rows += measure(browser, "large", large, real_ui=False)
            finally:
                browser.close()

    print_table(rows)
    print(
        f"\nlarge portal: {args.pages} pages per language generated in {generated:.1f} s, "
        f"indexed in {indexed:.1f} s (seed {args.seed})"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "pages_per_language": args.pages,
                "seed": args.seed,
                "index_seconds": indexed,
                "rows": rows,
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
