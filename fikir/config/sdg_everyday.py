"""Each SDG in everyday words for participants ("Water and toilets"), short enough for a button.

Staff, digests and the public page keep the official names (fikir/config/sdgs.py); these are
what a writer is offered when asked what their message is about, so that a 16-year-old or a
grandmother recognises the topic without knowing the goals. Talysh, Lezgian and Georgian
labels await a native speaker's review (`EVERYDAY_NEED_REVIEW`).
"""

from __future__ import annotations

from fikir.config.sdgs import get_goal

EVERYDAY_NEED_REVIEW: frozenset[str] = frozenset({"tly", "lez", "ka"})
MAX_LABEL = 30  # Telegram shows about this much of an inline button on a phone

_EVERYDAY: dict[str, tuple[str, ...]] = {
    "en": (
        "Money and poverty", "Food and hunger", "Health and doctors", "School and learning",
        "Equal rights for women", "Water and toilets", "Electricity and gas", "Jobs and wages",
        "Roads, internet, factories", "Fair treatment for all", "Towns, housing, transport",
        "Waste and recycling", "Climate change", "Sea and fish", "Nature, forests, animals",
        "Justice and safety", "Working together",
    ),
    "ru": (
        "Бедность и деньги", "Еда и голод", "Здоровье и врачи", "Школа и учёба",
        "Равные права женщин", "Вода и туалеты", "Электричество и газ", "Работа и зарплаты",
        "Дороги, интернет, заводы", "Равенство для всех", "Город, жильё, транспорт",
        "Мусор и переработка", "Изменение климата", "Море и рыба", "Природа, леса, животные",
        "Справедливость и безопасность", "Сотрудничество",
    ),
    "az": (
        "Yoxsulluq və pul", "Qida və aclıq", "Sağlamlıq və həkimlər", "Məktəb və təhsil",
        "Qadınların bərabər hüquqları", "Su və tualet", "Elektrik və qaz", "İş və maaş",
        "Yollar, internet, zavodlar", "Hamı üçün bərabərlik", "Şəhər, mənzil, nəqliyyat",
        "Zibil və təkrar emal", "İqlim dəyişikliyi", "Dəniz və balıq",
        "Təbiət, meşələr, heyvanlar", "Ədalət və təhlükəsizlik", "Əməkdaşlıq",
    ),
    "uk": (
        "Бідність і гроші", "Їжа і голод", "Здоров'я і лікарі", "Школа і навчання",
        "Рівні права жінок", "Вода і туалети", "Електрика і газ", "Робота і зарплати",
        "Дороги, інтернет, заводи", "Рівність для всіх", "Місто, житло, транспорт",
        "Сміття і переробка", "Зміна клімату", "Море і риба", "Природа, ліси, тварини",
        "Справедливість і безпека", "Співпраця",
    ),
    "ka": (
        "სიღარიბე და ფული", "საკვები და შიმშილი", "ჯანმრთელობა და ექიმები", "სკოლა და სწავლა",
        "ქალების თანაბარი უფლებები", "წყალი და ტუალეტები", "ელექტროენერგია და გაზი",
        "სამუშაო და ხელფასი", "გზები, ინტერნეტი, ქარხნები", "თანასწორობა ყველასთვის",
        "ქალაქი, სახლები, ტრანსპორტი", "ნაგავი და გადამუშავება", "კლიმატის ცვლილება",
        "ზღვა და თევზი", "ბუნება, ტყეები, ცხოველები", "სამართალი და უსაფრთხოება",
        "თანამშრომლობა",
    ),
    # Drafts, as the rest of these catalogues: Azerbaijani and Russian loans are kept.
    "tly": (
        "Kasıbi və pul", "Xurək və aclıq", "Sağlomi və həkimon", "Məktəb və təhsil",
        "Jenon bərabər hüquqon", "Ov və tualet", "Elektrik və qaz", "Kor və maaş",
        "Roon, internet, zavodon", "Həmə bəçe bərabəri", "Şəhər, xonə, nəqliyyat",
        "Zibil və təkrar emal", "İqlim dəyişmə", "Dəryo və moy", "Təbiət, meşon, heyvonon",
        "Ədalət və təhlükəsizi", "Əməkdaşi",
    ),
    "lez": (
        "Кесибвал ва пул", "ТӀуьн ва гишинвал", "Сагъвал ва духтурар", "Мектеб ва чирвилер",
        "Дишегьлийрин барабар ихтиярар", "Яд ва туалетар", "Электричество ва газ",
        "КӀвалах ва мажиб", "Рекьер, интернет, заводар", "Вирибуруз барабарвал",
        "Шегьер, кӀвал, транспорт", "Зибил ва мад ишлемишун", "Климат дегиш хьун",
        "Гьуьл ва балугъ", "ТӀебиат, тамар, гьайванар", "Адалат ва хатасузвал",
        "Санал кӀвалахун",
    ),
}  # fmt: skip


def everyday_name(goal: int, lang: str) -> str:
    """SDG `goal` in everyday words in `lang` (English for a language without them)."""
    get_goal(goal)  # ValueError unless 1 <= goal <= 17
    names = _EVERYDAY.get(lang) or _EVERYDAY["en"]
    return names[goal - 1]
