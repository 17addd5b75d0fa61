"""A static JSON API: ``/api/datasets.json`` (the catalogue) and
``/datasets/<slug>/index.json`` (one dataset). Documented in docs/api.md.

Plain JSON with absolute URLs, so a script can walk the catalogue without parsing HTML:
metadata, resources with their fields, every download with its size and SHA-256, charts
(when the charts feature has drawn them) and the change history.
"""

from __future__ import annotations

import json
from typing import Any

from moldir.features.opendata.catalogue import (
    CatalogueInfo,
    authors,
    catalogue_dates,
    contact_of,
    dataset_licences,
    dataset_url,
    download_url,
    history_of,
    issued,
    modified,
    publisher_of,
)
from moldir.features.opendata.history import isoformat
from moldir.pipeline.labels import field_constraints
from moldir.pipeline.portal import Portal, PublishedDataset

API_VERSION = 1
CHARTS_KEY = "charts"


def download_entry(info: CatalogueInfo, download) -> dict[str, Any]:
    return {
        "filename": download.filename,
        "format": download.format,
        "media_type": download.media_type,
        "url": download_url(info, download.path),
        "bytes": download.bytes,
        "sha256": download.sha256,
    }


def dataset_summary(info: CatalogueInfo, published: PublishedDataset) -> dict[str, Any]:
    """What the catalogue lists about a dataset (its own ``index.json`` has the rest)."""
    dataset = published.dataset
    return {
        "slug": published.slug,
        "title": dataset.title,
        "description": dataset.description,
        "url": dataset_url(info, published),
        "api": download_url(info, f"datasets/{published.slug}/index.json"),
        "topic": dataset.topic,
        "kind": dataset.kind,
        "keywords": dataset.keywords,
        "publisher": publisher_of(info, published)["name"],
        "licenses": [
            {"name": licence.name, "title": licence.title, "url": licence.uri}
            for licence in dataset_licences(info, published)
        ],
        "temporal": published.temporal or None,
        "frequency": dataset.get("frequency"),
        "language": dataset.get("language"),
        "version": dataset.get("version"),
        "issued": issued(published),
        "modified": modified(published),
        "formats": published.formats,
        "resources": [resource.name for resource in dataset.resources],
        "rows": sum(published.row_count(resource) for resource in dataset.resources),
    }


def dataset_document(info: CatalogueInfo, published: PublishedDataset) -> dict[str, Any]:
    """Everything about one dataset: ``/datasets/<slug>/index.json``."""
    dataset = published.dataset
    contact = contact_of(info, published)
    document = {
        "api_version": API_VERSION,
        **dataset_summary(info, published),
        "i18n": dataset.get("i18n") or {},
        "sources": dataset.sources,
        "authors": authors(published),
        "contact_point": contact,
        "resources": [
            {
                "name": resource.name,
                "title": resource.title,
                "description": resource.description,
                "rows": published.row_count(resource),
                "primary_key": resource.primary_key,
                "fields": [
                    {
                        "name": field.name,
                        "title": field.title,
                        "type": field.type,
                        "format": field.format,
                        "description": field.description,
                        "constraints": field.constraints,
                        "constraints_text": field_constraints(field),
                    }
                    for field in resource.fields
                ],
                "downloads": [download_entry(info, d) for d in published.downloads_for(resource)],
            }
            for resource in dataset.resources
        ],
        "package_downloads": [download_entry(info, d) for d in published.package_downloads()],
        "charts": charts_entries(info, published),
        "history": history_entry(info, published),
        "links": {
            "page": dataset_url(info, published),
            "datapackage": download_url(info, f"datasets/{published.slug}/datapackage.json"),
            "feed": download_url(info, f"datasets/{published.slug}/feed.atom.xml"),
            "catalog": info.url("api/datasets.json"),
        },
    }
    return document


def history_entry(info: CatalogueInfo, published: PublishedDataset) -> dict[str, Any] | None:
    """The dataset's dates and the versions of its data (newest first): what each changed
    per resource, the editor's note and the URL of its files; no commit messages."""
    history = history_of(published)
    if history is None:
        return None
    return {
        "source": history.source,
        "first_published": isoformat(history.first_published),
        "last_changed": isoformat(history.last_changed),
        "uncommitted_changes": history.uncommitted,
        "metadata_edits": history.metadata_edits,
        "versions": [
            {
                "date": isoformat(version.date),
                "commit": version.commit,
                "version": version.version or None,
                "note": version.note or None,
                "first": version.first,
                "files": info.url(version.archive),
                "resources": [
                    {
                        "name": change.resource,
                        "status": change.status,
                        "rows": change.rows,
                        "rows_added": change.rows_added,
                        "rows_removed": change.rows_removed,
                        "rows_changed": change.rows_changed,
                        "matched_by": list(change.key),
                        "fields_added": list(change.fields_added),
                        "fields_removed": list(change.fields_removed),
                        "schema_changes": list(change.schema_changes),
                    }
                    for change in version.changed_resources
                ],
            }
            for version in history.versions[: info.history_limit]
        ],
    }


def charts_entries(info: CatalogueInfo, published: PublishedDataset) -> list[dict[str, Any]]:
    """The charts the charts feature drew (``extras["charts"]``): what each shows and the
    absolute URLs of its files (SVG, PNG, Vega-Lite) and of its own page."""
    entries = []
    for chart in published.extras.get(CHARTS_KEY) or []:
        view = attribute(chart, "view")
        entry = {
            "name": attribute(chart, "name") or attribute(view, "name"),
            "title": attribute(view, "title") or attribute(chart, "title"),
            "description": attribute(view, "description") or attribute(chart, "description"),
            "type": attribute(view, "chart_type"),
            "resource": attribute(view, "resource"),
            "units": attribute(view, "units"),
            "files": {
                kind: download_url(info, path)
                for kind, path in (attribute(chart, "files") or {}).items()
            },
        }
        if attribute(chart, "page_url"):
            entry["page"] = info.url(attribute(chart, "page_url"))
        entries.append({key: value for key, value in entry.items() if value not in (None, "")})
    return entries


def attribute(thing: Any, name: str) -> Any:
    """An attribute of a chart object, or a key of a chart given as a dict."""
    if thing is None:
        return None
    if isinstance(thing, dict):
        return thing.get(name)
    return getattr(thing, name, None)


def catalogue_document(portal: Portal, info: CatalogueInfo) -> dict[str, Any]:
    """``/api/datasets.json``: every dataset's summary and where to find the rest."""
    return {
        "api_version": API_VERSION,
        # The latest change of any dataset (not the build time: the same data gives the
        # same file).
        "modified": catalogue_dates(portal)[1],
        "title": info.title,
        "description": info.description,
        "publisher": info.publisher,
        "url": info.url(""),
        "links": {
            "dcat": info.url("catalog.jsonld"),
            "data_json": info.url("data.json"),
            "feed": info.url("feeds/datasets.atom.xml"),
            "quality_report": info.url("quality/report.json"),
        },
        "count": len(portal.datasets),
        "datasets": [dataset_summary(info, published) for published in portal.datasets],
    }


def to_json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
