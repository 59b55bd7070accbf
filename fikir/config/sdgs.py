"""The 17 Sustainable Development Goals with their official colours and short names in every
language fikir speaks, so that tags, charts and digests name and colour goals the same way.

Names in en, ru, az, uk and ka follow the UN's and national SDG platforms' short titles. Talysh
(tly) and Lezgian (lez) have no official SDG names; those here are drafts awaiting a native
speaker's review (`NAMES_NEED_REVIEW`)."""

from __future__ import annotations

from dataclasses import dataclass

NAME_LANGUAGES: tuple[str, ...] = ("az", "ru", "en", "tly", "lez", "ka", "uk")
NAMES_NEED_REVIEW: frozenset[str] = frozenset({"tly", "lez"})


@dataclass(frozen=True)
class Goal:
    """One SDG: its number, official colour (hex) and short name per language."""

    number: int
    colour: str
    names: tuple[tuple[str, str], ...]

    def name(self, lang: str = "en") -> str:
        """The short name in `lang`, in English for a language without names."""
        names = dict(self.names)
        return names.get(lang) or names["en"]


_COLOURS = (
    "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
    "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A",
)  # fmt: skip

_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "No poverty", "Zero hunger", "Good health and well-being", "Quality education",
        "Gender equality", "Clean water and sanitation", "Affordable and clean energy",
        "Decent work and economic growth", "Industry, innovation and infrastructure",
        "Reduced inequalities", "Sustainable cities and communities",
        "Responsible consumption and production", "Climate action", "Life below water",
        "Life on land", "Peace, justice and strong institutions", "Partnerships for the goals",
    ),
    "ru": (
        "Ликвидация нищеты", "Ликвидация голода", "Хорошее здоровье и благополучие",
        "Качественное образование", "Гендерное равенство", "Чистая вода и санитария",
        "Недорогостоящая и чистая энергия", "Достойная работа и экономический рост",
        "Индустриализация, инновации и инфраструктура", "Уменьшение неравенства",
        "Устойчивые города и населённые пункты", "Ответственное потребление и производство",
        "Борьба с изменением климата", "Сохранение морских экосистем",
        "Сохранение экосистем суши", "Мир, правосудие и эффективные институты",
        "Партнёрство в интересах устойчивого развития",
    ),
    "az": (
        "Yoxsulluğa son", "Aclığa son", "Sağlam həyat və rifah", "Keyfiyyətli təhsil",
        "Gender bərabərliyi", "Təmiz su və sanitariya", "Əlçatan və təmiz enerji",
        "Layiqli iş və iqtisadi artım", "Sənaye, innovasiya və infrastruktur",
        "Bərabərsizliyin azaldılması", "Davamlı şəhərlər və icmalar",
        "Məsuliyyətli istehlak və istehsal", "İqlim dəyişmələri ilə mübarizə", "Sualtı həyat",
        "Quruda həyat", "Sülh, ədalət və güclü institutlar", "Məqsədlər naminə tərəfdaşlıq",
    ),
    "uk": (
        "Подолання бідності", "Подолання голоду", "Міцне здоров'я і благополуччя",
        "Якісна освіта", "Гендерна рівність", "Чиста вода та належні санітарні умови",
        "Доступна та чиста енергія", "Гідна праця та економічне зростання",
        "Промисловість, інновації та інфраструктура", "Скорочення нерівності",
        "Сталий розвиток міст і громад", "Відповідальне споживання та виробництво",
        "Пом'якшення наслідків зміни клімату", "Збереження морських ресурсів",
        "Захист та відновлення екосистем суші", "Мир, справедливість та сильні інститути",
        "Партнерство заради сталого розвитку",
    ),
    "ka": (
        "სიღარიბის აღმოფხვრა", "შიმშილის აღმოფხვრა", "ჯანმრთელობა და კეთილდღეობა",
        "ხარისხიანი განათლება", "გენდერული თანასწორობა", "სუფთა წყალი და სანიტარია",
        "ხელმისაწვდომი და სუფთა ენერგია", "ღირსეული სამუშაო და ეკონომიკური ზრდა",
        "ინდუსტრია, ინოვაცია და ინფრასტრუქტურა", "უთანასწორობის შემცირება",
        "მდგრადი ქალაქები და დასახლებები", "პასუხისმგებლიანი მოხმარება და წარმოება",
        "კლიმატის ცვლილების საწინააღმდეგო ქმედებები", "სიცოცხლე წყალქვეშ",
        "სიცოცხლე ხმელეთზე", "მშვიდობა, სამართლიანობა და ძლიერი ინსტიტუტები",
        "პარტნიორობა მიზნების მისაღწევად",
    ),
    # Drafts: Talysh readers in Azerbaijan know the Azerbaijani terms, so loans are kept.
    "tly": (
        "Kasıbiyə son", "Aclığə son", "Sağlom ejın və rifah", "Keyfiyyətin təhsil",
        "Jen-merdi bərabəri", "Təmiz ov və sanitariya", "Əlçatan və təmiz enerji",
        "Layiqin kor və iqtisadi artım", "Sənaye, innovasiya və infrastruktur",
        "Bərabərsizi kəm kardə", "Davamlı şəhəron və icmon", "Məsuliyyətin istehlak və istehsal",
        "İqlim dəyişmə ilə mübarizə", "Dəryo bınə ejın", "Zəmini sə ejın",
        "Sülh, ədalət və qüvvətin institutlar", "Məqsədon bəçe tərəfdaşi",
    ),
    "lez": (
        "Кесибвал терг авун", "Гишинвал терг авун", "Сагъ уьмуьр ва берекат",
        "Хъсан чирвилер", "Гендерный барабарвал", "Михьи яд ва санитария",
        "Агакьдай ва михьи энергия", "Лайихлу кӀвалах ва экономикадин артухун",
        "Промышленность, инновацияр ва инфраструктура", "Барабарсузвал тӀимиларун",
        "Давамлу шегьерар ва хуьрер", "Жавабдарвилелди ишлемишун ва гьасилун",
        "Климат дегиш хьуниз акси крар", "Гьуьлуьн уьмуьр", "Чилел алай уьмуьр",
        "Ислягьвал, адалат ва мягькем институтар", "Мурадар патал шериквал",
    ),
}  # fmt: skip

GOALS: tuple[Goal, ...] = tuple(
    Goal(
        number,
        _COLOURS[number - 1],
        tuple((lang, _NAMES[lang][number - 1]) for lang in NAME_LANGUAGES),
    )
    for number in range(1, 18)
)
GOAL_NUMBERS: tuple[int, ...] = tuple(goal.number for goal in GOALS)


def get_goal(goal: int) -> Goal:
    """The goal with this number; ValueError unless 1 <= goal <= 17."""
    if not 1 <= goal <= 17:
        raise ValueError(f"there is no SDG {goal}")
    return GOALS[goal - 1]


def goal_name(goal: int, lang: str) -> str:
    """Short name of SDG `goal` in `lang` (English for a language fikir has no names in)."""
    return get_goal(goal).name(lang)


def goal_colour(goal: int) -> str:
    """Official colour of SDG `goal` as "#RRGGBB"."""
    return get_goal(goal).colour
