"""Numbers as people read them, in the page's language (Babel).

One place for the portal's number formats, used by pages, tables and charts:

- ``format_number``: a whole figure with the language's separators ("2,853,756,218" in
  English, "2 853 756 218" in Russian and Kazakh), decimals only when the value has them
  (never a trailing ".0"); missing values as an em dash.
- ``format_compact``: a large figure in words of thousands, millions, billions and
  trillions, with the currency when it is money: "CA$2.85 bn" (en), "2,85 млрд CA$" (ru),
  "2,85 млрд ₸" (kk). Three significant digits, trailing zeros dropped ("CA$3 bn").

The unit words are our own table, not CLDR's short compact forms: CLDR's Kazakh thousand
is "м." (read as "million" by most readers) and its English forms ("2.85B") are not the
newsroom style readers know ("2.85 bn").
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, get_currency_symbol

NBSP = "\u00a0"

# Powers of ten and their short words per language. Kazakh uses мың for thousand and the
# Russian-derived abbreviations for the others (as the Ministry of Finance's reports do).
UNITS: dict[str, tuple[tuple[int, str], ...]] = {
    "en": ((12, "tn"), (9, "bn"), (6, "m"), (3, "k")),
    "ru": ((12, "трлн"), (9, "млрд"), (6, "млн"), (3, "тыс.")),
    "kk": ((12, "трлн"), (9, "млрд"), (6, "млн"), (3, "мың")),
}

# Numbers this large lose digits in Babel's decimal context: they are shown exactly.
EXACT_LIMIT = 10**27


def babel_locale(lang: str | None) -> str:
    """The Babel locale for a page language ("kk", "ru", "en", "en-GB" → "en_GB");
    English when the language is unknown to Babel."""
    name = str(lang or "en").replace("-", "_")
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return "en"
    return name


def _language(lang: str | None) -> str:
    return babel_locale(lang).split("_")[0]


def is_missing(value: Any) -> bool:
    """None, NaN, pandas' NA or NaT: a figure the source does not give."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    text = str(value)
    return text in ("<NA>", "NaT", "nan")


def _decimal(value: Any) -> Decimal | None:
    """``value`` as an exact Decimal (floats by their shortest repr: 0.1 stays 0.1)."""
    if isinstance(value, bool):
        return None
    if hasattr(value, "item") and not isinstance(value, (int, float, Decimal)):
        value = value.item()  # numpy scalars
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isinf(value):
            return None
        return Decimal(repr(float(value)))  # float() first: numpy 2 reprs "np.float64(…)"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None  # "NaN", "Infinity" are text here


def format_number(value: Any, lang: str | None = "en", digits: int | None = None) -> str:
    """A figure with the language's separators; ``digits`` fixes the decimal places,
    otherwise the value's own decimals are kept and a whole value shows none."""
    if is_missing(value):
        return "—"
    if isinstance(value, bool):
        return str(value)
    number = _decimal(value)
    if number is None:
        return str(value)
    if abs(number) >= EXACT_LIMIT:
        return str(int(number)) if number == number.to_integral_value() else str(value)
    locale = babel_locale(lang)
    if digits is not None:
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return format_decimal(number, format=pattern, locale=locale)
    if number == number.to_integral_value():
        return format_decimal(int(number), locale=locale)
    return format_decimal(number.normalize(), locale=locale, decimal_quantization=False)


def _significant(number: Decimal, places: int) -> Decimal:
    """``number`` rounded to ``places`` significant digits, trailing zeros dropped."""
    if number == 0:
        return Decimal(0)
    exponent = number.adjusted() - places + 1
    rounded = number.quantize(Decimal(1).scaleb(exponent))
    return rounded.normalize() if rounded != rounded.to_integral_value() else rounded.quantize(1)


def with_currency(text: str, currency: str, lang: str | None = "en") -> str:
    """``text`` (a formatted amount) with the currency's symbol where the language puts
    it: before in English ("CA$2.85 bn"), after in Russian and Kazakh ("2,85 млрд ₸")."""
    locale = babel_locale(lang)
    try:
        symbol = get_currency_symbol(currency, locale=locale)
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
    except (UnknownLocaleError, ValueError, KeyError):
        return f"{text}{NBSP}{currency}"
    negative = text.startswith(("-", "−"))
    body = text[1:] if negative else text
    sign = text[0] if negative else ""
    if pattern.strip().startswith("¤"):
        # A code as symbol ("KZT") is a word: it needs a space ("KZT 2.85 tn").
        gap = NBSP if symbol[-1:].isalpha() else ""
        return f"{sign}{symbol}{gap}{body}"
    return f"{sign}{body}{NBSP}{symbol}"


def format_compact(
    value: Any,
    lang: str | None = "en",
    currency: str | None = None,
    *,
    significant: int = 3,
    threshold: float = 10_000,
) -> str:
    """A large figure in short words ("617 тыс.", "CA$2.85 bn"); figures below
    ``threshold`` in full ("9,876"). ``currency`` is an ISO 4217 code."""
    if is_missing(value):
        return "—"
    number = _decimal(value)
    if number is None or isinstance(value, bool):
        return str(value)
    lang_units = UNITS.get(_language(lang), UNITS["en"])
    magnitude = abs(number)
    text: str | None = None
    if magnitude >= Decimal(str(threshold)):
        for power, word in lang_units:
            scale = Decimal(10) ** power
            if magnitude >= scale:
                scaled = _significant(number / scale, significant)
                # Rounding 999.7 k gives 1,000 k: one unit up reads better (1 m).
                if abs(scaled) >= 1000 and power != lang_units[0][0]:
                    bigger = next(p for p, _ in lang_units if p == power + 3)
                    word = dict(lang_units)[bigger]
                    scaled = _significant(number / Decimal(10) ** bigger, significant)
                text = f"{format_number(scaled, lang)}{NBSP}{word}"
                break
    if text is None:
        text = format_number(_small(number, significant), lang)
    if currency:
        return with_currency(text, currency, lang)
    return text


def _small(number: Decimal, significant: int) -> Decimal:
    """A figure below the compact threshold: whole when it is, else two decimals at most
    (or ``significant`` digits for a fraction below one)."""
    if number == number.to_integral_value():
        return number.quantize(1)
    if abs(number) < 1:
        return _significant(number, significant)
    return number.quantize(Decimal("0.01")).normalize()
