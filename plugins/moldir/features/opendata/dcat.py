"""``/catalog.jsonld``: the catalogue as DCAT-AP 3 in JSON-LD.

Every dataset is a ``dcat:Dataset``; every download (CSV, JSON, XLSX per resource, the
published ``datapackage.json``, the zip) is a ``dcat:Distribution`` with its IANA media
type, EU file type, byte size, SHA-256 checksum, licence, access and download URL.

Every object the shapes check for a class (agents, licences, media types, vocabulary
terms, periods) is typed and labelled in the document itself, so the file conforms to the
official DCAT-AP 3.0.1 SHACL shapes (``shapes.ttl``, ``range.ttl``,
``shapes_recommended.ttl``, ``deprecateduris.ttl``) without background knowledge. Terms of
controlled vocabularies carry ``skos:inScheme`` as the codelist shapes expect.
"""

from __future__ import annotations

import json
import re
from typing import Any

from moldir.features.opendata import vocabularies as vocab
from moldir.features.opendata.catalogue import (
    CatalogueEntry,
    CatalogueInfo,
    Distribution,
    LicenceInfo,
    catalogue_entries,
    content_licence,
    entry_dates,
)
from moldir.pipeline.portal import Portal

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatap": "http://data.europa.eu/r5r/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
}
SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"


def ref(uri: str) -> dict[str, str]:
    return {"@id": uri}


def typed(value: str, datatype: str) -> dict[str, str]:
    return {"@value": value, "@type": datatype}


def text(value: str, lang: str | None = None) -> dict[str, str]:
    return {"@value": value, "@language": lang} if lang else {"@value": value}


def date_value(value: str) -> dict[str, str]:
    """A date or date-time literal with the datatype DCAT-AP allows for it."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return typed(value, "xsd:date")
    if re.fullmatch(r"\d{4}", value):
        return typed(value, "xsd:gYear")
    return typed(value, "xsd:dateTime")


def slugify(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "agent"


class Graph:
    """Nodes by IRI; a node met twice (a shared licence, a vocabulary term) is kept once."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}

    def add(self, node: dict[str, Any]) -> dict[str, str]:
        self.nodes.setdefault(node["@id"], node)
        return ref(node["@id"])

    def term(self, term: vocab.Term, *types: str) -> dict[str, str]:
        return self.add(
            {
                "@id": term.uri,
                "@type": ["skos:Concept", *types],
                "skos:prefLabel": text(term.label, "en"),
                "skos:inScheme": ref(term.scheme),
            }
        )

    def agent(self, info: CatalogueInfo, name: str, url: str = "") -> dict[str, str]:
        node: dict[str, Any] = {
            "@id": info.url(f"catalog.jsonld#agent-{slugify(name)}"),
            "@type": "foaf:Agent",
            "foaf:name": name,
        }
        if url:
            node["foaf:homepage"] = self.document(url)
        if name == info.publisher and info.publisher_type in vocab.PUBLISHER_TYPES:
            node["dct:type"] = self.term(
                vocab.Term(
                    f"http://purl.org/adms/publishertype/{info.publisher_type}",
                    vocab.PUBLISHER_TYPES[info.publisher_type],
                    vocab.PUBLISHER_TYPE_SCHEME,
                )
            )
        return self.add(node)

    def document(self, url: str) -> dict[str, str]:
        return self.add({"@id": url, "@type": "foaf:Document"})

    def licence(self, licence: LicenceInfo) -> dict[str, str]:
        node: dict[str, Any] = {
            "@id": licence.uri,
            "@type": "dct:LicenseDocument",
            "rdfs:label": text(licence.title, "en"),
        }
        if licence.types:
            node["dct:type"] = [
                self.term(
                    vocab.Term(
                        f"http://purl.org/adms/licencetype/{kind}",
                        vocab.LICENCE_TYPES[kind],
                        vocab.LICENCE_TYPE_SCHEME,
                    )
                )
                for kind in licence.types
            ]
        return self.add(node)

    def language(self, code: str) -> dict[str, str] | None:
        term = vocab.language(code)
        return self.term(term, "dct:LinguisticSystem") if term else None

    def spatial(self, info: CatalogueInfo) -> dict[str, str] | None:
        term = vocab.country(info.spatial, info.spatial_name)
        return self.term(term, "dct:Location") if term else None


def catalogue_document(portal: Portal, info: CatalogueInfo) -> dict[str, Any]:
    """The DCAT-AP catalogue as a JSON-LD document (a dict ready for ``json.dumps``)."""
    graph = Graph()
    publisher = graph.agent(info, info.publisher)
    entries = catalogue_entries(portal, info)
    issued_date, modified_date = entry_dates([(e.issued, e.modified) for e in entries])
    catalogue: dict[str, Any] = {
        "@id": info.url("catalog.jsonld#catalog"),
        "@type": "dcat:Catalog",
        "dct:title": text(info.title, info.default_lang),
        "dct:description": text(info.description, "en"),
        "dct:publisher": publisher,
        "foaf:homepage": graph.document(info.url("")),
        "dct:license": graph.licence(content_licence(info)),
        "dct:language": [graph.language(lang) for lang in info.languages if vocab.language(lang)],
        "dcat:themeTaxonomy": graph.add(
            {
                "@id": vocab.THEME_SCHEME,
                "@type": "skos:ConceptScheme",
                "dct:title": text("Data theme", "en"),
            }
        ),
        "dcat:dataset": [],
    }
    spatial = graph.spatial(info)
    if spatial:
        catalogue["dct:spatial"] = spatial
    if issued_date:
        catalogue["dct:issued"] = date_value(issued_date)
    if modified_date:
        catalogue["dct:modified"] = date_value(modified_date)
    graph.add(catalogue)
    for entry in entries:
        catalogue["dcat:dataset"].append(dataset_node(graph, info, entry))
    return {"@context": CONTEXT, "@graph": list(graph.nodes.values())}


def dataset_node(graph: Graph, info: CatalogueInfo, entry: CatalogueEntry) -> dict:
    page = entry.page
    licences = [graph.licence(licence) for licence in entry.licences]
    keyword_language = "en" if entry.language is None else entry.language
    node: dict[str, Any] = {
        "@id": f"{page}#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": page,
        "dct:title": [text(v, lang) for lang, v in entry.title.every_language().items()],
        "dct:description": [
            text(v, lang) for lang, v in entry.description.every_language().items()
        ],
        "dcat:landingPage": graph.document(page),
        "dct:publisher": graph.agent(info, entry.publisher.name, entry.publisher.url),
        "dcat:keyword": [text(k, keyword_language) for k in entry.keywords],
        "dcat:distribution": [],
    }
    creators = [graph.agent(info, name) for name in entry.authors]
    if creators:
        node["dct:creator"] = creators
    contact = entry.contact
    if contact.name or contact.email:
        contact_node: dict[str, Any] = {
            "@id": f"{page}#contact",
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": contact.name or contact.email,
        }
        if contact.email:
            contact_node["vcard:hasEmail"] = ref(f"mailto:{contact.email}")
        node["dcat:contactPoint"] = graph.add(contact_node)
    theme = vocab.theme(entry.topic)
    if theme:
        node["dcat:theme"] = graph.term(theme)
    if entry.spatial:
        node["dct:spatial"] = graph.term(vocab.country(*entry.spatial), "dct:Location")
    temporal = entry.temporal
    if temporal.get("start") or temporal.get("end"):
        period: dict[str, Any] = {"@id": f"{page}#period", "@type": "dct:PeriodOfTime"}
        if temporal.get("start"):
            period["dcat:startDate"] = date_value(temporal["start"])
        if temporal.get("end"):
            period["dcat:endDate"] = date_value(temporal["end"])
        node["dct:temporal"] = graph.add(period)
    frequency = vocab.frequency(entry.frequency)
    if frequency:
        node["dct:accrualPeriodicity"] = graph.term(frequency, "dct:Frequency")
    language = graph.language(entry.language or "")
    if language:
        node["dct:language"] = language
    if entry.version:
        node["dcat:version"] = entry.version
    if entry.issued:
        node["dct:issued"] = date_value(entry.issued)
    if entry.modified:
        node["dct:modified"] = date_value(entry.modified)
    for distribution in entry.distributions:
        node["dcat:distribution"].append(
            distribution_node(graph, entry, distribution, licences[:1])
        )
    return graph.add(node)


def distribution_node(
    graph: Graph,
    entry: CatalogueEntry,
    distribution: Distribution,
    licences: list[dict[str, str]],
) -> dict[str, str]:
    download = distribution.download
    node: dict[str, Any] = {
        "@id": f"{entry.page}#distribution-{download.filename}",
        "@type": "dcat:Distribution",
        "dct:title": text(distribution.title, "en"),
        "dct:description": text(distribution.description, "en"),
        "dcat:accessURL": graph.document(entry.page),
        "dcat:downloadURL": ref(distribution.url),
        "dcat:mediaType": graph.add(
            {
                "@id": vocab.media_type_uri(download.media_type),
                "@type": "dct:MediaType",
                "rdfs:label": download.media_type,
            }
        ),
        "dct:format": graph.term(vocab.file_type(download.format), "dct:MediaTypeOrExtent"),
        "dcat:byteSize": typed(str(download.bytes), "xsd:nonNegativeInteger"),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": graph.add(
                {"@id": SHA256, "@type": "spdx:ChecksumAlgorithm", "rdfs:label": "SHA-256"}
            ),
            "spdx:checksumValue": typed(download.sha256, "xsd:hexBinary"),
        },
        "dcatap:availability": graph.term(
            vocab.Term(f"{vocab.AVAILABILITY_SCHEME}/STABLE", "stable", vocab.AVAILABILITY_SCHEME)
        ),
    }
    if licences:
        node["dct:license"] = licences[0]
    if download.format == "datapackage":
        node["dct:conformsTo"] = graph.add(
            {
                "@id": vocab.DATA_PACKAGE_SPEC,
                "@type": "dct:Standard",
                "rdfs:label": text("Frictionless Data Package", "en"),
            }
        )
    if entry.modified:
        node["dct:modified"] = date_value(entry.modified)
    return graph.add(node)


def catalogue_jsonld(portal: Portal, info: CatalogueInfo) -> bytes:
    document = catalogue_document(portal, info)
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
