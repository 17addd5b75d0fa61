"""numbers: figures for people in kk, ru and en (pure unit tests)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from moldir.model.numbers import format_compact, format_number, with_currency

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (2853756218.0, "en", "2,853,756,218"),
        (2853756218.0, "ru", f"2{NB}853{NB}756{NB}218"),
        (2853756218, "kk", f"2{NB}853{NB}756{NB}218"),
        (12.5, "en", "12.5"),
        (12.5, "ru", "12,5"),
        (0.1, "en", "0.1"),
        (3.0, "en", "3"),
        (None, "en", "—"),
        (math.nan, "kk", "—"),
        (Decimal("1.50"), "en", "1.5"),
        (10**30, "en", str(10**30)),
    ],
)
def test_format_number(value, lang, expected):
    assert format_number(value, lang) == expected


def test_format_number_fixed_digits():
    assert format_number(97.333, "ru", digits=1) == "97,3"
    assert format_number(5, "en", digits=2) == "5.00"


@pytest.mark.parametrize(
    ("value", "lang", "currency", "expected"),
    [
        (2853756218.0, "en", "CAD", f"CA$2.85{NB}bn"),
        (2853756218.0, "ru", "CAD", f"2,85{NB}млрд{NB}CA$"),
        (2853756218.0, "kk", "CAD", f"2,85{NB}млрд{NB}CA$"),
        (2853756218000, "kk", "KZT", f"2,85{NB}трлн{NB}₸"),
        (2853756218000, "en", "KZT", f"KZT{NB}2.85{NB}tn"),
        (3e9, "en", "CAD", f"CA$3{NB}bn"),
        (617280, "en", None, f"617{NB}k"),
        (617280, "ru", None, f"617{NB}тыс."),
        (617280, "kk", None, f"617{NB}мың"),
        (1_250_000, "kk", None, f"1,25{NB}млн"),
        (999_700, "en", None, f"1{NB}m"),
        (-1_234_567, "en", "NZD", f"-NZ$1.23{NB}m"),
        (9876, "en", None, "9,876"),
        (9876, "ru", None, f"9{NB}876"),
        (12.0, "en", None, "12"),
        (None, "en", "CAD", "—"),
    ],
)
def test_format_compact(value, lang, currency, expected):
    assert format_compact(value, lang, currency) == expected


def test_compact_never_ends_in_point_zero():
    for value in (1e3 * 10, 2e6, 3.0e9, 4.0e12, 10_000.0):
        for lang in ("kk", "ru", "en"):
            text = format_compact(value, lang)
            assert ".0" not in text and ",0" not in text, text


def test_with_currency_unknown_language_falls_back_to_english():
    assert with_currency("5", "CAD", "xx") == "CA$5"


def test_numpy_scalars_are_figures():
    import numpy as np

    assert format_number(np.float64(1234.5), "en") == "1,234.5"
    assert format_number(np.float64(2.0), "ru") == "2"
    assert format_number(np.int64(22365), "kk") == f"22{NB}365"
    assert format_compact(np.float64(2.853e9), "en", "CAD") == f"CA$2.85{NB}bn"


def test_text_that_is_not_a_figure_is_shown_as_it_is():
    assert format_number("NaN", "en") == "NaN"
    assert format_number("Infinity", "ru") == "Infinity"
    assert format_number("n/a", "kk") == "n/a"
    assert format_compact("NaN", "en") == "NaN"
