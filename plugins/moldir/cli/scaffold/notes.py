"""What ``moldir new`` tells the editor: every guess with its evidence, every warning."""

from __future__ import annotations

from dataclasses import dataclass, field


def quoted(text: str, limit: int = 40) -> str:
    """``text`` in double quotes, cut to ``limit`` characters, no-break spaces made visible
    as spaces (a terminal shows both alike)."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f'"{text}"'


def delimiter_name(delimiter: str) -> str:
    return {"\t": "tab", " ": "space"}.get(delimiter, f'"{delimiter}"')


def plural(count: int, word: str) -> str:
    """ "1 column", "3 columns"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def count_range(counts: list[int]) -> str:
    """ "5 each", "2 to 6" for column counts of several lines."""
    if not counts:
        return "none"
    low, high = min(counts), max(counts)
    return f"{low} each" if low == high else f"{low} to {high}"


@dataclass
class Notes:
    """The lines ``moldir new`` prints, in order; warnings are also kept apart."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def say(self, text: str, indent: int = 0) -> None:
        self.lines.append("  " * indent + text)

    def warn(self, text: str, indent: int = 1) -> None:
        self.warnings.append(text)
        self.lines.append("  " * indent + "warning: " + text)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class ScaffoldError(ValueError):
    """Nothing was written; ``notes`` holds what was found before the stop."""

    def __init__(self, message: str, notes: Notes | None = None):
        super().__init__(message)
        self.notes = notes or Notes()
