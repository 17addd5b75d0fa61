"""The formats a validation report is printed in: ``text`` for the editor, ``json`` (the
report's descriptor, as published in report.json), ``github`` (workflow commands that
annotate the files of a pull request) and ``markdown`` (a summary table, e.g. for
``$GITHUB_STEP_SUMMARY``). ``moldir validate --format`` picks one from ``FORMATS``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from moldir.model.errors import explain
from moldir.model.report import NOT_LISTED, Report, ValidationError

# Error types whose note is advice for the editor rather than a repeat of the message
# (Frictionless's header errors, for which pipeline/hints.py says what delimiter to declare).
HINTED_TYPES = {"missing-label", "incorrect-label", "extra-label", "blank-label", "duplicate-label"}


def format_error(error: ValidationError) -> str:
    """One error of the text report: place, [code] message, and the hint on its own line."""
    if error.type == NOT_LISTED:
        return f"  {error.where()}: {error.message}"
    line = f"  {error.where()}: [{error.type}] {error.message}"
    # Frictionless's messages repeat their note; Moldir's hints (delimiter, encoding, what
    # to do) are said on a line of their own.
    if error.note and (error.type in HINTED_TYPES or error.note not in error.message):
        line += f"\n    hint: {error.note}"
    return line


def count_errors(count: int, unlisted: int = 0) -> str:
    """ "3 errors", or "5,000 errors (1,000 listed)" when the error limit cut the list."""
    text = f"{count:,} error{'s' if count != 1 else ''}"
    return f"{text} ({count - unlisted:,} listed)" if unlisted else text


def format_text(report: Report) -> str:
    """The report an editor reads: one block per dataset, one line per error."""
    lines = []
    for task in report.tasks:
        if task.valid:
            rows = task.stats.get("rows")
            counted = f" ({rows:,} row{'s' if rows != 1 else ''})" if rows else ""
            lines.append(f"✓ {task.dataset}{counted}")
        else:
            lines.append(f"✗ {task.dataset}: {count_errors(task.error_count, task.unlisted)}")
            lines.extend(format_error(error) for error in task.errors)
        # What the portal filled in or left out; warnings never stop a build.
        lines.extend(f"  warning: {warning}" for warning in task.warnings)
    invalid = [task for task in report.tasks if not task.valid]
    total = report.error_count
    unlisted = sum(task.unlisted for task in report.tasks)
    if invalid:
        lines.append(
            f"\n{count_errors(total, unlisted)} in {len(invalid)} of "
            f"{len(report.tasks)} datasets. Nothing will be published until they are fixed."
        )
    else:
        lines.append(f"\nAll {len(report.tasks)} datasets are valid.")
    return "\n".join(lines)


def format_json(report: Report) -> str:
    """The report's descriptor (valid, stats, tasks with their errors and warnings)."""
    return json.dumps(report.to_descriptor(), ensure_ascii=False, indent=2)


def github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands: one ::error per error, on its file and line,
    then the text report."""
    lines = []
    for error in report.errors:
        properties = [f"file={error.file or error.dataset}"]
        if error.line:
            properties.append(f"line={error.line}")
        properties.append(f"title={error.dataset}: {error.type}")
        message = error.message + (f" (field {error.field})" if error.field else "")
        lines.append(f"::error {','.join(properties)}::{github_escape(message)}")
    lines.append(format_text(report))
    return "\n".join(lines)


def markdown_cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def format_markdown(report: Report) -> str:
    """A Markdown summary: one line per dataset, then a table of every error and what each
    error code means (from the registry, errors.py, or Frictionless's)."""
    status = "✅ all datasets are valid" if report.valid else "❌ nothing can be published"
    lines = [f"## Dataset validation: {status}", ""]
    lines += ["| dataset | status | rows | errors |", "|---|---|---:|---:|"]
    for task in report.tasks:
        mark = "valid" if task.valid else "**invalid**"
        rows = task.stats.get("rows", "")
        lines.append(f"| {task.dataset} | {mark} | {rows} | {task.error_count} |")
    if report.errors:
        lines += [
            "",
            "| file | line | row | field | error | message |",
            "|---|---:|---:|---|---|---|",
        ]
        for error in report.errors:
            cells = [error.file, error.line, error.row, error.field, error.type, error.message]
            lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
        lines += ["", "What the errors mean (docs/errors.md):", ""]
        for code in sorted({error.type for error in report.errors}):
            known = explain(code)
            title, description = known if known else (code, "")
            lines.append(f"- `{code}` ({title}): {description}".rstrip(": "))
    return "\n".join(lines)


# ``moldir validate --format NAME``: the report as text in that format.
FORMATS: dict[str, Callable[[Report], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "markdown": format_markdown,
}
