"""Datasets: discovering dataset folders, reading their descriptors, and the domain model.

This is the first stage of the pipeline and the only one that reads ``datasets/``.
A dataset is a folder ``datasets/<slug>/`` with a Frictionless Data Package descriptor
(``datapackage.json`` or ``datapackage.yaml``) and its data files.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import yaml

from moldir.model.dataset import Dataset, Resource
from moldir.model.errors import (
    DescriptionMissing,
    DescriptorError,
    DescriptorMissing,
    ErrorType,
    FileTooLarge,
    InvalidName,
    MetadataMarkup,
    MetadataRequired,
    MissingFile,
    NameNotFolder,
    RemoteReference,
    TitleFilledIn,
    TranslationUnused,
    UnsafePath,
    UnsafeUrl,
)
from moldir.model.report import ValidationError, ValidationWarning
from moldir.model.safety import NAME_RULE, safe_name, safe_url, url_scheme

DESCRIPTOR_NAMES = ("datapackage.json", "datapackage.yaml", "datapackage.yml")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Text that a browser or a spreadsheet would treat as markup; metadata is plain text.
MARKUP_PATTERN = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|javascript:", re.IGNORECASE)
# What a dataset cannot be published without: data users must know what they may do. A
# missing title or description is a warning (the folder name and the README stand in), so
# that any package Frictionless accepts builds without hand edits.
REQUIRED_METADATA = ("licenses",)
RECOMMENDED_METADATA = ("title", "description")


def discover_dataset_folders(root: Path) -> list[Path]:
    """Every ``root/<slug>/`` folder, sorted by slug (hidden and ``_`` folders skipped)."""
    if not root.is_dir():
        return []
    return sorted(
        path for path in root.iterdir() if path.is_dir() and not path.name.startswith((".", "_"))
    )


def find_descriptor(folder: Path) -> Path | None:
    for name in DESCRIPTOR_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


class DescriptorProblem(Exception):
    """The descriptor cannot be used at all; ``errors`` say why."""

    def __init__(self, errors: list[ValidationError]):
        self.errors = errors
        super().__init__("; ".join(error.message for error in errors))


def read_descriptor(folder: Path, display_root: Path | None = None) -> tuple[dict, Path, str]:
    """Parse a dataset folder's descriptor; raise DescriptorProblem naming file and line."""
    slug = folder.name
    path = find_descriptor(folder)
    if path is None:
        raise DescriptorProblem(
            [
                DescriptorMissing.error(
                    slug, file=display_path(folder, display_root), folder=folder.name
                )
            ]
        )
    shown = display_path(path, display_root)
    if not path.resolve().is_relative_to(folder.resolve()):
        raise DescriptorProblem(
            [descriptor_error(slug, shown, "the descriptor is a link to a file outside the folder")]
        )
    size = path.stat().st_size
    if size > MAX_DESCRIPTOR_BYTES:
        raise DescriptorProblem(
            [
                descriptor_error(
                    slug,
                    shown,
                    f"the descriptor is {size:,} bytes; at most "
                    f"{MAX_DESCRIPTOR_BYTES:,} (data belongs in data files)",
                )
            ]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DescriptorProblem(
            [descriptor_error(slug, shown, f"the descriptor is not UTF-8 text: {error.reason}")]
        ) from error
    try:
        if path.suffix == ".json":
            descriptor = json.loads(text)
        else:
            refuse_yaml_aliases(text)
            descriptor = as_json_values(yaml.safe_load(text))
    except json.JSONDecodeError as error:
        raise DescriptorProblem(
            [descriptor_error(slug, shown, f"invalid JSON: {error.msg}", line=error.lineno)]
        ) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DescriptorProblem(
            [descriptor_error(slug, shown, f"invalid YAML: {error}", line=line)]
        ) from error
    except RecursionError as error:
        raise DescriptorProblem(
            [descriptor_error(slug, shown, "the descriptor is nested too deeply to read")]
        ) from error
    except ValueError as error:  # e.g. a number too long to convert
        raise DescriptorProblem(
            [descriptor_error(slug, shown, f"invalid JSON: {error}")]
        ) from error
    if not isinstance(descriptor, dict):
        raise DescriptorProblem(
            [descriptor_error(slug, shown, "the descriptor must be an object of properties")]
        )
    return descriptor, path, text


def as_json_values(value: Any) -> Any:
    """YAML values as JSON would give them: dates and times as ISO text, keys as text (a
    YAML descriptor must describe the same package as its JSON twin)."""
    if isinstance(value, dict):
        return {str(key): as_json_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json_values(item) for item in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def refuse_yaml_aliases(text: str) -> None:
    """YAML anchors and aliases can expand a small file into billions of values ("billion
    laughs"); a descriptor never needs them."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise yaml.YAMLError(
                f"aliases (*{event.anchor}) are not allowed in a descriptor (line {mark.line + 1})"
            )


def descriptor_error(
    slug: str, file: str, message: str, line: int | None = None
) -> ValidationError:
    return DescriptorError.error(slug, file=file, line=line, details=message)


def display_path(path: Path, root: Path | None) -> str:
    """A path as an editor sees it in the repository (relative where possible)."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def line_of(text: str, needle: str, occurrence: int = 0) -> int | None:
    """The 1-based line of an occurrence (0 = the first) of ``needle`` in a descriptor's text."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.find(needle, index + 1)
        if index < 0:
            return None
    return text.count("\n", 0, index) + 1


# Official profiles Frictionless keeps local copies of, by the URL a v1 package may give
# instead of the name; any other remote profile would be fetched, so it is an error.
OFFICIAL_PROFILE_URL = re.compile(
    r"^https?://specs\.frictionlessdata\.io/schemas/([a-z-]+)\.json$", re.IGNORECASE
)
# Data Package v2 names its profile with ``$schema``; Frictionless knows these without fetching.
OFFICIAL_V2_PROFILE = re.compile(r"^https://datapackage\.org/profiles/[0-9.]+/[a-z]+\.json$")
# A descriptor is metadata, not data: anything larger is not one an editor wrote.
MAX_DESCRIPTOR_BYTES = 10 * 1024 * 1024

# Properties whose value, when a string, is a URL that becomes a link on a page.
URL_PROPERTIES = ("homepage", "path", "url", "email")


def is_official_profile(value: str) -> bool:
    return bool(OFFICIAL_PROFILE_URL.match(value) or OFFICIAL_V2_PROFILE.match(value))


def check_descriptor(
    slug: str,
    folder: Path,
    descriptor: dict[str, Any],
    text: str,
    shown: str,
    max_file_bytes: int,
) -> list[ValidationError]:
    """Portal rules that a Data Package alone does not enforce.

    Every problem is returned, not the first: names that cannot be file names, paths that
    leave the folder, remote references (nothing is ever fetched), unsafe links, missing or
    oversized files, missing metadata, properties of the wrong type, and markup in metadata.
    """
    errors: list[ValidationError] = []

    def error(
        kind: type[ErrorType],
        details: str | None = None,
        needle: str | None = None,
        occurrence: int = 0,
        resource: str | None = None,
        **values: Any,
    ) -> None:
        """Add a ``kind`` error on the line of ``needle``; ``details`` (or ``values``) fill
        its template."""
        line = line_of(text, needle, occurrence) if needle else None
        if details is not None:
            values["details"] = details
        errors.append(kind.error(slug, file=shown, line=line, resource=resource, **values))

    if not SLUG_PATTERN.match(slug):
        error(InvalidName, f'folder name "{slug}" must be lowercase letters, digits, dashes')
    for key, message in metadata_type_problems(descriptor):
        error(DescriptorError, message, needle=f'"{key.split(".")[0]}"')
    for key in REQUIRED_METADATA:
        if not descriptor.get(key):
            error(MetadataRequired, f'the dataset needs "{key}"{REQUIRED_HINTS.get(key, "")}')
    # Marks are yielded in document order, so the n-th mark with the same wording is the
    # n-th occurrence of that text in the file.
    seen: dict[str, int] = {}
    for path, value in todo_marks(descriptor):
        needle = json.dumps(value, ensure_ascii=False)
        error(
            MetadataRequired,
            f"{path} is still to be written ({value})",
            needle=needle,
            occurrence=seen.get(needle, 0),
        )
        seen[needle] = seen.get(needle, 0) + 1
    for key, value in metadata_texts(descriptor):
        if MARKUP_PATTERN.search(value):
            error(
                MetadataMarkup,
                f'"{key}" contains HTML markup; write plain text (it is shown as typed)',
                needle=value[:40],
            )
    for key, value in metadata_urls(descriptor):
        if safe_url(value) is None and url_scheme(value) is not None:
            error(UnsafeUrl, needle=value[:40], key=key, url=value[:80])
    for key in ("profile", "$schema"):
        value = descriptor.get(key)
        if isinstance(value, str) and url_scheme(value) and not is_official_profile(value):
            error(
                RemoteReference,
                f'"{key}" is the URL "{value[:80]}"; Moldir never fetches anything: use a '
                'standard profile name such as "tabular-data-package" or remove it',
                needle=f'"{key}"',
            )
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        error(MetadataRequired, 'the dataset needs a non-empty "resources" list', "resources")
        return errors
    names: set[str] = set()
    for index, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            error(DescriptorError, f"resource {index} must be an object")
            continue
        name = resource.get("name")
        if not safe_name(name):
            error(
                InvalidName,
                f"resource {index}: name {json.dumps(name, ensure_ascii=False)[:80]} is not a "
                f"valid name ({NAME_RULE}); it becomes the name of the downloads",
                needle=f'"name": {json.dumps(name, ensure_ascii=False)}'
                if isinstance(name, str)
                else None,
                resource=str(name)[:80] if name is not None else None,
            )
            name = f"#{index}"
        elif name.lower() in RESERVED_RESOURCE_NAMES:
            error(
                InvalidName,
                f'resource name "{name}" is reserved: its downloads would overwrite the '
                f"dataset's own {RESERVED_RESOURCE_NAMES[name.lower()]}; choose another name",
                needle=f'"{name}"',
                resource=name,
            )
        elif name.lower() in names:
            # Case-insensitive: "Data" and "data" are one file on many static hosts.
            error(
                InvalidName,
                f'resource name "{name}" is used twice; each resource needs its own name',
                needle=f'"{name}"',
                occurrence=1,
                resource=name,
            )
        names.add(str(name).lower())
        check_resource_files(folder, resource, str(name), text, slug, max_file_bytes, error)
    return errors


def descriptor_warnings(
    slug: str,
    descriptor: dict[str, Any],
    filled: dict[str, Any] | None = None,
    text: str = "",
    shown: str = "",
) -> list[ValidationWarning]:
    """What the portal fills in for a package that leaves it out (docs/editors.md), and
    translations that translate nothing (a misspelt resource, field or value in ``i18n``),
    located as ``file:line`` when ``text`` and ``shown`` (the descriptor's text and path)
    are given; ``filled`` is the descriptor after ``with_fallbacks``."""
    from moldir.pipeline.labels import i18n_problems

    filled = filled if filled is not None else descriptor
    warnings = []
    for key, message in i18n_problems(descriptor):
        line = line_of(text, f'"{key.rsplit(".", 1)[-1]}"') if text else None
        warnings.append(
            TranslationUnused.warning(slug, file=shown or slug, line=line, details=message)
        )
    if not descriptor.get("title"):
        warnings.append(TitleFilledIn.warning(slug, shown=filled.get("title") or slug))
    if not filled.get("description"):
        warnings.append(DescriptionMissing.warning(slug))
    name = descriptor.get("name")
    if isinstance(name, str) and name != slug:
        warnings.append(NameNotFolder.warning(slug, name=name))
    return warnings


# Resource names whose downloads (<name>.csv/.json/.xlsx) would replace a file the portal
# writes beside them in datasets/<slug>/.
RESERVED_RESOURCE_NAMES = {
    "datapackage": "datapackage.json (the published descriptor)",
    "index": "index.json (the dataset's API document) and page",
    "feed": "feed of changes",
    "original": "folder of the publisher's original files",
    "charts": "folder of charts",
}


REQUIRED_HINTS = {
    "description": " (or a README.md in the dataset folder)",
    "licenses": ', e.g. [{"name": "CC-BY-4.0"}]: data users must know what they may do',
}


def check_resource_files(
    folder: Path,
    resource: dict[str, Any],
    name: str,
    text: str,
    slug: str,
    max_file_bytes: int,
    error: Any,
) -> None:
    """The files a resource refers to (data, schema, dialect) are local, inside the dataset
    folder, and readable; nothing remote. Problems are reported through ``error``."""
    root = folder.resolve()
    path = resource.get("path")
    if path is None and "data" not in resource:
        error(
            MetadataRequired,
            f'resource "{name}" needs a "path" to its data file (or inline "data")',
            needle=f'"{name}"',
            resource=name,
        )
    elif path is not None and "data" in resource:
        error(
            DescriptorError,
            f'resource "{name}" has both "path" and "data"; give one of them',
            needle='"data"',
            resource=name,
        )
    if isinstance(path, list):
        error(
            DescriptorError,
            f'resource "{name}": give one file per resource ("path" is a list)',
            needle='"path"',
            resource=name,
        )
    elif path is not None and not isinstance(path, str):
        error(DescriptorError, f'resource "{name}": "path" must be a text', resource=name)

    def remote_profiles(container: dict[str, Any], where: str) -> None:
        for inner in ("profile", "$schema"):
            ref = container.get(inner)
            if isinstance(ref, str) and url_scheme(ref) and not is_official_profile(ref):
                error(
                    RemoteReference,
                    f'resource "{name}": {where}{inner} is the URL "{ref[:80]}"; Moldir never '
                    "fetches anything",
                    needle=ref[:40],
                    resource=name,
                )

    remote_profiles(resource, "")
    for key in ("path", "schema", "dialect"):
        value = resource.get(key)
        if isinstance(value, dict) and key != "path":
            remote_profiles(value, f"{key}.")
            continue
        if not isinstance(value, str):
            continue
        quoted = json.dumps(value, ensure_ascii=False)
        needle = quoted if quoted in text else value
        if url_scheme(value) is not None and not re.match(r"^[a-zA-Z]:[\\/]", value):
            error(
                RemoteReference,
                f'resource "{name}": {key} "{value[:80]}" is a URL; Moldir never fetches '
                "anything: put the file in the dataset folder and give its relative path",
                needle,
                resource=name,
            )
            continue
        target = (folder / value).resolve()
        if (
            Path(value).is_absolute()
            or re.match(r"^[a-zA-Z]:", value)
            or "\\" in value
            or not target.is_relative_to(root)
        ):
            error(
                UnsafePath,
                f'resource "{name}": {key} "{value[:80]}" leaves the dataset folder (a '
                "relative path inside it, with /, is needed; links that lead outside are "
                "refused)",
                needle,
                resource=name,
            )
            continue
        if not target.is_file():
            error(MissingFile, None, needle, resource=name, path=value[:80])
            continue
        size = target.stat().st_size
        limit = max_file_bytes if key == "path" else MAX_DESCRIPTOR_BYTES
        if size > limit:
            error(
                FileTooLarge,
                None,
                needle,
                resource=name,
                path=value[:80],
                size=size,
                limit=limit,
                setting=" (MOLDIR['max_file_bytes'])" if key == "path" else "",
            )
            continue
        if key in ("schema", "dialect"):
            try:
                loaded = json.loads(target.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError) as problem:
                error(
                    DescriptorError,
                    f'resource "{name}": {key} file "{value[:80]}" is not valid JSON: '
                    f"{str(problem)[:120]}",
                    needle,
                    resource=name,
                )
                continue
            if not isinstance(loaded, dict):
                error(
                    DescriptorError,
                    f'resource "{name}": {key} file "{value[:80]}" must hold an object',
                    needle,
                    resource=name,
                )
                continue
            for where, prose in metadata_texts(loaded):
                if MARKUP_PATTERN.search(prose):
                    error(
                        MetadataMarkup,
                        f'{key} file "{value[:80]}": "{where}" contains HTML markup; write '
                        "plain text (it is shown as typed)",
                        needle,
                        resource=name,
                    )


# (property, expected type, what to say) of the metadata the portal reads: a value of
# another type is an error naming the property, never a traceback in a later stage.
# Frictionless checks the standard properties (title, licenses, keywords, …) itself and its
# errors are reported as they are; these are the portal's own.
METADATA_TYPES: tuple[tuple[str, type | tuple[type, ...], str], ...] = (
    ("topic", str, "a text"),
    ("kind", str, "a text"),
    ("publisher", (dict, str), "an object or a text"),
    ("contactPoint", dict, "an object"),
    ("temporal", dict, "an object"),
    ("i18n", dict, "an object of languages"),
)


def metadata_type_problems(descriptor: dict[str, Any]):
    """(property, message) for metadata of the wrong JSON type."""
    for key, expected, said in METADATA_TYPES:
        value = descriptor.get(key)
        if value is not None and not isinstance(value, expected):
            yield key, f'"{key}" must be {said}, not {json_type(value)}'
    i18n = descriptor.get("i18n")
    if isinstance(i18n, dict):
        for lang, block in i18n.items():
            if not isinstance(block, dict):
                yield "i18n", f'"i18n.{lang}" must be an object of translated properties'


def json_type(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


TODO_MARK = "TODO:"


def todo_marks(value: Any, path: str = ""):
    """(dotted path, text) of every ``TODO:`` mark left by ``moldir new``."""
    if isinstance(value, str):
        if value.startswith(TODO_MARK):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from todo_marks(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from todo_marks(item, f"{path}[{index}]")


# Properties whose strings are not prose: names of formats, patterns, data values, links.
NOT_PROSE = {
    "data",
    "path",
    "profile",
    "$schema",
    "format",
    "pattern",
    "constraints",
    "missingValues",
    "trueValues",
    "falseValues",
    "rdfType",
    "mediatype",
    "encoding",
    "hash",
    "homepage",
    "url",
    "href",
    "email",
}


def metadata_texts(descriptor: dict[str, Any]):
    """(property, text) pairs of the human-readable metadata shown on pages: every string
    of the descriptor (schemas resolved), its translations and views, except data values,
    links and technical properties."""

    def walk(value: Any, where: str):
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, item in value.items():
                # "data" is a resource's inline rows (a list); elsewhere (a translation of a
                # resource named "data") it is prose like the rest.
                if key in NOT_PROSE and (key != "data" or isinstance(item, list)):
                    continue
                yield from walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                label = item.get("name") if isinstance(item, dict) else None
                yield from walk(
                    item, f"{where}.{label}" if isinstance(label, str) else f"{where}[{index}]"
                )

    yield from walk(descriptor, "")


def metadata_urls(descriptor: dict[str, Any]):
    """(property, value) of every link a page may render from the descriptor: homepages,
    and the paths of sources, licences, contributors and the publisher."""

    def walk(value: Any, where: str, links_in_path: bool):
        if isinstance(value, dict):
            for key, item in value.items():
                here = f"{where}.{key}" if where else str(key)
                if key in ("homepage", "url", "href") or (key == "path" and links_in_path):
                    if isinstance(item, str):
                        yield here, item
                elif key not in ("data", "resources"):
                    yield from walk(
                        item, here, key in ("sources", "licenses", "contributors", "publisher")
                    )
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{where}[{index}]", links_in_path)

    yield from walk(descriptor, "", False)
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict):
            for key in ("sources", "licenses"):
                yield from walk({key: resource.get(key) or []}, f"resources.{key}", False)


def with_fallbacks(descriptor: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The descriptor with what a Data Package may leave elsewhere filled in
    (docs/editors.md, "What Moldir fills in"):

    - ``title`` from the package's ``name``, else the folder's name;
    - ``description`` from the folder's README.md (its first paragraph of prose), as data-hub
      and many publishers keep it there;
    - a legacy ``license`` (one name or object) as ``licenses``.
    """
    filled = dict(descriptor)
    if not filled.get("title"):
        name = filled.get("name")
        filled["title"] = name if isinstance(name, str) and name else folder.name
    if not filled.get("description"):
        readme = readme_description(folder)
        if readme:
            filled["description"] = readme
    license_ = filled.get("license")
    if not filled.get("licenses") and license_:
        if isinstance(license_, str):
            filled["licenses"] = [{"name": license_}]
        elif isinstance(license_, dict):
            filled["licenses"] = [license_]
    return filled


README_NAMES = ("README.md", "readme.md", "README.markdown", "README.txt", "README")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]*>")


def readme_description(folder: Path, limit: int = 1000) -> str:
    """The first paragraph of prose of the dataset's README (headings, badges, code and
    tables skipped; links kept as their text), or ""."""
    for name in README_NAMES:
        path = folder / name
        if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
            try:
                with path.open("rb") as handle:
                    text = handle.read(256 * 1024).decode("utf-8", errors="replace")
            except OSError:
                return ""
            break
    else:
        return ""
    paragraph: list[str] = []
    fenced = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        if not stripped:
            if paragraph:
                break
            continue
        if stripped.startswith(("#", "|", "<!--", "---", "===", ">", "![", "[![")):
            if paragraph:
                break
            continue
        paragraph.append(stripped)
    prose = " ".join(paragraph)
    prose = _MARKDOWN_LINK.sub(r"\1", prose)
    prose = _HTML_TAG.sub("", prose).replace("**", "").replace("__", "").replace("`", "")
    prose = prose.replace("javascript:", "")
    if len(prose) > limit:
        prose = prose[: limit - 1].rsplit(" ", 1)[0] + "…"
    return prose.strip()


def resolve_references(descriptor: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A copy of the descriptor with every local ``schema`` and ``dialect`` path replaced by
    the object it names (they were checked to be local JSON files by check_descriptor)."""
    resolved = json.loads(json.dumps(descriptor))
    for resource in resolved.get("resources", []):
        for key in ("schema", "dialect"):
            value = resource.get(key)
            if isinstance(value, str):
                resource[key] = json.loads((folder / value).read_text(encoding="utf-8"))
    return resolved


# Kept for callers of the earlier name.
resolve_schemas = resolve_references


def build_dataset(
    folder: Path, descriptor_path: Path, descriptor: dict[str, Any], shown_path: str = ""
) -> Dataset:
    """The Dataset model of a folder whose descriptor passed the portal's checks."""
    resolved = resolve_references(with_fallbacks(descriptor, folder), folder)
    resources = tuple(
        Resource(
            name=item["name"],
            path=(folder / item["path"]).resolve() if isinstance(item.get("path"), str) else None,
            relpath=item["path"] if isinstance(item.get("path"), str) else None,
            descriptor=item,
        )
        for item in resolved["resources"]
    )
    return Dataset(
        slug=folder.name,
        folder=folder,
        descriptor_path=descriptor_path,
        descriptor=resolved,
        resources=resources,
        shown_path=shown_path or descriptor_path.as_posix(),
    )
