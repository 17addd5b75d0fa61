"""Charts: every view of a dataset as an accessible chart, a table and files.

The feature, wired through Moldir's extension points like an outside plugin:

- ``validation_checks`` → ``spec.check_views``: a bad declaration is a ``view-error``;
- ``portal_loaded`` → ``build_charts`` per dataset: ``published.extras["charts"]``;
- ``page_writers`` → ``pages.write_chart_pages``: the chart files at the site root
  (``/datasets/<slug>/charts/<view>.vl.json|.svg|.png``, once) and one standalone chart
  page per language (``/datasets/<slug>/charts/<view>/``, for embedding);
- ``template_helpers`` → the template global ``chart_alternative(chart)``, the text
  alternative in the language being built, and the other chart globals (``pages.py``).

See docs/charts.md.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jinja2 import Undefined, pass_context
from markupsafe import Markup

from moldir.features.charts import describe as describing
from moldir.features.charts.spec import ViewSpec, check_views
from moldir.incremental import reuse
from moldir.incremental.store import per_dataset
from moldir.model.dataset import Dataset
from moldir.model.errors import ViewLeftOut
from moldir.pipeline import progress, signals
from moldir.pipeline.pages import BuildContext

# Drawing (pandas, .build → Altair, .render → vl_convert) is imported by the functions
# that draw, and the pages (.pages) only when pages are written: ``moldir validate``
# connects this feature for ``check_views`` only and must not load them.
if TYPE_CHECKING:
    import pandas as pd

    from moldir.features.charts.build import ChartData, ChartTable
    from moldir.pipeline.pages import Site

logger = logging.getLogger(__name__)

EXTRAS_KEY = "charts"


@dataclass
class Chart:
    """One view of a dataset, drawn: spec, renderings, table and what the text needs."""

    dataset: str
    view: ViewSpec
    spec: dict[str, Any]
    svg: str
    png: bytes
    table: ChartTable
    data: ChartData | None = None
    rows: pd.DataFrame | None = None  # full Vega-Lite views: the inlined rows
    csv: str | None = None  # the resource's CSV download, at the site root
    descriptor: dict[str, Any] | None = field(default=None, repr=False)  # for its labels
    localized_svgs: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.view.name

    @property
    def id(self) -> str:
        """A page-unique id stem: ``chart-<dataset>-<view>``."""
        return f"chart-{self.dataset}-{self.view.name}"

    @property
    def base_path(self) -> str:
        return f"datasets/{self.dataset}/charts/{self.view.name}"

    @property
    def files(self) -> dict[str, str]:
        """Root-relative paths of the chart's files, by format."""
        return {
            "svg": f"{self.base_path}.svg",
            "png": f"{self.base_path}.png",
            "vl.json": f"{self.base_path}.vl.json",
        }

    @property
    def highlight(self) -> bool:
        """Whether the declaration asks for the chart on the home page."""
        return self.view.highlight

    @property
    def page_url(self) -> str:
        """The standalone chart page (per language), for the embed snippet."""
        return f"{self.base_path}/"

    @property
    def embed_url(self) -> str:
        """The chart page without the portal's frame, for ``<iframe>``s (per language)."""
        return f"{self.base_path}/embed/"

    @functools.cached_property
    def inline_svg(self) -> str:
        """The SVG for pages: named by the visible text alternative ``<id>-alt``."""
        from moldir.features.charts.render import accessible_svg

        return accessible_svg(self.svg, self.id, labelled_by=f"{self.id}-alt")

    @property
    def geometries(self) -> tuple[str, ...]:
        """The drawings pages get: compact only for charts drawn as rows (bars), where
        names and values can wrap; lines and dots would not read at 128 px."""
        from moldir.features.charts.build import drawn_as_rows

        if self.data is not None and drawn_as_rows(self.data):
            return ("compact", "narrow", "wide")
        return ("narrow", "wide")

    def data_for(self, locale: str) -> ChartData | None:
        """The drawn data with its words in ``locale`` (localize.localize)."""
        if self.data is None:
            return None
        from moldir.features.charts.localize import localize

        return localize(self.data, self.descriptor, locale)

    def table_for(self, locale: str) -> ChartTable:
        """The equivalent table in ``locale``: translated headers, categories and series."""
        data = self.data_for(locale)
        if data is None:
            return self.table
        from moldir.features.charts.build import chart_table

        return chart_table(data)

    def spec_for(self, locale: str, geometry: str) -> dict[str, Any]:
        """The Vega-Lite spec drawn for ``locale`` and ``geometry`` (localize.Layout)."""
        data = self.data_for(locale)
        if data is None:
            return self.spec
        from moldir.features.charts.build import build_spec
        from moldir.features.charts.localize import Layout

        return build_spec(data, Layout(locale, geometry))

    def inline_svg_for(self, locale: str, geometry: str = "wide") -> str:
        """The SVG for pages in ``locale`` and ``geometry`` (localize.GEOMETRIES), named by
        the visible text alternative and sized in ``em`` (render.accessible_svg), rendered
        once per language and geometry."""
        key = (locale, geometry)
        if key not in self.localized_svgs:
            from moldir.features.charts.render import render_svg

            self.keep_drawing(locale, geometry, render_svg(self.spec_for(locale, geometry), locale))
        return self.localized_svgs[key]

    def keep_drawing(self, locale: str, geometry: str, svg: str) -> None:
        """Keep vl-convert's ``svg`` of ``locale`` and ``geometry``, made fit for a page."""
        from moldir.features.charts.render import accessible_svg

        self.localized_svgs[(locale, geometry)] = accessible_svg(
            svg,
            f"{self.id}-{geometry}",
            labelled_by=f"{self.id}-alt",
            geometry=geometry if self.data is not None else "only",
        )

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the SVG in CSS pixels."""
        root = ET.fromstring(self.svg)
        return int(float(root.get("width", 0))), int(float(root.get("height", 0)))

    @property
    def embed_height(self) -> int:
        """A height for the embed ``<iframe>``: the chart plus its caption and text."""
        return self.size[1] + 220

    def alternative(
        self,
        gettext: describing.Gettext | None = None,
        locale: str = "en",
        table_hint: str | None = None,
    ) -> str:
        """The text alternative in the reader's language; ``table_hint`` replaces
        "Full data in the table below." where the table is elsewhere ("" drops it)."""
        gettext = gettext or (lambda message: message)
        if self.data is not None:
            data = self.data_for(locale) or self.data
            return describing.describe(data, gettext, locale, table_hint)
        category, value = vega_lite_axes(self.spec, self.rows)
        return describing.describe_rows(
            self.view.chart_type,
            self.rows,
            category,
            value,
            gettext,
            locale,
            self.view.units,
            table_hint,
        )

    def vega_lite_json(self) -> str:
        return json.dumps(self.spec, ensure_ascii=False, indent=2)


def draw_all(charts: list[Chart], languages: list[str]) -> None:
    """Every page drawing of ``charts`` in ``languages``, rendered in parallel threads.

    Specs are built one after another (Altair holds the GIL); vl-convert renders outside
    it, so the 2–3 drawings per chart and language cost about what one did. The drawings
    are kept in the charts, which the build cache stores per dataset (add_charts): an
    unchanged dataset is not drawn again by the next build."""
    from concurrent.futures import ThreadPoolExecutor

    from moldir.features.charts.render import render_svg

    work = [
        (chart, locale, geometry, chart.spec_for(locale, geometry))
        for chart in charts
        for locale in languages
        for geometry in (chart.geometries if chart.data is not None else ("wide",))
        if (locale, geometry) not in chart.localized_svgs
    ]
    if not work:
        return
    workers = min(len(work), max(2, os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        drawings = list(pool.map(lambda item: render_svg(item[3], item[1]), work))
    for (chart, locale, geometry, _spec), svg in zip(work, drawings, strict=True):
        chart.keep_drawing(locale, geometry, svg)


def vega_lite_axes(
    spec: dict[str, Any], rows: pd.DataFrame | None
) -> tuple[str | None, str | None]:
    """The main category and value fields of a declared Vega-Lite spec (for its text)."""
    encoding = spec.get("encoding") or {}
    if not encoding and spec.get("layer"):
        encoding = spec["layer"][0].get("encoding") or {}
    category = value = None
    for channel in ("x", "y", "theta", "color"):
        definition = encoding.get(channel) or {}
        name = definition.get("field")
        if not name or rows is None or name not in rows.columns:
            continue
        if definition.get("type") == "quantitative" and value is None:
            value = name
        elif definition.get("type") in ("nominal", "ordinal", "temporal") and category is None:
            category = name
    return category, value


def vega_lite_table(view: ViewSpec, rows: pd.DataFrame) -> ChartTable:
    """A full Vega-Lite view's table: its rows, every field the spec names."""
    import pandas as pd

    from moldir.features.charts.build import ChartTable, cell
    from moldir.features.charts.spec import walk

    named = [v for _p, k, v in walk(view.vega_lite) if k == "field" and isinstance(v, str)]
    columns = [c for c in dict.fromkeys(named) if c in rows.columns] or list(rows.columns)
    header, rest = columns[0], columns[1:]
    body = [
        (
            str(record[header]),
            [cell(record[c]) if pd.api.types.is_number(record[c]) else record[c] for c in rest],
        )
        for record in rows[columns].to_dict(orient="records")
    ]
    return ChartTable(header, rest, body)


def build_chart(view: ViewSpec, dataset: Dataset, frame: pd.DataFrame | None) -> Chart:
    """Spec, SVG, PNG and table of one view (the per-view work, no Pelican)."""
    from moldir.features.charts.build import build_spec, build_vega_lite, chart_table, prepare
    from moldir.features.charts.localize import localize
    from moldir.features.charts.render import render_png, render_svg

    resource = dataset.resource(view.resource)
    if view.is_vega_lite:
        spec, rows = build_vega_lite(view, frame)
        data, table = None, vega_lite_table(view, rows)
    else:
        data = prepare(view, frame, resource)
        rows = None
        # English words for the files written once (.vl.json, .svg, .png).
        english = localize(data, dataset.descriptor, "en")
        spec, table = build_spec(english), chart_table(english)
    svg = render_svg(spec)
    return Chart(
        dataset=dataset.slug,
        # As drawn: a data-hub bar chart of several series is a grouped bar chart.
        view=data.view if data is not None else view,
        spec=spec,
        svg=svg,
        png=render_png(spec),
        table=table,
        data=data,
        rows=rows,
        descriptor=dataset.descriptor if isinstance(dataset.descriptor, dict) else None,
    )


def build_charts(published: Any) -> list[Chart]:
    """Every chart of a published dataset, with links to its resources' CSV downloads.

    Declarations were checked by validation; what still cannot be drawn (a renderer
    failure) is left out with a warning naming the dataset and the view, in the log and
    the dataset's validation report, so that what validates always builds.
    """
    from moldir.features.charts.spec import dataset_view_checks

    dataset = published.dataset
    checks = dataset_view_checks(dataset, published.tables)
    warnings = list(checks.warnings)
    warnings.extend(
        ViewLeftOut.warning(dataset.slug, details=f"{error.message} (the chart is left out)")
        for error in checks.errors
    )
    charts = []
    for view in checks.views:
        try:
            chart = build_chart(view, dataset, published.tables.get(view.resource))
        except Exception as failure:  # never a traceback: the page is built without it
            logger.debug("chart %s/%s", dataset.slug, view.name, exc_info=True)
            warnings.append(
                ViewLeftOut.warning(
                    dataset.slug,
                    details=f'view "{view.name}": the chart could not be drawn '
                    f"({type(failure).__name__}: {str(failure)[:200]}); it is left out",
                )
            )
            continue
        resource = dataset.resource(view.resource)
        csv = [d.path for d in published.downloads_for(resource) if d.format == "csv"]
        chart.csv = csv[0] if csv else None
        charts.append(chart)
    report = getattr(published, "report", None)
    for warning in warnings:
        logger.warning('Dataset "%s", %s', dataset.slug, warning)
        if report is not None and warning not in report.warnings:
            report.warnings.append(warning)
    return charts


# --- Moldir signals --------------------------------------------------------------------


def provide_checks(_settings: Any) -> list:
    return [check_views]


def check_view_descriptor(draft: Any) -> list:
    """The view checks that need only the descriptor, for a dataset whose data or metadata
    has errors: its view errors come in the same run (validation.run_checks)."""
    from moldir.features.charts.spec import check_view_declarations

    try:
        text = draft.descriptor_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    return check_view_declarations(
        draft.slug, draft.descriptor, draft.shown_path, text, draft.folder
    ).errors


check_views.on_invalid = check_view_descriptor  # type: ignore[attr-defined]


def add_charts(portal: Any) -> None:
    settings = getattr(portal, "settings", None)
    languages = [str(code) for code in (getattr(settings, "languages", None) or ())]

    def charts_of(published: Any) -> list[Chart]:
        charts = build_charts(published)
        if languages:
            draw_all(charts, languages)
        return charts

    for published in progress.progress("charts", portal.datasets):
        # Rendering (vl-convert) is the costly part: cached per dataset, drawings included.
        charts = per_dataset(published.dataset, "charts", lambda p=published: charts_of(p))
        published.extras[EXTRAS_KEY] = charts
    count = sum(len(p.extras[EXTRAS_KEY]) for p in portal.datasets)
    logger.info("Moldir charts: %d charts built", count)


# --- pages -----------------------------------------------------------------------------


def run_gettext(context: Any) -> describing.Gettext:
    """The gettext of the language run a template is rendered in."""
    return BuildContext.from_settings(context).translations.gettext


def run_locale(context: Any) -> str:
    """The language of the run a template is rendered in (a macro imported without context
    sees only the globals, where the site puts the run's language as ``MOLDIR_LOCALE``)."""
    return str(context.get("DEFAULT_LANG") or context.get("MOLDIR_LOCALE") or "en")


@pass_context
def chart_alternative(context: Any, chart: Chart, table_hint: Any = None) -> str:
    """Template global: the chart's text alternative in the language being built."""
    hint = None if table_hint is None or isinstance(table_hint, Undefined) else str(table_hint)
    return chart.alternative(run_gettext(context), run_locale(context), hint)


@pass_context
def chart_svg(context: Any, chart: Chart) -> Markup:
    """Template global: the chart's inline SVGs for the language being built — compact (VI
    mode on phones), narrow (phones, VI mode) and wide; chart.css shows one — cut down to
    drawing elements and
    attributes (its styles become classes: no inline style under the
    Content-Security-Policy; docs/security.md)."""
    from moldir.pipeline.sanitize import sanitize_svg

    locale = run_locale(context)
    if chart.data is None:  # a declared Vega-Lite spec: drawn as its author laid it out
        return sanitize_svg(chart.inline_svg_for(locale))
    return Markup("").join(
        sanitize_svg(chart.inline_svg_for(locale, geometry)) for geometry in chart.geometries
    )


@pass_context
def chart_table(context: Any, chart: Chart) -> Any:
    """Template global: the chart's table in the language being built."""
    return chart.table_for(run_locale(context))


@pass_context
def chart_alternative_lang(context: Any, chart: Chart) -> Markup:
    """`` lang="en"`` for the alternative's element when the page's catalogue has no
    translation of it yet (so a screen reader reads the English text in English)."""
    locale = run_locale(context)
    if locale.split("-")[0] == describing.SOURCE_LANG:
        return Markup("")
    gettext = run_gettext(context)
    kind = describing.CHART_KINDS.get(chart.view.chart_type, describing.CHART_KINDS["chart"])
    translated = gettext(kind) != kind or gettext(describing.TABLE_BELOW) != describing.TABLE_BELOW
    return Markup("") if translated else Markup(' lang="{}"').format(describing.SOURCE_LANG)


def all_charts(portal: Any) -> list[tuple[Any, Chart]]:
    """(published dataset, chart) pairs of the whole portal, in catalogue order."""
    return [(p, chart) for p in portal.datasets for chart in p.extras.get(EXTRAS_KEY, [])]


def highlights(portal: Any, count: int = 3) -> list[tuple[Any, Chart]]:
    """Charts for the home page: views marked ``"highlight": true`` first, then the first
    chart of each dataset, at most one per dataset."""
    marked, others = [], []
    for published in portal.datasets:
        charts = published.extras.get(EXTRAS_KEY, [])
        flagged = [c for c in charts if c.highlight]
        if flagged:
            marked.append((published, flagged[0]))
        elif charts:
            others.append((published, charts[0]))
    return (marked + others)[:count]


def write_chart_files(site: Site, chart: Chart, depends_on: str | None = None) -> None:
    """``.vl.json``, ``.svg`` and ``.png`` of one chart, at the site root of ``site``
    (linked from the last build when ``depends_on``, the dataset's key, is unchanged)."""
    from moldir.features.charts.render import standalone_svg

    files = chart.files
    # The file stands alone (English, the data's language): no table below to point at.
    text = chart.alternative(table_hint="")
    svg = standalone_svg(chart.svg, chart.id, chart.view.title, text)
    site.file(files["svg"], svg.encode("utf-8"), depends_on)
    site.file(files["png"], chart.png, depends_on)
    site.file(files["vl.json"], chart.vega_lite_json().encode("utf-8"), depends_on)


def connect() -> None:
    """Connect the chart feature (safe to call more than once: blinker dedupes)."""
    signals.validation_checks.connect(provide_checks)
    signals.portal_loaded.connect(add_charts)
    # The chart globals (pages.py) read only their chart and the run's language: pages
    # showing charts can be reused while the dataset's key is unchanged.
    reuse.reusable_globals(
        "chart_svg", "chart_table", "chart_alternative", "chart_alternative_lang"
    )
