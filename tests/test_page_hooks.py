"""Features write pages through Moldir's hooks (moldir.pipeline.pages), never through Pelican:
the page writers and template helpers they declare, the order site/ runs them in, the
per-run BuildContext, and no import circle between a feature and its pages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import grimp

from moldir import FEATURES, pages_module
from moldir.site.i18n import language_builds, run_context

ROOT = Path(__file__).resolve().parents[1]

# What the features declare, in FEATURES order (each one Pelican generator, in this order,
# before the datasets' own pages: the order pages were written in before the hooks).
WRITERS = [
    "moldir.features.kinds.pages.write_schema_pages",
    "moldir.features.charts.pages.write_chart_pages",
    "moldir.features.kinds.appeals.pages.write_appeals_page",
    "moldir.features.kinds.budget.pages.write_budget_pages",
    "moldir.features.kinds.receptions.pages.write_reception_pages",
    "moldir.features.kinds.commitments.pages.write_commitment_pages",
    "moldir.features.kinds.data_requests.pages.write_data_request_pages",
    "moldir.features.answers.pages.write_answer_pages",
    "moldir.features.search.pages.write_search_page",
    "moldir.features.catalogue.pages.write_catalogue_pages",
    "moldir.features.opendata.pages.write_open_data",
]

DECLARED = """
import json
from moldir import connect_features
from moldir.pipeline import signals
connect_features(pelican=PELICAN)
writers = [f"{w.__module__}.{w.__name__}" for _, ws in signals.page_writers.send(None) for w in ws]
helpers = [r.__module__ for r in signals.template_helpers.receivers_for(None)]
print(json.dumps({"writers": writers, "helpers": helpers}))
"""


def declared(pelican: bool) -> dict:
    script = DECLARED.replace("PELICAN", str(pelican))
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def test_features_declare_their_pages_in_features_order_without_pelican():
    found = declared(pelican=True)
    assert found["writers"] == WRITERS
    assert found["helpers"] == [
        "moldir.features.charts.pages",
        "moldir.features.kinds.commitments.pages",
        "moldir.features.feedback.pages",
        "moldir.features.answers.pages",
        "moldir.features.search.pages",
        "moldir.features.opendata.pages",
    ]


def test_validate_connects_no_pages():
    found = declared(pelican=False)
    assert found == {"writers": [], "helpers": []}


def test_site_runs_one_generator_per_writer_then_the_datasets():
    from moldir import connect_features
    from moldir.site import plugin

    connect_features()
    classes = plugin.get_generators(None)
    writers = [cls.page_writer for cls in classes[:-1]]
    assert [f"{w.__module__}.{w.__name__}" for w in writers] == WRITERS
    assert classes[-1] is plugin.DatasetPagesGenerator
    assert all(issubclass(cls, plugin.FeaturePagesGenerator) for cls in classes[:-1])


def test_pages_modules_are_found_for_feature_packages_only():
    assert pages_module("moldir.features.kinds.receptions") == (
        "moldir.features.kinds.receptions.pages"
    )
    assert pages_module("moldir.site.assets") is None  # a module, not a package
    # Every feature that writes pages has a pages module; feedback's declares template
    # helpers only (the links on dataset pages).
    writing = [writer.rpartition(".pages.")[0] for writer in WRITERS]
    with_pages = [name for name in FEATURES if pages_module(name)]
    assert [name for name in with_pages if name != "moldir.features.feedback"] == writing
    assert "moldir.features.feedback" in with_pages


def test_run_context_of_each_language_run(tmp_path: Path):
    settings = {
        "DEFAULT_LANG": "kk",
        "MOLDIR": {"languages": ["kk", "ru", "en"]},
        "SITEURL": "https://example.org",
    }
    contexts = [
        run_context({**settings, **overrides}) for overrides in language_builds(settings, tmp_path)
    ]
    assert [c.lang for c in contexts] == ["kk", "ru", "en"]
    assert [c.lang_prefix for c in contexts] == ["", "ru", "en"]
    assert [c.writes_root_files for c in contexts] == [True, False, False]
    assert {c.languages for c in contexts} == {("kk", "ru", "en")}
    assert {c.root_lang for c in contexts} == {"kk"}
    assert contexts[1].output_path == tmp_path / "ru"
    assert contexts[1].locale == "ru"
    # Each run's own catalogue: the same message in two languages.
    assert contexts[0].translations.gettext("Search") != contexts[1].translations.gettext("Search")


def test_plain_pelican_run_is_the_root_language():
    context = run_context({"DEFAULT_LANG": "en-GB", "OUTPUT_PATH": "out"})
    assert (context.lang, context.languages, context.root_lang) == ("en-GB", ("en-GB",), "en-GB")
    assert context.writes_root_files and context.locale == "en_GB"
    assert context.output_path == Path("out")


def test_no_feature_imports_its_pages_and_the_kinds_have_no_circle():
    graph = grimp.build_graph("moldir")
    for name in FEATURES:
        pages = pages_module(name)
        if pages is not None:
            assert not graph.chain_exists(importer=name, imported=pages), (
                f"{name} imports {pages}: a feature's pages are imported only for a build"
            )
    kinds = sorted(m for m in graph.modules if m.startswith("moldir.features.kinds"))
    for module in kinds:
        for imported in graph.find_modules_directly_imported_by(module):
            assert not graph.chain_exists(importer=imported, imported=module), (
                f"import circle between {module} and {imported}"
            )
