"""A three-question survey with a skip rule, as staff would write it (the YAML's shape)."""

from __future__ import annotations

import copy
from typing import Any

WATER_SURVEY: dict[str, Any] = {
    "slug": "water-survey",
    "question": {
        "az": "Su haqqında qısa sorğu",
        "ru": "Короткий опрос о воде",
        "en": "A short survey about water",
        "tly": "Ovi barədə kıtə sorğu",
        "lez": "Цин гьакъиндай куьруь опрос",
        "ka": "მოკლე გამოკითხვა წყალზე",
        "uk": "Коротке опитування про воду",
    },
    "questions": [
        {
            "kind": "single",
            "text": {
                "az": "Evinizdə su var?",
                "ru": "Есть ли у вас дома вода?",
                "en": "Do you have running water at home?",
                "tly": "Şımə kəədə ov hestə?",
                "lez": "Квез кӀвале яд авани?",
                "ka": "გაქვთ სახლში წყალი?",
                "uk": "Чи є у вас вдома вода?",
            },
            "choices": [
                {
                    "az": "Hə",
                    "ru": "Да",
                    "en": "Yes",
                    "tly": "Ha",
                    "lez": "Эхь",
                    "ka": "კი",
                    "uk": "Так",
                },
                {
                    "az": "Yox",
                    "ru": "Нет",
                    "en": "No",
                    "tly": "Ne",
                    "lez": "Ваъ",
                    "ka": "არა",
                    "uk": "Ні",
                },
                {
                    "az": "Bəzən",
                    "ru": "Иногда",
                    "en": "Sometimes",
                    "tly": "Bəzi vaxt",
                    "lez": "Бязи вахтара",
                    "ka": "ხანდახან",
                    "uk": "Іноді",
                },
            ],
        },
        {
            "kind": "multiple",
            "show_if": {"question": 1, "answers": [2, 3]},
            "text": {
                "az": "Hansı problemlər var?",
                "ru": "Какие есть проблемы?",
                "en": "What are the problems?",
                "tly": "Çı problemon hestə?",
                "lez": "Гьихьтин месэлаяр ава?",
                "ka": "რა პრობლემებია?",
                "uk": "Які є проблеми?",
            },
            "choices": [
                {
                    "az": "Su kəsilir",
                    "ru": "Отключения",
                    "en": "Cuts",
                    "tly": "Ov bıbrıye",
                    "lez": "Яд атӀуда",
                    "ka": "შეწყვეტა",
                    "uk": "Відключення",
                },
                {
                    "az": "Çirkli su",
                    "ru": "Грязная вода",
                    "en": "Dirty water",
                    "tly": "Çirkı ov",
                    "lez": "Чиркин яд",
                    "ka": "ჭუჭყიანი წყალი",
                    "uk": "Брудна вода",
                },
                {
                    "az": "Baha",
                    "ru": "Дорого",
                    "en": "Expensive",
                    "tly": "Bəhəy",
                    "lez": "Багьа",
                    "ka": "ძვირი",
                    "uk": "Дорого",
                },
                {
                    "az": "Uzaqdır",
                    "ru": "Далеко",
                    "en": "Far away",
                    "tly": "Dıre",
                    "lez": "Яргъа",
                    "ka": "შორს",
                    "uk": "Далеко",
                },
            ],
        },
        {
            "kind": "number",
            "min": 0,
            "max": 24,
            "text": {
                "az": "Gündə neçə saat su olur?",
                "ru": "Сколько часов в день есть вода?",
                "en": "How many hours a day is there water?",
                "tly": "Rujədə çand saət ov bəbe?",
                "lez": "Йикъан къене шумуд сятда яд жеда?",
                "ka": "დღეში რამდენი საათი არის წყალი?",
                "uk": "Скільки годин на день є вода?",
            },
        },
    ],
    "audience": {},
    "share_results": True,
}


def water_survey(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the survey, with top-level fields changed."""
    data = copy.deepcopy(WATER_SURVEY)
    data.update(changes)
    return data
