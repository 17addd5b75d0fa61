"""Feedback without a server: the links of a dataset page that open the portal's channel.

A static portal cannot receive messages, so "Report an error in this data" and "Request a
dataset" open whatever the project configured (``MOLDIR_FEEDBACK``, [feedback](feedback.md)):

- ``"github"``: the repository's new-issue form, ``<repository>/issues/new?title=…&body=…
  &labels=…&template=<name>.yml`` (GitHub fills an issue form's fields from parameters
  named by their ``id``: the form shipped by ``moldir new`` has a ``dataset`` field);
- ``"gitlab"``: ``<repository>/-/issues/new?issue[title]=…&issue[description]=…
  &issuable_template=<name>`` (GitLab has no labels parameter: the description ends with a
  ``/label`` quick action, applied when the reader may label issues);
- ``"email"``: ``mailto:<address>?subject=…&body=…`` (RFC 6068: line breaks as CRLF).

Every value is percent-encoded with ``urllib.parse.quote`` (nothing kept as it is: a
``&``, ``#`` or ``=`` in a dataset's title cannot end or add a parameter), and the title is
one line (a line break in a title would start the body of a mail). No channel, or a
channel without its address: no link at all (the page shows the contact point only).

The functions are pure: the words come in through ``gettext`` of the page's language, the
dataset as its slug, title and address. ``pages.py`` makes them a template helper.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from moldir.incremental import reuse
from moldir.model.settings import FeedbackSettings

# A title longer than this is cut (with "…"): an issue title, a mail subject.
TITLE_LIMIT = 150
# Hosts answer "414 URI Too Long" past about 8 000 characters, and a Cyrillic letter is six
# once percent-encoded: the text we prefill is short, but a descriptor's title is not ours
# to trust. The body and each form field are cut to these lengths.
TEXT_LIMIT = 800
FIELD_LIMIT = 300


@dataclass(frozen=True)
class Message:
    """What a report says before the reader adds to it."""

    title: str
    body: str
    labels: tuple[str, ...] = ()
    template: str = ""
    # Issue-form fields by their id (GitHub only), e.g. {"dataset": "…"}.
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FeedbackLinks:
    """The two links of a dataset page (None when no channel is configured)."""

    channel: str
    report_error: str
    request_dataset: str


def one_line(text: str, limit: int = TITLE_LIMIT) -> str:
    """``text`` on one line (every run of white space one space), at most ``limit`` long."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _encode(value: str) -> str:
    return quote(value, safe="")


def _query(pairs: Iterable[tuple[str, str]]) -> str:
    return "&".join(f"{key}={_encode(value)}" for key, value in pairs if value)


def github_url(repository: str, message: Message) -> str:
    """The new-issue form of a GitHub repository, filled in."""
    pairs = [
        ("title", one_line(message.title)),
        ("body", message.body[:TEXT_LIMIT]),
        ("labels", ",".join(message.labels)),
        ("template", f"{message.template}.yml" if message.template else ""),
        *((key, value[:FIELD_LIMIT]) for key, value in message.fields),
    ]
    return f"{repository.rstrip('/')}/issues/new?{_query(pairs)}"


def gitlab_url(repository: str, message: Message) -> str:
    """The new-issue form of a GitLab project, filled in (labels as a quick action)."""
    body = message.body[:TEXT_LIMIT]
    if message.labels:
        quoted = " ".join('~"' + label.replace('"', "") + '"' for label in message.labels)
        body = f"{body.rstrip()}\n\n/label {quoted}\n"
    pairs = [
        ("issue[title]", one_line(message.title)),
        ("issue[description]", body),
        ("issuable_template", message.template),
    ]
    return f"{repository.rstrip('/')}/-/issues/new?{_query(pairs)}"


def mailto_url(address: str, message: Message) -> str:
    """A message to ``address`` with its subject and text filled in."""
    body = message.body[:TEXT_LIMIT].replace("\r\n", "\n").replace("\n", "\r\n")
    pairs = [("subject", one_line(message.title)), ("body", body)]
    return f"mailto:{_encode(address).replace('%40', '@')}?{_query(pairs)}"


def channel_url(settings: FeedbackSettings, message: Message) -> str | None:
    """The link that opens ``message`` on the configured channel, or None."""
    if settings.channel == "github" and settings.repository:
        return github_url(settings.repository, message)
    if settings.channel == "gitlab" and settings.repository:
        return gitlab_url(settings.repository, message)
    if settings.channel == "email" and settings.email:
        return mailto_url(settings.email, message)
    return None


def error_message(
    settings: FeedbackSettings,
    slug: str,
    title: str,
    page_url: str | None,
    gettext: Callable[[str], str],
) -> Message:
    """An error report about one dataset, in the page's language."""
    _ = gettext
    title = one_line(title)
    named = f"{title} ({slug})" if title and title != slug else slug
    where = page_url or ""
    dataset = "\n".join(
        line
        for line in (
            _("Dataset: %(dataset)s") % {"dataset": named},
            _("Page: %(url)s") % {"url": where} if where else "",
        )
        if line
    )
    body = "\n".join(
        [
            dataset,
            "",
            _("What is wrong (file, row, column; what you expected to see):"),
            "",
            "",
            _("Where the right figure can be checked (a document, a link), if you know:"),
            "",
        ]
    )
    return Message(
        title=_("Error in the data: %(dataset)s") % {"dataset": named},
        body=body,
        labels=settings.error_labels,
        template=settings.error_template,
        fields=(("dataset", dataset),),
    )


def request_message(
    settings: FeedbackSettings,
    slug: str,
    title: str,
    page_url: str | None,
    gettext: Callable[[str], str],
) -> Message:
    """A request for a dataset, asked from one dataset's page (named as the context)."""
    _ = gettext
    title = one_line(title)
    named = f"{title} ({slug})" if title and title != slug else slug
    seen = _("Asked from the page of: %(dataset)s") % {"dataset": named} if named else ""
    if page_url:
        seen = f"{seen}\n{page_url}".strip()
    body = "\n".join(
        [
            _("What data do you need (what, where, which years)?"),
            "",
            "",
            _("What would it help you with?"),
            "",
            "",
            seen,
            "",
        ]
    )
    return Message(
        title=_("Request for a dataset"),
        body=body,
        labels=settings.request_labels,
        template=settings.request_template,
        fields=(("context", seen),),
    )


def dataset_links(
    settings: FeedbackSettings,
    slug: str,
    title: str,
    page_url: str | None,
    gettext: Callable[[str], str],
) -> FeedbackLinks | None:
    """Both links of a dataset page, or None when no channel is configured."""
    error = channel_url(settings, error_message(settings, slug, title, page_url, gettext))
    request = channel_url(settings, request_message(settings, slug, title, page_url, gettext))
    if error is None or request is None:
        return None
    return FeedbackLinks(settings.channel, error, request)


def request_link(
    settings: FeedbackSettings, page_url: str | None, gettext: Callable[[str], str]
) -> str | None:
    """The "request a dataset" link of a page about no dataset in particular."""
    return channel_url(settings, request_message(settings, "", "", page_url, gettext))


def connect() -> None:
    """Nothing to check or compute: the links are made when pages are (``pages.py``). Its
    template helpers read only their arguments, the settings and the run's language, so a
    dataset page that shows them is still reused while its key is unchanged."""
    reuse.reusable_globals("feedback_links", "feedback_request", "feedback_channel")
