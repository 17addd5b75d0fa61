"""Latin field names for the headers of an editor's export, and the language of a text.

Exports from Kazakhstan's offices have Russian or Kazakh headers ("Из них в срок, %",
"Өтініштер саны"); field names must be Latin (they are the column names of every download
and of the API). The names are transliterations by a small table rather than Unidecode,
which writes Kazakh letters as "@", "k'" and "g'" (ә, қ, ғ) and "ё" as "io":

- Russian letters as in ICAO Doc 9303 (the machine-readable zone of passports, used for
  Russian and Kazakhstani passports): ж zh, х kh, ц ts, ч ch, ш sh, щ shch, ы y, э e,
  ю iu, я ia, й i, ъ ie; ь is dropped, ё is e;
- the Kazakh letters as in the Kazakh Latin alphabet of 2021 without its diacritics:
  ә a, ғ g, қ q, ң n, ө o, ұ u, ү u, һ h, і i.
"""

from __future__ import annotations

import re
import unicodedata

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
KAZAKH_LETTERS = "әғқңөұүһі"
# Words a header uses for a unit, written out so that the name keeps the meaning.
SYMBOLS = {"%": " percent ", "№": " no ", "#": " no ", "+": " plus "}
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_NAME = 60


def transliterate(text: str) -> str:
    """``text`` in Latin letters (lowercase): the table above, then accents removed."""
    out = []
    for char in text.lower():
        out.append(CYRILLIC_TO_LATIN.get(char, SYMBOLS.get(char, char)))
    latin = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in latin if not unicodedata.combining(c))


def latin_name(header: str, position: int) -> str:
    """A field name for a header: lowercase Latin letters, digits and ``_``.

    ``position`` (1-based) names a column whose header gives nothing to write.
    """
    name = re.sub(r"[^a-z0-9]+", "_", transliterate(header)).strip("_")
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME].rsplit("_", 1)[0]
    if not name:
        return f"column_{position}"
    if name[0].isdigit():
        name = f"column_{name}"
    return name


def unique_names(names: list[str]) -> list[str]:
    """``names`` with repeats numbered (``total``, ``total_2``), as field names must differ."""
    seen: dict[str, int] = {}
    result = []
    taken = set(names)
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        candidate = name if count == 1 else f"{name}_{count}"
        while count > 1 and candidate in taken:
            count += 1
            candidate = f"{name}_{count}"
        taken.add(candidate)
        result.append(candidate)
    return result


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def has_kazakh(text: str) -> bool:
    return any(char in KAZAKH_LETTERS for char in text.lower())


def language_of(texts: list[str]) -> tuple[str | None, str]:
    """The language of some texts (``kk``, ``ru``, ``en`` or None) and why.

    Kazakh and Russian share the Cyrillic letters; only Kazakh has ә ғ қ ң ө ұ ү һ і. In
    Kazakh text a good part of the words have one of them, in Russian text only the Kazakh
    names do ("пр. Бейбітшілік"): Kazakh when at least one Cyrillic word in three has one.
    """
    words = [w for text in texts for w in re.findall(r"[^\W\d_]+", text)]
    cyrillic = [w for w in words if has_cyrillic(w)]
    if cyrillic:
        kazakh = [w for w in cyrillic if has_kazakh(w)]
        share = f"{len(kazakh)} of {len(cyrillic)} Cyrillic words"
        if len(kazakh) * 3 >= len(cyrillic):
            return "kk", f'Kazakh letters in {share}, e.g. "{kazakh[0]}"'
        if kazakh:
            return "ru", f'Cyrillic; Kazakh letters only in {share}: "{kazakh[0]}"'
        return "ru", f"Cyrillic, none of the Kazakh letters {' '.join(KAZAKH_LETTERS)}"
    if any(re.fullmatch(r"[A-Za-z]{2,}", w) for w in words):
        return "en", "Latin letters only"
    return None, "no words"


LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English"}
