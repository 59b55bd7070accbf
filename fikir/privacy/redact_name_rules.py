"""The patterns that find people's names, by language: introductions, sign-offs, honorifics, surnames."""

from __future__ import annotations

import re

from fikir.privacy.redact_common import CAP_WORD, LETTER, UPPER, WORD

# How strict the word after a trigger must be before it is taken as a name.
ANY = "any"  # "меня зовут ольга": any word that is not a stop word
CAP = "cap"  # "adım Elnur" / "adim nicat": capitalised, or a known given name
WEAK = "weak"  # "я Айгюн,", "I am Rashad": capitalised and clearly standing alone, or a known name
MEN = "men"  # Azerbaijani "mən Rəşadam": also accepts a capitalised word with a copula ending
LEX = "lex"  # "ya Nurlan", "მე ვარ მარიამი": only a known given name
KIN = "kin"  # "my mum Gulnara", "qonşumuz Vüsal": capitalised

# Each trigger: its pattern, how strict the word after it must be, and its entry in
# redact_keywords.SPECS (the pattern is tried only where one of those words begins).
TRIGGERS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p), mode, key)
    for p, mode, key in (
        (
            r"(?i:(?<!\w)m[əe]n[iı]m\s+ad[ıi]m(?:\s+v[əe]\s+soyad[ıi]m)?)(?!\w)",
            ANY,
            "my_name",
        ),
        (r"(?i:(?<!\w)soyad[ıi]m)(?!\w)", ANY, "surname"),
        (r"(?i:(?<!\w)ad[ıi]m(?:\s+v[əe]\s+soyad[ıi]m)?)(?!\w)", CAP, "name"),
        (
            r"(?i:(?<!\w)(?:меня|его|её|ее|их|eyo|yeyo|menya|mena|menia)\s+(?:зовут|звать|zovut|zvat))"
            r"(?!\w)",
            ANY,
            "ru_called",
        ),
        (
            r"(?i:(?<!\w)(?:зовут|звать|zovut|zvat)(?:\s+(?:меня|menya|mena))?)(?!\w)",
            CAP,
            "ru_called",
        ),
        (r"(?i:(?<!\w)(?:мо[её]|моё)\s+имя|mo[eyoj]{1,3}\s+im[yj]a)(?!\w)", ANY, "ru_my_name"),
        (
            r"(?i:(?<!\w)(?:(?:мене|її|його)\s+зв(?:ати|уть)|звати\s+мене|мо[єе]\s+ім['’ʼ]?я))(?!\w)",
            ANY,
            "uk_called",
        ),
        (r"(?i:(?<!\w)my\s+name(?:\s+is|['’]s|s)|my\s+surname\s+is)(?!\w)", ANY, "en_my_name"),
        (
            r"(?i:(?<!\w)(?:i['’]?m\s+called|call\s+me|зовите\s+меня|kali\s+me))(?!\w)",
            CAP,
            "en_called",
        ),
        (
            r"(?i:(?<!\w)(?:[çc][ıi]m[ıi]|chimi|[çc][əe]m[ıi])\s+nom(?:i|ı|ə|e)?)(?!\w)",
            ANY,
            "tly_my_name",
        ),
        (r"(?i:(?<!\w)(?:nom[ıi]m|[iİ]smim))(?!\w)", CAP, "tly_name"),
        (r"(?i:(?<!\w)зи\s+т[ӀӏIl1і|]?вар)(?!\w)", ANY, "lez_my_name"),
        (r"(?:ჩემი\s+სახელი(?:ა|\s+არის)?|მქვია|სახელად)(?!\w)", ANY, "ka_my_name"),
        # Form-like labels: "Ad: …", "Name: …", "ФИО: …".
        (
            r"(?i:(?<!\w)(?:ad|ad[ıi]|ad[ıi]m|ad\s*,?\s*soyad|soyad[ıi]?|name|full\s+name|имя|фио|"
            r"ф\.\s?и\.\s?о\.|фамилия|ім['’]я|прізвище|სახელი|გვარი|получатель|al[ıi]c[ıi]|recipient|"
            r"заявител\w*|заявник|отправитель|від|[əe]riz[əe][çc]i|[şs]ikay[əe]t[çc]i|m[üu]raci[əe]t[çc]i|"
            r"m[üu]raci[əe]t\s+ed[əe]n|g[öo]nd[əe]r[əe]n|applicant|complainant|sender|from)"
            r"\s*:)",
            ANY,
            "label",
        ),
        (r"(?i:(?<!\w)m[əe]n)(?!\w)", MEN, "az_i"),
        (r"(?<!\w)(?:я|Я|зун|Зун)(?!\w)", WEAK, "ru_i"),
        (
            r"(?i:(?<!\w)(?:it['’]?s\s+me|it\s+is\s+me|this\s+is\s+me|это\s+я|це\s+я|bu\s+m[əe]n[əe]m|"
            r"это|це|this\s+is|i\s+am|i['’]?m|im|bu))(?!\w)",
            WEAK,
            "this_is",
        ),
        (r"(?i:(?<!\w)(?:ya|[əa]z|მე\s+ვარ))(?!\w)", LEX, "i_lexicon"),
        (
            r"(?i:(?<!\w)(?:спросите|спросить|позовите|попросите|ask\s+for|soruşun|soru[şs]un))(?!\w)",
            LEX,
            "ask_for",
        ),
        (
            r"(?i:(?<!\w)(?:my\s+(?:mum|mom|mother|dad|father|sister|brother|wife|husband|son|daughter|"
            r"friend|neighbou?r|grandmother|grandfather|grandma|grandpa|aunt|uncle|teacher)|"
            r"anam|atam|q[ıi]z[ıi]m|o[ğg]lum|qarda[şs][ıi]m|bac[ıi]m|yolda[şs][ıi]m|n[əe]n[əe]m|babam|"
            r"qon[şs]u(?:m|muz)|m[üu][əe]llim(?:imiz|im)|dostum|direktor(?:umuz)?|"
            r"мама|мамы|маму|мать|папа|отец|сестра|брат|жена|муж|сын|дочь|дочка|соседка|сосед|подруга|"
            r"бабушка|дедушка|учительница|учитель|директор|мати|батько|сусідка|сусід))(?!\w)",
            KIN,
            "kin",
        ),
        # Roles are also said of institutions ("contact Center"): a known name or a clear end.
        (
            r"(?i:(?<!\w)(?:coordinator|manager|director|teacher|doctor|nurse|colleague|contact|"
            r"koordinator|m[üu]dir|r[əe]hb[əe]r|координатор\w*|менеджер\w*|врач\w*|доктор\w*|"
            r"коллег\w*))(?!\w)",
            WEAK,
            "role",
        ),
    )
)
# Sign-offs: the name comes right after, possibly on the next line.
SIGNOFF = re.compile(
    r"(?i:(?<!\w)(?:h[öo]rm[əe]tl[əe]|h[üu]rm[əe]t[əe]n|ehtiramla|с\s+уважением|с\s+ув(?:аж)?\.?|"
    r"з\s+повагою|з\s+пов\.|"
    r"(?:best|kind|warm)\s+regards|regards|sincerely|respectfully|yours|(?:best|cheers)(?=\s*,)|"
    r"პატივისცემით|"
    r"гьуьрметдалди|гьуьрметналди))(?!\w)"
)
THANKS = re.compile(
    r"(?i:(?<!\w)(?:t[əe][şs][əe]kk[üu]rl[əe]r|thanks|thank\s+you|спасибо|дякую|мерси))(?!\w)"
)
HONORIFIC_AFTER = re.compile(
    rf"(?=[{UPPER}])(?<!\w)({CAP_WORD})(?:[ \t]+({CAP_WORD}))?[ \t]+(?i:xan[ıi]m|xanum|b[əe]y|m[üu][əe]llim[əe]?|"
    r"h[əe]kim|a[ğg]a|day[ıi]|[əe]mi|bac[ıi]|ханум|ханым|муаллим\w*|муэллим\w*)(?!\w)"
)
HONORIFIC_BEFORE = re.compile(
    r"(?<!\w)(?:Mr|Mrs|Ms|Miss|Dr|Prof|г-н|г-жа|господин|госпожа|пан|пані|ბატონ[იო]?|ქალბატონ[იო]?)\.?"
    rf"[ \t]+({CAP_WORD}(?:[ \t]+{CAP_WORD})?)"
)
GEORGIAN_BEFORE_MQVIA = re.compile(r"(?<!\w)([\u10d0-\u10ff]+)[ \t]+მქვია")
CAP_RUN = re.compile(rf"(?=[{UPPER}])(?<![\w.@])({CAP_WORD})(?:[ \t]+{CAP_WORD}){{1,3}}")
TWO_CAPITALS = re.compile(rf"[{UPPER}]{LETTER}*[ \t]+[{UPPER}]")
GEORGIAN_RUN = re.compile(r"(?<!\w)[\u10d0-\u10ff]+(?:[ \t]+[\u10d0-\u10ff]+){1,2}")
WORD_RE = re.compile(WORD)
NEXT = re.compile(rf"[ \t]*(?:[:\-–—][ \t]*)?({WORD})")
# "Я, Иван Петров, …" / "Mən, Günel Həsənova, …": after "I" a comma may precede the name.
NEXT_AFTER_I = re.compile(rf"[ \t]*(?:[,:\-–—][ \t]*)?({WORD})")
NEXT_SIGNOFF = re.compile(rf"[ \t]*[,:\-–—!.]?[ \t]*\r?\n?[ \t]*({WORD})")
CONT = re.compile(rf"[ \t]+({WORD})")
AFTER_NAME_BOUNDARY = re.compile(
    r"[ \t]*(?:$|[,.!?;:)\n]|(?i:and|from|v[əe]|из|с|з|і|и|from|here|by|я|e)(?!\w))"
)
STRONG_SURNAME = re.compile(
    r"(?i:(?:[oeё]v|[oeё]va|yev|yeva|zad[əea]|enko|shvili|[şs]vili|dze|ovich|evich|ovna|evna|"
    r"[оеё]в|[оеё]ва|енко|швили|дзе|ович|евич|овна|евна|ична|заде|შვილი|ძე))$"
)
WEAK_SURNAME = re.compile(
    r"(?i:(?:l[ıiuü]|ski|sky|skiy|ska|uk|yuk|chuk|yan|ian|son|ин|ина|ын|ына|ский|ская|цкий|цкая|"
    r"ук|юк|чук|ли|лы|ян|ник|ко|ია|ური|ანი|ავა|უა))$"
)
PATRONYMIC = re.compile(
    r"(?i:o[ğg]lu|q[ıi]z[ıi]|k[ıi]z[ıi]|ovich|evich|ovna|evna|ович|евич|овна|евна|ична)$"
)
COPULA = re.compile(r"(?i:(?:y?[aə]m|y?[ıiuü]m|y[ae]m|em))$")
CASE_ENDING = re.compile(
    r"(?i:(?:d[ae]n|d[əe]n|t[əe]n|tan|d[ae]|d[əe]|l[ıiuü]|l[ıiuü]y|[çc][ıiuü]|d[ıiuü]r|ız|iz|uz|üz))$"
)
ORG_AFTER = re.compile(
    r"[ \t]*(?i:m[əe]rk[əe]z\w*|fond\w*|prospekt\w*|pr\.|k[üu][çc][əe]\w*|k[üu][çc]\.|park\w*|ad[ıi]na|"
    r"meydan\w*|metro\w*|stansiya\w*|q[əe]s[əe]b[əe]\w*|q[əe]s\.|k[əe]nd\w*|пос\.|посёлок|поселок|rayon\w*|r-nu|universitet\w*|institut\w*|"
    r"x[əe]st[əe]xana\w*|hospital|cent(?:er|re)|foundation|avenue|street|airport|hava|saray\w*|"
    r"центр\w*|фонд\w*|проспект\w*|улиц\w*|парк\w*|район\w*|имени|им\.|университет\w*|аэропорт\w*|"
    r"школ\w*|library|kitabxana\w*|muzey\w*|музе\w*|museum|school|university|adına)(?!\w)"
)
CONTACT_BEFORE = re.compile(rf"({CAP_WORD})[ \t]*[:,\-–—(]?[ \t]*$")
CONTACT_AFTER = re.compile(rf"^[ \t]*[,.;:\-–—]?[ \t]*\(?({CAP_WORD})")
# "меня Саша зовут", "Leyla is my name": the name stands between the words.
BETWEEN = re.compile(
    rf"(?i:(?<!\w)(?:меня|menya|mena|мене))[ \t]+({WORD})[ \t]+(?i:зовут|звать|zovut|звуть|звати)(?!\w)"
    rf"|({CAP_WORD})[ \t]+(?i:is\s+my\s+name|m[əe]nim\s+ad[ıi]md[ıi]r|—\s+моё\s+имя)(?!\w)"
)
# "Elvin, 22 yaş, Quba." / "Salam, Leyla, 17 yaşım var": a name opening the message, then an age.
OPENING_NAME_AGE = re.compile(
    r"^\W*(?:(?i:salam|salom|hi|hello|hey|привет|здравствуйте|добрый\s+день|вітаю|გამარჯობა)\W+)?"
    rf"({CAP_WORD})(?:[ \t]+({CAP_WORD}))?[ \t]*,[ \t]*\d{{1,2}}(?!\d)"
)
# "bu mesajı Nermin yazır", "Leyla here": a name next to a verb of writing.
WRITER = re.compile(
    rf"({CAP_WORD})[ \t]+(?i:yaz[ıi]r|yazd[ıi]|yaz[ıi]ram|пишет|написал[аи]?|пише|writes|writing|here)(?!\w)"
)
# A line holding only "— Samir" or "- Leyla Q." signs a message.
DASH_LINE = re.compile(
    rf"(?m)^[ \t]*[-–—~][ \t]*({CAP_WORD}(?:[ \t]+{CAP_WORD})?(?:[ \t]+[{UPPER}]\.)?)[ \t]*\r?$"
)
# "Петров И.И.", "И. И. Петров", "Aliyev E.": a surname with initials.
INITIALS = rf"[{UPPER}]\.(?:[ \t]?[{UPPER}]\.)?"
INITIAL_AFTER = re.compile(rf"[ \t]+[{UPPER}]\.(?:[ \t]?[{UPPER}]\.)?(?!\w)")
INITIAL = re.compile(rf"[{UPPER}]\.")
SURNAME_INITIALS = re.compile(
    rf"(?<![\w.])({CAP_WORD})[ \t]+({INITIALS})(?!\w)|(?<![\w.])({INITIALS})[ \t]?({CAP_WORD})"
)
FINAL_NAME = re.compile(rf"(?:^|[,\n—–\-])[ \t]*({CAP_WORD})[ \t]*[.!]?[ \t]*$")
