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

from moldir.features.opendata.catalogue import (
    CatalogueInfo,
    authors,
    dataset_licences,
    dataset_url,
    download_url,
    issued,
    modified,
    publisher_of,
    spatial_of,
    translated,
)
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
    dataset = published.dataset
    lang = lang or info.default_lang
    page = dataset_url(info, published)
    publisher = publisher_of(info, published)
    node: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": f"{page}#dataset",
        "name": translated(published, "title", lang),
        "description": translated(published, "description", lang),
        "url": page,
        "identifier": page,
        "isAccessibleForFree": True,
        "keywords": dataset.keywords,
        "publisher": organization(publisher["name"], publisher["url"]),
        "creator": [organization(name) for name in authors(published)]
        or [organization(publisher["name"], publisher["url"])],
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": info.title,
            "url": info.url("datasets/"),
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": download.filename,
                "contentUrl": download_url(info, download.path),
                "encodingFormat": download.media_type,
                "contentSize": f"{download.bytes} B",
                "sha256": download.sha256,
            }
            for download in published.downloads
        ],
        "variableMeasured": variables(published),
    }
    licences = dataset_licences(info, published)
    if licences and safe_url(licences[0].uri):
        node["license"] = licences[0].uri
    if (name := translated(published, "title", "en")) and name != node["name"]:
        node["alternateName"] = name
    if dataset.get("language"):
        node["inLanguage"] = dataset.get("language")
    if dataset.get("version"):
        node["version"] = str(dataset.get("version"))
    if issued(published):
        node["datePublished"] = issued(published)
    if modified(published):
        node["dateModified"] = modified(published)
    temporal = published.temporal
    if temporal.get("start") or temporal.get("end"):
        node["temporalCoverage"] = f"{temporal.get('start', '..')}/{temporal.get('end', '..')}"
    spatial = spatial_of(published)
    if spatial:
        node["spatialCoverage"] = {"@type": "Place", "name": spatial[1]}
    citations = [source.get("title") for source in dataset.sources if source.get("title")]
    if citations:
        node["citation"] = citations
    return node


def variables(published: PublishedDataset) -> list[dict[str, str]]:
    """Each distinct field of the dataset's tables as a ``PropertyValue``."""
    seen: dict[str, dict[str, str]] = {}
    for resource in published.dataset.resources:
        for field in resource.fields:
            if field.name in seen:
                continue
            variable = {"@type": "PropertyValue", "name": field.label, "propertyID": field.name}
            if field.description:
                variable["description"] = field.description
            seen[field.name] = variable
    return list(seen.values())


def script_json(document: Any) -> Markup:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` escaped as ``\\u003c``… so that
    no text in the data can close the element (``</script>``) or open a comment."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
