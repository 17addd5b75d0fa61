"""Which columns of an export are which fields of a kind's schema.

A column matches a field by the field's name, its title, the transliteration of the
header, or a usual Russian, Kazakh or English header for it (``SYNONYMS``). Headers are
compared in lowercase, without punctuation, "ё" as "е".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moldir.cli.scaffold.names import latin_name
from moldir.cli.scaffold.notes import quoted

BODY = (
    "орган; госорган; государственный орган; наименование органа; наименование госоргана; "
    "наименование государственного органа; ведомство; организация; учреждение; "
    "мемлекеттік орган; органның атауы; мекеме; ұйым; body; government body; organisation; "
    "organization; agency"
)
# Usual headers of each field of each kind, separated by "; ".
SYNONYMS: dict[str, dict[str, str]] = {
    "appeal-statistics": {
        "body": BODY,
        "channel": "канал; канал обращения; арна; channel",
        "measure": "показатель; көрсеткіш; measure; indicator",
        "period_start": "начало периода; дата начала; кезеңнің басы; start",
        "period_end": "конец периода; дата окончания; кезеңнің соңы; end",
        "granularity": "вид периода; кезең түрі",
        "partial": "неполный период; толық емес кезең",
        "period_note": "период; кезең; period",
        "value": "значение; количество; кол-во; число; мәні; саны; count",
        "source": "источник; дереккөз",
    },
    "reception-schedule": {
        "body": BODY,
        "position": "должность; лауазымы; лауазым",
        "official_name": "фио; ф и о; ф.и.о.; аты-жөні; аты жөні; official",
        "recurrence_text": "график; график приема; кесте; қабылдау кестесі; schedule",
        "date": "дата; күні; дата приема",
        "start_time": "начало; время начала; начало приема; басталуы; басталу уақыты",
        "end_time": "окончание; время окончания; аяқталуы; аяқталу уақыты",
        "timezone": "часовой пояс; уақыт белдеуі; time zone",
        "place": "место; место приема; кабинет; өтетін орны; орны",
        "address": "адрес; мекенжай; мекен-жай",
        "format": "формат; форма приема; нысаны",
        "booking": "запись; предварительная запись; жазылу",
        "booking_phone": "телефон; телефон для записи; байланыс телефоны; phone",
        "languages": "язык; языки; тілі; тілдер",
        "notes": "примечание; ескерту; ескертпе; note",
    },
    "budget-programs": {
        "administrator_code": "код администратора; код абп; әкімші коды",
        "administrator": (
            "администратор; администратор бюджетной программы; абп; "
            "бюджеттік бағдарламалар әкімшісі; әкімші"
        ),
        "program_code": "код программы; бағдарлама коды",
        "program": "программа; бюджетная программа; наименование программы; бағдарлама",
        "subprogram_code": "код подпрограммы; кіші бағдарлама коды",
        "subprogram": "подпрограмма; кіші бағдарлама",
        "year": "год; жыл; финансовый год; қаржы жылы",
        "planned": "план; утверждено; уточненный план; жоспар; бекітілген",
        "executed": (
            "исполнение; исполнено; факт; кассовое исполнение; орындалуы; орындалды; actual"
        ),
        "currency": "валюта; currency",
        "unit": "единица; единица измерения; ед изм; өлшем бірлігі; бірлік",
        "source": "источник; дереккөз",
    },
}


def normal(text: str) -> str:
    """A header as compared: lowercase, "ё" as "е", punctuation and spaces collapsed."""
    text = text.lower().replace("ё", "е").replace("_", " ")
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


@dataclass(frozen=True)
class Match:
    column: int  # 0-based position in the export
    header: str
    field: str
    reason: str

    def describe(self) -> str:
        return f"{quoted(self.header)} → {self.field} ({self.reason})"


def match_columns(kind: str, fields: list[dict], headers: list[str]) -> list[Match]:
    """The columns that are fields of the kind, each field and column at most once."""
    synonyms = SYNONYMS.get(kind, {})
    tests = [
        ("the field's name", lambda f, h: normal(h) == normal(f["name"])),
        ("the field's title", lambda f, h: normal(h) == normal(f.get("title", ""))),
        ("its transliteration", lambda f, h: latin_name(h, 0) == f["name"]),
        (
            "a usual header for it",
            lambda f, h: normal(h) in {normal(s) for s in synonyms.get(f["name"], "").split(";")},
        ),
    ]
    matches: list[Match] = []
    used_fields: set[str] = set()
    used_columns: set[int] = set()
    for reason, test in tests:
        for index, header in enumerate(headers):
            if index in used_columns:
                continue
            for field in fields:
                if field["name"] not in used_fields and test(field, header):
                    matches.append(Match(index, header, field["name"], reason))
                    used_fields.add(field["name"])
                    used_columns.add(index)
                    break
    return sorted(matches, key=lambda m: m.column)
