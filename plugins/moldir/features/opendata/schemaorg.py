"""schema.org ``Dataset`` JSON-LD for each dataset page (what Google Dataset Search reads).

Required by Google: ``name`` and ``description``; the recommended properties are filled
where the descriptor has the facts: url, identifier, license, creator, publisher,
temporalCoverage, spatialCoverage, distribution, keywords, dates, variableMeasured,
isAccessibleForFree, inLanguage, version, citation, includedInDataCatalog.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from moldir.features.opendata.catalogue import CatalogueEntry, CatalogueInfo, catalogue_entry
from moldir.model.safety import safe_url
from moldir.pipeline.portal import PublishedDataset


def organization(name: str, url: str = "") -> dict[str, str]:
    node = {"@type": "Organization", "name": name}
    # A search engine may show it as a link: only https, http or mailto (safety.safe_url).
    if safe_url(url):
        node["url"] = url
    return node


def dataset_jsonld(
    info: CatalogueInfo, published: PublishedDataset, lang: str | None = None
) -> dict[str, Any]:
    """The schema.org Dataset of a published dataset, in the page's language ``lang``."""
    return entry_jsonld(info, catalogue_entry(info, published), lang or info.default_lang)


def entry_jsonld(info: CatalogueInfo, entry: CatalogueEntry, lang: str) -> dict[str, Any]:
    """A catalogue entry as a schema.org Dataset in the language ``lang``."""
    page = entry.page
    publisher = entry.publisher
    node: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": f"{page}#dataset",
        "name": entry.title.in_language(lang),
        "description": entry.description.in_language(lang),
        "url": page,
        "identifier": page,
        "isAccessibleForFree": True,
        "keywords": list(entry.keywords),
        "publisher": organization(publisher.name, publisher.url),
        "creator": [organization(name) for name in entry.authors]
        or [organization(publisher.name, publisher.url)],
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": info.title,
            "url": info.url("datasets/"),
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": item.download.filename,
                "contentUrl": item.url,
                "encodingFormat": item.download.media_type,
                "contentSize": f"{item.download.bytes} B",
                "sha256": item.download.sha256,
            }
            for item in entry.distributions
        ],
        "variableMeasured": variables(entry),
    }
    if entry.licences and safe_url(entry.licences[0].uri):
        node["license"] = entry.licences[0].uri
    if (name := entry.title.in_language("en")) and name != node["name"]:
        node["alternateName"] = name
    if entry.language:
        node["inLanguage"] = entry.language
    if entry.version:
        node["version"] = entry.version
    if entry.issued:
        node["datePublished"] = entry.issued
    if entry.modified:
        node["dateModified"] = entry.modified
    temporal = entry.temporal
    if temporal.get("start") or temporal.get("end"):
        node["temporalCoverage"] = f"{temporal.get('start', '..')}/{temporal.get('end', '..')}"
    if entry.spatial:
        node["spatialCoverage"] = {"@type": "Place", "name": entry.spatial[1]}
    if entry.citations:
        node["citation"] = list(entry.citations)
    return node


def variables(entry: CatalogueEntry) -> list[dict[str, str]]:
    """Each distinct field of the dataset's tables as a ``PropertyValue``."""
    found = []
    for item in entry.variables:
        variable = {"@type": "PropertyValue", "name": item.label, "propertyID": item.name}
        if item.description:
            variable["description"] = item.description
        found.append(variable)
    return found


def script_json(document: Any) -> Markup:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` escaped as ``\\u003c``… so that
    no text in the data can close the element (``</script>``) or open a comment."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
