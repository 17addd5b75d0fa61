"""Controlled vocabularies that DCAT-AP expects, as plain tables.

EU Publications Office authority tables (file type, frequency, language, data theme,
country, planned availability), the ADMS licence and publisher types, IANA media types, and
the licences a Data Package usually names. Nothing here is fetched: each term's URI and
English label are written into the catalogue so that it validates without background
knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass

AUTHORITY = "http://publications.europa.eu/resource/authority"
FILE_TYPE_SCHEME = f"{AUTHORITY}/file-type"
FREQUENCY_SCHEME = f"{AUTHORITY}/frequency"
LANGUAGE_SCHEME = f"{AUTHORITY}/language"
THEME_SCHEME = f"{AUTHORITY}/data-theme"
COUNTRY_SCHEME = f"{AUTHORITY}/country"
AVAILABILITY_SCHEME = f"{AUTHORITY}/planned-availability"
LICENCE_TYPE_SCHEME = "http://purl.org/adms/licencetype/1.0"
PUBLISHER_TYPE_SCHEME = "http://purl.org/adms/publishertype/1.0"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types"
DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"


@dataclass(frozen=True)
class Term:
    """A concept of a controlled vocabulary."""

    uri: str
    label: str
    scheme: str


# Download format (``Download.format``) → EU file type.
FILE_TYPES = {
    "csv": Term(f"{FILE_TYPE_SCHEME}/CSV", "CSV", FILE_TYPE_SCHEME),
    "json": Term(f"{FILE_TYPE_SCHEME}/JSON", "JSON", FILE_TYPE_SCHEME),
    "datapackage": Term(f"{FILE_TYPE_SCHEME}/JSON", "JSON", FILE_TYPE_SCHEME),
    "xlsx": Term(f"{FILE_TYPE_SCHEME}/XLSX", "XLSX", FILE_TYPE_SCHEME),
    "zip": Term(f"{FILE_TYPE_SCHEME}/ZIP", "ZIP", FILE_TYPE_SCHEME),
}

# Descriptor ``frequency`` → (EU frequency code, label, ISO 8601 repeating duration for
# DCAT-US, where it has one).
FREQUENCIES = {
    "irregular": ("IRREG", "irregular", "irregular"),
    "continuous": ("CONT", "continuous", "R/PT1S"),
    "daily": ("DAILY", "daily", "R/P1D"),
    "weekly": ("WEEKLY", "weekly", "R/P1W"),
    "monthly": ("MONTHLY", "monthly", "R/P1M"),
    "quarterly": ("QUARTERLY", "quarterly", "R/P3M"),
    "semiannual": ("ANNUAL_2", "semiannual", "R/P6M"),
    "annual": ("ANNUAL", "annual", "R/P1Y"),
    "biennial": ("BIENNIAL", "biennial", "R/P2Y"),
    "never": ("NEVER", "never", None),
    "unknown": ("UNKNOWN", "unknown", None),
}

# ISO 639-1 code (descriptor ``language``, portal languages) → EU language code, label.
LANGUAGES = {
    "kk": ("KAZ", "Kazakh"),
    "ru": ("RUS", "Russian"),
    "en": ("ENG", "English"),
    "uz": ("UZB", "Uzbek"),
    "ky": ("KIR", "Kyrgyz"),
    "tg": ("TGK", "Tajik"),
    "tk": ("TUK", "Turkmen"),
    "de": ("DEU", "German"),
    "fr": ("FRA", "French"),
    "es": ("SPA", "Spanish"),
    "tr": ("TUR", "Turkish"),
    "zh": ("ZHO", "Chinese"),
}

# Descriptor ``topic`` → EU data theme.
THEMES = {
    "appeals": ("GOVE", "Government and public sector"),
    "receptions": ("GOVE", "Government and public sector"),
    "open-government": ("GOVE", "Government and public sector"),
    "budget": ("ECON", "Economy and finance"),
    "surveys": ("SOCI", "Population and society"),
}

PUBLISHER_TYPES = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-governmental organisation",
    "NonProfitOrganisation": "Non-profit organisation",
    "PrivateIndividual(s)": "Private individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}

LICENCE_TYPES = {
    "Attribution": "Attribution",
    "PublicDomain": "Public domain",
    "ShareAlike": "Share-alike",
    "NonCommercialUseOnly": "Non-commercial use only",
    "NoDerivativeWork": "No derivative work",
}


@dataclass(frozen=True)
class Licence:
    uri: str
    title: str
    types: tuple[str, ...]


# Licence names a Data Package uses (SPDX or Open Definition ids), lower-cased, with spaces
# and dashes removed so that "CC BY 4.0" and "CC-BY-4.0" are the same key.
KNOWN_LICENCES = {
    "ccby4.0": Licence(
        "https://creativecommons.org/licenses/by/4.0/",
        "Creative Commons Attribution 4.0",
        ("Attribution",),
    ),
    "ccbysa4.0": Licence(
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "Creative Commons Attribution-ShareAlike 4.0",
        ("Attribution", "ShareAlike"),
    ),
    "cc01.0": Licence(
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "Creative Commons Zero 1.0",
        ("PublicDomain",),
    ),
    "odcpddl1.0": Licence(
        "https://opendatacommons.org/licenses/pddl/1-0/",
        "Open Data Commons Public Domain Dedication and License 1.0",
        ("PublicDomain",),
    ),
    "odcby1.0": Licence(
        "https://opendatacommons.org/licenses/by/1-0/",
        "Open Data Commons Attribution License 1.0",
        ("Attribution",),
    ),
    "odbl1.0": Licence(
        "https://opendatacommons.org/licenses/odbl/1-0/",
        "Open Data Commons Open Database License 1.0",
        ("Attribution", "ShareAlike"),
    ),
    "oglcanada2.0": Licence(
        "https://open.canada.ca/en/open-government-licence-canada",
        "Open Government Licence – Canada 2.0",
        ("Attribution",),
    ),
    "ogluk3.0": Licence(
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "Open Government Licence v3.0",
        ("Attribution",),
    ),
}

# Open Definition's generic ids for licences without a public text.
GENERIC_LICENCE_TYPES = {
    "otherat": ("Attribution",),
    "otherpd": ("PublicDomain",),
    "othernc": ("NonCommercialUseOnly",),
}


def licence_key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch not in " -_")


def known_licence(name: str) -> Licence | None:
    return KNOWN_LICENCES.get(licence_key(name))


def licence_types(name: str) -> tuple[str, ...]:
    known = known_licence(name)
    if known:
        return known.types
    return GENERIC_LICENCE_TYPES.get(licence_key(name), ())


def file_type(format_: str) -> Term:
    return FILE_TYPES.get(format_, Term(f"{FILE_TYPE_SCHEME}/BIN", "Binary", FILE_TYPE_SCHEME))


def frequency(value: str) -> Term | None:
    entry = FREQUENCIES.get((value or "").lower())
    if entry is None:
        return None
    code, label, _iso = entry
    return Term(f"{FREQUENCY_SCHEME}/{code}", label, FREQUENCY_SCHEME)


def iso_frequency(value: str) -> str | None:
    entry = FREQUENCIES.get((value or "").lower())
    return entry[2] if entry else None


def language(code: str) -> Term | None:
    entry = LANGUAGES.get((code or "").lower().split("-")[0])
    if entry is None:
        return None
    eu_code, label = entry
    return Term(f"{LANGUAGE_SCHEME}/{eu_code}", label, LANGUAGE_SCHEME)


def theme(topic: str) -> Term | None:
    entry = THEMES.get(topic or "")
    if entry is None:
        return None
    code, label = entry
    return Term(f"{THEME_SCHEME}/{code}", label, THEME_SCHEME)


def country(code: str, name: str) -> Term | None:
    if not code:
        return None
    return Term(f"{COUNTRY_SCHEME}/{code.upper()}", name or code.upper(), COUNTRY_SCHEME)


def media_type_uri(media_type: str) -> str:
    return f"{IANA_MEDIA_TYPES}/{media_type}"
