"""What every machine-readable view of the catalogue shares: absolute URLs, dates,
licences and agents of each dataset, derived once from the portal and the settings.

DCAT-AP, DCAT-US, schema.org and the JSON API are different spellings of the same facts;
keeping the facts here means the four cannot disagree. The three catalogues (``dcat.py``,
``datajson.py``, ``schemaorg.py``) serialise one :class:`CatalogueEntry` per dataset, made
once per build by :func:`catalogue_entry`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from moldir.features.opendata import vocabularies
from moldir.features.opendata.config import absolute, site_base
from moldir.features.opendata.history import HISTORY_KEY, History, isoformat
from moldir.model.settings import MoldirSettings
from moldir.pipeline.downloads import Download
from moldir.pipeline.pages import BuildContext
from moldir.pipeline.portal import Portal, PublishedDataset


@dataclass(frozen=True)
class CatalogueInfo:
    """The portal-wide facts: where it lives, who runs it, in which languages.

    Not a settings model of its own: what is configured is read from ``settings`` (the
    project's :class:`MoldirSettings`); only what the build derives is held here.
    """

    base: str
    title: str
    publisher: str
    default_lang: str
    languages: tuple[str, ...]
    settings: MoldirSettings

    @classmethod
    def from_pelican(cls, settings: dict[str, Any]) -> CatalogueInfo:
        moldir = MoldirSettings.from_pelican(settings)
        default_lang = settings.get("DEFAULT_LANG", "en")
        languages = [default_lang]
        for lang in BuildContext.from_settings(settings).languages or moldir.languages:
            if lang not in languages:
                languages.append(lang)
        return cls(
            base=site_base(settings),
            title=settings.get("SITENAME", ""),
            publisher=moldir.publisher or settings.get("AUTHOR", "") or settings.get("SITENAME"),
            default_lang=default_lang,
            languages=tuple(languages),
            settings=moldir,
        )

    @property
    def description(self) -> str:
        return self.settings.opendata.description

    @property
    def publisher_type(self) -> str:
        return self.settings.opendata.publisher_type

    @property
    def contact_email(self) -> str:
        return self.settings.contact_email

    @property
    def content_license(self) -> str:
        return self.settings.content_license

    @property
    def spatial(self) -> str:
        return self.settings.opendata.spatial

    @property
    def spatial_name(self) -> str:
        return self.settings.opendata.spatial_name

    @property
    def history_limit(self) -> int:
        return self.settings.opendata.history_limit

    @property
    def feed_limit(self) -> int:
        return self.settings.opendata.feed_limit

    def url(self, path: str = "") -> str:
        return absolute(self.base, path)


@dataclass(frozen=True)
class LicenceInfo:
    uri: str
    title: str
    name: str
    types: tuple[str, ...]


def licence_of(entry: dict[str, str], fallback_uri: str) -> LicenceInfo:
    """A Data Package licence entry with a URI: its ``path``, a known licence's page, or
    ``fallback_uri`` (an anchor on the portal) for a licence that has no public text."""
    name = entry.get("name", "") or entry.get("title", "")
    known = vocabularies.known_licence(name)
    path = entry.get("path", "")
    if path.startswith(("http://", "https://")):
        uri = path
    elif known:
        uri = known.uri
    else:
        uri = fallback_uri
    title = entry.get("title") or (known.title if known else name)
    return LicenceInfo(uri=uri, title=title, name=name, types=vocabularies.licence_types(name))


def content_licence(info: CatalogueInfo) -> LicenceInfo:
    return licence_of({"name": info.content_license}, info.url("about/#licence"))


def history_of(published: PublishedDataset) -> History | None:
    return published.extras.get(HISTORY_KEY)


def dataset_url(info: CatalogueInfo, published: PublishedDataset) -> str:
    return info.url(published.url)


def download_url(info: CatalogueInfo, path: str) -> str:
    return info.url(path)


def dataset_licences(info: CatalogueInfo, published: PublishedDataset) -> list[LicenceInfo]:
    base = dataset_url(info, published)
    return [
        licence_of(entry, f"{base}#licence-{vocabularies.licence_key(entry.get('name', ''))}")
        for entry in published.dataset.licenses
    ]


def issued(published: PublishedDataset) -> str | None:
    """When the dataset was first published (descriptor ``created``, else history)."""
    created = published.dataset.get("created")
    if isinstance(created, str) and created:
        return created
    history = history_of(published)
    return isoformat(history.first_published) if history else None


def modified(published: PublishedDataset) -> str | None:
    """When the dataset last changed (history, else descriptor ``modified``)."""
    history = history_of(published)
    if history and history.last_changed:
        return isoformat(history.last_changed)
    value = published.dataset.get("modified")
    return value if isinstance(value, str) and value else None


def spatial_of(published: PublishedDataset) -> tuple[str, str] | None:
    """(ISO 3166-1 alpha-3 code, name) of the country a dataset covers (its ``spatial``:
    "KAZ" or {"code": "KAZ", "name": "Kazakhstan"}), or None when it does not say."""
    value = published.dataset.get("spatial")
    if isinstance(value, str) and value:
        return value.upper(), value.upper()
    if isinstance(value, dict) and value.get("code"):
        return str(value["code"]).upper(), str(value.get("name") or value["code"])
    return None


def authors(published: PublishedDataset) -> list[str]:
    return [
        c.get("title", "")
        for c in published.dataset.get("contributors", []) or []
        if isinstance(c, dict) and c.get("title") and c.get("role", "author") == "author"
    ]


def publisher_of(info: CatalogueInfo, published: PublishedDataset) -> dict[str, str]:
    publisher = published.dataset.publisher or {}
    return {"name": publisher.get("name") or info.publisher, "url": publisher.get("url", "")}


def contact_of(info: CatalogueInfo, published: PublishedDataset) -> dict[str, str]:
    contact = published.dataset.get("contactPoint") or {}
    if not isinstance(contact, dict):
        contact = {}
    return {
        "name": contact.get("name") or publisher_of(info, published)["name"],
        "email": contact.get("email") or info.contact_email,
    }


def translated(published: PublishedDataset, key: str, lang: str) -> str:
    """A dataset's title or description in ``lang`` (its ``i18n`` block), else English."""
    block = (published.dataset.get("i18n") or {}).get(lang) or {}
    value = block.get(key) if isinstance(block, dict) else None
    return value or published.dataset.get(key) or ""


def catalogue_dates(portal: Portal) -> tuple[str | None, str | None]:
    """(earliest issued, latest modified) over every dataset."""
    return entry_dates([(issued(p), modified(p)) for p in portal.datasets])


def entry_dates(dates: list[tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    """(earliest issued, latest modified) of (issued, modified) pairs."""
    issued_dates = sorted(to_datetime(d) for d, _ in dates if d)
    modified_dates = sorted(to_datetime(d) for _, d in dates if d)
    return (
        isoformat(issued_dates[0]) if issued_dates else None,
        isoformat(modified_dates[-1]) if modified_dates else None,
    )


def to_datetime(value: str) -> dt.datetime:
    from moldir.features.opendata.history import parse_date

    return parse_date(value) or dt.datetime.min.replace(tzinfo=dt.UTC)


# ----------------------------------------------------------------------------- the entry

PACKAGE_DESCRIPTION = (
    "Frictionless Data Package descriptor: metadata, table schemas, and the size "
    "and SHA-256 hash of each CSV file."
)
ZIP_DESCRIPTION = "All CSV files of the dataset with its datapackage.json, as a zip archive."


@dataclass(frozen=True)
class Localised:
    """A text of a dataset (title, description): as written, in the dataset's own
    ``language``, and its translations from the descriptor's ``i18n`` blocks."""

    language: str
    text: str
    translations: tuple[tuple[str, str], ...] = ()

    def in_language(self, lang: str) -> str:
        """The text in ``lang``, else as written."""
        return dict(self.translations).get(lang) or self.text

    def every_language(self) -> dict[str, str]:
        """Every language's text, the dataset's own language first (empty texts left out)."""
        texts = {self.language: self.text}
        for lang, text in self.translations:
            texts.setdefault(lang, text)
        return {lang: text for lang, text in texts.items() if text}

    @classmethod
    def of(cls, published: PublishedDataset, key: str) -> Localised:
        dataset = published.dataset
        found = tuple(
            (lang, block[key])
            for lang, block in (dataset.get("i18n") or {}).items()
            if isinstance(block, dict) and isinstance(block.get(key), str) and block[key]
        )
        return cls(dataset.get("language", "en") or "en", dataset.get(key) or "", found)


@dataclass(frozen=True)
class Agent:
    name: str
    url: str = ""


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class Variable:
    """A distinct field of the dataset's tables."""

    name: str
    label: str
    description: str


@dataclass(frozen=True)
class Distribution:
    """A download as catalogues list it: its absolute URL, title and description."""

    download: Download
    url: str
    title: str
    description: str


@dataclass(frozen=True)
class CatalogueEntry:
    """Everything the catalogues say about one dataset, worked out once per build
    (:func:`catalogue_entry`) and serialised by DCAT-AP (``dcat.py``), DCAT-US
    (``datajson.py``) and schema.org (``schemaorg.py``).

    ``title`` and ``description`` hold every language's text; the rest does not depend on
    the page's language."""

    slug: str
    page: str
    descriptor_url: str
    title: Localised
    description: Localised
    # The descriptor's ``language`` as written (None when it gives none).
    language: str | None
    keywords: tuple[str, ...]
    topic: str
    version: str
    frequency: str
    publisher: Agent
    contact: Contact
    authors: tuple[str, ...]
    licences: tuple[LicenceInfo, ...]
    issued: str | None
    modified: str | None
    spatial: tuple[str, str] | None
    temporal: dict[str, str]
    source_urls: tuple[str, ...]
    citations: tuple[str, ...]
    variables: tuple[Variable, ...]
    distributions: tuple[Distribution, ...] = field(default=())

    @classmethod
    def build(cls, info: CatalogueInfo, published: PublishedDataset) -> CatalogueEntry:
        dataset = published.dataset
        publisher = publisher_of(info, published)
        contact = contact_of(info, published)
        return cls(
            slug=published.slug,
            page=dataset_url(info, published),
            descriptor_url=download_url(info, f"datasets/{published.slug}/datapackage.json"),
            title=Localised.of(published, "title"),
            description=Localised.of(published, "description"),
            language=dataset.get("language"),
            keywords=tuple(dataset.keywords),
            topic=dataset.topic,
            version=str(dataset.get("version")) if dataset.get("version") else "",
            frequency=dataset.get("frequency", ""),
            publisher=Agent(publisher["name"], publisher["url"]),
            contact=Contact(contact["name"], contact["email"]),
            authors=tuple(authors(published)),
            licences=tuple(dataset_licences(info, published)),
            issued=issued(published),
            modified=modified(published),
            spatial=spatial_of(published),
            temporal=dict(published.temporal),
            source_urls=tuple(
                s.get("path") for s in dataset.sources if str(s.get("path", "")).startswith("http")
            ),
            citations=tuple(s.get("title") for s in dataset.sources if s.get("title")),
            variables=variables_of(published),
            distributions=tuple(distribution_of(info, published, d) for d in published.downloads),
        )


def variables_of(published: PublishedDataset) -> tuple[Variable, ...]:
    """Each distinct field of the dataset's tables (the first resource naming it wins)."""
    seen: dict[str, Variable] = {}
    for resource in published.dataset.resources:
        for item in resource.fields:
            if item.name not in seen:
                seen[item.name] = Variable(item.name, item.label, item.description or "")
    return tuple(seen.values())


def distribution_of(
    info: CatalogueInfo, published: PublishedDataset, download: Download
) -> Distribution:
    if download.resource:
        resource = published.dataset.resource(download.resource)
        title = f"{resource.title} ({download.format.upper()})"
        description = resource.description or resource.title
    elif download.format == "datapackage":
        title, description = download.filename, PACKAGE_DESCRIPTION
    else:
        title, description = download.filename, ZIP_DESCRIPTION
    return Distribution(download, download_url(info, download.path), title, description)


# Made once per build: the portal (and its datasets' extras) lives for the whole build.
ENTRY_KEY = "catalogue_entry"


def catalogue_entry(info: CatalogueInfo, published: PublishedDataset) -> CatalogueEntry:
    """The catalogue entry of ``published``, made once per build and kept in its extras.

    It depends on the portal's address and name (``info.base``, ``info.publisher``, the
    publisher when the dataset names none): a language run that names the portal
    differently gets an entry of its own."""
    made: dict[tuple[str, str], CatalogueEntry] = published.extras.setdefault(ENTRY_KEY, {})
    key = (info.base, info.publisher)
    if key not in made:
        made[key] = CatalogueEntry.build(info, published)
    return made[key]


def catalogue_entries(portal: Portal, info: CatalogueInfo) -> list[CatalogueEntry]:
    return [catalogue_entry(info, published) for published in portal.datasets]
