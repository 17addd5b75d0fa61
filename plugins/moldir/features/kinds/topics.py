"""What citizens ask about: the one code list of topics that appeals, commitments, data
requests and published answers share, so that a topic page can link them together.

A dataset's ``topic`` column holds these codes (a kind schema lists them as the field's
``enum``); readers see the label in their language. A publisher with a topic outside the
list uses ``other`` and says more in the row's description. The list follows the headings
under which Kazakhstan's bodies report appeals (housing and utilities, roads, land, social
protection, …); it is deliberately short, so that counts by topic compare between bodies.
"""

from __future__ import annotations

from typing import NamedTuple


class Topic(NamedTuple):
    code: str
    en: str
    kk: str
    ru: str

    def label(self, lang: str) -> str:
        """The topic in ``lang`` (English for a language the list does not have)."""
        return getattr(self, lang, None) if lang in ("kk", "ru", "en") else self.en


TOPICS: dict[str, Topic] = {
    topic.code: topic
    for topic in (
        Topic(
            "housing-and-utilities",
            "Housing and utilities",
            "Тұрғын үй-коммуналдық шаруашылық",
            "Жилищно-коммунальное хозяйство",
        ),
        Topic(
            "roads-and-transport", "Roads and transport", "Жолдар және көлік", "Дороги и транспорт"
        ),
        Topic("land", "Land relations", "Жер қатынастары", "Земельные отношения"),
        Topic("social-protection", "Social protection", "Әлеуметтік қорғау", "Социальная защита"),
        Topic("health", "Health care", "Денсаулық сақтау", "Здравоохранение"),
        Topic("education", "Education", "Білім беру", "Образование"),
        Topic("employment", "Employment", "Жұмыспен қамту", "Занятость"),
        Topic(
            "public-order",
            "Public order and safety",
            "Қоғамдық тәртіп және қауіпсіздік",
            "Общественный порядок и безопасность",
        ),
        Topic("improvement", "Landscaping and public spaces", "Абаттандыру", "Благоустройство"),
        Topic("environment", "Environment", "Экология", "Экология"),
        Topic(
            "business", "Business support", "Кәсіпкерлікті қолдау", "Поддержка предпринимательства"
        ),
        Topic(
            "open-data",
            "Open data and information",
            "Ашық деректер және ақпарат",
            "Открытые данные и информация",
        ),
        Topic("other", "Other", "Басқа", "Другое"),
    )
}


def topic_label(code: str, lang: str) -> str:
    """A topic code as readers say it in ``lang``; an unknown code is shown as it is."""
    topic = TOPICS.get(code)
    return topic.label(lang) if topic else code
