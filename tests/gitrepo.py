"""Git in a temporary repository for the tests of dataset history: a fixed editor, no
signing, and commit dates given by the test (so versions fall on known days)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(folder: Path, *args: str, date: str | None = None) -> str:
    """Run ``git -C folder args`` as a fixed editor; its standard output."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else None
    return subprocess.run(
        [
            "git",
            "-C",
            str(folder),
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=e@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
