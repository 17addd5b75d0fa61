"""The feedback links as a template helper: ``feedback_links(slug, title, page_url)`` in
every template (the dataset page's ``components/_feedback.html``),
``feedback_request(page_url)`` (a request from a page about no one dataset) and
``feedback_channel``, the configured channel ("" when none).

Imported only when pages are written (``moldir.connect_features``).
"""

from __future__ import annotations

from moldir.features.feedback import FeedbackLinks, dataset_links, request_link
from moldir.model.settings import MoldirSettings
from moldir.pipeline import signals
from moldir.pipeline.pages import BuildContext, TemplateHelpers


def template_helpers(context: BuildContext) -> TemplateHelpers:
    settings = MoldirSettings.from_pelican(context.settings).feedback
    gettext = context.translations.gettext

    def feedback_links(
        slug: object, title: object = "", page_url: object = None
    ) -> FeedbackLinks | None:
        """The "report an error" and "request a dataset" links of a dataset's page; the
        title in the page's language, the page's absolute address when it is known."""
        url = str(page_url) if page_url else None
        return dataset_links(settings, str(slug or ""), str(title or ""), url, gettext)

    def feedback_request(page_url: object = None) -> str | None:
        """The "request a dataset" link of a page about no dataset in particular."""
        return request_link(settings, str(page_url) if page_url else None, gettext)

    return TemplateHelpers(
        globals={
            "feedback_links": feedback_links,
            "feedback_request": feedback_request,
            "feedback_channel": settings.channel,
        }
    )


def connect() -> None:
    signals.template_helpers.connect(template_helpers)
