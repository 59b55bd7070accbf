"""Words that steer how a poll reply is read (yes/no, "don't know", "all", negation) in every language."""

from __future__ import annotations

from functools import lru_cache

from fikir.i18n.textfold import fold
from fikir.polls.translit import word_keys


def _entries(text: str) -> tuple[str, ...]:
    """Split a comma-separated word list (one line per language) into entries."""
    return tuple(e.strip() for e in text.replace("\n", ",").split(",") if e.strip())


# Each list mixes languages on purpose: people answer in whatever language they type fastest.
# One line per language (az/tly, ru, en, uk, ka, lez); multi-word entries are phrases.
# Spellings without diacritics and in other scripts are covered by folding and transliteration.

YES = _entries("""
    bəli, hə, he, hı, ha, hm hm, əlbəttə, əlbət, razıyam, razı, düzdür, doğrudur, olar, var, istəyirəm, lazımdır, lazım
    да, ага, угу, конечно, согласен, согласна, соглашаюсь, разумеется, ок, окей, хочу, давай, надо, нужно
    yes, yeah, yep, yup, yea, y, sure, of course, agree, i agree, ok, okay
    так, авжеж, звісно, звичайно, згоден, згодна, погоджуюся, погоджуюсь, треба, хочу
    კი, დიახ, ჰო, ho, diax, diakh, ვეთანხმები
    эхь, ахь
""")
NO = _entries("""
    xeyr, xeyir, yox, yoh, yo, olmaz, istəmirəm, nə
    нет, неа, нету, не а, нетушки
    no, nope, nah, n, disagree, not really, no thanks
    ні
    არა
    ваъ
""")
# Words of assurance that mean "yes" alone but only stress a "no" ("конечно нет", "yox, əlbəttə").
ASSURANCE = _entries("""
    əlbəttə, əlbət
    конечно, разумеется
    of course, sure
    звісно, звичайно, авжеж
    რა თქმა უნდა
""")
DONT_KNOW = _entries("""
    bilmirəm, bilmiram, bilmərəm, bilmirik, bilmədim, deyə bilmərəm, deyə bilmirəm, fərqi yoxdur, fərq etməz,
    fərqi yox, əmin deyiləm, nızınım, nızınəm
    не знаю, незнаю, не знаем, хз, не уверен, не уверена, затрудняюсь, трудно сказать, сложно сказать,
    без разницы, всё равно, не могу сказать, не могу ответить
    i don't know, dont know, dunno, idk, no idea, not sure, doesn't matter, no matter, whatever, hard to say,
    can't say
    не впевнений, не впевнена, важко сказати, не можу сказати, байдуже, без різниці, все одно
    არ ვიცი, ვერ ვიტყვი, სულერთია
    заз чидач, чидач
""")
NONE = _entries("""
    heç biri, heç birini, heç birisi, heç bir, heç nə, heç birinə, hiç biri
    ни один, ни одного, ни одна, ничего, никакой, никакие, никакая, ни то ни другое
    none, neither, nothing, no one, not any, none of them
    жоден, жодного, жодна, жодне, нічого, ніякий, ніякі
    არცერთი, არც ერთი, არაფერი
""")
# "Both" never picks one option; "all" does not either, unless it qualifies an option's word.
BOTH = _entries("""
    ikisi də, hər ikisi, ikisini də, hər biri, hər birini
    оба, обе, обоих
    both, each
    обидва, обидві
    ორივე
    кьведни
""")
ALL = _entries("""
    hamısı, hamısını, hamısına, hamı, hamsı, hər şey, hər şeyi, həmə, hamə, həmmə
    все, всё, всех, всем
    all, everything, every
    всі, усі, усе
    ყველა, ყველაფერი
    вири
""")
EXCEPT = _entries("""
    başqa, savayı
    кроме, помимо
    except, besides
    крім, окрім
    გარდა
""")
# Negation before the word it negates ("не второй", "not 2", "არა მეორე").
NEGATE_BEFORE = _entries("""
    ne
    не, ни
    not, dont, don't
    არა, არ, ვერ
""")
# Negation after the word it negates ("2 yox", "ikinci deyil", "кьвед туш").
NEGATE_AFTER = _entries("""
    yox, deyil, deyiləm, deyildir, olmasın
    туш
""")
# Words that make a nearby number an answer ("variant 2", "номер один", "cavab: üç").
MARKERS = _entries("""
    variant, variantı, variantını, variantdır, nömrə, nömrəli, cavab, rəqəm, seçim
    вариант, варианта, номер, пункт, ответ, цифра, выбор
    option, opt, choice, number, num, no, nr, answer, punkt
    варіант, відповідь, вибір
    ვარიანტი, პასუხი, ნომერი
    жаваб
""")
# Words that say nothing about which option ("mən", "я", "please", "seçirəm").
FILLER = _entries("""
    mən, mənim, menə, seçirəm, seçdim, seçərdim, zəhmət, olmasa, təşəkkür, təşəkkürlər, sağ, ol, sağol, məncə,
    və, deyirəm, olsun, bu, bunu
    я, мой, моя, моё, выбираю, выбрал, выбрала, голосую, за, пожалуйста, спасибо, ну, вот, думаю, это, и
    my, i, im, it, is, its, the, a, an, this, that, choose, pick, vote, select, for, please, pls, plz, thanks,
    thank, you, think, and, one, ok
    вибираю, обираю, будь, ласка, дякую, це
    მადლობა, ვირჩევ
""")
# Intensifiers and hedges that are part of a label but do not name an option on their own.
MODIFIERS = _entries("""
    çox, qismən, bir az, tam, tamamilə, heç, o qədər
    очень, частично, вполне, полностью, совсем, скорее, довольно
    very, quite, somewhat, partly, partially, fully, completely, really, rather, not very
    дуже, частково, повністю, цілком
    ძალიან, ნაწილობრივ, სრულიად
    гзаф
""")
# Words that carry no meaning inside an option label ("Water and sanitation", "კმაყოფილი ვარ").
STOPWORDS = _entries("""
    və, ilə, üçün, da, də
    и, в, на, для, с, по, или, из, я
    and, of, the, a, an, for, to, in, on, with, or
    і, й, та, у, з, або
    და, ან, ვარ
    ва
""")
# Words that join two choices ("su və yollar", "1 или 2").
CONJUNCTIONS = _entries("""
    və, ya, yaxud, həm, u
    и, или, либо
    and, or, plus
    і, й, та, або
    და, ან
    ва
""")
# Units after a number mean it is a quantity, not an option ("2 il", "3 года", "5 km").
UNITS = _entries("""
    il, ildir, ildən, illik, ay, aydır, gün, gündür, saat, dəqiqə, yaş, yaşım, yaşındayam, manat, azn, man, km,
    metr, nəfər, dəfə, faiz
    год, года, лет, месяц, месяца, месяцев, день, дня, дней, час, часа, часов, км, манат, человек, раз, раза,
    процент, процентов
    year, years, yr, month, months, day, days, hour, hours, people, times, min
    рік, роки, років, місяць, місяці, днів, годин, гривень
    წელი, წლის, წელია, თვე, დღე, საათი, ლარი
    кас, йис
""")
# Set phrases that contain a number word but do not pick an option ("first of all").
IDIOMS = _entries("""
    ilk növbədə, birinci növbədə, ilk öncə, ilk olaraq, ilk dəfə, birinci dəfə, bir dənə, bir az, bir şey
    в первую очередь, во первых, во вторых, в первую, первым делом, один из, одна из, одним из
    first of all, at first, first time, one of
    перш за все, в першу чергу, по перше, по друге
    პირველ რიგში
""")


Phrase = tuple[str, ...]


def phrase_keys(phrase: str) -> tuple[Phrase, ...]:
    """Every loose-key spelling of a phrase (one tuple of word keys per transliteration)."""
    words = [w for w in fold(phrase).replace("'", "").replace("-", " ").split() if w]
    spellings: list[Phrase] = [()]
    for word in words:
        spellings = [(*prefix, key) for prefix in spellings for key in word_keys(word)]
    return tuple(dict.fromkeys(spellings))


@lru_cache(maxsize=32)
def compiled(name: str) -> frozenset[Phrase]:
    """The named list compiled to loose-key phrases, built once."""
    words: tuple[str, ...] = globals()[name]
    return frozenset(p for phrase in words for p in phrase_keys(phrase))


@lru_cache(maxsize=32)
def by_first_word(name: str) -> dict[str, tuple[Phrase, ...]]:
    """The named list's phrases grouped by their first word key, for scanning a reply quickly."""
    groups: dict[str, list[Phrase]] = {}
    for phrase in compiled(name):
        groups.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in groups.items()}


@lru_cache(maxsize=32)
def single_keys(name: str) -> frozenset[str]:
    """The one-word entries of a named list, as loose keys."""
    return frozenset(p[0] for p in compiled(name) if len(p) == 1)
