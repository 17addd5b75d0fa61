"""The issue templates a portal's feedback links open (docs/feedback.md), shipped by
``moldir new``.

"Report an error in this data" and "Request a dataset" on dataset pages open a new issue
with ``template=data-error.yml`` (GitHub) or ``issuable_template=data-error`` (GitLab)
(``moldir.features.feedback``). The templates are files of this package; ``moldir new``
writes the ones of the configured channel into the project when they are missing (an
edited template is never overwritten) and says so.
"""

from __future__ import annotations

from pathlib import Path

from moldir.model.settings import FeedbackSettings

HERE = Path(__file__).resolve().parent
# Where each host looks for templates, and the file of this package for each name.
LOCATIONS = {
    "github": (".github/ISSUE_TEMPLATE", ".yml"),
    "gitlab": (".gitlab/issue_templates", ".md"),
}
NAMES = ("data-error", "data-request")


def templates(channel: str) -> dict[str, str]:
    """Project path → text of each issue template of ``channel`` ({} for e-mail or none)."""
    if channel not in LOCATIONS:
        return {}
    folder, suffix = LOCATIONS[channel]
    return {
        f"{folder}/{name}{suffix}": (HERE / f"{name}{suffix}").read_text(encoding="utf-8")
        for name in NAMES
    }


def write_missing(project: Path, settings: FeedbackSettings) -> list[str]:
    """Write the channel's templates the project does not have yet; the paths written."""
    written = []
    for relative, text in templates(settings.channel).items():
        path = project / relative
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(relative)
    return written
