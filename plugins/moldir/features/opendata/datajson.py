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
    CatalogueEntry,
    CatalogueInfo,
    Distribution,
    catalogue_entries,
)
from moldir.pipeline.portal import Portal

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
        "dataset": [dataset_entry(entry) for entry in catalogue_entries(portal, info)],
    }


def dataset_entry(entry: CatalogueEntry) -> dict[str, Any]:
    contact_point: dict[str, str] = {"@type": "vcard:Contact", "fn": entry.contact.name}
    if entry.contact.email:
        contact_point["hasEmail"] = f"mailto:{entry.contact.email}"
    document: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": entry.page,
        "title": entry.title.text or entry.slug,
        "description": entry.description.text,
        "keyword": list(entry.keywords) or [entry.topic],
        "publisher": {"@type": "org:Organization", "name": entry.publisher.name},
        "contactPoint": contact_point,
        "accessLevel": "public",
        "landingPage": entry.page,
        "describedBy": entry.descriptor_url,
        "describedByType": "application/json",
        "distribution": [distribution(d) for d in entry.distributions],
    }
    if entry.licences:
        document["license"] = entry.licences[0].uri
        document["rights"] = "; ".join(licence.title for licence in entry.licences)
    if entry.modified:
        document["modified"] = entry.modified
    if entry.issued:
        document["issued"] = entry.issued
    temporal = entry.temporal
    if temporal.get("start") and temporal.get("end"):
        document["temporal"] = f"{temporal['start']}/{temporal['end']}"
    frequency = vocab.iso_frequency(entry.frequency)
    if frequency:
        document["accrualPeriodicity"] = frequency
    if entry.language:
        document["language"] = [entry.language]
    if entry.spatial:
        document["spatial"] = entry.spatial[1]
    theme = vocab.theme(entry.topic)
    document["theme"] = [theme.label if theme else entry.topic]
    if entry.source_urls:
        document["references"] = list(entry.source_urls)
    return document


def distribution(item: Distribution) -> dict[str, Any]:
    download = item.download
    document = {
        "@type": "dcat:Distribution",
        "title": item.title,
        "downloadURL": item.url,
        "mediaType": download.media_type,
        "format": vocab.file_type(download.format).label,
    }
    if download.format == "datapackage":
        document["conformsTo"] = vocab.DATA_PACKAGE_SPEC
    return document


def catalogue_json(portal: Portal, info: CatalogueInfo) -> bytes:
    document = catalogue_document(portal, info)
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
