"""The answer pages and the ``answers_for`` template helper.

Pages, in every language run (templates ``answers.html``, ``answers_list.html`` and
``answer.html``):

- ``/answers/``: every answer, with the topics and bodies that have answers;
- ``/answers/topic/<code>/`` and ``/answers/body/<slug>/``: the answers on one topic or
  from one body;
- ``/answers/<slug>/``: one answer (its stable address, the same in every language).

The helper ``answers_for(topic=…, body=…, limit=…)`` gives other pages (the appeal topic
page, commitments) the answers of the run's language on a topic code and/or from a body
(its slug or its name as a dataset writes it), newest first; each has ``url``,
``topic_url`` and ``body_url`` relative to ``SITEURL``.

Imported only when pages are written (``moldir.connect_features``).
"""

from __future__ import annotations

from typing import Any

from babel.dates import format_date

from moldir.features.answers import Answer, Answers, answers_folder, load_answers
from moldir.features.kinds.topics import topic_label
from moldir.incremental import reuse
from moldir.model.settings import project_root
from moldir.pipeline import signals
from moldir.pipeline.pages import BuildContext, PageWriter, Site, TemplateHelpers


def portal_answers(context: BuildContext) -> Answers:
    """The portal's answers (read once per build; raises ``InvalidAnswers``)."""
    settings = context.settings
    return load_answers(
        answers_folder(settings), context.languages, context.root_lang, project_root(settings)
    )


def write_answer_pages(site: Site) -> None:
    """/answers/, its lists by topic and by body, and one page per answer."""
    context = site.context
    answers = portal_answers(context)
    if not answers:
        return
    lang = context.lang
    locale = context.locale
    every = answers.in_language(lang)
    by_topic = answers.by_topic(lang)
    by_body = answers.by_body(lang)
    values: dict[str, Any] = {
        "topics": by_topic,
        "bodies": by_body,
        "answer_date": lambda day: format_date(day, "long", locale=locale),
        "topic_name": lambda code: topic_label(code, lang),
        "body_names": answers.body_names(lang),
    }
    # Made from content/answers/ only (and the code, the settings and the theme, which
    # every page key covers).
    key = answers.key
    site.page(
        "answers/index.html",
        "answers",
        depends_on=key,
        page_name="answers",
        answers=every,
        **values,
    )
    for group, kind in [*((g, "topic") for g in by_topic), *((g, "body") for g in by_body)]:
        site.page(
            f"{group.url}index.html",
            "answers_list",
            depends_on=key,
            page_name=group.url.rstrip("/"),
            group=group,
            group_kind=kind,
            answers=group.answers,
            **values,
        )
    for answer in every:
        site.page(
            f"{answer.url}index.html",
            "answer",
            depends_on=key,
            page_name=answer.url.rstrip("/"),
            answer=answer,
            related=related(answer, answers.in_language(lang)),
            **values,
        )


def related(answer: Answer, answers: tuple[Answer, ...], limit: int = 3) -> list[Answer]:
    """Other answers on the same topic (the same body's first), newest first."""
    same = [a for a in answers if a.topic == answer.topic and a.slug != answer.slug]
    same.sort(key=lambda a: a.body != answer.body)  # stable: newest first within each
    return same[:limit]


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_answer_pages]


def template_helpers(context: BuildContext) -> TemplateHelpers:
    """``answers_for(topic=None, body=None, limit=None)`` for every template of the run."""

    def answers_for(
        topic: str | None = None, body: str | None = None, limit: int | None = None
    ) -> list[Answer]:
        if not topic and not body:
            return []
        found = portal_answers(context).matching(context.lang, topic=topic, body=body)
        return found[:limit] if limit else found

    return TemplateHelpers(globals={"answers_for": answers_for})


def connect() -> None:
    # answers_for reads content/answers/, which is part of every page's theme frame
    # (moldir.incremental.fingerprints.THEME_CONTENT): a page calling it (a commitment, the
    # appeal topics) is reused only while the answers are unchanged.
    reuse.reusable_globals("answers_for")
    signals.page_writers.connect(page_writers)
    signals.template_helpers.connect(template_helpers)
