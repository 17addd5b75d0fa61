"""Feedback without a server (docs/feedback.md): the prefilled links of dataset pages
(GitHub, GitLab, e-mail), the MOLDIR_FEEDBACK settings, the data-requests kind's checks
and its page, and the issue templates shipped by `moldir new`."""

from __future__ import annotations

import gettext
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from moldir.cli import main
from moldir.features import feedback
from moldir.features.kinds.data_requests import (
    DataRequest,
    median_days,
    request_problems,
    summary,
)
from moldir.model.settings import FeedbackSettings, MoldirSettings, SettingsError

ROOT = Path(__file__).resolve().parents[1]
_ = gettext.NullTranslations().gettext
HOSTILE = 'Budget & "plans" #1\nof Алматы <script>?x=1&y=2 100%'
GITHUB = FeedbackSettings(channel="github", repository="https://github.com/owner/portal")
GITLAB = FeedbackSettings(channel="gitlab", repository="https://gitlab.example.kz/gov/portal/")
EMAIL = FeedbackSettings(channel="email", email="open@example.kz")


def query(url: str) -> dict[str, str]:
    """The parameters of a URL, decoded (one value each)."""
    parsed = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in parsed.values()), parsed
    return {key: values[0] for key, values in parsed.items()}


# --- the URLs ----------------------------------------------------------------------------


def test_github_link_has_every_parameter_encoded():
    url = feedback.channel_url(
        GITHUB, feedback.error_message(GITHUB, "budget", HOSTILE, "https://d.kz/x/", _)
    )
    assert url.startswith("https://github.com/owner/portal/issues/new?")
    raw = urlsplit(url).query
    # Nothing of the title survives unencoded: no extra parameter, no fragment, no space.
    assert "#" not in url and " " not in url and "\n" not in url and '"' not in url
    assert set(query(url)) == {"title", "body", "labels", "template", "dataset"}
    assert raw.count("&") == 4
    values = query(url)
    assert values["title"] == (
        'Error in the data: Budget & "plans" #1 of Алматы <script>?x=1&y=2 100% (budget)'
    )
    assert "\n" not in values["title"]
    assert values["labels"] == "data-error" and values["template"] == "data-error.yml"
    assert "https://d.kz/x/" in values["body"] and "(budget)" in values["body"]
    assert values["dataset"].startswith("Dataset: Budget &")


def test_gitlab_link_uses_its_own_parameters_and_a_label_quick_action():
    settings = FeedbackSettings(
        channel="gitlab", repository=GITLAB.repository, error_labels=("data error", 'x"y')
    )
    url = feedback.channel_url(settings, feedback.error_message(settings, "s", "Тақырып", None, _))
    assert url.startswith("https://gitlab.example.kz/gov/portal/-/issues/new?")
    values = query(url)
    assert set(values) == {"issue[title]", "issue[description]", "issuable_template"}
    assert values["issue[title]"] == "Error in the data: Тақырып (s)"
    assert values["issue[description]"].rstrip().endswith('/label ~"data error" ~"xy"')
    assert values["issuable_template"] == "data-error"


def test_mailto_link_has_a_one_line_subject_and_crlf_lines():
    url = feedback.channel_url(EMAIL, feedback.error_message(EMAIL, "s", HOSTILE, None, _))
    assert url.startswith("mailto:open@example.kz?subject=")
    values = query(url)
    assert set(values) == {"subject", "body"}
    assert "\n" not in values["subject"].replace("\r", "")
    assert "\r\n" in values["body"] and "\n" not in values["body"].replace("\r\n", "")
    # The address itself cannot carry parameters of its own.
    hostile = FeedbackSettings(channel="email", email="a@b.kz?cc=x@evil.kz")
    assert "?cc=" not in feedback.mailto_url(hostile.email, feedback.Message("t", "b"))


def test_templates_and_labels_can_be_left_out():
    settings = FeedbackSettings(
        channel="github", repository=GITHUB.repository, error_labels=(), error_template=""
    )
    url = feedback.channel_url(settings, feedback.error_message(settings, "s", "T", None, _))
    assert set(query(url)) == {"title", "body", "dataset"}


def test_request_link_names_the_page_it_was_asked_from():
    links = feedback.dataset_links(GITHUB, "budget", "Бюджет", "https://d.kz/datasets/b/", _)
    values = query(links.request_dataset)
    assert values["title"] == "Request for a dataset"
    assert values["labels"] == "data-request" and values["template"] == "data-request.yml"
    assert "Бюджет (budget)" in values["body"] and "https://d.kz/datasets/b/" in values["body"]
    general = feedback.request_link(GITHUB, None, _)
    assert "Asked from" not in query(general)["body"]


def test_no_channel_no_links():
    assert feedback.dataset_links(FeedbackSettings(), "s", "T", None, _) is None
    # A channel without its address (refused by the settings, too) gives no broken link.
    assert feedback.dataset_links(FeedbackSettings(channel="github"), "s", "T", None, _) is None
    assert feedback.dataset_links(FeedbackSettings(channel="email"), "s", "T", None, _) is None


def test_long_titles_are_cut_so_the_url_stays_short():
    title = "Ұзын атау " * 500
    links = feedback.dataset_links(GITHUB, "s", title, None, _)
    assert len(links.report_error) < 8_000
    assert query(links.report_error)["title"].endswith("…")


def test_words_come_from_the_pages_language():
    catalogue = gettext.NullTranslations()
    catalogue.gettext = lambda text: {"Error in the data: %(dataset)s": "Ошибка: %(dataset)s"}.get(
        text, text
    )
    message = feedback.error_message(GITHUB, "s", "Данные", None, catalogue.gettext)
    assert message.title == "Ошибка: Данные (s)"


# --- the settings ------------------------------------------------------------------------


def test_feedback_settings_are_checked():
    parsed = MoldirSettings.from_pelican(
        {"MOLDIR_FEEDBACK": {"channel": "gitlab", "repository": "https://gitlab.com/g/p"}}
    )
    assert parsed.feedback.channel == "gitlab" and parsed.feedback.error_labels == ("data-error",)
    assert MoldirSettings.from_pelican({}).feedback == FeedbackSettings()
    with pytest.raises(SettingsError) as raised:
        MoldirSettings.from_pelican(
            {
                "MOLDIR_FEEDBACK": {
                    "channel": "telegram",
                    "repository": "http://github.com/o/r?x=1",
                    "email": "not an address",
                    "labels": ["x"],
                }
            }
        )
    text = str(raised.value)
    for part in ("'channel'", "'repository'", "'email'", "unknown MOLDIR_FEEDBACK setting"):
        assert part in text
    with pytest.raises(SettingsError, match="needs MOLDIR_FEEDBACK\\['repository'\\]"):
        MoldirSettings.from_pelican({"MOLDIR_FEEDBACK": {"channel": "github"}})


def test_the_example_portals_configure_a_channel():
    import runpy

    main_conf = MoldirSettings.from_pelican(runpy.run_path(str(ROOT / "pelicanconf.py")))
    assert main_conf.feedback.channel == "github"
    international = runpy.run_path(str(ROOT / "examples/international/pelicanconf.py"))
    assert MoldirSettings.from_pelican(international).feedback.channel == "email"


# --- data requests -----------------------------------------------------------------------

ROW = {
    "id": "DR-1",
    "date": "2025-01-10",
    "request": "Bus timetables",
    "topic": "roads-and-transport",
    "status": "published",
    "answered": "2025-01-20",
    "published_as": "buses",
}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"status": "refused", "published_as": None}, "reason", "needs a reason"),
        ({"published_as": None}, "published_as", "published_as"),
        ({"published_as": None, "dataset_url": "javascript:alert(1)"}, "dataset_url", "https"),
        ({"answered": "2025-01-01"}, "answered", "before the request"),
        ({"status": "received", "published_as": None}, "answered", "has an answer date"),
        ({"answered": None}, "answered", "needs the date"),
    ],
)
def test_request_rows_must_agree_with_their_status(change, field, words):
    assert request_problems(ROW) == []
    problems = request_problems({**ROW, **change})
    assert [f for f, _ in problems] == [field], problems
    assert words in problems[0][1]


def test_cells_frictionless_rejected_are_not_judged_again():
    assert request_problems({**ROW, "status": "lost"}) == []
    assert request_problems({**ROW, "answered": "yesterday"}, invalid={"answered"}) == []


def test_counts_and_median():
    import datetime as dt

    def request(status, days):
        day = dt.date(2025, 1, 1)
        answered = day + dt.timedelta(days=days) if days is not None else None
        return DataRequest("d", "r", 2, "x", day, "q", "other", status, answered=answered)

    found = [request("published", 4), request("refused", 10), request("received", None)]
    assert summary(found) == {"received": 1, "in-progress": 0, "published": 1, "refused": 1}
    assert median_days(found) == 7.0
    assert median_days([]) is None


def write_requests(root: Path, rows: str) -> Path:
    schema = json.loads((ROOT / "plugins/moldir/schemas/data-requests.json").read_text())
    folder = root / "requests"
    folder.mkdir(parents=True)
    (folder / "requests.csv").write_text(rows, encoding="utf-8")
    descriptor = {
        "name": "requests",
        "title": "Requests",
        "kind": "data-requests",
        "licenses": [{"name": "CC0-1.0"}],
        "contactPoint": {"name": "Desk", "email": "desk@example.kz"},
        "resources": [
            {
                "name": "requests",
                "path": "requests.csv",
                "schema": {"fields": schema["fields"], "primaryKey": ["id"]},
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def test_validate_reports_data_request_errors_by_row(tmp_path):
    header = "id,date,request,topic,body,status,answered,answer,reason,published_as,dataset_url\n"
    rows = (
        header
        + "A-1,2025-01-10,Bus timetables,roads-and-transport,,refused,2025-01-12,No.,,,\n"
        + "A-2,2025-01-10,School lists,education,,published,2025-01-05,,,,\n"
        + "A-3,2025-01-11,Parks,improvement,,received,,,,,\n"
    )
    folder = write_requests(tmp_path / "datasets", rows)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1, result.output
    assert result.output.count("[data-request-error]") == 3, result.output
    assert "row 2" in result.output or ":2" in result.output
    assert "A-3" not in result.output


def test_the_example_data_requests_are_valid():
    result = CliRunner().invoke(main, ["validate", str(ROOT / "datasets" / "data-requests")])
    assert result.exit_code == 0, result.output
    descriptor = json.loads((ROOT / "datasets/data-requests/datapackage.json").read_text())
    # Said plainly, in every language, that the requests are made up.
    assert "ILLUSTRATIVE" in descriptor["description"]
    assert "МЫСАЛ" in descriptor["i18n"]["kk"]["description"]
    assert "ИЛЛЮСТРАТИВНЫЙ" in descriptor["i18n"]["ru"]["description"]


# --- the built example portal ------------------------------------------------------------


def test_dataset_pages_show_the_contact_and_the_feedback_links(built, built_en):
    page = built_en.html("datasets/blog-requests/")
    section = page.select_one("section.moldir-feedback")
    assert section is not None
    mail = section.select_one('a[href^="mailto:"]')
    assert mail["href"] == "mailto:info@astanacivilservicehub.org"
    assert "info@astanacivilservicehub.org" in mail.get_text()
    buttons = section.select(".moldir-feedback__actions a")
    assert [b.get_text(strip=True) for b in buttons] == [
        "Report an error in this data",
        "Request a dataset",
    ]
    error = query(buttons[0]["href"])
    assert buttons[0]["href"].startswith(
        "https://github.com/astana-civil-service-hub/open-data-portal/issues/new?"
    )
    assert "(blog-requests)" in error["title"] and error["labels"] == "data-error"
    # Every dataset page has its section, contact and both links.
    for folder in sorted((ROOT / "datasets").iterdir()):
        if (folder / "datapackage.json").is_file():
            page = built_en.html(f"datasets/{folder.name}/")
            assert len(page.select(".moldir-feedback__actions a")) == 2, folder.name
    # The Kazakh page asks in Kazakh.
    kk = built.html("datasets/blog-requests/").select_one(".moldir-feedback__actions a")
    assert query(kk["href"])["title"].startswith("Деректердегі қате:")


def test_data_requests_page(built, built_en):
    page = built_en.html("data-requests/")
    items = page.select("li.moldir-request")
    assert len(items) == 8
    assert all(item["id"].startswith("request-DR-2025-") for item in items)
    assert page.select_one('a[href$="/datasets/call-and-contact-centres/"]') is not None
    text = page.get_text(" ", strip=True)
    assert "Refused" in text and "The request asks for personal data" in text
    assert page.select_one('a[href*="/issues/new?"]') is not None  # ask for data
    ru = built.path("ru/data-requests/index.html").read_text(encoding="utf-8")
    assert "Запросы данных" in ru and "Отказано" in ru
    kk = built.html("data-requests/").get_text(" ", strip=True)
    assert "Деректерге сұраулар" in kk and "Бас тартылды" in kk


def test_the_international_example_reports_by_email(built_international_en):
    page = built_international_en.html("datasets/official-information-requests-nz/")
    links = page.select(".moldir-feedback__actions a")
    assert len(links) == 2
    assert all(a["href"].startswith("mailto:opendata@example.org?subject=") for a in links)


# --- issue templates ---------------------------------------------------------------------


def test_the_repository_has_the_templates_moldir_new_ships():
    from moldir.cli.scaffold.issue_templates import templates

    for channel in ("github", "gitlab"):
        for relative, text in templates(channel).items():
            assert (ROOT / relative).read_text(encoding="utf-8") == text, relative
    assert templates("email") == {} and templates("") == {}


def test_the_github_forms_have_the_fields_the_links_fill_in():
    import yaml

    from moldir.cli.scaffold.issue_templates import templates

    forms = {Path(path).stem: yaml.safe_load(text) for path, text in templates("github").items()}
    error = feedback.error_message(GITHUB, "s", "T", None, _)
    request = feedback.request_message(GITHUB, "s", "T", None, _)
    for name, message in (("data-error", error), ("data-request", request)):
        ids = {item.get("id") for item in forms[name]["body"]}
        assert {key for key, _value in message.fields} <= ids, name
        assert forms[name]["labels"] == list(message.labels)
        assert message.template == name


def test_moldir_new_writes_the_channels_templates_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pelicanconf.py").write_text(
        'MOLDIR_FEEDBACK = {"channel": "gitlab", "repository": "https://gitlab.com/g/p"}\n'
    )
    result = CliRunner().invoke(main, ["new", "first", "--kind", "receptions"])
    assert result.exit_code == 0, result.output
    assert "Wrote .gitlab/issue_templates/data-error.md" in result.output
    edited = tmp_path / ".gitlab/issue_templates/data-error.md"
    edited.write_text("ours\n")
    again = CliRunner().invoke(main, ["new", "second", "--kind", "receptions"])
    assert again.exit_code == 0, again.output
    assert "issue_templates" not in again.output and edited.read_text() == "ours\n"
    assert not (tmp_path / ".github").exists()
