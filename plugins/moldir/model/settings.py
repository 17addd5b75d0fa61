"""Moldir's settings: everything a project configures, in one typed, validated model.

A project sets them in ``pelicanconf.py``: the ``MOLDIR`` dict, the ``MOLDIR_OPENDATA`` dict
and a few ``MOLDIR_*`` settings of their own (``MOLDIR_TODAY``, …). ``MoldirSettings.
from_pelican`` reads them all at once into a frozen dataclass; every problem (an unknown key,
a value of the wrong type or out of range) is collected, and one :class:`SettingsError`
lists them all, each naming its setting. Every field declares its documentation with
:func:`setting` (where it is set, a one-line meaning, the default as shown), from which the
table of docs/settings.md is generated (:func:`settings_table`; tests/test_settings.py keeps
the page in step with the model).

Environment variables are never read here (nor anywhere below the command line): the
``moldir`` command and the Pelican entry point turn them into settings with
:func:`environment_settings`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

# Pelican settings read into the model, besides ``MOLDIR`` itself.
OPENDATA_KEY = "MOLDIR_OPENDATA"
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)?")


class SettingsError(ValueError):
    """The project's settings are wrong; ``problems`` names each wrong setting."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} problems in the settings:\n" + "\n".join(
                f"  - {problem}" for problem in self.problems
            )
        super().__init__(message)


Check = Callable[[Any], "str | None"]


def setting(
    default: Any = MISSING,
    doc: str = "",
    *,
    key: str | None = None,
    shown: str | None = None,
    check: Check | None = None,
    factory: Callable[[], Any] | None = None,
) -> Any:
    """A field of a settings dataclass with its documentation.

    ``doc``: the one-line meaning (Markdown, for docs/settings.md); ``key``: the Pelican
    setting it is read from when it is not a key of its section's dict (e.g.
    ``"MOLDIR_TODAY"``); ``shown``: the default as the docs show it (else its repr);
    ``check``: a further rule on a value of the right type, returning what is wrong.
    """
    metadata = {"doc": doc, "key": key, "shown": shown, "check": check}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def positive(value: Any) -> str | None:
    return None if value > 0 else "must be more than 0"


def not_negative(value: Any) -> str | None:
    return None if value >= 0 else "must not be negative"


def language_codes(value: tuple[str, ...]) -> str | None:
    wrong = [code for code in value if not LANGUAGE_CODE.fullmatch(code)]
    return f"{', '.join(map(repr, wrong))}: not a language code" if wrong else None


@dataclass(frozen=True)
class OpenDataSettings:
    """The machine-readable catalogues, feeds, sitemap and canonical links
    ([open data](open-data.md))."""

    site_url: str = setting(
        "",
        'where the portal is published (e.g. `"https://data.example.kz/portal"`), used for '
        "absolute URLs while `SITEURL` is relative",
    )
    spatial: str = setting(
        "",
        "ISO 3166-1 alpha-3 code of the country the whole catalogue covers (the catalogue's "
        "`dct:spatial`); empty leaves spatial coverage out; each dataset's coverage comes "
        "from its descriptor's `spatial`",
    )
    spatial_name: str = setting("", "the name of that country")
    publisher_type: str = setting(
        "",
        "the kind of body that runs the portal, an [ADMS publisher type]"
        "(http://purl.org/adms/publishertype/1.0) such as `NationalAuthority` or "
        "`LocalAuthority` (DCAT `dct:type` of the catalogue's publisher)",
    )
    description: str = setting(
        "Open data of the government, validated against its table schemas.",
        "the catalogue's description (DCAT `dct:description`, data.json, the API)",
        shown="a generic sentence",
    )
    history_limit: int = setting(
        10,
        "changes listed on a dataset page, in its feed and in its `index.json`",
        check=positive,
    )
    feed_limit: int = setting(50, "entries in `/feeds/datasets.atom.xml`", check=positive)


FEEDBACK_KEY = "MOLDIR_FEEDBACK"
FEEDBACK_CHANNELS = ("", "github", "gitlab", "email")


def feedback_channel(value: str) -> str | None:
    shown = ", ".join(f'"{channel}"' for channel in FEEDBACK_CHANNELS)
    return None if value in FEEDBACK_CHANNELS else f"must be one of {shown}"


def web_address(value: str) -> str | None:
    if not value or re.fullmatch(r"https://[^\s?#]+", value):
        return None
    return "must be an https:// address without a query or fragment"


def email_address(value: str) -> str | None:
    if not value or re.fullmatch(r"[^@\s?&#/]+@[^@\s?&#/]+\.[^@\s?&#/]+", value):
        return None
    return "must be an e-mail address"


@dataclass(frozen=True)
class FeedbackSettings:
    """Where the "Report an error" and "Request a dataset" links of dataset pages lead
    ([feedback](feedback.md))."""

    channel: str = setting(
        "",
        'where readers\' reports go: `"github"` or `"gitlab"` (a new issue in `repository`, '
        'title, text and labels filled in) or `"email"` (a message to `email`); empty: the '
        "pages show each dataset's contact point only",
        check=feedback_channel,
    )
    repository: str = setting(
        "",
        'the repository\'s web address for `"github"`/`"gitlab"`, e.g. '
        '`"https://github.com/owner/portal"` or `"https://gitlab.com/group/portal"` (any '
        "self-hosted GitLab too)",
        check=web_address,
    )
    email: str = setting("", 'the address that receives reports for `"email"`', check=email_address)
    error_labels: tuple[str, ...] = setting(
        ("data-error",), "labels of an issue reporting an error in a dataset's data"
    )
    request_labels: tuple[str, ...] = setting(
        ("data-request",), "labels of an issue asking for a dataset"
    )
    error_template: str = setting(
        "data-error",
        "the issue template of an error report (`.github/ISSUE_TEMPLATE/<name>.yml`, "
        "`.gitlab/issue_templates/<name>.md`, shipped by `moldir new`); empty: none",
    )
    request_template: str = setting(
        "data-request", "the issue template of a dataset request; empty: none"
    )


DEFAULT_TOPICS = ("appeals", "receptions", "budget", "surveys", "open-government")


@dataclass(frozen=True)
class MoldirSettings:
    """Every setting of a Moldir project (docs/settings.md is generated from here)."""

    datasets_path: str = setting(
        "datasets", "folder of dataset folders, relative to the project root"
    )
    max_file_bytes: int = setting(
        200 * 1024 * 1024,
        "larger data files are rejected with a `file-too-large` error",
        shown="`209715200` (200 MiB)",
        check=positive,
    )
    max_columns: int = setting(
        1_000,
        "a line of a data file with more cells is a `too-many-columns` error naming the file "
        "and line ([limits](security.md#limits))",
        check=positive,
    )
    max_cell_bytes: int = setting(
        1024 * 1024,
        "a larger cell (UTF-8 bytes) is a `cell-too-large` error naming the file, line and field",
        shown="`1048576` (1 MiB)",
        check=positive,
    )
    max_rows: int = setting(
        5_000_000,
        "a data file with more lines after its header is a `too-many-rows` error naming the "
        "first line over it (a cell that spans lines counts each of its lines)",
        check=positive,
    )
    preview_rows: int = setting(
        25, "rows in the preview table of a dataset page", check=not_negative
    )
    publisher: str = setting(
        "",
        "the body that runs the portal (footer, catalogue metadata); empty: Pelican's "
        "`AUTHOR`, else `SITENAME`",
    )
    contact_email: str = setting("", "contact address of the portal team, shown in the footer")
    content_license: str = setting("CC BY 4.0", "licence of the portal's own texts")
    languages: tuple[str, ...] = setting(
        (),
        'languages of the portal, e.g. `["kk", "ru", "en"]`: Pelican\'s `DEFAULT_LANG` '
        "(which must be listed) is built at `/`, the others under `/<code>/` "
        "([languages](i18n.md))",
        shown="`[]` (only `DEFAULT_LANG`)",
        check=language_codes,
    )
    site_names: dict[str, str] | None = setting(  # noqa: RUF009 (a dataclasses.field)
        None,
        '`SITENAME` per language, e.g. `{"kk": "…", "ru": "…"}`; a language without an '
        "entry uses `SITENAME`",
    )
    topics: tuple[str, ...] = setting(
        DEFAULT_TOPICS,
        "the topics a dataset's `topic` may name; any other value is a validation error (a "
        "typo must not create a new catalogue filter)",
    )
    opendata: OpenDataSettings = setting(  # noqa: RUF009 (a dataclasses.field)
        doc="the machine-readable catalogues, feeds, sitemap and canonical links",
        key=OPENDATA_KEY,
        factory=OpenDataSettings,
    )
    feedback: FeedbackSettings = setting(  # noqa: RUF009 (a dataclasses.field)
        doc="where readers report errors in data and ask for datasets",
        key=FEEDBACK_KEY,
        factory=FeedbackSettings,
    )
    today: dt.date | None = setting(  # noqa: RUF009 (a dataclasses.field)
        None,
        'the build date (`"YYYY-MM-DD"`; the environment variable of the same name wins): '
        "`/receptions/` lists upcoming receptions from it, `/quality/` measures freshness "
        'from it, and a date read with `format: "any"` takes a missing year from it; '
        "unset: today in `TIMEZONE`",
        key="MOLDIR_TODAY",
        shown="`None` (today)",
    )
    receptions_weeks: int = setting(
        8,
        "how many weeks ahead `/receptions/` lists receptions "
        "([reception schedules](schemas/reception-schedule.md#pages-dates-and-rebuilding-daily))",
        key="MOLDIR_RECEPTIONS_WEEKS",
        check=positive,
    )
    content_security_policy: str | None = setting(
        None,
        'the Content-Security-Policy of every page\'s `<meta http-equiv>`; `""` leaves the '
        "element out, for a host that sends the header itself "
        "([security](security.md#content-security-policy))",
        key="MOLDIR_CONTENT_SECURITY_POLICY",
        shown="`None` (the policy in `plugins/moldir/site/csp.py`)",
    )

    @classmethod
    def from_pelican(cls, settings: Mapping[str, Any]) -> MoldirSettings:
        """The settings of a Pelican settings dict (or any dict of them), checked: a
        :class:`SettingsError` lists every problem. Parsed once per settings object and
        content (page modules call this for every page)."""
        # What the model is made of, as text: equal sources give equal settings, so the
        # key holds nothing else (not the settings object, which holds the whole portal).
        key = repr(tuple(settings.get(name) for name in SOURCES))
        parsed = _PARSED.get(key)
        if parsed is None:
            parsed = parse(settings)
            if len(_PARSED) >= 16:  # a few settings per build (one per language)
                _PARSED.clear()
            _PARSED[key] = parsed
        return parsed

    def datasets_root(self, pelican_settings: Mapping[str, Any]) -> Path:
        path = Path(self.datasets_path)
        if path.is_absolute():
            return path
        return project_root(pelican_settings) / path


_PARSED: dict[str, MoldirSettings] = {}

# The sections of the model read from a Pelican dict of their own (``MOLDIR_OPENDATA``…),
# by the name of their field.
SECTIONS: dict[str, type] = {"opendata": OpenDataSettings, "feedback": FeedbackSettings}


def parse(settings: Mapping[str, Any]) -> MoldirSettings:
    """:class:`MoldirSettings` from Pelican settings; every problem in one SettingsError."""
    problems: list[str] = []
    values = _section(MoldirSettings, settings.get("MOLDIR"), "MOLDIR", problems)
    for item in fields(MoldirSettings):
        key = item.metadata["key"]
        if key is None or settings.get(key) is None:
            continue
        raw = settings[key]
        section = SECTIONS.get(item.name)
        if section is not None:
            values[item.name] = section(**_section(section, raw, key, problems))
        else:
            value = _value(item, raw, key, problems)
            if value is not MISSING:
                values[item.name] = value
    default_lang = settings.get("DEFAULT_LANG")
    languages = values.get("languages")
    if languages and default_lang and default_lang not in languages:
        problems.append(
            f"DEFAULT_LANG {default_lang!r} is not in MOLDIR['languages'] ({', '.join(languages)})"
        )
    feedback = values.get("feedback")
    if feedback is not None and feedback.channel:
        needed = "email" if feedback.channel == "email" else "repository"
        if not getattr(feedback, needed):
            problems.append(
                f"{FEEDBACK_KEY}['channel'] {feedback.channel!r} needs {FEEDBACK_KEY}[{needed!r}]"
            )
    if problems:
        raise SettingsError(problems)
    return MoldirSettings(**values)


def _section(cls: type, raw: Any, name: str, problems: list[str]) -> dict[str, Any]:
    """The checked values of one settings dict (``MOLDIR``, ``MOLDIR_OPENDATA``)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append(f"{name} must be a dict, not {_kind(raw)}")
        return {}
    # The loose settings and sub-sections have their own Pelican names, not keys here.
    known = {f.name: f for f in fields(cls) if not f.metadata["key"]}
    unknown = sorted(str(key) for key in raw if key not in known)
    if unknown:
        problems.append(
            f"unknown {name} setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    values = {}
    for key, value in raw.items():
        if key in known:
            checked = _value(known[key], value, f"{name}[{key!r}]", problems)
            if checked is not MISSING:
                values[key] = checked
    return values


def _value(item: Any, raw: Any, name: str, problems: list[str]) -> Any:
    """``raw`` as the field's type (MISSING, with a problem, when it is wrong)."""
    expected = _hints(item)
    value, wrong = _convert(expected, raw)
    if wrong:
        problems.append(f"{name} must be {wrong}, not {_kind(raw)} {_shown(raw)}")
        return MISSING
    check = item.metadata["check"]
    complaint = check(value) if check is not None and value is not None else None
    if complaint:
        problems.append(f"{name} {_shown(raw)}: {complaint}")
        return MISSING
    return value


@functools.cache
def _all_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, globals())


def _hints(item: Any) -> Any:
    owners = (MoldirSettings, *SECTIONS.values())
    owner = next(cls for cls in owners if any(item is f for f in fields(cls)))
    return _all_hints(owner)[item.name]


def _convert(expected: Any, raw: Any) -> tuple[Any, str | None]:
    """(value, None) or (None, what was expected)."""
    args = typing.get_args(expected)
    if type(None) in args:  # X | None
        if raw is None:
            return None, None
        inner = next(arg for arg in args if arg is not type(None))
        value, wrong = _convert(inner, raw)
        return value, (f"{wrong} or None" if wrong else None)
    if expected is str:
        return (raw, None) if isinstance(raw, str) else (None, "a text")
    if expected is int:
        ok = isinstance(raw, int) and not isinstance(raw, bool)
        return (raw, None) if ok else (None, "a whole number")
    if expected is dt.date:
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw, None
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw), None
            except ValueError:
                pass
        return None, 'a date "YYYY-MM-DD"'
    origin = typing.get_origin(expected)
    if origin is tuple:  # tuple[str, ...]: a list or tuple of texts
        if isinstance(raw, list | tuple) and all(isinstance(item, str) for item in raw):
            return tuple(raw), None
        return None, "a list of texts"
    if origin is dict:  # dict[str, str]
        if isinstance(raw, Mapping) and all(
            isinstance(key, str) and isinstance(value, str) for key, value in raw.items()
        ):
            return dict(raw), None
        return None, "a dict of texts by text"
    raise TypeError(f"no rule for settings of type {expected}")  # a new field's type


def _kind(raw: Any) -> str:
    return {
        str: "a text",
        int: "a number",
        float: "a number",
        bool: "True/False",
        list: "a list",
        tuple: "a list",
        dict: "a dict",
        type(None): "None",
    }.get(type(raw), type(raw).__name__)


def _shown(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "…"


# The Pelican settings the model is read from.
SOURCES = (
    "MOLDIR",
    "DEFAULT_LANG",
    *(f.metadata["key"] for f in fields(MoldirSettings) if f.metadata["key"]),
)


def project_root(pelican_settings: Mapping[str, Any]) -> Path:
    """The folder holding pelicanconf.py, content/ and datasets/."""
    return Path(pelican_settings.get("PATH", "content")).resolve().parent


def build_date(pelican_settings: Mapping[str, Any] | None = None) -> dt.date:
    """The day the site is built "as of": the ``MOLDIR_TODAY`` setting (which the
    environment variable of the same name sets at the command line), else today in the
    portal's time zone (``TIMEZONE``). Upcoming receptions, overdue commitments and
    datasets' freshness are worked out on this day; the pages showing them are keyed on it
    (incremental/reuse.py), and no other page is."""
    settings = dict(pelican_settings or {})
    fixed = MoldirSettings.from_pelican(settings).today
    if fixed:
        return fixed
    from zoneinfo import ZoneInfo

    zone = settings.get("TIMEZONE") or "UTC"
    return dt.datetime.now(ZoneInfo(zone)).date()


# --- the environment -------------------------------------------------------------------

# Environment variables that set a setting, and the Pelican setting each one sets: the
# variable wins over pelicanconf.py (reproducible builds and tests fix the date this way).
ENVIRONMENT = {"MOLDIR_TODAY": "MOLDIR_TODAY"}


def environment_settings(variables: Mapping[str, str]) -> dict[str, Any]:
    """The Pelican settings that environment ``variables`` set (passed in by the command
    line or Pelican's entry point, the only places that read the environment)."""
    return {key: variables[name] for name, key in ENVIRONMENT.items() if variables.get(name)}


# --- the documentation -----------------------------------------------------------------


def documented() -> Iterator[tuple[str, Any, str, str]]:
    """(where it is set, its type, its default as shown, its meaning) of every setting."""
    for item in fields(MoldirSettings):
        key = item.metadata["key"]
        section = SECTIONS.get(item.name)
        if section is not None:
            for sub in fields(section):
                yield _row(f'{key}["{sub.name}"]', sub)
            continue
        yield _row(key or f'MOLDIR["{item.name}"]', item)


def _row(name: str, item: Any) -> tuple[str, Any, str, str]:
    shown = item.metadata["shown"]
    if shown is None:
        default = item.default if item.default is not MISSING else item.default_factory()
        if isinstance(default, tuple):
            default = list(default)
        shown = f"`{_python(default)}`"
    return name, _type_name(_hints(item)), shown, item.metadata["doc"]


def _python(value: Any) -> str:
    """A default as it is written in pelicanconf.py (double quotes, like the examples)."""
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_python(item) for item in value) + "]"
    return repr(value)


def _type_name(expected: Any) -> str:
    args = typing.get_args(expected)
    if type(None) in args:
        inner = next(arg for arg in args if arg is not type(None))
        return f"{_type_name(inner)} or None"
    names = {str: "text", int: "whole number", dt.date: '"YYYY-MM-DD"'}
    if expected in names:
        return names[expected]
    origin = typing.get_origin(expected)
    return {tuple: "list of texts", dict: "dict of texts"}.get(origin, str(expected))


def settings_table() -> str:
    """The Markdown table of every setting, as docs/settings.md shows it."""
    lines = ["| setting | type | default | meaning |", "|---|---|---|---|"]
    for name, type_name, shown, doc in documented():
        lines.append(f"| `{name}` | {type_name} | {shown} | {doc} |")
    return "\n".join(lines) + "\n"
