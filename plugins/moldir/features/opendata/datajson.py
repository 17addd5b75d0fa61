"""``/data.json``: the catalogue as DCAT-US 1.1 (Project Open Data metadata schema).

Valid against the non-federal schema (no ``bureauCode``/``programCode``), which is what
harvesters such as CKAN's ckanext-datajson expect from a catalogue outside the US
federal government.
"""

from __future__ import annotations

import json
from typing import Any

from moldir.features.opendata import vocabularies as vocab
from moldir.features.opendata.catalogue import (
    CatalogueInfo,
    contact_of,
    dataset_licences,
    dataset_url,
    download_url,
    issued,
    modified,
    publisher_of,
    spatial_of,
)
from moldir.pipeline.portal import Portal, PublishedDataset

CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
DESCRIBED_BY = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"


def catalogue_document(portal: Portal, info: CatalogueInfo) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@id": info.url("data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": CONFORMS_TO,
        "describedBy": DESCRIBED_BY,
        "dataset": [dataset_entry(info, published) for published in portal.datasets],
    }


def dataset_entry(info: CatalogueInfo, published: PublishedDataset) -> dict[str, Any]:
    dataset = published.dataset
    page = dataset_url(info, published)
    contact = contact_of(info, published)
    contact_point: dict[str, str] = {"@type": "vcard:Contact", "fn": contact["name"]}
    if contact["email"]:
        contact_point["hasEmail"] = f"mailto:{contact['email']}"
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": page,
        "title": dataset.title,
        "description": dataset.description,
        "keyword": dataset.keywords or [dataset.topic],
        "publisher": {"@type": "org:Organization", "name": publisher_of(info, published)["name"]},
        "contactPoint": contact_point,
        "accessLevel": "public",
        "landingPage": page,
        "describedBy": download_url(info, f"datasets/{published.slug}/datapackage.json"),
        "describedByType": "application/json",
        "distribution": [distribution(info, published, d) for d in published.downloads],
    }
    licences = dataset_licences(info, published)
    if licences:
        entry["license"] = licences[0].uri
        entry["rights"] = "; ".join(licence.title for licence in licences)
    if modified(published):
        entry["modified"] = modified(published)
    if issued(published):
        entry["issued"] = issued(published)
    temporal = published.temporal
    if temporal.get("start") and temporal.get("end"):
        entry["temporal"] = f"{temporal['start']}/{temporal['end']}"
    frequency = vocab.iso_frequency(dataset.get("frequency", ""))
    if frequency:
        entry["accrualPeriodicity"] = frequency
    if dataset.get("language"):
        entry["language"] = [dataset.get("language")]
    spatial = spatial_of(published)
    if spatial:
        entry["spatial"] = spatial[1]
    theme = vocab.theme(dataset.topic)
    entry["theme"] = [theme.label if theme else dataset.topic]
    sources = [s.get("path") for s in dataset.sources if str(s.get("path", "")).startswith("http")]
    if sources:
        entry["references"] = sources
    return entry


def distribution(info: CatalogueInfo, published: PublishedDataset, download) -> dict[str, Any]:
    if download.resource:
        resource = published.dataset.resource(download.resource)
        title = f"{resource.title} ({download.format.upper()})"
    else:
        title = download.filename
    entry = {
        "@type": "dcat:Distribution",
        "title": title,
        "downloadURL": download_url(info, download.path),
        "mediaType": download.media_type,
        "format": vocab.file_type(download.format).label,
    }
    if download.format == "datapackage":
        entry["conformsTo"] = vocab.DATA_PACKAGE_SPEC
    return entry


def catalogue_json(portal: Portal, info: CatalogueInfo) -> bytes:
    document = catalogue_document(portal, info)
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
