"""Moldir's benchmark: validation vs ``frictionless validate``, build vs plain Pelican.

    make bench                              # the full run (~30 min on 2 cores)
    .venv/bin/python bench/run.py --small   # a quick run (~3 min)
    .venv/bin/python bench/run.py --national --scale 0.01   # a national portal, scaled down

Everything is generated with a fixed seed into bench/work/ (git-ignored) and measured in the
same run, side by side, each command in its own process (peak memory from ``wait4``). A table
is printed and the numbers are written to bench/results/<mode>-<time>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

SEED = 20261122
# big_in_portal: datasets of big_rows rows among the built portal's datasets.
FULL = {
    "big_rows": 1_000_000,
    "planted": 500,
    "datasets": 1000,
    "rows": 200,
    "articles": 5000,
    "big_in_portal": 2,
}
SMALL = {
    "big_rows": 100_000,
    "planted": 100,
    "datasets": 50,
    "rows": 200,
    "articles": 200,
    "big_in_portal": 1,
}


# Set by snapshot_code(): every measured moldir command runs this copy of the code, so that
# edits to the working tree during a run cannot invalidate the build cache between builds.
ENV: dict[str, str] = {}


# Where the measured code is copied from (--code): this working tree unless told otherwise.
CODE_FROM: list[Path] = [ROOT]


def snapshot_code(work: Path) -> Path:
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(
        CODE_FROM[0] / "plugins", code / "plugins", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(CODE_FROM[0] / "theme", code / "theme")
    ENV["PYTHONPATH"] = str(code / "plugins")
    return code / "plugins"


def run(command: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run a command; its wall time, exit code and output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **ENV, **(env or {})},
    )
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "code": process.returncode,
        "peak_mib": None,
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace")[-3000:],
    }


def run_measured(command: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Like run(), with the command's peak memory (RUSAGE_CHILDREN of a tiny wrapper)."""
    wrapper = (
        "import resource,subprocess,sys,json;"
        "p=subprocess.run(sys.argv[1:]);"
        "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "sys.stderr.write('\\n@@PEAK '+str(u.ru_maxrss)+'\\n');sys.exit(p.returncode)"
    )
    result = run([sys.executable, "-c", wrapper, *command], cwd, env)
    for line in result["stderr"].splitlines():
        if line.startswith("@@PEAK "):
            result["peak_mib"] = round(int(line.split()[1]) / 1024, 1)
    return result


def error_set_frictionless(stdout: str) -> set[tuple]:
    report = json.loads(stdout[stdout.index("{") :])
    return {
        (e.get("rowNumber"), e.get("fieldName") or None, e["type"])
        for task in report["tasks"]
        for e in task["errors"]
    }


def error_set_moldir(stdout: str) -> set[tuple]:
    report = json.loads(stdout)
    return {
        (e.get("row"), e.get("field"), e["type"])
        for task in report["tasks"]
        for e in task["errors"]
        # Moldir's own extra check (spreadsheet formulas); Frictionless has no such check.
        if e["type"] != "formula-cell"
    }


def bench_validation(work: Path, size: dict, repeat: int) -> list[dict]:
    """Moldir vs frictionless validate on the same large datasets (valid and broken)."""
    results = []
    big = work / "big"
    # Process start alone (imports, features), on a 10-row dataset: part of every time below.
    generate.write_dataset(big, "tiny", 10, SEED)
    for attempt in range(1, repeat + 1):
        moldir = run([str(BIN / "moldir"), "validate", str(big / "tiny")], ROOT)
        friction = run([str(BIN / "frictionless"), "validate", "datapackage.json"], big / "tiny")
        results.append(
            {
                "case": "startup (10 rows)",
                "attempt": attempt,
                "rows": 10,
                "bytes": 0,
                "errors": 0,
                "same_errors": True,
                "moldir_s": moldir["seconds"],
                "frictionless_s": friction["seconds"],
                "ratio": round(friction["seconds"] / moldir["seconds"], 1),
                "moldir_peak_mib": None,
                "frictionless_peak_mib": None,
            }
        )
        print_row(results[-1])
    cases = [("valid", 0), ("planted-errors", size["planted"])]
    for name, planted in cases:
        slug = f"big-{name}"
        generate.write_dataset(big, slug, size["big_rows"], SEED, planted)
        folder = big / slug
        data = folder / "data" / f"{slug}.csv"
        for attempt in range(1, repeat + 1):
            moldir = run_measured(
                [str(BIN / "moldir"), "validate", str(folder), "--format", "json"], ROOT
            )
            friction = run_measured(
                [str(BIN / "frictionless"), "validate", "--json", "datapackage.json"], folder
            )
            same = error_set_moldir(moldir["stdout"]) == error_set_frictionless(friction["stdout"])
            errors = len(error_set_frictionless(friction["stdout"]))
            results.append(
                {
                    "case": name,
                    "attempt": attempt,
                    "rows": size["big_rows"],
                    "bytes": data.stat().st_size,
                    "errors": errors,
                    "same_errors": same,
                    "moldir_s": moldir["seconds"],
                    "frictionless_s": friction["seconds"],
                    "ratio": round(friction["seconds"] / moldir["seconds"], 1),
                    "moldir_rows_per_s": round(size["big_rows"] / moldir["seconds"]),
                    "frictionless_rows_per_s": round(size["big_rows"] / friction["seconds"]),
                    "moldir_peak_mib": moldir["peak_mib"],
                    "frictionless_peak_mib": friction["peak_mib"],
                }
            )
            print_row(results[-1])
    return results


def write_portal(work: Path, size: dict, plugins: Path) -> Path:
    """A portal project (datasets/, content/, pelicanconf.py) using this repository's theme."""
    portal = work / "portal"
    shutil.rmtree(portal, ignore_errors=True)
    for index in range(size["datasets"]):
        generate.write_dataset(
            portal / "datasets", f"set-{index:04d}", size["rows"], SEED + index, 0
        )
    for index in range(size.get("big_in_portal", 0)):
        generate.write_dataset(
            portal / "datasets", f"big-{index}", size["big_rows"], SEED + 100_000 + index, 0
        )
    generate.write_articles(portal / "content" / "articles", size["articles"], SEED)
    # One language, like the plain Pelican build it is compared with.
    write_settings(portal, plugins, ["kk"])
    return portal


def write_settings(
    portal: Path, plugins: Path, languages: list[str], moldir: dict | None = None
) -> None:
    """The portal's pelicanconf.py (the example's, in ``languages``, ``moldir`` added to its
    MOLDIR) and plainconf.py."""
    (portal / "content" / "pages").mkdir(parents=True, exist_ok=True)
    # The portal is its own git repository: commits to this repository during a run must
    # not count as changes to it (the build fingerprint includes git HEAD, for histories).
    subprocess.run(["git", "init", "-q", str(portal)], check=False)
    (portal / "pelicanconf.py").write_text(
        "import runpy\n"
        f"_base = runpy.run_path({str(ROOT / 'pelicanconf.py')!r})\n"
        "globals().update({k: v for k, v in _base.items() if k.isupper()})\n"
        f"THEME = {str(plugins.parent / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(plugins)!r}]\n"
        "PATH = 'content'\nOUTPUT_PATH = 'output'\n"
        # The generated datasets' topics: the example portal lists only its own.
        f"MOLDIR = {{**MOLDIR, 'languages': {languages!r}, 'topics': {generate.TOPICS!r},"
        f" **{moldir or {}!r}}}\n"
    )
    # Plain Pelican: the same articles, its default theme, no plugins.
    (portal / "plainconf.py").write_text(
        "SITENAME = 'Plain'\nPATH = 'content'\nARTICLE_PATHS = ['articles']\n"
        "ARTICLE_URL = 'news/{slug}/'\nARTICLE_SAVE_AS = 'news/{slug}/index.html'\n"
        "TIMEZONE = 'Asia/Almaty'\nDEFAULT_LANG = 'kk'\nRELATIVE_URLS = True\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\n"
        "AUTHOR_FEED_RSS = None\nTRANSLATION_FEED_ATOM = None\n"
    )


def tree_stats(path: Path) -> dict:
    files = [p for p in path.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    return {"files": len(files), "html_pages": pages, "bytes": sum(p.stat().st_size for p in files)}


STAGE_LINE = re.compile(r"^  (.+?)\s+(\d+\.\d+) s\s+\d+\.\d+ %$")


def stage_seconds(stages: str) -> dict[str, float]:
    """``moldir build``'s "Time per stage" lines as {stage: seconds} (counts left out)."""
    found = {}
    for line in stages.splitlines():
        match = STAGE_LINE.match(line)
        if match:
            found[re.sub(r" \([\d,]+\)$", "", match.group(1))] = float(match.group(2))
    return found


def record_build(results: list[dict], name: str, outcome: dict, output: Path) -> dict:
    """One build's row (time, memory, output, stages, reuse); printed and appended."""
    stats = tree_stats(output) if output.is_dir() else {}
    row = {
        "case": name,
        "seconds": outcome["seconds"],
        "code": outcome["code"],
        "peak_mib": outcome["peak_mib"],
        **stats,
    }
    if stats.get("html_pages"):
        row["pages_per_s"] = round(stats["html_pages"] / outcome["seconds"])
    if outcome["code"]:
        row["error"] = outcome["stderr"][-800:]
    if "Time per stage:" in outcome["stderr"]:
        row["stages"] = outcome["stderr"].split("Time per stage:", 1)[1].split("@@PEAK")[0]
    if "Nothing changed" in outcome["stdout"]:
        row["nothing_changed"] = True
    found = re.search(r"rendered ([\d,]+), reused unchanged ([\d,]+)", outcome["stderr"])
    if found:
        row["rendered"], row["reused"] = (int(g.replace(",", "")) for g in found.groups())
    # Moldir's own process and the largest process it ran (a worker, Pagefind) apart.
    found = re.search(r"peak memory ([\d,]+) MiB; .* ([\d,]+) MiB", outcome["stderr"])
    if found:
        row["moldir_peak_mib"], row["helpers_peak_mib"] = (
            int(g.replace(",", "")) for g in found.groups()
        )
    full = next((r for r in results if r["case"] == "moldir-full"), None)
    if name.startswith("moldir-rebuild") and full:
        row["share_of_full"] = f"{100 * outcome['seconds'] / full['seconds']:.1f} %"
    results.append(row)
    print_row(row)
    return row


def change_one_line(csv: Path) -> None:
    """Change one cell of a generated table ("Name 123" → "Changed 123"), still valid."""
    lines = csv.read_bytes().split(b"\n")
    lines[5] = lines[5].replace(b"Name ", b"Changed ")
    csv.write_bytes(b"\n".join(lines))


def bench_build(work: Path, size: dict) -> list[dict]:
    portal = write_portal(work, size, snapshot_code(work))
    moldir = [str(BIN / "moldir"), "build", "--settings", "pelicanconf.py"]
    results: list[dict] = []

    def record(name: str, outcome: dict, output: Path) -> None:
        record_build(results, name, outcome, output)

    plain = run_measured(
        [str(BIN / "pelican"), "content", "-s", "plainconf.py", "-o", "plain-output"], portal
    )
    record("pelican-plain-full", plain, portal / "plain-output")
    plain2 = run_measured(
        [str(BIN / "pelican"), "content", "-s", "plainconf.py", "-o", "plain-output"], portal
    )
    record("pelican-plain-rebuild", plain2, portal / "plain-output")
    shutil.rmtree(portal / ".moldir-cache", ignore_errors=True)
    record("moldir-full", run_measured(moldir, portal), portal / "output")
    record("moldir-rebuild-unchanged", run_measured(moldir, portal), portal / "output")
    change_one_line(portal / "datasets" / "set-0001" / "data" / "set-0001.csv")
    record("moldir-rebuild-one-dataset", run_measured(moldir, portal), portal / "output")
    article = portal / "content" / "articles" / "article-00003.md"
    article.write_text(article.read_text() + "\nOne more sentence.\n")
    record("moldir-rebuild-one-article", run_measured(moldir, portal), portal / "output")
    return results


def national_summary(made: dict, portal: Path) -> dict:
    """What the national generator wrote: datasets per size class, rows, formats, bytes."""
    plan = made["plan"]
    classes: dict[str, dict] = {}
    for name, *_ in generate.SIZE_CLASSES:
        classes[name] = {"datasets": 0, "rows": 0, "export": 0}
    for table in plan:
        entry = classes[table.size_class]
        entry["datasets"] += 1
        entry["rows"] += table.rows
        entry["export"] += table.export
    biggest = max(plan, key=lambda t: t.rows)
    data = tree_stats(portal / "datasets")
    return {
        "datasets": len(plan),
        "rows": sum(t.rows for t in plan),
        "export_datasets": sum(t.export for t in plan),
        "classes": classes,
        "biggest": {"slug": biggest.slug, "rows": biggest.rows},
        "articles_per_language": made["articles"],
        "article_files": 3 * made["articles"],
        "dataset_files": data["files"],
        "dataset_bytes": data["bytes"],
        "generate_s": round(made["seconds"], 2),
        "generate_biggest_s": round(made["biggest_seconds"], 2),
    }


def bench_national(work: Path, scale: float) -> tuple[dict, list[dict]]:
    """The national portal: generated, then built by plain Pelican and by Moldir (3 languages).

    Moldir builds from an empty cache, again with nothing changed, on the next day, and with
    one small dataset changed; each build's search index stage (``site_built``: Pagefind,
    sitemap) is reported with its share of that build.
    """
    plugins = snapshot_code(work)
    portal = work / "national"
    shutil.rmtree(portal, ignore_errors=True)
    print(f"Generating the national portal (scale {scale})…", flush=True)
    made = generate.write_national(portal, scale, SEED)
    summary = {"scale": scale, **national_summary(made, portal)}
    print(
        f"  {summary['datasets']:,} datasets, {summary['rows']:,} rows"
        f" (biggest {summary['biggest']['rows']:,}), {summary['export_datasets']:,} as"
        f" Windows-1251 exports, {summary['article_files']:,} article files;"
        f" {summary['dataset_bytes'] / 1e6:.1f} MB in {summary['generate_s']} s",
        flush=True,
    )
    # The 5,000,000-row table is ~360 MB, over the default max_file_bytes (200 MiB): a
    # national portal publishing it raises the limit, as this one does.
    write_settings(portal, plugins, ["kk", "ru", "en"], {"max_file_bytes": 1 << 30})
    moldir = [str(BIN / "moldir"), "build", "--settings", "pelicanconf.py"]
    results: list[dict] = []

    # Every build is dated (MOLDIR_TODAY), so that a run crossing midnight measures what
    # it says; "next day" is the nightly rebuild: nothing changed but the build date.
    today = dt.date.today()

    def build(name: str, command: list[str], output: Path, day: dt.date = today) -> None:
        measured = run_measured(command, portal, {"MOLDIR_TODAY": day.isoformat()})
        row = record_build(results, name, measured, output)
        stages = stage_seconds(row.get("stages", ""))
        if stages:
            row["stage_seconds"] = stages
        index = next((v for k, v in stages.items() if k.startswith("site_built")), None)
        if index is not None:
            row["search_index_s"] = index
            row["search_index_share"] = f"{100 * index / row['seconds']:.1f} %"
            print(f"    search index (site_built): {index:.2f} s, {row['search_index_share']}")

    plain = [str(BIN / "pelican"), "content", "-s", "plainconf.py", "-o", "plain-output"]
    build("pelican-plain-full", plain, portal / "plain-output")
    shutil.rmtree(portal / ".moldir-cache", ignore_errors=True)
    build("moldir-full", moldir, portal / "output")
    build("moldir-rebuild-unchanged", moldir, portal / "output")
    today += dt.timedelta(days=1)
    build("moldir-rebuild-next-day", moldir, portal / "output", today)
    changed = next(t for t in made["plan"] if t.size_class == "small" and not t.export)
    summary["changed_dataset"] = changed.slug
    change_one_line(portal / "datasets" / changed.slug / "data" / f"{changed.slug}.csv")
    build("moldir-rebuild-one-dataset", moldir, portal / "output", today)
    return summary, results


def national_table(summary: dict, rows: list[dict]) -> str:
    """The national run as Markdown: what was generated, then one line per build."""
    lines = ["", f"National portal (scale {summary['scale']})", ""]
    lines.append("| size class | datasets | rows | Windows-1251 exports |")
    lines.append("|---|---:|---:|---:|")
    for name, entry in summary["classes"].items():
        lines.append(
            f"| {name} | {entry['datasets']:,} | {entry['rows']:,} | {entry['export']:,} |"
        )
    lines.append(
        f"| all | {summary['datasets']:,} | {summary['rows']:,} | {summary['export_datasets']:,} |"
    )
    lines += [
        "",
        f"{summary['article_files']:,} article files ({summary['articles_per_language']:,} in"
        f" each of kk, ru, en); {summary['dataset_bytes'] / 1e6:.1f} MB of datasets generated"
        f" in {summary['generate_s']} s (the biggest table, {summary['biggest']['rows']:,} rows:"
        f" {summary['generate_biggest_s']} s)",
        "",
        "| case | s | share of full | exit | pages | files | MB | peak MiB |"
        " Moldir / largest helper MiB | search index s (share) | rendered / reused |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        reuse = f"{r['rendered']:,} / {r['reused']:,}" if "rendered" in r else ""
        index = (
            f"{r['search_index_s']:.1f} ({r['search_index_share']})"
            if "search_index_s" in r
            else ""
        )
        apart = ""
        if "helpers_peak_mib" in r:
            apart = f"{r['moldir_peak_mib']:,} / {r['helpers_peak_mib']:,}"
        lines.append(
            f"| {r['case']} | {r['seconds']:.1f} | {r.get('share_of_full', '')} | {r['code']} |"
            f" {r.get('html_pages', '')} | {r.get('files', '')} |"
            f" {round(r.get('bytes', 0) / 1e6, 1)} | {r['peak_mib']} | {apart} | {index} |"
            f" {reuse} |"
        )
    plain = next((r for r in rows if r["case"] == "pelican-plain-full"), None)
    full = next((r for r in rows if r["case"] == "moldir-full"), None)
    if plain and full and plain["seconds"]:
        lines += [
            "",
            f"moldir-full / pelican-plain-full: {full['seconds'] / plain['seconds']:.1f}×",
        ]
    staged = [r for r in rows if r.get("stage_seconds")]
    if staged:
        lines += ["", "Time per stage (s)", ""]
        lines.append("| stage | " + " | ".join(r["case"] for r in staged) + " |")
        lines.append("|---|" + "---:|" * len(staged))
        names = list(dict.fromkeys(k for r in staged for k in r["stage_seconds"]))
        for stage in names:
            cells = " | ".join(f"{r['stage_seconds'].get(stage, 0):.2f}" for r in staged)
            lines.append(f"| {stage} | {cells} |")
    return "\n".join(lines)


def print_row(row: dict) -> None:
    shown = {k: v for k, v in row.items() if k not in ("error", "stages", "stage_seconds")}
    print("  " + ", ".join(f"{k}={v}" for k, v in shown.items()), flush=True)


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version()}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            line.split(":", 1)[1].strip() for line in cpu.splitlines() if "model name" in line
        )
        mem = Path("/proc/meminfo").read_text().splitlines()[0]
        info["memory"] = mem.split(":", 1)[1].strip()
        info["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    except (OSError, StopIteration):
        pass
    return info


def table(results: dict) -> str:
    lines = ["", "Validation (same files, same schema; times include process start)", ""]
    lines.append(
        "| case | rows | attempt | Moldir s | frictionless s | ratio | same errors |"
        " peak MiB (Moldir / fl) |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---|---|")
    for r in results["validation"]:
        lines.append(
            f"| {r['case']} ({r['errors']} errors) | {r['rows']:,} | {r['attempt']} |"
            f" {r['moldir_s']:.1f} | {r['frictionless_s']:.1f} | {r['ratio']}× |"
            f" {r['same_errors']} | {r['moldir_peak_mib']} / {r['frictionless_peak_mib']} |"
        )
    if results.get("build"):
        lines += [
            "",
            "Builds",
            "",
            "| case | s | share of full | exit | pages | pages/s | files | MB | peak MiB |"
            " rendered / reused |",
        ]
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for r in results["build"]:
            reuse = f"{r['rendered']:,} / {r['reused']:,}" if "rendered" in r else ""
            lines.append(
                f"| {r['case']} | {r['seconds']:.1f} | {r.get('share_of_full', '')} |"
                f" {r['code']} | {r.get('html_pages', '')} | {r.get('pages_per_s', '')} |"
                f" {r.get('files', '')} | {round(r.get('bytes', 0) / 1e6, 1)} |"
                f" {r['peak_mib']} | {reuse} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="a quick run (~3 minutes)")
    parser.add_argument(
        "--national",
        action="store_true",
        help="builds only, of a national portal: ~10,000 datasets incl. a 5,000,000-row table,"
        " news in kk, ru and en (bench/README.md)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="of --national: the dataset and article counts and the big tables' rows (0.01:"
        " ~1 minute)",
    )
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="measure the plugins/ and theme/ of this checkout (default: this working tree)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="validation runs per file")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--skip-validation", action="store_true")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--big-rows", type=int, help="rows of the validation files")
    parser.add_argument("--datasets", type=int, help="datasets of the built portal")
    parser.add_argument("--articles", type=int, help="articles of the built portal")
    args = parser.parse_args()
    CODE_FROM[0] = args.code.resolve()
    if args.national:
        main_national(args)
        return
    size = dict(SMALL if args.small else FULL)
    for key in ("big_rows", "datasets", "articles"):
        if getattr(args, key) is not None:
            size[key] = getattr(args, key)
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "size": size,
        "machine": machine(),
        "validation": [],
        "build": [],
    }
    snapshot_code(args.work)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    name = ("small-" if args.small else "full-") + time.strftime("%Y%m%dT%H%M%S") + ".json"
    # Written after each part, so an interrupted run keeps what it measured.
    if not args.skip_validation:
        print("Validation: Moldir vs frictionless validate", flush=True)
        results["validation"] = bench_validation(args.work, size, args.repeat)
        (out / name).write_text(json.dumps(results, indent=2))
    if not args.skip_build:
        print("Builds: Moldir vs plain Pelican", flush=True)
        results["build"] = bench_build(args.work, size)
    results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    (out / name).write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\nWritten to {out / name}")


def main_national(args: argparse.Namespace) -> None:
    """``--national``: generate, build, write bench/results/national-<time>.json, print."""
    if args.scale <= 0:
        raise SystemExit("--scale must be above 0")
    args.work.mkdir(parents=True, exist_ok=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    name = "national-" + time.strftime("%Y%m%dT%H%M%S") + ".json"
    results: dict = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": str(CODE_FROM[0]),
    }
    results["size"], results["build"] = bench_national(args.work, args.scale)
    results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results["loadavg_end"] = machine().get("loadavg")
    (out / name).write_text(json.dumps(results, indent=2))
    print(national_table(results["size"], results["build"]))
    print(f"\nWritten to {out / name}")


if __name__ == "__main__":
    main()
