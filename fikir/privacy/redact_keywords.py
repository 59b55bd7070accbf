"""The words each keyword-led redaction rule begins with, looked up once per text for all detectors.

Python's regex engine tries a long keyword alternation at every character of a text. Looking up
the text's words in a table instead, and trying a rule only where one of its words begins, is
many times faster; that is what keeps redaction above thousands of messages a second.
A spec lists lower-case words separated by spaces; a trailing "*" makes a word a prefix.
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import MappingProxyType

SPECS: MappingProxyType[str, str] = MappingProxyType(
    {
        # numbers
        "phone": "tel* mob* nömr* nomr* numr* номер* тел* phone* num* whats* ватсап* вотсап* viber "
        "вайбер* zəng zeng звони* ტელეფონ* cell",
        "fin": "fin fın фин",
        "card": "kart* карт* card* ბარათ* bankkart*",
        "cvv": "cvv cvv2 cvc cvc2 cv2",
        "expiry": "exp expiry expires valid son bitmə bitme срок термін ვადა*",
        "plate": "maşın* masin* mashin* avto* nömr* nomr* номер* машин* авто* car cars plate* "
        "vehicle* ნომერ* მანქან* numberplate",
        "id": "ş s şv şəx* şex* səx* sex* vəsiq* vesiq* pasport* паспорт* passport* удостоверени* "
        "посвідчен* id ідентифікац* personal seriya серия პირადი პასპორტ*",
        # contacts
        "username": "insta* inst tele* tg телеграм* инст* ник* nick* username login логин tik* тикток "
        "twitter твиттер facebook fb фейсбук skype скайп discord ინსტაგრამ* ტელეგრამ*",
        # addresses
        "street_after_name": "küç* kuç* kuc* küc* pr* döng* dong* dalan* şose* sose* bulvar* meydan* "
        "street str st avenue ave av road rd lane boulevard blvd ქუჩა ქ გამზ* ჩიხი შესახვევი куьче ул",
        "street_before_name": "ул* пр* пер* б бульвар ш шоссе пл* площадь туп* вул* провулок ul* pr* "
        "per* prospekt",
        "house": "ev bina bn korp* blok dalan döng* dong* tupik д дом корп* корпус стр буд* будинок "
        "house building bldg d dom კორპ*",
        "street_en": "street st avenue ave road rd lane boulevard blvd",
        "microdistrict": "mikr* mkr* m микрорайон* мкр* мкрн* kvartal* квартал* məhəll* mehell*",
        "numbered_house": "saylı sayli nömrəli nomreli",
        # names
        "my_name": "mənim menim mənım menım",
        "surname": "soyadım soyadim",
        "name": "adım adim",
        "ru_called": "меня его её ее их eyo yeyo menya mena menia зовут звать zovut zvat",
        "ru_my_name": "мое моё mo*",
        "uk_called": "мене її його моє мое звати",
        "en_my_name": "my",
        "en_called": "i call зовите kali",
        "tly_my_name": "çım* çim* cım* cim* chimi çəm* çem* cəm* cem*",
        "tly_name": "nomım nomim ismim",
        "lez_my_name": "зи",
        "ka_my_name": "ჩემი მქვია სახელად",
        "label": "ad adı adi adım adim soyad* name full имя фио ф фамилия ім прізвище სახელი გვარი "
        "получатель alıcı alici recipient заявител* заявник отправитель від ərizəçi erizeci şikayətçi "
        "sikayetci müraciət* muraciet* göndərən gonderen applicant complainant sender from",
        "az_i": "mən men",
        "ru_i": "я зун",
        "this_is": "это це this i im bu it its",
        "i_lexicon": "ya əz az მე",
        "ask_for": "спросите спросить позовите попросите ask soruşun sorusun",
        "kin": "my anam atam qızım qizim oğlum oglum qardaşım qardasim bacım bacim yoldaşım yoldasim "
        "nənəm nenem babam qonşum qonsum qonşumuz qonsumuz müəllimimiz muellimimiz müəllimim "
        "muellimim dostum direktor direktorumuz мама мамы маму мать папа отец сестра брат жена муж сын "
        "дочь дочка соседка сосед подруга бабушка дедушка учительница учитель директор мати батько "
        "сусідка сусід",
        "role": "coordinator manager director teacher doctor nurse colleague contact koordinator müdir "
        "mudir rəhbər rehber координатор* менеджер* врач* доктор* коллег*",
        "signoff": "hörm* horm* hurm* hürm* ehtiramla с з best kind warm regards sincerely respectfully "
        "yours cheers პატივისცემით гьуьрмет*",
        "thanks": "təş* teş* tes* təs* thank* спасибо дякую мерси",
        "honorific_before": "mr mrs ms miss dr prof г господин госпожа пан пані ბატონ* ქალბატონ*",
        "name_between": "зовут звать zovut звуть звати name adımdır adimdir имя",
        "writer": "yazır yazir yazdı yazdi yazıram yaziram пишет написал написала пише writes writing here",
        # Officials and other people named by their role (redact_people): az/tly, ru/uk/lez, en, ka.
        "official": "həkim* hekim* müəllim* muellim* muallim* direktor* müdir* mudir* rəis* reis* "
        "başçı* basçı* basci* bashci* basc boşçi* bosci* sədr* sedr* polis* müvəkkil* muvekkil* "
        "hakim* prokuror* deputat* imam* molla* axund* aqronom* feldşer* feldser* mühasib* muhasib* "
        "katib* tərbiyəçi* terbiyeci* inspektor* nümayəndə* numayende* rektor* dekan* müstəntiq* "
        "mustentiq* zavuç* zavuc* sürücü* surucu* məmur* memur* "
        "директор* завуч* учител* врач* доктор* главврач* глава главы главе главой голова голови "
        "голові головою председател* мэр мэра мэру мэром мер мера мером участков* полицейск* "
        "поліцейськ* милиционер* инспектор* начальник* судья судьи судье судью судьей суддя судді "
        "суддю прокурор* депутат* имам* мулл* заведующ* завідувач* фельдшер* медсестр* бухгалтер* "
        "продав* хозя* староста старосты аким* следовател* водител* тренер* воспитател* педагог* "
        "ректор* декан* вчител* лікар* дільничн* кьил духтур* муаллим* гьаким* полис* сотрудник* "
        "director* principal* head headmaster headteacher teacher* doctor* dr nurse* mayor* judge* "
        "prosecutor* officer* policeman policewoman inspector* imam* mullah deputy governor* chairman "
        "chairwoman chief official* clerk* manager* owner* landlord* boss mp councillor* "
        "დირექტორ* ექიმ* მასწავლებელ* გამგებელ* პოლიციელ* მერი მერმა მერს მერის მოსამართლე* "
        "იმამ* რწმუნებულ* ინსპექტორ* გუბერნატორ* დეპუტატ* პროკურორ* მძღოლ*",
        # Words after which a surname or a name is given (redact_people).
        "cue": "фамилия фамилии фамилию фамилией прізвище прізвища прізвищем soyad soyadı soyadi "
        "soyadını soyadini surname surnames lastname adı adi nomi nom გვარი გვარია გვარად "
        "зовут звать звуть звати",
        "honorific_after": "xanım xanim xanum bəy bey müəllim* muellim* həkim hekim ağa aga dayı dayi "
        "əmi emi bacı baci ханум ханым муаллим* муэллим*",
    }
)

_TOKEN = re.compile(r"\w+")
_EXACT: dict[str, list[str]] = {}
_PREFIXES: dict[str, list[tuple[str, str]]] = {}
for _rule, _spec in SPECS.items():
    for _word in _spec.split():
        if _word.endswith("*"):
            _PREFIXES.setdefault(_word[0], []).append((_word[:-1], _rule))
        else:
            _EXACT.setdefault(_word, []).append(_rule)
# Words recur from message to message: remember which rules each one starts.
_MEMO: dict[str, tuple[str, ...]] = {}
_MEMO_LIMIT = 100_000


def _rules_for(word: str) -> tuple[str, ...]:
    rules = set(_EXACT.get(word, ()))
    rules.update(r for prefix, r in _PREFIXES.get(word[0], ()) if word.startswith(prefix))
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[word] = found = tuple(sorted(rules))
    return found


@lru_cache(maxsize=16)
def words(text: str) -> frozenset[str]:
    """The distinct lower-case words of `text` (cached: every detector of a pass asks)."""
    # "İ".lower() is "i" plus a combining dot; drop the dot so "FİN" reads as "fin".
    return frozenset(_TOKEN.findall(text.lower().replace("\u0307", "")))


@lru_cache(maxsize=16)
def keyword_starts(text: str) -> MappingProxyType[str, list[int]]:
    """For each rule in SPECS that has a keyword in `text`, the sorted offsets where one begins."""
    hits: dict[str, tuple[str, ...]] = {}
    for word in words(text):
        rules = _MEMO.get(word)
        if rules is None:
            rules = _rules_for(word)
        if rules:
            hits[word] = rules
    found: dict[str, list[int]] = {}
    if not hits:
        return MappingProxyType(found)
    lowered = text.lower()
    if len(lowered) == len(text):
        tokens = ((m.group(), m.start()) for m in _TOKEN.finditer(lowered))
    else:  # "İ".lower() adds a combining dot and shifts offsets: lower word by word
        tokens = (
            (m.group().lower().replace("\u0307", ""), m.start()) for m in _TOKEN.finditer(text)
        )
    for token, start in tokens:
        for rule in hits.get(token, ()):
            found.setdefault(rule, []).append(start)
    return MappingProxyType(found)


def starts(text: str, rule: str) -> list[int]:
    """The offsets in `text` where a keyword of `rule` begins (empty when there is none)."""
    return keyword_starts(text).get(rule, [])
