"""No network, ever, at validate or build (docs/security.md, "Network").

The example portal is validated and built by the real ``moldir`` commands in a network
namespace without network (``unshare -n``) when this machine allows one, and always with
the socket guard of whole_site.py, which records any connection or name lookup Python
attempts. Without a namespace the guard alone isolates Python (the Pagefind binary then
is not isolated); the tests fail, never skip, if the guard is not in effect.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from whole_site import (
    check_isolation,
    copy_project,
    isolation,
    network_namespace,
    offline_build,
    run_moldir,
)

from moldir.features.search import BUNDLE_DIR


@pytest.fixture(scope="session")
def base(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "whole-site"


def test_the_isolation_is_in_effect(tmp_path: Path):
    offline = isolation(tmp_path, "probe")
    outcome = check_isolation(offline)
    assert outcome["connect"] and outcome["lookup"]
    if network_namespace() is None:
        # Not a failure: the guard isolates Python; say so in the test report.
        print("no network namespace on this machine: the socket guard alone isolates Python")


def test_the_example_portal_validates_and_builds_offline(base: Path):
    build = offline_build(base)
    assert build.validate.returncode == 0, build.validate.stdout + build.validate.stderr
    assert build.build.returncode == 0, build.build.stdout + build.build.stderr
    assert "Traceback" not in build.validate.stderr + build.build.stderr
    # Nothing tried to reach the network, not even a name lookup.
    assert build.offline is not None and build.offline.attempts() == ""
    site = build.output
    assert (site / "index.html").is_file()
    assert (site / "en" / "index.html").is_file()
    entry = json.loads((site / BUNDLE_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["en", "kk", "ru"]
    assert all(info["page_count"] > 0 for info in entry["languages"].values())
    # Charts were drawn (vl-convert, offline too) and downloads written.
    assert list(site.glob("datasets/*/charts/*.svg"))
    assert list(site.glob("datasets/*/*.xlsx"))


# --- remote references --------------------------------------------------------------

CSV = "text\nhello\n"
LICENSE = [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}]
FIELDS = {"fields": [{"name": "text", "type": "string"}]}
# Addresses that would answer if there were a network (they must never be asked).
REMOTE = "https://example.org/moldir-offline-test"

# Dataset → (the remote property, resource properties, package properties).
REMOTE_CASES = {
    "remote-path": ("path", {"path": f"{REMOTE}/data.csv", "schema": FIELDS}, {}),
    "remote-schema": ("schema", {"path": "data.csv", "schema": f"{REMOTE}/schema.json"}, {}),
    "remote-dialect": (
        "dialect",
        {"path": "data.csv", "schema": FIELDS, "dialect": f"{REMOTE}/dialect.json"},
        {},
    ),
    "remote-resource-profile": (
        "profile",
        {"path": "data.csv", "schema": FIELDS, "profile": f"{REMOTE}/resource-profile.json"},
        {},
    ),
    "remote-package-profile": (
        "profile",
        {"path": "data.csv", "schema": FIELDS},
        {"profile": f"{REMOTE}/package-profile.json"},
    ),
}


def remote_project(root: Path) -> Path:
    """The example project with one dataset per kind of remote reference added."""
    project = copy_project(root)
    for slug, (_, resource, package) in REMOTE_CASES.items():
        folder = project / "datasets" / slug
        folder.mkdir()
        (folder / "data.csv").write_text(CSV, encoding="utf-8")
        descriptor = {
            "title": f"Offline test: {slug}",
            "description": "A dataset whose descriptor points at the network.",
            "licenses": LICENSE,
            "topic": "appeals",
            "resources": [{"name": "data", **resource}],
            **package,
        }
        (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2))
    return project


def test_remote_references_are_errors_and_nothing_is_fetched(tmp_path: Path):
    project = remote_project(tmp_path / "portal")
    offline = isolation(tmp_path, "remote")
    check_isolation(offline)
    # A timeout well below the default: a fetch blocked without a network would hang here.
    validate = run_moldir(
        project, "validate", "--format", "json", "datasets", offline=offline, timeout=300
    )
    # Holds whatever the validator does with these references: nothing is fetched, and the
    # outcome is a report, not a traceback.
    assert offline.attempts() == ""
    assert "Traceback" not in validate.stderr, validate.stderr
    assert validate.returncode == 1, validate.stdout + validate.stderr
    report = json.loads(validate.stdout)
    tasks = {task["name"]: task for task in report["tasks"]}
    # Depends on the validation flow's rule (plugins/moldir/pipeline/discover.py): each remote
    # reference is a "remote-reference" error naming the property, and nothing else.
    for slug, (key, _, _) in REMOTE_CASES.items():
        errors = tasks[slug]["errors"]
        assert [error["type"] for error in errors] == ["remote-reference"], (slug, errors)
        assert key in errors[0]["message"] and REMOTE in errors[0]["message"], errors
        assert errors[0]["file"].endswith(f"{slug}/datapackage.json"), errors
        assert errors[0].get("line"), errors
    # The example datasets are still valid: only the remote ones failed.
    assert sorted(slug for slug, task in tasks.items() if not task["valid"]) == sorted(REMOTE_CASES)

    # A build stops at the same errors, offline, and leaves no output.
    build = run_moldir(
        project, "build", "--output", str(tmp_path / "site"), offline=offline, timeout=300
    )
    assert offline.attempts() == ""
    assert "Traceback" not in build.stderr, build.stderr
    assert build.returncode == 1, build.stdout + build.stderr
    assert "[remote-reference]" in build.stderr  # depends on the validation flow's rule
    assert not (tmp_path / "site").exists()
