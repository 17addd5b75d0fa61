"""labels.py: field titles, descriptions and value labels in the reader's language, from
inline descriptors (no build)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moldir.pipeline import labels
from moldir.pipeline.discover import descriptor_warnings, metadata_texts

ROOT = Path(__file__).resolve().parents[1]


def descriptor(**extra) -> dict:
    base = {
        "name": "x",
        "title": "Calls",
        "kind": "appeal-statistics",
        "resources": [
            {
                "name": "calls",
                "title": "Calls by body",
                "schema": {
                    "fields": [
                        {"name": "body", "title": "Government body", "type": "string"},
                        {
                            "name": "channel",
                            "title": "Channel",
                            "type": "string",
                            "constraints": {"enum": ["blog", "call-centre", "other"]},
                        },
                        {"name": "partial", "title": "Partial period", "type": "boolean"},
                        {
                            "name": "level",
                            "title": "Level",
                            "type": "integer",
                            "categories": [{"value": 1, "label": "National"}],
                        },
                    ]
                },
            }
        ],
        "views": [{"name": "by-body", "title": "Calls by body"}],
        "i18n": {
            "kk": {
                "resources": {
                    "calls": {
                        "fields": {
                            "channel": {"labels": {"other": "Басқа арна"}},
                            "body": {
                                "title": "Орган",
                                "labels": {"Akimat of Astana": "Астана қаласының әкімдігі"},
                            },
                        }
                    }
                }
            },
            "ru": {"resources": {"calls": {"fields": {"body": {"title": "Госорган"}}}}},
        },
    }
    base.update(extra)
    return base


def test_field_titles_from_the_descriptor_then_the_kind_then_english():
    d = descriptor()
    assert labels.field_title(d, "calls", "body", "kk") == "Орган"
    assert labels.field_title(d, "calls", "body", "ru") == "Госорган"
    # The kind's shared list translates "Channel": the dataset's text is the kind's.
    assert labels.field_title(d, "calls", "channel", "kk") == "Арна"
    assert labels.field_title(d, "calls", "channel", "ru") == "Канал"
    title = labels.field_title(d, "calls", "level", "kk")
    assert (title, title.lang, title.fallback) == ("Level", "en", True)
    assert labels.field_title(d, "calls", "body", "en") == "Government body"


def test_a_kind_translation_of_another_text_is_not_used():
    d = descriptor()
    d["resources"][0]["schema"]["fields"][1]["title"] = "Way of contact"
    title = labels.field_title(d, "calls", "channel", "ru")
    assert (str(title), title.fallback) == ("Way of contact", True)
    # The codes are the kind's: their labels still apply.
    assert labels.value_label(d, "calls", "channel", "blog", "ru") == "Блог"


def test_value_labels_descriptor_first_then_the_kind_then_english():
    d = descriptor()
    assert labels.value_label(d, "calls", "channel", "other", "kk") == "Басқа арна"
    assert labels.value_label(d, "calls", "channel", "call-centre", "kk") == "Қоңырау орталығы"
    assert labels.value_label(d, "calls", "channel", "call-centre", "en") == "Call centre"
    assert labels.value_label(d, "calls", "body", "Akimat of Astana", "kk") == (
        "Астана қаласының әкімдігі"
    )
    # No Russian label: the value itself, which is data (not marked as a fallback).
    raw = labels.value_label(d, "calls", "body", "Akimat of Astana", "ru")
    assert (str(raw), raw.fallback) == ("Akimat of Astana", False)
    # Table Schema v2 categories give the English label; whole floats read as integers.
    english = labels.value_label(d, "calls", "level", 1.0, "kk")
    assert (str(english), english.lang, english.fallback) == ("National", "en", True)
    assert labels.value_label(d, "calls", "level", None, "kk") == ""


@pytest.mark.parametrize(
    ("lang", "yes", "no"), [("kk", "иә", "жоқ"), ("ru", "да", "нет"), ("en", "yes", "no")]
)
def test_booleans_are_words_of_the_language(lang, yes, no):
    d = descriptor()
    assert labels.value_label(d, "calls", "partial", True, lang) == yes
    assert labels.value_label(d, "calls", "partial", False, lang) == no


def test_a_descriptor_may_name_its_booleans():
    d = descriptor()
    d["i18n"]["ru"]["resources"]["calls"]["fields"]["partial"] = {
        "labels": {"true": "неполный", "false": "полный"}
    }
    assert labels.value_label(d, "calls", "partial", True, "ru") == "неполный"
    assert labels.value_label(d, "calls", "partial", True, "kk") == "иә"


def test_field_level_i18n_as_moldir_new_writes_it():
    d = descriptor()
    d["resources"][0]["schema"]["fields"][3]["i18n"] = {"ru": {"title": "Уровень"}}
    assert labels.field_title(d, "calls", "level", "ru") == "Уровень"


def test_localized_fields_carry_titles_and_labels():
    from moldir.model.dataset import Resource

    d = descriptor()
    resource = Resource("calls", None, None, d["resources"][0])
    fields = {f.name: f for f in labels.localized_fields(d, resource, "kk")}
    assert fields["body"].title == "Орган"
    assert fields["partial"].labels == {"true": "иә", "false": "жоқ"}
    assert fields["channel"].labels["blog"] == "Блог"
    assert fields["level"].labels == {"1": "National"}
    from moldir.site.templating import format_cell

    assert format_cell(True, fields["partial"], "kk") == "иә"
    assert format_cell("blog", fields["channel"], "kk") == "Блог"
    assert format_cell("other value", fields["body"], "kk") == "other value"


def test_dataset_texts_licences_and_types():
    d = descriptor(
        licenses=[{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        publisher={"name": "Astana Civil Service Hub"},
        keywords=["calls"],
    )
    d["i18n"]["ru"].update(
        {
            "licenses": {"CC-BY-4.0": {"title": "Creative Commons «С указанием авторства» 4.0"}},
            "publisher": {"name": "Астанинский хаб государственной службы"},
            "keywords": ["звонки"],
        }
    )
    licence = d["licenses"][0]
    assert labels.licence_title(d, licence, "ru").startswith("Creative Commons «С")
    assert labels.licence_title(d, licence, "kk").fallback
    assert labels.publisher_name(d, "ru") == "Астанинский хаб государственной службы"
    assert labels.keywords(d, "ru") == ["звонки"]
    assert labels.keywords(d, "kk") == ["calls"]
    assert labels.view_text(d, "by-body", "title", "kk").fallback
    assert labels.type_word("integer", "ru") == "целое число"
    assert labels.type_word("integer", "kk") == "бүтін сан"


def test_untranslated_lists_every_text_and_code_left_in_english():
    d = descriptor()
    missing = labels.untranslated(d, "ru")
    assert "title" in missing
    assert "views.by-body.title" in missing
    assert "resources.calls.fields.body.title" not in missing
    # The body labelled in Kazakh but not in Russian; the kind's codes are labelled.
    assert "resources.calls.fields.body.labels.Akimat of Astana" in missing
    assert not [key for key in missing if ".channel.labels." in key]
    assert labels.untranslated(d, "en") == []


def test_i18n_that_translates_nothing_is_named():
    d = descriptor()
    d["i18n"]["kk"]["resources"]["call"] = {"title": "Қоңыраулар"}
    d["i18n"]["kk"]["resources"]["calls"]["fields"]["chanel"] = {"title": "Арна"}
    d["i18n"]["kk"]["resources"]["calls"]["fields"]["channel"]["labels"]["blgo"] = "Блог"
    d["i18n"]["kk"]["views"] = {"by-bdy": {"title": "x"}}
    d["i18n"]["kk"]["titel"] = "x"
    keys = dict(labels.i18n_problems(d))
    assert set(keys) == {
        "i18n.kk.resources.call",
        "i18n.kk.resources.calls.fields.chanel",
        "i18n.kk.resources.calls.fields.channel.labels.blgo",
        "i18n.kk.views.by-bdy",
        "i18n.kk.titel",
    }
    assert 'no resource "call"' in keys["i18n.kk.resources.call"]
    text = json.dumps(d, indent=2, ensure_ascii=False)
    warnings = descriptor_warnings("x", d, d, text, "datasets/x/datapackage.json")
    located = [w for w in warnings if "chanel" in w]
    line = text.splitlines().index(next(x for x in text.splitlines() if '"chanel"' in x)) + 1
    assert located == [
        f'datasets/x/datapackage.json:{line}: "i18n.kk.resources.calls.fields.chanel": the '
        'resource has no field "chanel"; this translation is not shown'
    ]


def test_labels_are_metadata_checked_for_markup():
    d = descriptor()
    d["i18n"]["kk"]["resources"]["calls"]["fields"]["channel"]["labels"]["blog"] = "<b>Блог</b>"
    texts = dict(metadata_texts(d))
    assert texts["i18n.kk.resources.calls.fields.channel.labels.blog"] == "<b>Блог</b>"


def test_the_kind_schemas_label_every_code_in_kk_ru_and_en():
    for path in sorted((ROOT / "plugins" / "moldir" / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for field in schema["fields"]:
            for lang in ("kk", "ru"):
                block = schema.get("i18n", {}).get(lang, {}).get("fields", {}).get(field["name"])
                assert block and block.get("title"), f"{path.name}: {lang} title of {field['name']}"
            enum = field.get("constraints", {}).get("enum") or []
            for lang in ("kk", "ru", "en"):
                given = schema["i18n"][lang]["fields"].get(field["name"], {}).get("labels", {})
                missing = [v for v in enum if v != "" and str(v) not in given]
                assert not missing, f"{path.name}: {lang} labels of {field['name']}: {missing}"


def test_validate_warns_of_a_misspelt_translation_with_file_and_line(tmp_path):
    import shutil

    from moldir.pipeline.validate import ValidationOptions, validate_dataset

    folder = tmp_path / "datasets" / "front-office-visits"
    shutil.copytree(ROOT / "datasets" / "front-office-visits", folder)
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    fields = descriptor["i18n"]["kk"]["resources"]["visits"]["fields"]
    fields["visitor"] = fields.pop("visitors")
    text = json.dumps(descriptor, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    report, dataset = validate_dataset(folder, ValidationOptions(display_root=tmp_path))
    assert dataset is not None and report.valid  # a warning, never a reason not to publish
    line = next(n for n, x in enumerate(text.splitlines(), start=1) if '"visitor"' in x)
    assert [w for w in report.warnings if "visitor" in w] == [
        f'datasets/front-office-visits/datapackage.json:{line}: "i18n.kk.resources.visits.'
        'fields.visitor": the resource has no field "visitor"; this translation is not shown'
    ]
    # The untranslated column is what the build's warning lists.
    missing = labels.untranslated(dataset, "kk")
    assert missing == [
        "resources.visits.fields.visitors.title",
        "resources.visits.fields.visitors.description",
    ]
    assert labels.untranslated_summary("front-office-visits", "kk", missing) == (
        "front-office-visits: 2 not translated into kk: texts: "
        "resources.visits.fields.visitors.title, resources.visits.fields.visitors.description"
    )


def test_build_warning_counts_data_values_without_a_label():
    d = descriptor()
    values = {("calls", "body"): ["Akimat of Astana", "Akimat of Shymkent"]}
    missing = labels.untranslated(d, "kk", values)
    assert "resources.calls.fields.body.labels.Akimat of Shymkent" in missing
    line = labels.untranslated_summary("x", "kk", missing)
    assert 'labels of body: 1 ("Akimat of Shymkent")' in line
    assert line.count("\n") == 0


def test_free_text_is_readable_in_the_language_of_its_script():
    assert labels.readable_in("Деректер жаңартылды", "kk")
    assert labels.readable_in("Данные обновлены", "ru")
    assert not labels.readable_in("charts: data-hub views drawn", "ru")
    assert labels.readable_in("charts: data-hub views drawn", "en")
    assert labels.readable_in("2020–2022", "kk")  # no letters: nothing to hide


def test_contact_name():
    d = descriptor(contactPoint={"name": "Astana Civil Service Hub"})
    d["i18n"]["ru"]["contactPoint"] = {"name": "Астанинский хаб государственной службы"}
    assert labels.contact_name(d, "ru") == "Астанинский хаб государственной службы"
    assert labels.contact_name(d, "kk").fallback
    assert "contactPoint.name" in labels.untranslated(d, "kk")


def test_facet_labels_come_from_a_dataset_that_translates_them():
    d = descriptor(
        publisher={"name": "Astana Civil Service Hub"},
        licenses=[{"name": "other-at", "title": "Reproduction of excerpts permitted"}],
    )
    d["i18n"]["ru"]["publisher"] = {"name": "Астанинский хаб государственной службы"}
    d["i18n"]["ru"]["licenses"] = {"other-at": {"title": "Воспроизведение разрешено"}}
    other = descriptor(publisher={"name": "Astana Civil Service Hub"})
    datasets = [other, d]
    assert labels.publisher_label(datasets, "Astana Civil Service Hub", "ru") == (
        "Астанинский хаб государственной службы"
    )
    assert labels.publisher_label(datasets, "Astana Civil Service Hub", "kk") == (
        "Astana Civil Service Hub"
    )
    assert labels.licence_label(datasets, "other-at", "Reproduction", "ru") == (
        "Воспроизведение разрешено"
    )
    assert labels.language_name_in("en", "ru") == "Английский"
    assert labels.language_name_in("en", "kk") == "Ағылшын тілі"


def test_session_label_reads_the_row_from_its_dataset():
    from types import SimpleNamespace

    d = descriptor()
    published = [SimpleNamespace(slug="x", dataset=d)]
    row = SimpleNamespace(dataset="x", resource="calls", body="Akimat of Astana", channel="blog")
    assert labels.session_label(published, row, "body", "kk") == "Астана қаласының әкімдігі"
    assert labels.session_label(published, row, "channel", "ru") == "Блог"
    assert labels.session_label([], row, "body", "kk") == "Akimat of Astana"


def test_the_build_logs_one_line_per_dataset_and_language(tmp_path, caplog):
    import logging
    import shutil
    from types import SimpleNamespace

    import pandas as pd

    from moldir.pipeline.discover import build_dataset
    from moldir.pipeline.portal import warn_untranslated

    folder = tmp_path / "front-office-visits"
    shutil.copytree(ROOT / "datasets" / "front-office-visits", folder)
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    ru_fields = descriptor["i18n"]["ru"]["resources"]["visits"]["fields"]
    del ru_fields["body"]["labels"]["Ministry of Education"]
    dataset = build_dataset(folder, path, descriptor)
    tables = {"visits": pd.read_csv(folder / dataset.resource("visits").relpath)}
    portal = SimpleNamespace(
        datasets=[SimpleNamespace(dataset=dataset, tables=tables)],
        settings=SimpleNamespace(languages=("kk", "ru", "en")),
    )
    with caplog.at_level(logging.WARNING, logger="moldir.pipeline.portal"):
        lines = warn_untranslated(portal)
    assert lines == [
        'front-office-visits: 1 not translated into ru: labels of body: 1 ("Ministry of Education")'
    ]
    assert [r.getMessage() for r in caplog.records] == [f"Moldir: {lines[0]}"]
