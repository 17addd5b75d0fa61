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
