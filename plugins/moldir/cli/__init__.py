"""The ``moldir`` command: validate, build and serve the portal.

moldir validate [PATH] [--format text|json|github]
moldir build [--publish] [--output DIR]
moldir serve [--port 8000] [--no-build]
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from moldir import connect_features
from moldir.model.report import InvalidDatasets, Report
from moldir.model.report_formats import FORMATS, format_text
from moldir.model.settings import MoldirSettings, SettingsError, environment_settings
from moldir.pipeline import progress
from moldir.pipeline.discover import find_descriptor
from moldir.pipeline.limits import Limits

DEV_SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"


def settings_option(function):
    return click.option(
        "--settings",
        "settings_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Pelican settings file (default: pelicanconf.py, or publishconf.py with --publish).",
    )(function)


def worker_count(jobs: int) -> int:
    """``--jobs``: 0 is one worker per CPU."""
    return jobs or os.cpu_count() or 1


def jobs_option(function):
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=0,
        show_default=True,
        callback=lambda _context, _parameter, jobs: worker_count(jobs),
        help="Datasets validated (and, when building, whose tables and downloads are made) "
        "at once, in worker processes (0: one per CPU; 1: one after another, the least "
        "memory). The report and the site are the same.",
    )(function)


class GuardedGroup(click.Group):
    """The command group, with one guard for every command: an unexpected exception is a
    short message naming the dataset or file being processed and exit code 2; the Python
    traceback is shown only with ``--verbose``."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except SettingsError as problem:
            raise click.ClickException(f"{DEV_SETTINGS}: {problem}") from problem
        except Exception as problem:
            report_crash(problem, verbose=bool((ctx.obj or {}).get("verbose")))
            ctx.exit(CRASH_EXIT_CODE)


# Exit codes: 0 valid/built, 1 errors in the data (or a usage problem), 2 a crash of Moldir.
CRASH_EXIT_CODE = 2


def set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    """``--verbose``, before or after the command's name: Pelican's progress messages and,
    on a crash, the traceback."""
    if value:
        ctx.ensure_object(dict)
        ctx.find_root().ensure_object(dict)["verbose"] = True
        logging.getLogger().setLevel(logging.INFO)
    return value


def verbose_option(function):
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=set_verbose,
        help="Show progress messages, and the traceback if Moldir itself fails.",
    )(function)


@click.group(cls=GuardedGroup)
@click.version_option(package_name="moldir")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Show Pelican's progress messages, and the traceback if Moldir itself fails.",
)
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Moldir builds a transparency portal from datasets/ and content/."""
    ctx.ensure_object(dict)["verbose"] = verbose
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def report_crash(problem: BaseException, verbose: bool) -> None:
    """The message for an unexpected exception: what failed, on which dataset or file."""
    template = crash_template(problem)
    place = template or crash_place(problem)
    where = f" while processing {place}" if place else ""
    code = crash_code(problem)
    where += f" (in {code})" if code else ""
    detail = str(problem).strip().splitlines()[0][:300] if str(problem).strip() else ""
    click.echo(
        f"Error: Moldir failed{where}: {type(problem).__name__}"
        + (f": {detail}" if detail else ""),
        err=True,
    )
    if verbose:
        import traceback

        click.echo("".join(traceback.format_exception(problem)).rstrip(), err=True)
    elif template:
        click.echo(
            "A template of the theme failed: check it at that line (run the same command "
            "with --verbose for the traceback).",
            err=True,
        )
    else:
        click.echo(
            "This is a bug in Moldir, not in your data: please report it with the output "
            "of the same command run with --verbose.",
            err=True,
        )


def crash_template(problem: BaseException) -> str | None:
    """The theme template (and line) an exception was raised in: Jinja gives the frames
    of a template's code the template's file name."""
    for frame, line in reversed(list(traceback_lines(problem))):
        name = frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt", ".jinja", ".j2")) and Path(name).is_file():
            return f"{shown_path(name)}, line {frame.f_lineno or line}"
    return None


# Local variables that name what a frame of the pipeline was working on, best first.
_PLACE_NAMES = ("resource", "dataset", "path", "source_path", "filename", "folder", "slug")


def crash_code(problem: BaseException) -> str | None:
    """Where in Moldir's own code the exception was raised ("search.py, line 574"), for
    the bug report."""
    package = Path(__file__).resolve().parents[1]
    for frame, line in reversed(list(traceback_lines(problem))):
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(package):
            return f"{path.relative_to(package).as_posix()}, line {line}"
    return None


def traceback_lines(problem: BaseException):
    traceback_ = problem.__traceback__
    while traceback_ is not None:
        yield traceback_.tb_frame, traceback_.tb_lineno
        traceback_ = traceback_.tb_next


def crash_place(problem: BaseException) -> str | None:
    """The innermost dataset, resource or file the failing code was processing, read from
    the local variables of the traceback's frames (no stage has to report it)."""
    for frame, _line in reversed(list(traceback_lines(problem))):
        for name in _PLACE_NAMES:
            try:
                place = describe_place(frame.f_locals.get(name))
            except Exception:  # a half-built object: look further out
                place = None
            if place:
                return place
    return None


def describe_place(value: object) -> str | None:
    """A dataset slug, a resource's file or a path, shown relative to the project."""
    if value is None or isinstance(value, bool | int | float):
        return None
    slug = getattr(value, "slug", None)
    if isinstance(slug, str) and slug:
        return f"dataset {slug}"
    for attribute in ("normpath", "path", "source_path"):
        inner = getattr(value, attribute, None)
        if isinstance(inner, str | Path) and str(inner):
            return shown_path(inner)
    if isinstance(value, str | Path) and str(value) and not str(value).startswith("<"):
        candidate = Path(value)
        if candidate.exists():
            return shown_path(candidate)
    return None


def shown_path(value: str | Path) -> str:
    path = Path(value)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path), default="datasets")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    help="text: a readable report; json: the report as JSON; github: CI annotations; "
    "markdown: a summary table (e.g. for $GITHUB_STEP_SUMMARY).",
)
@click.option(
    "--output",
    "report_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the JSON report to this file.",
)
@jobs_option
@settings_option
@verbose_option
def validate(
    path: Path,
    output_format: str,
    report_file: Path | None,
    jobs: int,
    settings_file: Path | None,
) -> None:
    """Validate datasets: PATH is the datasets folder or one dataset folder.

    Prints every error (dataset, file, row, field, type, message) and exits 1 if any.
    The portal's settings (its topics, limits) are read from pelicanconf.py, or --settings.
    """
    connect_features(pelican=False)  # checks only: no Pelican, Altair or XlsxWriter to load
    # "Validating datasets: 14…" on stderr for a whole folder; the machine-readable
    # formats print nothing but themselves.
    progress.show_phases(output_format == "text")
    report = validate_path(path, settings_file, jobs)
    if report_file:
        report_file.write_text(FORMATS["json"](report))
    click.echo(FORMATS[output_format](report))
    sys.exit(0 if report.valid else 1)


def validate_path(path: Path, settings_file: Path | None = None, jobs: int = 1) -> Report:
    """Validate one dataset folder, or every dataset under a datasets folder (``jobs`` of
    them at once)."""
    from moldir.pipeline.portal import collect_checks, validate
    from moldir.pipeline.validate import ValidationOptions, run_checks, validate_dataset

    settings = project_settings(settings_file)
    cwd = Path.cwd()
    if find_descriptor(path) is not None:
        options = ValidationOptions(settings.max_file_bytes, cwd, Limits.from_settings(settings))
        task, dataset = validate_dataset(path, options)
        return Report(tasks=[run_checks(task, dataset, path, options, collect_checks(settings))])
    report, _ = validate(settings, path, cwd, jobs=jobs)
    return report


def project_settings(settings_file: Path | None = None) -> MoldirSettings:
    """The Moldir settings of ``settings_file``, or of the project in the current folder
    (defaults elsewhere), with those the environment sets (``MOLDIR_TODAY``).

    Only Moldir's own settings are needed, which Pelican takes from the file as it is: the
    file is run as Pelican runs it, without importing Pelican (and its generators).
    """
    if settings_file is not None and not settings_file.is_file():
        raise click.ClickException(f"{settings_file} not found")
    settings_file = settings_file or Path(DEV_SETTINGS)
    if settings_file.is_file():
        import runpy

        settings = runpy.run_path(str(settings_file))
    else:
        settings = {}
    return MoldirSettings.from_pelican({**settings, **environment_settings(os.environ)})


@main.command()
@click.option("--publish", is_flag=True, help="Build with publishconf.py (absolute URLs, feeds).")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: the settings' OUTPUT_PATH, output/).",
)
@jobs_option
@settings_option
@verbose_option
def build(publish: bool, output: Path | None, jobs: int, settings_file: Path | None) -> None:
    """Validate every dataset and build the site; on any error output/ is left untouched."""
    run_build(publish, output, settings_file, jobs)


def run_build(
    publish: bool, output: Path | None, settings_file: Path | None, jobs: int = 0
) -> Path:
    from moldir.features.search import SearchIndexError
    from moldir.site.build import build_site

    settings_file = settings_file or Path(PUBLISH_SETTINGS if publish else DEV_SETTINGS)
    if not settings_file.is_file():
        raise click.ClickException(f"{settings_file} not found: run moldir from the project root")
    progress.show_phases()  # what the build is doing, from its start (stderr)
    progress.phase(f"Building the site with {settings_file}…")
    try:
        # The command line is where the environment is read (docs/settings.md): its
        # settings (MOLDIR_TODAY) override the file's, MOLDIR_NO_CACHE=1 builds from scratch.
        result = build_site(
            settings_file,
            output,
            environment_settings(os.environ) or None,
            use_cache=not os.environ.get("MOLDIR_NO_CACHE"),
            jobs=worker_count(jobs),
        )
    except InvalidDatasets as invalid:
        click.echo(format_text(invalid.report), err=True)
        raise click.ClickException(
            f"{invalid}; the previous output was left untouched"
        ) from invalid
    except SearchIndexError as error:  # Pagefind failed: its message, not a traceback
        raise click.ClickException(
            f"the search index could not be built: {error}; the previous output was left untouched"
        ) from error
    if result.unchanged:
        click.echo(f"Nothing changed since the last build; {result.output} kept as it is")
        return result.output
    click.echo(f"Built {result.files:,} files into {result.output} in {result.seconds:.1f} s")
    click.echo("Time per stage:\n" + progress.STAGES.summary(), err=True)
    return result.output


@main.command()
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--no-build", is_flag=True, help="Serve output/ as it is.")
@click.option(
    "--watch/--no-watch",
    default=True,
    show_default=True,
    help="Rebuild when datasets/, content/, theme/ or the settings change.",
)
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"))
@settings_option
def serve(
    port: int, bind: str, no_build: bool, watch: bool, output: Path, settings_file: Path | None
) -> None:
    """Build the site and serve it on http://127.0.0.1:8000/, rebuilding on change."""
    from moldir.cli import preview

    if not no_build:
        run_build(False, output, settings_file)

    def rebuild() -> None:
        click.echo("Change detected: rebuilding…")
        try:
            run_build(False, output, settings_file)
        except click.ClickException as error:
            click.echo(f"Error: {error.message}; still serving the last good build.", err=True)

    observer = preview.watch(Path.cwd(), rebuild) if watch else None
    server = preview.make_server(output, bind, port)
    click.echo(f"Serving {output} on http://{bind}:{port}/ (Ctrl+C to stop)")
    try:
        preview.serve_forever(server, observer)
    except KeyboardInterrupt:
        click.echo("Stopped.")


APPEAL_MEASURES = ("appeals", "requests", "receptions", "citizens-received", "calls",
                   "questions", "visits", "complaints", "dissatisfied-answers")  # fmt: skip
APPEAL_CHANNELS = ("personal-reception", "public-reception", "blog", "question-answer-service",
                   "call-centre", "contact-centre", "front-office", "written", "online-portal",
                   "all-channels", "other")  # fmt: skip


@main.command()
@click.argument("slug")
@click.option(
    "--from",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A CSV file you already have (any encoding, ; or , …): what is guessed is printed.",
)
@click.option(
    "--kind",
    type=click.Choice(["appeals", "receptions", "budget", "generic"]),
    default="generic",
    show_default=True,
    help="Start from one of the portal's published schemas; with --from, the file's columns "
    "are checked against it at once.",
)
@click.option(
    "--names",
    default=None,
    help="Field names for the columns, in order, separated by commas (default: the headers, "
    "transliterated to Latin).",
)
@click.option(
    "--reshape",
    type=click.Choice(["wide"]),
    default=None,
    help="With --kind appeals: write a wide table (a column per month, year or measure) in "
    "the kind's long form, beside the original. Without it, what it would do is printed.",
)
@click.option("--year", type=int, default=None, help="With --reshape: the year of the figures.")
@click.option(
    "--measure",
    type=click.Choice(APPEAL_MEASURES),
    default=None,
    help="With --reshape: what the figures count (default: read from the headers or file name).",
)
@click.option(
    "--channel",
    type=click.Choice(APPEAL_CHANNELS),
    default=None,
    help="With --reshape: the channel of the figures (default: all-channels).",
)
@click.option(
    "--datasets",
    "datasets_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("datasets"),
    show_default=True,
)
def new(
    slug: str,
    csv_path: Path | None,
    kind: str,
    names: str | None,
    reshape: str | None,
    year: int | None,
    measure: str | None,
    channel: str | None,
    datasets_root: Path,
) -> None:
    """Create datasets/SLUG/ with a draft descriptor to complete (marked TODO:).

    Every guess (encoding, delimiter, numbers, types, names, the kind's columns) is
    printed with its evidence; nothing is written when the file cannot make the dataset.
    """
    from moldir.cli.scaffold import Options, ScaffoldError, new_dataset
    from moldir.cli.scaffold.issue_templates import write_missing

    settings = project_settings()
    options = Options(
        names=[n.strip() for n in names.split(",")] if names is not None else None,
        reshape=reshape,
        year=year,
        measure=measure,
        channel=channel,
        topics=tuple(settings.topics),
    )
    try:
        scaffold = new_dataset(datasets_root, slug, csv_path, kind, options)
    except ScaffoldError as error:
        if error.notes.lines:
            click.echo(error.notes.text)
        raise click.ClickException(str(error)) from error
    click.echo(scaffold.notes.text)
    if scaffold.todos:
        click.echo(f"Still to write ({len(scaffold.todos)} places marked TODO:):")
        for path in scaffold.todos:
            click.echo(f"  - {path}")
    # The issue forms the dataset pages' feedback links open (docs/feedback.md).
    for written in write_missing(Path.cwd(), settings.feedback):
        click.echo(f"Wrote {written}: the issue form of the feedback links (MOLDIR_FEEDBACK)")
    click.echo(f"Then check it with: moldir validate {scaffold.folder}")


if __name__ == "__main__":  # pragma: no cover
    main()
