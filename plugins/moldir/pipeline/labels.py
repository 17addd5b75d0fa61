"""Labels: the words of a dataset's data in the reader's language.

Field titles and descriptions, the labels of coded values (``personal-reception`` →
"Жеке қабылдау"), booleans (иә/жоқ, да/нет, yes/no), resource and view titles, in one
language, read from (first found wins):

1. the descriptor's ``i18n.<lang>.resources.<resource>.fields.<field>`` block:
   ``{"title", "description", "labels": {value: label}}`` — the convention
   (docs/editors.md, "The data: column titles, descriptions and value labels");
2. the field's own ``i18n.<lang>`` (``{"title", "description", "labels"}``; what
   ``moldir new`` writes for a header in another language);
3. the resource schema's ``i18n.<lang>.fields.<field>`` (a schema file that carries its
   translations with it);
4. the kind's schema (``plugins/moldir/schemas/<kind>.json``, its ``i18n`` block): the code
   lists shared by every dataset of the kind. A kind's title or description of a field is used
   only while the dataset's English text is the kind's, so a dataset that rewrote a
   description never shows a translation of another text;
5. English labels of values (``i18n.en`` of the above, or Table Schema v2 ``categories``),
   then the English text (marked as English) or the value itself.

The same block translates the licence titles, the publisher, the contact, the sources, the
keywords and the charts' units. Every function is pure: it reads the descriptor (a
``Dataset`` or a plain dict) and the kind schemas, never the data. Values are looked up by
their text (``str(value)``; booleans as ``"true"``/``"false"``; whole floats as integers).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from moldir.model.dataset import Field
from moldir.model.language import N_, SOURCE_LANG, Localized, catalogue_path, load_translations

SCHEMAS_DIR = Path(__file__).resolve().parents[1] / "schemas"

# Booleans in every language, through the gettext catalogues.
BOOLEAN_WORDS: dict[bool, str] = {True: N_("yes"), False: N_("no")}

# Table Schema's field types as readers say them (the field table of a dataset page).
TYPE_WORDS: dict[str, str] = {
    "string": N_("text"),
    "number": N_("number"),
    "integer": N_("whole number"),
    "boolean": N_("yes/no"),
    "date": N_("date"),
    "datetime": N_("date and time"),
    "time": N_("time"),
    "year": N_("year"),
    "yearmonth": N_("year and month"),
    "duration": N_("duration"),
    "geopoint": N_("geographic point"),
    "geojson": N_("GeoJSON"),
    "object": N_("object"),
    "array": N_("list"),
    "list": N_("list"),
    "any": N_("any"),
}


# --- reading the descriptor -------------------------------------------------------------


def descriptor_of(dataset: Any) -> dict[str, Any]:
    """The descriptor of a ``Dataset`` (or the dict itself)."""
    if isinstance(dataset, Mapping):
        return dict(dataset)
    descriptor = getattr(dataset, "descriptor", None)
    return descriptor if isinstance(descriptor, dict) else {}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _name(item: Any) -> str | None:
    """A resource, view or field given as its name or as an object with a ``name``."""
    if item is None or isinstance(item, str):
        return item
    name = getattr(item, "name", None)
    if name is None and isinstance(item, Mapping):
        name = item.get("name")
    return name if isinstance(name, str) else None


def resource_descriptor(descriptor: dict[str, Any], resource: str) -> dict[str, Any]:
    for item in descriptor.get("resources") or []:
        if isinstance(item, dict) and item.get("name") == resource:
            return item
    return {}


def field_descriptor(descriptor: dict[str, Any], resource: str, field: str) -> dict[str, Any]:
    schema = _dict(resource_descriptor(descriptor, resource).get("schema"))
    for item in schema.get("fields") or []:
        if isinstance(item, dict) and item.get("name") == field:
            return item
    return {}


@functools.cache
def _kind_schema(kind: str) -> dict[str, Any]:
    path = SCHEMAS_DIR / f"{kind}.json"
    if not kind.replace("-", "").isalnum() or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def kind_schema(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The schema of the dataset's kind (its shared labels), or {}."""
    kind = descriptor.get("kind")
    return _kind_schema(kind) if isinstance(kind, str) and kind else {}


def _kind_field(descriptor: dict[str, Any], field: str) -> dict[str, Any]:
    for item in kind_schema(descriptor).get("fields") or []:
        if isinstance(item, dict) and item.get("name") == field:
            return item
    return {}


def field_blocks(
    descriptor: dict[str, Any], resource: str, field: str, lang: str
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(translation block, field it translates) of a field in ``lang``, in the order they
    win; the field is the one whose English text the block translates."""
    own = field_descriptor(descriptor, resource, field)
    block = _dict(_dict(descriptor.get("i18n")).get(lang))
    block = _dict(_dict(_dict(block.get("resources")).get(resource)).get("fields"))
    yield _dict(block.get(field)), own
    yield _dict(_dict(own.get("i18n")).get(lang)), own
    schema = _dict(resource_descriptor(descriptor, resource).get("schema"))
    yield _dict(_dict(_dict(_dict(schema.get("i18n")).get(lang)).get("fields")).get(field)), own
    kind = kind_schema(descriptor)
    kind_block = _dict(_dict(_dict(kind.get("i18n")).get(lang)).get("fields")).get(field)
    yield _dict(kind_block), _kind_field(descriptor, field)


# --- field titles and descriptions ------------------------------------------------------


def _field_text(dataset: Any, resource: Any, field: Any, key: str, lang: str) -> Localized:
    descriptor = descriptor_of(dataset)
    resource_name, field_name = _name(resource) or "", _name(field) or ""
    own = field_descriptor(descriptor, resource_name, field_name)
    original = own.get(key) if isinstance(own.get(key), str) else ""
    if not original and key == "title":
        original = field_name
    if lang == SOURCE_LANG:
        return Localized(original, lang, False)
    for block, translated_field in field_blocks(descriptor, resource_name, field_name, lang):
        text = block.get(key)
        if not isinstance(text, str) or not text:
            continue
        if translated_field is not own and (translated_field.get(key) or "") != (
            own.get(key) or ""
        ):
            continue  # the kind's translation of a text this dataset does not use
        return Localized(text, lang, False)
    return Localized(original, SOURCE_LANG, bool(original))


def field_title(dataset: Any, resource: Any, field: Any, lang: str) -> Localized:
    """The title of a field (column) in ``lang``; the English title, else the field's
    name, when there is no translation (``.fallback`` then says so)."""
    return _field_text(dataset, resource, field, "title", lang)


def field_description(dataset: Any, resource: Any, field: Any, lang: str) -> Localized:
    """The description of a field in ``lang``, else the English one ("" when none)."""
    return _field_text(dataset, resource, field, "description", lang)


# --- values -----------------------------------------------------------------------------


def value_key(value: Any) -> str | None:
    """The text a value is labelled by: ``"true"``/``"false"`` for booleans, whole floats
    as integers (pandas reads an integer column with gaps as floats); None when missing."""
    if value is None:
        return None
    if type(value).__name__ in ("bool_", "bool"):
        return "true" if bool(value) else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else str(value)
    text = str(value)
    return None if text in ("<NA>", "NaT", "nan") else text


def _categories(field: dict[str, Any]) -> dict[str, str]:
    """English labels of Table Schema v2 ``categories`` ([{"value", "label"}])."""
    labels: dict[str, str] = {}
    for item in field.get("categories") or []:
        if isinstance(item, dict) and "value" in item and isinstance(item.get("label"), str):
            key = value_key(item["value"])
            if key is not None:
                labels[key] = item["label"]
    return labels


def value_labels(dataset: Any, resource: Any, field: Any, lang: str) -> dict[str, str]:
    """Every label of a field's values in ``lang`` (value text → label), merged from the
    descriptor, the field, its schema and the kind's shared list (the first wins)."""
    descriptor = descriptor_of(dataset)
    resource_name, field_name = _name(resource) or "", _name(field) or ""
    labels: dict[str, str] = {}
    blocks = list(field_blocks(descriptor, resource_name, field_name, lang))
    for block, _field in blocks:
        for key, label in _dict(block.get("labels")).items():
            if isinstance(label, str) and label:
                labels.setdefault(str(key), label)
    if lang == SOURCE_LANG:
        own = field_descriptor(descriptor, resource_name, field_name)
        for key, label in _categories(own).items():
            labels.setdefault(key, label)
    return labels


def is_boolean(dataset: Any, resource: Any, field: Any) -> bool:
    own = field_descriptor(descriptor_of(dataset), _name(resource) or "", _name(field) or "")
    return own.get("type") == "boolean"


def boolean_word(value: bool, lang: str) -> str:
    """yes/no in ``lang`` (the portal's catalogue)."""
    return _gettext(lang)(BOOLEAN_WORDS[bool(value)])


def value_label(dataset: Any, resource: Any, field: Any, value: Any, lang: str) -> Localized:
    """A value as the reader of ``lang`` reads it: its label in ``lang``; else its English
    label (marked English); booleans as yes/no; else the value itself, as text ("" when
    missing). The value itself is data, not a fallback (``.fallback`` is False)."""
    key = value_key(value)
    if key is None:
        return Localized("", lang, False)
    label = value_labels(dataset, resource, field, lang).get(key)
    if label:
        return Localized(label, lang, False)
    if key in ("true", "false") and (
        type(value).__name__ in ("bool_", "bool") or is_boolean(dataset, resource, field)
    ):
        return Localized(boolean_word(key == "true", lang), lang, False)
    if lang != SOURCE_LANG:
        english = value_labels(dataset, resource, field, SOURCE_LANG).get(key)
        if english:
            return Localized(english, SOURCE_LANG, True)
    return Localized(key, lang, False)


def has_labels(dataset: Any, resource: Any, field: Any) -> bool:
    """Whether the values of a field are shown as labels (a label list in any language,
    or a boolean)."""
    if is_boolean(dataset, resource, field):
        return True
    descriptor = descriptor_of(dataset)
    return any(
        value_labels(descriptor, resource, field, lang) for lang in label_languages(descriptor)
    )


def label_languages(descriptor: dict[str, Any]) -> list[str]:
    """Languages any translation of the descriptor (or of its kind) is given in."""
    langs = {SOURCE_LANG, *_dict(descriptor.get("i18n"))}
    langs.update(_dict(kind_schema(descriptor).get("i18n")))
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict):
            schema = _dict(resource.get("schema"))
            langs.update(_dict(schema.get("i18n")))
            for field in schema.get("fields") or []:
                if isinstance(field, dict):
                    langs.update(_dict(field.get("i18n")))
    return sorted(langs)


# --- dataset, resource and view texts ---------------------------------------------------


def _i18n(descriptor: dict[str, Any], lang: str) -> dict[str, Any]:
    return _dict(_dict(descriptor.get("i18n")).get(lang))


def _text(original: Any, translated: Any, lang: str) -> Localized:
    original = original if isinstance(original, str) else ""
    if lang == SOURCE_LANG:
        return Localized(original, lang, False)
    if isinstance(translated, str) and translated:
        return Localized(translated, lang, False)
    return Localized(original, SOURCE_LANG, bool(original))


def dataset_text(dataset: Any, key: str, lang: str) -> Localized:
    """``title`` or ``description`` of the dataset in ``lang``."""
    descriptor = descriptor_of(dataset)
    original = descriptor.get(key) or (getattr(dataset, "slug", "") if key == "title" else "")
    return _text(original, _i18n(descriptor, lang).get(key), lang)


def resource_text(dataset: Any, resource: Any, key: str, lang: str) -> Localized:
    """``title`` or ``description`` of a resource in ``lang``."""
    descriptor = descriptor_of(dataset)
    name = _name(resource) or ""
    original = resource_descriptor(descriptor, name).get(key) or (name if key == "title" else "")
    block = _dict(_dict(_i18n(descriptor, lang).get("resources")).get(name))
    return _text(original, block.get(key), lang)


def view_text(dataset: Any, view: Any, key: str, lang: str) -> Localized:
    """``title`` or ``description`` of a view (chart) in ``lang``."""
    descriptor = descriptor_of(dataset)
    name = _name(view) or ""
    views = [v for v in descriptor.get("views") or [] if isinstance(v, dict)]
    found = next((v for v in views if v.get("name") == name), {})
    original = found.get(key) or (name if key == "title" else "")
    block = _dict(_dict(_i18n(descriptor, lang).get("views")).get(name))
    return _text(original, block.get(key), lang)


def licence_title(dataset: Any, licence: Mapping[str, Any], lang: str) -> Localized:
    """A licence's title in ``lang`` (``i18n.<lang>.licenses.<name>.title``), else its
    English title, else its name."""
    descriptor = descriptor_of(dataset)
    name = licence.get("name") if isinstance(licence.get("name"), str) else ""
    original = licence.get("title") or name
    block = _dict(_dict(_i18n(descriptor, lang).get("licenses")).get(name))
    return _text(original, block.get("title"), lang)


def publisher_name(dataset: Any, lang: str) -> Localized:
    """The publisher's name in ``lang`` (``i18n.<lang>.publisher.name``)."""
    descriptor = descriptor_of(dataset)
    publisher = getattr(dataset, "publisher", None)
    if publisher is None:
        publisher = descriptor.get("publisher")
        publisher = {"name": publisher} if isinstance(publisher, str) else _dict(publisher)
    translated = _dict(_i18n(descriptor, lang).get("publisher")).get("name")
    return _text(publisher.get("name") or "", translated, lang)


def contact_name(dataset: Any, lang: str) -> Localized:
    """The name of the dataset's contact point in ``lang`` (``i18n.<lang>.contactPoint``)."""
    descriptor = descriptor_of(dataset)
    original = _dict(descriptor.get("contactPoint")).get("name") or ""
    translated = _dict(_i18n(descriptor, lang).get("contactPoint")).get("name")
    return _text(original, translated, lang)


def source_title(dataset: Any, index: int, lang: str) -> Localized:
    """The title of the dataset's ``index``-th source in ``lang`` (``i18n.<lang>.sources``,
    a list in the same order)."""
    descriptor = descriptor_of(dataset)
    sources = [s for s in descriptor.get("sources") or [] if isinstance(s, dict)]
    original = sources[index].get("title", "") if index < len(sources) else ""
    translated = _i18n(descriptor, lang).get("sources")
    item = translated[index] if isinstance(translated, list) and index < len(translated) else {}
    return _text(original, _dict(item).get("title"), lang)


def keywords(dataset: Any, lang: str) -> list[str]:
    """The keywords in ``lang`` (``i18n.<lang>.keywords``), else the English ones."""
    descriptor = descriptor_of(dataset)
    translated = _i18n(descriptor, lang).get("keywords")
    if lang != SOURCE_LANG and isinstance(translated, list) and translated:
        return [str(word) for word in translated]
    return [str(word) for word in descriptor.get("keywords") or []]


def type_word(type_: str, lang: str) -> str:
    """A Table Schema type as readers say it ("whole number", "бүтін сан")."""
    return _gettext(lang)(TYPE_WORDS[type_]) if type_ in TYPE_WORDS else type_


# --- gettext --------------------------------------------------------------------------


def _gettext(lang: str):
    path = catalogue_path(lang)
    return _translations(lang, path.stat().st_mtime_ns if path.is_file() else 0).gettext


@functools.lru_cache(maxsize=16)
def _translations(lang: str, mtime_ns: int):
    # Booleans and types are looked up per cell: one catalogue per language and version of
    # its file (``moldir serve`` picks up an edited catalogue).
    return load_translations(lang)


# --- fields for a page ------------------------------------------------------------------


def localized_fields(dataset: Any, resource: Any, lang: str) -> list[Any]:
    """The resource's ``Field``s with their title and description in ``lang`` and, in
    ``labels``, the label of each value (booleans included) for the cell filter."""
    fields = getattr(resource, "fields", None)
    if fields is None:
        raise TypeError("localized_fields needs a Resource (with fields)")
    result = []
    for field in fields:
        labels = dict(value_labels(dataset, resource, field, lang))
        if lang != SOURCE_LANG:
            for key, label in value_labels(dataset, resource, field, SOURCE_LANG).items():
                labels.setdefault(key, label)
        if field.type == "boolean":
            labels.setdefault("true", boolean_word(True, lang))
            labels.setdefault("false", boolean_word(False, lang))
        result.append(
            replace(
                field,
                title=str(field_title(dataset, resource, field, lang)),
                description=str(field_description(dataset, resource, field, lang)),
                labels=labels,
            )
        )
    return result


# --- what is still in English -----------------------------------------------------------


def untranslated(
    dataset: Any, lang: str, values: Mapping[tuple[str, str], Iterable[Any]] | None = None
) -> list[str]:
    """Where a text of the dataset has no translation in ``lang``: its title, description,
    resource, view and field texts, and each coded value (``enum``, values labelled in
    another language and, from ``values`` — (resource, field) → the data's values — every
    value of a field that has labels) without a label."""
    if lang == SOURCE_LANG:
        return []
    descriptor = descriptor_of(dataset)
    missing: list[str] = []
    for key in ("title", "description"):
        if descriptor.get(key) and dataset_text(descriptor, key, lang).fallback:
            missing.append(key)
    for index, licence in enumerate(descriptor.get("licenses") or []):
        translated = (
            isinstance(licence, dict)
            and licence.get("title")
            and licence_title(descriptor, licence, lang)
        )
        if translated and translated.fallback:
            missing.append(f"licenses.{licence.get('name') or index}.title")
    for index, source in enumerate(descriptor.get("sources") or []):
        if isinstance(source, dict) and source_title(descriptor, index, lang).fallback:
            missing.append(f"sources[{index}].title")
    if publisher_name(descriptor, lang).fallback:
        missing.append("publisher.name")
    if contact_name(descriptor, lang).fallback:
        missing.append("contactPoint.name")
    if descriptor.get("keywords") and not isinstance(_i18n(descriptor, lang).get("keywords"), list):
        missing.append("keywords")
    for view in descriptor.get("views") or []:
        name = _name(view)
        for key in ("title", "description"):
            if name and view.get(key) and view_text(descriptor, name, key, lang).fallback:
                missing.append(f"views.{name}.{key}")
        # The unit a chart names its values by ("617 280 citizens"; docs/charts.md).
        units = _dict(view.get("spec")).get("units") if isinstance(view, dict) else None
        translated = _dict(_dict(_i18n(descriptor, lang).get("views")).get(name)).get("units")
        if name and isinstance(units, str) and units.strip() and not translated:
            missing.append(f"views.{name}.units")
    for resource in descriptor.get("resources") or []:
        name = _name(resource)
        if not name:
            continue
        for key in ("title", "description"):
            if resource.get(key) and resource_text(descriptor, name, key, lang).fallback:
                missing.append(f"resources.{name}.{key}")
        for field in _dict(resource.get("schema")).get("fields") or []:
            field_name = _name(field)
            if not field_name:
                continue
            where = f"resources.{name}.fields.{field_name}"
            if field.get("title") and field_title(descriptor, name, field_name, lang).fallback:
                missing.append(f"{where}.title")
            if (
                field.get("description")
                and field_description(descriptor, name, field_name, lang).fallback
            ):
                missing.append(f"{where}.description")
            labels = value_labels(descriptor, name, field_name, lang)
            coded = [value_key(v) for v in _dict(field.get("constraints")).get("enum") or []]
            if field.get("type") != "boolean":
                # Values labelled in another language are coded too (body names).
                for other in label_languages(descriptor):
                    if other != lang:
                        coded.extend(value_labels(descriptor, name, field_name, other))
                if (coded or labels) and values is not None:
                    coded.extend(value_key(v) for v in values.get((name, field_name), ()))
            for key in dict.fromkeys(coded):
                if key and key not in labels:
                    missing.append(f"{where}.labels.{key}")
    return missing


# --- checking the convention ------------------------------------------------------------

LANGUAGE_KEYS = (
    "title",
    "description",
    "resources",
    "views",
    "licenses",
    "publisher",
    "sources",
    "keywords",
    "contactPoint",
)
RESOURCE_KEYS = ("title", "description", "fields")
VIEW_KEYS = ("title", "description", "units")
FIELD_KEYS = ("title", "description", "labels")


def i18n_problems(descriptor: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, message) for every part of the ``i18n`` block that translates nothing: an
    unknown property, a resource, view, field or licence the descriptor does not have, a
    label of a value outside the field's ``enum``, a label that is not a text. Such a
    translation would silently never be shown."""
    resources = {r.get("name"): r for r in descriptor.get("resources") or [] if isinstance(r, dict)}
    views = {v.get("name") for v in descriptor.get("views") or [] if isinstance(v, dict)}
    licences = {
        item.get("name") for item in descriptor.get("licenses") or [] if isinstance(item, dict)
    }
    for lang, block in _dict(descriptor.get("i18n")).items():
        if not isinstance(block, dict):
            continue  # metadata_type_problems reports it
        where = f"i18n.{lang}"
        for key in block:
            if key not in LANGUAGE_KEYS:
                yield (
                    f"{where}.{key}",
                    (f'"{where}.{key}": unknown property; translate {", ".join(LANGUAGE_KEYS)}'),
                )
        for name, item in _dict(block.get("resources")).items():
            here = f"{where}.resources.{name}"
            if name not in resources:
                yield here, f'"{here}": the dataset has no resource "{name}"'
                continue
            yield from _unknown_keys(here, item, RESOURCE_KEYS)
            yield from _field_problems(here, resources[name], _dict(item).get("fields"))
        for name, item in _dict(block.get("views")).items():
            here = f"{where}.views.{name}"
            if name not in views:
                yield here, f'"{here}": the dataset has no view "{name}"'
                continue
            yield from _unknown_keys(here, item, VIEW_KEYS)
        for name in _dict(block.get("licenses")):
            if name not in licences:
                yield (
                    f"{where}.licenses.{name}",
                    (f'"{where}.licenses.{name}": the dataset has no licence named "{name}"'),
                )
    for name, resource in resources.items():
        for field in _dict(resource.get("schema")).get("fields") or []:
            if isinstance(field, dict) and isinstance(field.get("i18n"), dict):
                for lang, item in field["i18n"].items():
                    here = f"resources.{name}.fields.{field.get('name')}.i18n.{lang}"
                    yield from _unknown_keys(here, item, FIELD_KEYS)
                    yield from _label_problems(here, field, _dict(item).get("labels"))


def _unknown_keys(where: str, item: Any, allowed: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if not isinstance(item, dict):
        yield where, f'"{where}" must be an object ({", ".join(allowed)})'
        return
    for key in item:
        if key not in allowed:
            yield (
                f"{where}.{key}",
                (f'"{where}.{key}": unknown property; translate {", ".join(allowed)}'),
            )


def _field_problems(where: str, resource: dict[str, Any], fields: Any) -> Iterator[tuple[str, str]]:
    schema = resource.get("schema")
    if not isinstance(schema, dict):
        return  # a schema file: its fields are checked once it is read
    known = {f.get("name"): f for f in schema.get("fields") or [] if isinstance(f, dict)}
    for name, item in _dict(fields).items():
        here = f"{where}.fields.{name}"
        if name not in known:
            yield here, f'"{here}": the resource has no field "{name}"'
            continue
        yield from _unknown_keys(here, item, FIELD_KEYS)
        yield from _label_problems(here, known[name], _dict(item).get("labels"))


def _label_problems(where: str, field: dict[str, Any], labels: Any) -> Iterator[tuple[str, str]]:
    if labels is None:
        return
    if not isinstance(labels, dict):
        yield f"{where}.labels", f'"{where}.labels" must be an object of value → label'
        return
    enum = _dict(field.get("constraints")).get("enum")
    allowed = {value_key(v) for v in enum} if isinstance(enum, list) else None
    if field.get("type") == "boolean":
        allowed = {"true", "false"}
    for value, label in labels.items():
        if not isinstance(label, str):
            yield f"{where}.labels.{value}", f'"{where}.labels.{value}" must be a text'
        elif allowed is not None and value not in allowed:
            yield (
                f"{where}.labels.{value}",
                (f'"{where}.labels.{value}": "{value}" is not one of the field\'s values'),
            )


# --- free text in one language ---------------------------------------------------------

# The script each portal language is written in: a text in another script (an editor's
# note, a commit message) is not in the reader's language, whatever its exact language.
LANGUAGE_SCRIPTS: dict[str, str] = {"kk": "cyrillic", "ru": "cyrillic", "en": "latin"}


def text_script(text: str) -> str | None:
    """ "latin" or "cyrillic", whichever most letters of ``text`` are written in; None for
    a text without letters of either."""
    latin = sum(1 for c in text if c.isalpha() and ("a" <= c.lower() <= "z" or "À" <= c <= "ɏ"))
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    if not latin and not cyrillic:
        return None
    return "latin" if latin > cyrillic else "cyrillic"


def readable_in(text: str, lang: str) -> bool:
    """Whether a free text (not translatable: an editor's note) is in the script of
    ``lang``; True when either is unknown."""
    script = text_script(text)
    wanted = LANGUAGE_SCRIPTS.get(lang.split("-")[0])
    return script is None or wanted is None or script == wanted


def language_name_in(code: str, lang: str) -> str:
    """A language named in ``lang`` ("en" → "ағылшын" on a Kazakh page), for the language
    of a dataset's data; the code itself when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(lang.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


def kind_descriptor(kind: str) -> dict[str, Any]:
    """A kind's schema as a one-resource descriptor named after the kind, so that the
    functions above give its field texts and value labels (the /schemas/ page)."""
    schema = _kind_schema(kind)
    return {"kind": kind, "resources": [{"name": kind, "schema": schema}]} if schema else {}


def kind_text(kind: str, key: str, lang: str) -> Localized:
    """A kind schema's own ``title`` or ``description`` in ``lang`` (its ``i18n``)."""
    schema = _kind_schema(kind)
    return _text(schema.get(key) or "", _i18n(schema, lang).get(key), lang)


def session_label(published: Iterable[Any], row: Any, field: str, lang: str) -> str:
    """The value of ``field`` of a row object (``.dataset`` slug, ``.resource``, one
    attribute per field) as the reader of ``lang`` reads it, from the published dataset of
    that slug; the value itself when the dataset is not among ``published``."""
    value = getattr(row, field, "")
    slug = getattr(row, "dataset", None)
    for item in published:
        if getattr(item, "slug", None) == slug:
            dataset = getattr(item, "dataset", item)
            return str(value_label(dataset, getattr(row, "resource", ""), field, value, lang))
    return "" if value is None else str(value)


def _portal_datasets(context: Any) -> list[Any]:
    portal = context.get("portal")
    return [p.dataset for p in getattr(portal, "datasets", ())]


def publisher_label(datasets: Iterable[Any], name: str, lang: str) -> str:
    """A publisher's name in ``lang``, from the first dataset that translates it."""
    for dataset in datasets:
        publisher = getattr(dataset, "publisher", None)
        if publisher is None:
            publisher = _dict(descriptor_of(dataset).get("publisher"))
        found = publisher_name(dataset, lang)
        if publisher.get("name") == name and not found.fallback:
            return str(found)
    return name


def licence_label(datasets: Iterable[Any], key: str, label: str, lang: str) -> str:
    """A licence's title in ``lang``, from the first dataset that translates it."""
    for dataset in datasets:
        for licence in descriptor_of(dataset).get("licenses") or []:
            if isinstance(licence, dict) and key in (licence.get("name"), licence.get("path")):
                found = licence_title(dataset, licence, lang)
                if not found.fallback:
                    return str(found)
    return label


# --- templates --------------------------------------------------------------------------


def install(env: Any) -> None:
    """Template helpers reading the page's language (``DEFAULT_LANG`` of the run):
    ``localized_fields(dataset, resource)``, ``field_title(dataset, resource, field)``,
    ``value_label(dataset, resource, field, value)``, ``publisher_name(dataset)``,
    ``licence_title(dataset, licence)``, ``source_title(dataset, index)``,
    ``localized_keywords(dataset)``, ``type_word(type)`` and ``constraints_text(field)``."""
    from jinja2 import pass_context

    def lang_of(context: Any) -> str:
        # A macro imported without context sees only the globals: MOLDIR_LOCALE is the
        # language of the run (templating.install) there.
        return str(context.get("DEFAULT_LANG") or context.get("MOLDIR_LOCALE") or SOURCE_LANG)

    def constraints(lang: str, field: Any) -> list[Any]:
        return field_constraints(field, _gettext(lang))

    helpers = {
        "localized_fields": lambda lang, dataset, resource: localized_fields(
            dataset, resource, lang
        ),
        "field_title": lambda lang, dataset, resource, field: field_title(
            dataset, resource, field, lang
        ),
        "value_label": lambda lang, dataset, resource, field, value: value_label(
            dataset, resource, field, value, lang
        ),
        "publisher_name": lambda lang, dataset: publisher_name(dataset, lang),
        "licence_title": lambda lang, dataset, licence: licence_title(dataset, licence, lang),
        "source_title": lambda lang, dataset, index: source_title(dataset, index, lang),
        "localized_keywords": lambda lang, dataset: keywords(dataset, lang),
        "type_word": lambda lang, type_: type_word(type_, lang),
        "constraints_text": constraints,
        "readable_in_page_language": lambda lang, text: readable_in(str(text or ""), lang),
        "contact_name": lambda lang, dataset: contact_name(dataset, lang),
        "language_name_in": lambda lang, code: language_name_in(str(code or ""), lang),
        "field_description": lambda lang, dataset, resource, field: field_description(
            dataset, resource, field, lang
        ),
    }
    # Reception pages: a session (a row) or a body names its dataset by slug; its words come
    # from that dataset among the page's ``datasets`` (moldir.features.kinds.pages).
    env.globals["session_label"] = pass_context(
        lambda context, session, field: session_label(
            context.get("datasets") or (), session, str(field), lang_of(context)
        )
    )
    env.globals["body_label"] = pass_context(
        lambda context, body: (
            session_label(context.get("datasets") or (), body.sessions[0], "body", lang_of(context))
            if getattr(body, "sessions", None)
            else getattr(body, "name", "")
        )
    )
    env.globals["kind_descriptor"] = kind_descriptor
    env.globals["kind_text"] = pass_context(
        lambda context, kind, key: kind_text(str(kind), str(key), lang_of(context))
    )
    # Catalogue facets name a publisher or a licence by its English text (the key shared
    # by every dataset): its translation comes from a dataset that has it.
    env.globals["publisher_label"] = pass_context(
        lambda context, name: publisher_label(
            _portal_datasets(context), str(name or ""), lang_of(context)
        )
    )
    env.globals["licence_label"] = pass_context(
        lambda context, key, label="": licence_label(
            _portal_datasets(context), str(key or ""), str(label or key or ""), lang_of(context)
        )
    )
    for name, helper in helpers.items():
        env.globals[name] = pass_context(
            lambda context, *args, _helper=helper: _helper(lang_of(context), *args)
        )


def untranslated_summary(slug: str, lang: str, missing: list[str]) -> str:
    """One line for the build's log: the dataset, the language, every text key still in
    English and, per field, the values without a label (the first few named)."""
    texts = [key for key in missing if ".labels." not in key]
    by_field: dict[str, list[str]] = {}
    for key in missing:
        if ".labels." in key:
            where, value = key.split(".labels.", 1)
            by_field.setdefault(where.rsplit(".", 1)[-1], []).append(value)
    parts = []
    if texts:
        parts.append("texts: " + ", ".join(texts))
    for field, values in by_field.items():
        shown = ", ".join(f'"{v}"' for v in values[:3]) + (", …" if len(values) > 3 else "")
        parts.append(f"labels of {field}: {len(values)} ({shown})")
    return f"{slug}: {len(missing)} not translated into {lang}: " + "; ".join(parts)


def field_constraints(field_: Field, gettext: Callable[[str], str] | None = None) -> list[Any]:
    """Constraints of a field in words, for the field table of a dataset page.

    Every word is a message of the catalogue (locale/*/messages.po). With ``gettext`` (the
    page's language) the words are translated and an ``enum`` lists each value's label
    (``field.labels``, labels.localized_fields) with its code as ``<code>`` markup; without
    it, the messages as written (English) in plain text (the API's ``constraints_text``)."""
    _ = gettext or str
    words: list[Any] = []
    constraints = field_.constraints
    if constraints.get("required"):
        words.append(_("required"))
    if constraints.get("unique"):
        words.append(_("unique"))
    if "minimum" in constraints:
        words.append(f"≥ {constraints['minimum']}")
    if "maximum" in constraints:
        words.append(f"≤ {constraints['maximum']}")
    if "minLength" in constraints:
        words.append(_("length ≥ %(n)s") % {"n": constraints["minLength"]})
    if "maxLength" in constraints:
        words.append(_("length ≤ %(n)s") % {"n": constraints["maxLength"]})
    if "pattern" in constraints:
        if gettext is None:
            words.append(f"{_('pattern')} {constraints['pattern']}")
        else:
            words.append(Markup("{} <code>{}</code>").format(_("pattern"), constraints["pattern"]))
    if "enum" in constraints:
        values = constraints["enum"]
        if gettext is None:
            words.append(f"{_('one of:')} " + ", ".join(str(v) for v in values))
        else:
            labels = getattr(field_, "labels", None) or {}
            items = [
                Markup("{} (<code>{}</code>)").format(labels[str(v)], v)
                if str(v) in labels
                else Markup("<code>{}</code>").format(v)
                for v in values
                if str(v) != ""
            ]
            words.append(Markup("{} {}").format(_("one of:"), Markup(", ").join(items)))
    return words
