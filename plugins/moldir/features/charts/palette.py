"""The chart palette and the CSS custom properties that let pages restyle charts.

Colours are the UK Analysis Function's categorical palette: each has at least 3:1
contrast against white and against its neighbours, so bars, lines and legend symbols
meet WCAG 1.4.11. Inline SVG refers to them as ``var(--moldir-chart-N, #HEX)`` so that
a colour scheme (the visually-impaired mode, dark mode, forced colours) can replace them
by setting custom properties on ``<html>``; the hex value is the fallback everywhere else
(the standalone ``.svg`` file, a page without Moldir's CSS).
"""

from __future__ import annotations

PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")

# Colours Vega draws on its own (axes, grid, text); mapped to these properties.
TEXT_PROPERTY = "--moldir-chart-text"
AXIS_PROPERTY = "--moldir-chart-axis"
GRID_PROPERTY = "--moldir-chart-grid"
BAR_GAP_PROPERTY = "--moldir-chart-gap"

AXIS_COLOUR = "#505A5F"  # 7:1 on white: axis lines and ticks read as clearly as text
GRID_COLOUR = "#D8D8D8"  # decorative; never the only way to read a value
TEXT_COLOUR = "#0B0C0C"
GAP_COLOUR = "#FFFFFF"  # the thin line between stacked segments


def series_property(index: int) -> str:
    """``--moldir-chart-1`` … ``--moldir-chart-6`` (colours repeat after six)."""
    return f"--moldir-chart-{index % len(PALETTE) + 1}"


def css_var(index: int) -> str:
    """The CSS value of series ``index``: the custom property with its fallback."""
    return f"var({series_property(index)}, {PALETTE[index % len(PALETTE)]})"


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two ``#RRGGBB`` colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The visually-impaired mode's colour schemes (theme/static/css/modes.css): text,
# background and the six series colours that replace the palette there. Each series colour
# is ≥ 3:1 against the background and against its neighbours (tests/test_charts.py reads
# modes.css and checks both). In a two-colour scheme two series can be 3:1 apart only if one
# of them is near the extreme, so near-black (or near-white) tones alternate with mid tones
# of other hues; the direct labels, never colour alone, name the series.
SCHEMES: dict[str, tuple[str, str]] = {
    "bw": ("#000000", "#ffffff"),
    "wb": ("#ffffff", "#000000"),
    "blue": ("#063462", "#9dd1ff"),
    "brown": ("#4d4b43", "#f7f3d6"),
    "green": ("#a9e44d", "#3b2716"),
}
SCHEME_PALETTES: dict[str, tuple[str, ...]] = {
    "bw": ("#070e18", "#278675", "#1f0411", "#c75605", "#051005", "#965dd0"),
    "wb": ("#e7eef8", "#257e6e", "#fee6f2", "#a25f2f", "#cff8ce", "#8f51cd"),
    "blue": ("#070e18", "#217364", "#1f0411", "#96582c", "#051005", "#8c36e2"),
    "brown": ("#070e18", "#268272", "#1f0411", "#b75c1a", "#051005", "#994ce6"),
    "green": ("#e7eef8", "#148f79", "#fee6f2", "#c4631c", "#cff8ce", "#a651fb"),
}
