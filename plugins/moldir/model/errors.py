"""Moldir's error vocabulary: one class per kind of problem, and the registry of them.

The shape is frictionless-py's (``frictionless.errors``): each error type is a class with
a ``code`` (Frictionless calls it ``type``; it is the ``type`` of a report entry), a
``title``, a ``description`` and a message ``template``. A producer names the class and
gives the template's values and the place::

    UnknownTopic.error(dataset.slug, file=dataset.shown_path, topic=topic, topics="a, b")

which returns the report entry (``report.ValidationError``) with the message made from the
template. The location (``dataset``, ``file``, ``resource``, ``row``, ``field``, ``line``)
can be used in the template too. Types whose wording differs from one producer to the
next (a broken descriptor can be broken in fifty ways) have the template ``{details}``, as
Frictionless's general errors have ``{note}``.

Warnings (what the portal filled in or left out; they never stop a build) are typed the
same way, with ``warning()`` returning a ``report.ValidationWarning``.

Data errors found by Frictionless keep Frictionless's codes and classes (``type-error``,
``missing-cell``, …); the errors Moldir raises *inside* Frictionless's validation (too many
columns, a formula cell, …) are Frictionless error classes in ``pipeline/limits.py`` and
``pipeline/validate.py`` that take their code, title and description from here.

``ERRORS`` and ``WARNINGS`` map each code to its class; docs/errors.md is generated from
them (``markdown_table``) and tests/test_errors.py keeps it, and the editors' table in
docs/editors.md, in step with the registry.
"""

from __future__ import annotations

from typing import Any, ClassVar

from moldir.model.report import ValidationError, ValidationWarning

# Every Moldir error and warning type, by code (filled in by the classes' definitions).
ERRORS: dict[str, type[ErrorType]] = {}
WARNINGS: dict[str, type[WarningType]] = {}


class _Registered:
    """A type of problem: code, title, description and message template."""

    code: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    template: ClassVar[str] = "{details}"
    # The registry a subclass with a code is added to (ERRORS or WARNINGS).
    registry: ClassVar[dict[str, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("code"):
            return  # an abstract base
        if cls.code in cls.registry:
            raise ValueError(f"two types with the code {cls.code!r}")
        if not (cls.title and cls.description):
            raise ValueError(f"{cls.__name__} needs a title and a description")
        cls.registry[cls.code] = cls

    @classmethod
    def message(cls, **values: Any) -> str:
        """The template filled in with ``values`` (a missing value is a bug: KeyError)."""
        return cls.template.format(**values)


class ErrorType(_Registered):
    """A kind of error: what stops a dataset (or a page) from being published."""

    registry: ClassVar[dict[str, Any]] = ERRORS

    @classmethod
    def error(
        cls,
        dataset: str,
        *,
        file: str | None = None,
        resource: str | None = None,
        row: int | None = None,
        field: str | None = None,
        field_number: int | None = None,
        line: int | None = None,
        note: str = "",
        **values: Any,
    ) -> ValidationError:
        """The report entry of this error at that place; ``values`` fill the template
        (the place's own names, e.g. ``{resource}``, may be used in it too)."""
        place = {"dataset": dataset, "file": file, "resource": resource, "row": row}
        message = cls.message(**{**place, "field": field, **values})
        return ValidationError(
            type=cls.code,
            message=message,
            dataset=dataset,
            file=file,
            resource=resource,
            row=row,
            field=field,
            field_number=field_number,
            line=line,
            note=note,
        )


class WarningType(_Registered):
    """A kind of warning: what the portal filled in or left out; never stops a build."""

    registry: ClassVar[dict[str, Any]] = WARNINGS

    @classmethod
    def warning(
        cls,
        dataset: str,
        *,
        file: str | None = None,
        line: int | None = None,
        resource: str | None = None,
        **values: Any,
    ) -> ValidationWarning:
        """The report's warning of this type at that place (``values`` fill the template)."""
        place = {"dataset": dataset, "file": file, "resource": resource}
        return ValidationWarning(
            type=cls.code,
            message=cls.message(**{**place, **values}),
            dataset=dataset,
            file=file,
            line=line,
            resource=resource,
        )


def error_type(code: str) -> type[ErrorType] | None:
    """The Moldir error type of a code (None for Frictionless's own codes)."""
    return ERRORS.get(code)


def explain(code: str) -> tuple[str, str] | None:
    """(title, description) of an error code: Moldir's, else Frictionless's (``type-error``,
    ``missing-cell``, …); None for a code neither knows."""
    found = ERRORS.get(code)
    if found is not None:
        return found.title, found.description
    return frictionless_errors().get(code)


def frictionless_errors() -> dict[str, tuple[str, str]]:
    """Frictionless's error codes with their (title, description)."""
    # Imported here: the registry is read by code that must not load Frictionless.
    from frictionless import errors as frictionless

    found: dict[str, tuple[str, str]] = {}
    for item in vars(frictionless).values():
        if isinstance(item, type) and issubclass(item, frictionless.Error):
            found.setdefault(item.type, (item.title, item.description))
    return found


# --- the dataset folder and its descriptor ----------------------------------------------


class DescriptorMissing(ErrorType):
    code = "descriptor-missing"
    title = "Descriptor Missing"
    description = "The dataset folder has no datapackage.json or datapackage.yaml."
    template = "no datapackage.json or datapackage.yaml in {folder}/"


class DescriptorError(ErrorType):
    code = "descriptor-error"
    title = "Descriptor Error"
    description = (
        "The descriptor cannot be read (bad JSON or YAML), or a property has the wrong type "
        "or form."
    )


class MetadataRequired(ErrorType):
    code = "metadata-required"
    title = "Metadata Required"
    description = (
        "A metadata property the portal needs is missing (licenses, resources, a resource's "
        "path), or still says TODO:."
    )


class MetadataMarkup(ErrorType):
    code = "metadata-markup"
    title = "Metadata Markup"
    description = "Metadata contains HTML markup, which the portal never renders."


class UnsafePath(ErrorType):
    code = "unsafe-path"
    title = "Unsafe Path"
    description = (
        "A dataset folder, data, schema or dialect file leads outside the dataset folder "
        "(a path that climbs out, an absolute path, or a symbolic link)."
    )


class RemoteReference(ErrorType):
    code = "remote-reference"
    title = "Remote Reference"
    description = (
        "A resource, schema, dialect or profile is given as a URL; Moldir never fetches "
        "anything while validating or building."
    )


class InvalidName(ErrorType):
    code = "invalid-name"
    title = "Invalid Name"
    description = (
        "A dataset folder or resource name cannot be used as a file name in the site "
        "(docs/security.md: letters, digits, '.', '_', '-')."
    )


class UnsafeUrl(ErrorType):
    code = "unsafe-url"
    title = "Unsafe URL"
    description = "A link in the metadata has a scheme other than https, http or mailto."
    template = '"{key}" is "{url}"; links must start with https://, http:// or mailto:'


class MissingFile(ErrorType):
    code = "missing-file"
    title = "Missing File"
    description = (
        "A data, schema or dialect file the descriptor names is not in the dataset folder."
    )
    template = 'resource "{resource}": file "{path}" does not exist in {dataset}/'


class FileTooLarge(ErrorType):
    code = "file-too-large"
    title = "File Too Large"
    description = "A data file is larger than the configured limit (MOLDIR['max_file_bytes'])."
    template = (
        'resource "{resource}": "{path}" is {size:,} bytes, over the limit of {limit:,} '
        "bytes{setting}"
    )


class UnknownTopic(ErrorType):
    code = "unknown-topic"
    title = "Unknown Topic"
    description = "The dataset's topic is not one of the portal's topics (MOLDIR['topics'])."
    template = 'unknown topic "{topic}"; use one of: {topics} (or add it to MOLDIR["topics"])'


class ReservedName(ErrorType):
    code = "reserved-name"
    title = "Reserved Name"
    description = "A dataset folder has a name the portal keeps for its own pages (browse)."
    template = (
        'the dataset folder name "{dataset}" is reserved: /datasets/{name}/ holds the '
        "catalogue's facets and sorts; rename the folder"
    )


# --- the data ---------------------------------------------------------------------------
# Found while Frictionless reads the data: pipeline/limits.py and pipeline/validate.py make
# them Frictionless error classes, with these codes, titles and descriptions.


class FormulaCell(ErrorType):
    code = "formula-cell"
    title = "Formula Cell"
    description = (
        "A text cell or a field name starts like a spreadsheet formula, which spreadsheets "
        "would run."
    )


class TooManyColumns(ErrorType):
    code = "too-many-columns"
    title = "Too Many Columns"
    description = "A line of the data file has more cells than MOLDIR['max_columns']."


class TooManyRows(ErrorType):
    code = "too-many-rows"
    title = "Too Many Rows"
    description = "The data file has more rows than MOLDIR['max_rows']."


class CellTooLarge(ErrorType):
    code = "cell-too-large"
    title = "Cell Too Large"
    description = "A cell is larger than MOLDIR['max_cell_bytes']."


class ErrorsNotListed(ErrorType):
    code = "errors-not-listed"
    title = "Errors Not Listed"
    description = (
        "The error limit cut the list: this entry counts, by type, the errors found after "
        "it and not listed."
    )


class DialectError(ErrorType):
    # Frictionless's code for a bad dialect, which Moldir also gives to the problems of
    # delimiters it finds itself (pipeline/hints.py), with the place and what to declare.
    code = "dialect-error"
    title = "Dialect Error"
    description = (
        "The file's delimiter is not the one declared (or assumed), or the dialect declares "
        "an option the CSV reader refuses."
    )


# --- checks after Frictionless (the portal's rules and the features') --------------------


class ViewError(ErrorType):
    code = "view-error"
    title = "View Error"
    description = "A chart declaration (views) is not valid for the dataset or its data."
    template = 'Dataset "{dataset}", {where}: {details}'


class KindError(ErrorType):
    code = "kind-error"
    title = "Kind Error"
    description = "The dataset does not follow the schema of its declared kind."


class ConsistencyError(ErrorType):
    code = "consistency-error"
    title = "Consistency Error"
    description = "Figures that must agree with each other do not."


class DeadlineError(ErrorType):
    code = "deadline-error"
    title = "Deadline Error"
    description = (
        "The legal deadline an appeal-responses dataset declares (legalDeadline) is missing "
        "or malformed."
    )
    template = "{file}, property {property}: {details}"


class ScheduleError(ErrorType):
    code = "schedule-error"
    title = "Schedule Error"
    description = "A reception schedule row has a bad rule, time zone, times or link."


class DataRequestError(ErrorType):
    code = "data-request-error"
    title = "Data Request Error"
    description = (
        "A data request row contradicts its status: a refused request without a reason, a "
        "published one without a link to the data, or an answer date that does not fit."
    )


class CommitmentError(ErrorType):
    code = "commitment-error"
    title = "Commitment Error"
    description = (
        "A commitments register row contradicts itself: done without evidence or a "
        "completion date, cancelled without a reason, a due date before the issue was "
        "raised, an unsafe evidence link or id, or a status typed as overdue (the portal "
        "computes overdue from the build date)."
    )


class BuildError(ErrorType):
    code = "build-error"
    title = "Build Error"
    description = (
        "A dataset passed validation but its tables, downloads or pages could not be made; "
        "please report it as a bug in Moldir."
    )
    template = "the dataset passed validation but could not be published: {problem}"


# --- content/ (pages, articles and static files) -----------------------------------------


class ContentError(ErrorType):
    code = "content-error"
    title = "Content Error"
    description = (
        "A page or article cannot be used: its front matter or text cannot be read, or its "
        "address, template or language is not valid."
    )


class PageCollision(ErrorType):
    code = "page-collision"
    title = "Page Collision"
    description = (
        "A page or article would be published at an address another file, or Moldir "
        "itself, already publishes."
    )


class StaticFileType(ErrorType):
    code = "static-file-type"
    title = "Static File Type"
    description = (
        "A file under content/ is of a type a browser would run (HTML, script, an SVG with "
        "script): it is not published."
    )


# --- warnings -----------------------------------------------------------------------------


class TranslationUnused(WarningType):
    code = "translation-unused"
    title = "Translation Unused"
    description = (
        "A translation in i18n translates nothing (a misspelt resource, field or value): "
        "it is not shown."
    )
    template = "{details}; this translation is not shown"


class TitleFilledIn(WarningType):
    code = "title-filled-in"
    title = "Title Filled In"
    description = "The package has no title: the portal shows its name or the folder's."
    template = 'no "title": the portal shows "{shown}"'


class DescriptionMissing(WarningType):
    code = "description-missing"
    title = "Description Missing"
    description = "The package has no description, nor a README.md to take it from."
    template = 'no "description" (nor a README.md to take it from)'


class NameNotFolder(WarningType):
    code = "name-not-folder"
    title = "Name Not Folder"
    description = (
        "The package's name differs from its folder's: it is published under the folder's."
    )
    template = (
        '"name" is "{name}" but the folder is "{dataset}": the dataset is published as '
        '"{dataset}" (its URL is datasets/{dataset}/)'
    )


class ViewLeftOut(WarningType):
    code = "view-left-out"
    title = "View Left Out"
    description = (
        "A chart is declared in a form Moldir does not draw, or could not be drawn: the "
        "page is built without it."
    )


def markdown_table() -> str:
    """The registry as the Markdown tables of docs/errors.md (errors, then warnings)."""
    lines = ["| code | title | what it means |", "|---|---|---|"]
    lines += [f"| `{e.code}` | {e.title} | {e.description} |" for e in ERRORS.values()]
    lines += ["", "| warning | title | what it means |", "|---|---|---|"]
    lines += [f"| `{w.code}` | {w.title} | {w.description} |" for w in WARNINGS.values()]
    return "\n".join(lines)
