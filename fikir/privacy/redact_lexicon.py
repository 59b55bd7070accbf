"""Word lists the name and address rules consult: common first names, places, words that are never names."""

from __future__ import annotations

from functools import lru_cache

from fikir.i18n.textfold import name_key, name_keys, name_to_latin

# Common given names of people who write to fikir; spelling variants are folded (see `name_key`), so
# one spelling per name is enough ("Rəşad" also matches "Rashad", "Resad", "Reshad").
_FIRST_NAMES_LATIN = """
abbas abdulla adil adilə afaq afət afsanə aqil aida aidə aişə akif alı ali almaz altay
anar anara arzu arif asif aslan aydan aydın aygül aygün aynur aysel aysu aytac aytən azad aziz
babək bahar bəhruz bəxtiyar cavid cavad cəlil cəmilə cəmil cahangir ceyhun ceyran cinarə cümşüd
dilarə dilbər dilşad dünya elçin elcan elmar elmira elnar elnur elnurə elsevər elşad elşən elvin
elvira elxan elyar emil emin emil eldar eldəniz elgün elmir ellada elşən elşənə emin erkin esmira
əfsanə əhməd əkbər əli əlisa əlövsət əminə ənvər əsəd əsmər əzizə fərid fərhad fərqanə fəxri fidan
fatimə fazil fariz firuzə fuad füzuli gülnar gülnarə gülnara gülər gülşən gültəkin günay gülü gövhər
gülsüm hacı hafiz həbib həsən hikmət hilal hüseyn ilahə ilham ilkin ilqar ilyas imran inarə iradə
isa ismayıl iqbal xalid xanım xatirə xədicə xəyal xəyalə kamal kamalə kamil kamilə kamran kənan
kəmalə könül laçın lalə lamiyə leyla lətifə mahir maral məleykə mehri mehriban mehman məhəmməd
məhəbbət məmməd mətanət mirzə mübariz murad musa mustafa nərgiz nəriman nərmin nazim nazlı natiq
nicat nigar nihad nijat nurlan nuranə nurana nuray orxan oqtay pərvin pərvanə pəri ramil ramin rasim
rauf rəna rəşad rəhim rəvan rövşən ruslan rüstəm rüfət rəsul rəna rüxsarə sabir sabina səbinə
səadət səidə səməd samir sənan sevda sevinc səlim seymur şahin şamil şəbnəm şəhla şəlalə şirin
şahmar şəmsi sona südabə sultan şükür tahir talıb tamilla teymur telman tofiq toğrul tural turan
turqay təranə ülvi ülviyyə ümid ümidə urfan vaqif valeh vəfa vəli vüqar vüsal vüsalə xaqani yaqub
yusif zakir zaur zaurə zemfira zərifə zeynəb zəhra ziya zülfiyyə zümrüd rəşid cəfər qasım qənirə
qüdrət rahib rafiq rafael rasul ruhin saleh sərxan şəfa şahnaz tərlan tunar ulduz
john michael david james robert william mary emily sarah anna emma olivia jessica daniel thomas
peter paul george mark kate helen laura alex alexander andrew sophie lucy maria jane tom
ivan olga sergey sergei andrei andrey elena natalia natalya tatiana irina svetlana dmitry dmitri
alexei nikolai vladimir pavel yuri oleg igor viktor mikhail nina lyudmila galina valentina
nino giorgi davit levan tamar mariam ketevan lasha irakli zurab shota eka salome tornike natia
taras oksana olena bohdan andriy mykola vasyl iryna nataliya yulia
murad ramazan zarema feyzudin kamila timur gunel gulnara sevinj nermin aygun ulviyya
"""

_FIRST_NAMES_CYRILLIC = """
иван пётр петр сергей андрей алексей дмитрий николай владимир павел юрий олег игорь виктор михаил
александр евгений максим артём артем денис роман антон илья кирилл константин борис григорий
ольга елена наталья наталия татьяна ирина светлана мария анна екатерина юлия людмила галина
валентина нина лариса марина оксана вера надежда любовь зоя тамара алла дарья ксения полина
тарас богдан андрій микола василь олена ірина юлія наталія оксана катерина ганна олександр
айгюн айгуль айсель лейла сабина гюнель гюльнара нигяр нигар фарид рашад рашид эльнур эльвин
самир тимур рустам ровшан кямран камран ильхам фуад заур вугар вюсал тогрул орхан мурад
рамазан зарема фейзудин зарифа севиндж нармин ульвия камила асад азиз физули намик натиг
джамиля гульнара айтадж айтен нурлан нурана лала эмин эмиль шамиль али гасан гусейн мамед
магомед ахмед ибрагим юсиф исмаил халид хадиджа фатима зейнаб гюльнар
"""

_FIRST_NAMES_GEORGIAN = """
ნინო გიორგი დავით ლევან თამარ მარიამ ქეთევან ლაშა ირაკლი ზურაბ შოთა ეკა სალომე თორნიკე ნათია
ანა ელენე ნიკა ლუკა საბა დათო ბექა მაკა ნანა ლალი ია ხატია თეონა ნატო გვანცა ანი
"""

# Places people name in feedback; a word starting with one of these (plus a case ending) is a place.
_PLACES = """
azərbaycan azerbaijan bakı baku baki abşeron absheron sumqayıt sumgait sumgayit gəncə ganja gence
lənkəran lankaran lenkeran lerik lərik astara masallı masalli yardımlı yardimli cəlilabad jalilabad
biləsuvar salyan neftçala şirvan shirvan hacıqabul hajigabul kürdəmir kurdamir saatlı saatli
sabirabad imişli imishli beyləqan füzuli fuzuli ağcabədi agjabadi ağdam agdam bərdə barda tərtər
terter yevlax yevlakh mingəçevir mingachevir goranboy göygöl goygol daşkəsən dashkasan samux
şəmkir shamkir tovuz ağstafa agstafa qazax gazakh gədəbəy gadabay şəki sheki shaki qax gakh qakh
zaqatala zagatala balakən balakan oğuz oghuz qəbələ gabala qabala ismayıllı ismayilli ağsu agsu
şamaxı shamakhi qobustan gobustan quba guba qusar gusar xaçmaz khachmaz siyəzən siyazan şabran
shabran xızı khizi xırdalan khirdalan naxçıvan nakhchivan şərur sharur ordubad culfa julfa
şahbuz babək kəngərli sədərək şuşa shusha xankəndi khankendi kəlbəcər kalbajar laçın lachin
qubadlı gubadli zəngilan zangilan cəbrayıl jabrayil xocavənd khojavend xocalı khojaly ağdərə
qarabağ karabakh zəngəzur göyçay goychay zərdab zardab ucar ujar ağdaş agdash
xətai khatai yasamal sabunçu sabunchu suraxanı surakhani binəqədi binagadi qaradağ garadagh
səbail sabail xəzər khazar pirallahı mərdəkan mardakan bilgəh buzovna maştağa novxanı
türkiyə turkey rusiya russia gürcüstan georgia ukrayna ukraine iran almaniya germany
london moskva moscow istanbul tbilisi tiflis kyiv kiev kiyev ankara dubai
lankon ostoro lik
nərimanov narimanov bakıxanov bakixanov əhmədli ehmedli günəşli gunesli
баку бакин абшерон сумгаит сумгайыт гянджа гяндж ленкоран лерик астар масаллы ярдымлы джалилабад
билясувар сальян нефтчала ширван аджикабул кюрдамир саатлы сабирабад имишли бейлаган физули
агджабеди агдам барда тертер евлах мингечевир геранбой гейгель дашкесан самух шамкир товуз
агстафа газах гедабек шеки гах закатал загатал балакен огуз габал исмаиллы агсу шамах гобустан
губ гусар кусар хачмаз сиязань шабран хызы хырдалан нахчыван нахичеван шуша ханкенди кельбаджар
лачин губадлы зангилан джебраил ходжавенд карабах гейчай зардоб уджар агдаш хатаин хатаи ясамал
сабунчин сураханы бинагадин гарадаг сабаил хазар мардакян бильгях бузовн
азербайджан россия грузия украина москв киев києв тбилиси турци иран дербент
кцӏар кцiар кцӏара кусары
нариманов бакиханов ахмедлы ростов саратов харьков львов киров азов
ბაქო აზერბაიჯან თბილის საქართველ ზაქათალ კახ ბათუმ ქუთაის მარნეულ ბალაქან
"""

# Nationalities and faiths that follow "I am" / "мən" without being names.
_NOT_NAMES = """
azerbaijani azeri russian georgian ukrainian talysh lezgin lezgian turkish armenian jewish muslim
christian british american english german french iranian kazakh uzbek tatar avar kurdish udi
tired happy sorry glad fine ok okay sure here not so very also from in at the a an and or but
student teacher doctor mother father volunteer unemployed retired pensioner disabled
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december hörmətli hormetli dəyərli deyerli uşaqlar
yanvar fevral mart aprel iyun iyul avqust sentyabr oktyabr noyabr dekabr
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
i we you he she they it this that there what who where when why how im i'm
mən men biz siz onlar əz az
azərbaycanlı azerbaycanli tələbə telebe müəllim muellim həkim hekim ana ata bacı qardaş
salam salom hello hi привет здравствуйте добрый доброго
я мы ты вы он она они это тоже не уже очень здесь там тут
студент студентка учитель учительница врач мама папа пенсионер пенсионерка инвалид
азербайджанец азербайджанка русский русская грузин грузинка украинец украинка лезгин лезгинка
талыш талышка мусульманин мусульманка
"""

# Given names that are also everyday words ("ümid" hope, "arzu" wish, "anar" pomegranate): in
# lower case they count as names only where a name would end ("i am anar from baku").
_COMMON_WORD_NAMES = """
arzu ümid umid aydın aydin bahar ulduz dünya dunya könül konul lalə lale maral şəfa sefa vəfa vefa
sevinc sevinj nur ilham hikmət hikmet iradə irade məhəbbət mehebbet səadət seadet fəxri fexri azad
kamal hilal ziya şirin sirin sultan turan sona anar aslan ceyran almaz zümrüd zumrud mehriban
günay gunay aynur xəyal xeyal ümidə vüsal vusal nicat nijat orxan ceyhun dilşad ellada şahin sahin
вера надежда любовь роза лилия лиля may june grace hope joy mark bill will rose lily summer
"""

# Words that follow "adım"/"зовут"/"name is" in sentences that do not give a name.
_NAME_STOPWORDS = """
gizli gizlidir yoxdur yox yoxdu lazım lazim deyil deyil qalsın qalsin çəkilməsin cekilmesin
yazılmasın yazilmasin açıqlanmasın aciqlanmasin olmasın olmasin vacib önəmli onemli siyahıda
siyahida burada burda heç hec də de da yazmıram yazmiram yazmayacağam bilinməsin bilinmesin
on in the a an to of for is was not secret unknown anonymous private
на в к с по за домой и не как тоже уже все всех работу помощь
на у до з не також всіх
"""


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


FIRST_NAME_KEYS: frozenset[str] = frozenset(
    key
    for name in _words(_FIRST_NAMES_LATIN) | _words(_FIRST_NAMES_CYRILLIC)
    for key in name_keys(name)
) | _words(_FIRST_NAMES_GEORGIAN)
PLACE_STEMS: tuple[str, ...] = tuple(
    sorted({name_key(p) for p in _words(_PLACES)}, key=len, reverse=True)
)
NOT_NAME_KEYS: frozenset[str] = frozenset(name_key(w) for w in _words(_NOT_NAMES))
NAME_STOP_KEYS: frozenset[str] = frozenset(name_key(w) for w in _words(_NAME_STOPWORDS))
COMMON_WORD_NAME_KEYS: frozenset[str] = frozenset(name_key(w) for w in _words(_COMMON_WORD_NAMES))

# Case and possessive endings stripped before a lexicon lookup (Leylanın, Ольгу, მარიამი, Rəşadam).
_ENDINGS = (
    "nın nin nun nün ın in un ün ya yə da də dan dən ta tə dır dir dur dür dı di du dü yam yəm "
    "am əm ım im um üm ıyam iyəm nı ni nu nü a ə e ye u "
    "у ю е и ы ой ей ом ем ою ею а я "
    "ი ს ა მა ის"
).split()


@lru_cache(maxsize=4096)
def is_first_name(word: str) -> bool:
    """True when `word` (any script or case, with a case ending) is a common given name."""
    if len(word) < 2:
        return False
    if "\u0400" <= word[:1] <= "\u04ff":
        latin = name_to_latin(word).capitalize()
        # A letter the table lacks (Belarusian ў) stays Cyrillic: asking again would never end.
        if not "\u0400" <= latin[:1] <= "\u04ff" and is_first_name(latin):
            return True
    candidates = [word]
    lower = word.casefold()
    stems = [word[: -len(e)] for e in _ENDINGS if lower.endswith(e) and len(word) - len(e) >= 3]
    candidates += stems
    # Russian declension replaces the final vowel: "Ольгу", "Сабины" come from "Ольга", "Сабина".
    candidates += [s + v for s in stems if "\u0400" <= s[-1:] <= "\u04ff" for v in ("а", "я")]
    return any(key in FIRST_NAME_KEYS for c in candidates for key in (*name_keys(c), c))


@lru_cache(maxsize=4096)
def is_place(word: str) -> bool:
    """True when `word` is a known place name, possibly with a case or adjective ending (Lerikdən)."""
    key = name_key(word)
    for stem in PLACE_STEMS:
        if key.startswith(stem):
            rest = len(key) - len(stem)
            # "Qubad" is a name, not Quba plus an ending: a lone trailing consonant is no ending.
            if rest == 0 or rest >= 2 or key[-1] in "aeiouyаеиоуыэюяიოა":
                # Short stems (Qax, Губа) take only short endings: "Qəhrəman" is a name.
                return rest <= (3 if len(stem) <= 3 else 8)
    return False


@lru_cache(maxsize=4096)
def is_not_name(word: str) -> bool:
    """True for words that may look like a name after "I am"/"я" but are not (nationality, role)."""
    return name_key(word) in NOT_NAME_KEYS


@lru_cache(maxsize=4096)
def is_common_word_name(word: str) -> bool:
    """True for given names that are also everyday words, with or without a case ending."""
    lower = word.casefold()
    stems = [word] + [
        word[: -len(e)] for e in _ENDINGS if lower.endswith(e) and len(word) - len(e) >= 3
    ]
    return any(name_key(s) in COMMON_WORD_NAME_KEYS for s in stems)


@lru_cache(maxsize=4096)
def is_name_stopword(word: str) -> bool:
    """True for the words that follow "my name" in sentences which withhold the name."""
    return name_key(word) in NAME_STOP_KEYS
