"""The Pelican adapter: thin handlers that call the pipeline and write its results.

``DatasetPagesGenerator`` loads the portal (validating every dataset) in
``generate_context`` — before Pelican writes anything — and, in ``generate_output``,
writes one page per dataset, the downloads and the quality report.

The features' pages (catalogue, charts, kinds, search, open data) are written by their
page writers (``signals.page_writers``, ``moldir.pipeline.pages``): each runs as one
Pelican generator (``FeaturePagesGenerator``), in the order the features declared them and
before the datasets' own, with a ``PelicanSite`` to write into; the features' template
helpers (``signals.template_helpers``) are installed in every Jinja environment.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pelican import signals as pelican_signals
from pelican.generators import Generator

from moldir.features import quality
from moldir.incremental import reuse
from moldir.model import language
from moldir.model.settings import (
    MoldirSettings,
    build_date,
    environment_settings,
    project_root,
)
from moldir.pipeline import signals as pipeline_signals
from moldir.pipeline.labels import field_constraints
from moldir.pipeline.pages import BuildContext, PageWriter
from moldir.pipeline.portal import Portal, load_portal
from moldir.site import assets, content, i18n, pelican_compat, templating, writer
from moldir.site import markdown as markdown_cache

logger = logging.getLogger(__name__)

PORTAL_CONTEXT_KEY = "moldir_portal"


class PortalGenerator(Generator):
    """Base of Moldir's page generators: the loaded portal, root files, page writing.

    The portal is loaded once (by ``DatasetPagesGenerator.generate_context`` or by
    ``moldir build``); the other generators only read it from the shared context.
    """

    def generate_context(self) -> None:
        """Nothing to add: the portal is loaded by the dataset pages generator."""

    @property
    def portal(self) -> Portal | None:
        return self.context.get(PORTAL_CONTEXT_KEY) or self.settings.get("MOLDIR_PORTAL")

    def writes_root_files(self) -> bool:
        """Only the default language's run writes files kept once at the site root."""
        return language.writes_root_files(self.settings)

    def write_page(
        self, writer, save_as: str, template: str, depends_on: str | None = None, **values: Any
    ) -> None:
        """Render ``template`` to ``save_as`` with ``values`` (``Site.page``)."""
        reuse_values: dict[str, Any] = {reuse.DEPENDS_ON: depends_on}
        if depends_on is not None:
            # What the key covers: the values passed here, except the whole portal.
            reuse_values[reuse.COVERED] = tuple(set(values) - {"portal"})
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=save_as.removesuffix("index.html"),
            **values,
            **reuse_values,
        )


class PelicanSite:
    """``moldir.pipeline.pages.Site`` over a Pelican generator and its writer: what a
    feature's page writer writes into in one language run."""

    def __init__(self, generator: PortalGenerator, writer: Any, context: BuildContext) -> None:
        self._generator = generator
        self._writer = writer
        self.context = context

    @property
    def portal(self) -> Portal:
        return self._generator.portal

    @property
    def writes_root_files(self) -> bool:
        return self.context.writes_root_files

    def page(
        self, save_as: str, template: str, depends_on: str | None = None, **values: Any
    ) -> None:
        self._generator.write_page(self._writer, save_as, template, depends_on, **values)

    def file(
        self, path: str, content: bytes | Callable[[], bytes], depends_on: str | None = None
    ) -> None:
        write_bytes(Path(self._generator.output_path) / path, content, depends_on)


class FeaturePagesGenerator(PortalGenerator):
    """Runs one page writer of a feature (``signals.page_writers``) in a language run;
    :func:`get_generators` makes a subclass per writer, so that Pelican runs them in the
    order the features connected them."""

    page_writer: PageWriter

    def generate_output(self, writer) -> None:
        type(self).page_writer(PelicanSite(self, writer, i18n.run_context(self.settings)))


def feature_generators() -> list[type[FeaturePagesGenerator]]:
    """One generator class per page writer the features declare, in their order."""
    context = None  # the writers do not depend on the run: declared once per build
    classes = []
    for _receiver, writers in pipeline_signals.page_writers.send(context):
        for write in writers or ():
            name = "".join(part.title() for part in write.__name__.split("_")) + "Generator"
            classes.append(type(name, (FeaturePagesGenerator,), {"page_writer": write}))
    return classes


class DatasetPagesGenerator(PortalGenerator):
    """Pages and files of the datasets: /datasets/<slug>/…, /quality/."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.moldir = MoldirSettings.from_pelican(self.settings)

    def generate_context(self) -> None:
        # ``moldir build`` loads the portal once, before Pelican runs (and once for all
        # languages); a plain ``pelican`` run loads it here, before anything is written.
        portal = self.settings.get("MOLDIR_PORTAL")
        if portal is None:
            root = project_root(self.settings)
            portal = load_portal(self.moldir, self.moldir.datasets_root(self.settings), root)
        self.context[PORTAL_CONTEXT_KEY] = portal
        logger.info("Moldir: %d datasets valid", len(portal.datasets))

    def generate_output(self, writer) -> None:
        portal = self.portal
        # The catalogue, /datasets/ and its views, is written by catalogue_pages.py.
        for published in portal.datasets:
            self.write_page(
                writer,
                f"datasets/{published.slug}/index.html",
                "dataset",
                depends_on=reuse.dataset_key(published),
                published=published,
                dataset=published.dataset,
                field_constraints=field_constraints,
                preview_rows=self.moldir.preview_rows,
                page_name=f"datasets/{published.slug}",
            )
            # Downloads and the report are written once, at the site root, by the default
            # language's run (pages of every language link to them with data_url()).
            key = reuse.dataset_key(published)
            for download in published.downloads if self.writes_root_files() else ():
                write_bytes(Path(self.output_path) / download.path, download.content, key)
        measured = quality.portal_quality(portal, build_date(self.settings))
        self.write_page(
            writer,
            "quality/index.html",
            "quality",
            portal=portal,
            quality=measured,
            validation={task.dataset: task for task in portal.report.tasks},
            page_name="quality",
        )
        if self.writes_root_files():
            # The validation report (valid, stats, tasks) and the measures beside it.
            descriptor = portal.report.to_descriptor(timings=False)
            descriptor["quality"] = quality.report_document(measured)
            report = json.dumps(descriptor, ensure_ascii=False, indent=2)
            path = Path(self.output_path) / "quality" / "report.json"
            write_bytes(path, report.encode("utf-8"))


def write_bytes(
    path: Path, content: bytes | Callable[[], bytes], depends_on: str | None = None
) -> None:
    """Write a file of the site; reused from the last build when ``depends_on`` (a key,
    e.g. ``reuse.dataset_key(published)``) is unchanged (reuse.py)."""
    reuse.write_bytes(path, content, depends_on)


def get_generators(pelican_object) -> list[type[PortalGenerator]]:
    """The features' page generators, then the datasets' (which loads the portal)."""
    return [*feature_generators(), DatasetPagesGenerator]


def install_template_helpers(generator) -> None:
    """Give every generator's Jinja environment (Pelican's own too: articles, pages) the
    features' template helpers (``signals.template_helpers``), Moldir's filters and
    gettext."""
    env = getattr(generator, "env", None)
    if env is not None:
        settings = generator.settings
        context = i18n.run_context(settings)
        for _receiver, helpers in pipeline_signals.template_helpers.send(context):
            env.globals.update(helpers.globals)
            env.filters.update(helpers.filters)
        templating.install(
            env, language.translations_for(settings), language.default_language(settings)
        )
        # The main navigation links to a topic page only for the portal's own topics.
        env.globals["MOLDIR_TOPICS"] = tuple(MoldirSettings.from_pelican(settings).topics)


def relay_feed(context: dict[str, Any], feed: Any = None, **_: Any) -> None:
    """Pelican's ``feed_generated`` → ``signals.feed_generated`` (the features' hook)."""
    pipeline_signals.feed_generated.send(i18n.run_context(context), feed=feed)


def apply_environment(pelican_object: Any) -> None:
    """A plain ``pelican`` run has no ``moldir`` command line to read the environment:
    Pelican's entry point reads it here, and the settings it sets (``MOLDIR_TODAY``) win
    over pelicanconf.py's, as at the command line. A ``moldir build`` run (which passes
    the portal it loaded) got them from its command line, with the settings it loaded."""
    if "MOLDIR_PORTAL" not in pelican_object.settings:
        pelican_object.settings.update(environment_settings(os.environ))


def register() -> None:
    # An incompatible Pelican or Jinja stops here, saying what changed (pelican_compat.py).
    pelican_compat.check()
    pelican_signals.initialized.connect(apply_environment)
    pelican_signals.get_generators.connect(get_generators)
    pelican_signals.get_writer.connect(writer.get_writer)
    pelican_signals.readers_init.connect(markdown_cache.install)
    pelican_signals.generator_init.connect(install_template_helpers)
    i18n.connect()
    content.connect()  # sanitised HTML, readable front matter, safe page addresses
    pelican_signals.feed_generated.connect(relay_feed)
    pelican_signals.finalized.connect(assets.bundle_after_pelican)
