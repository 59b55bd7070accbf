"""Word lists that tell apart the languages lingua cannot (Talysh, Lezgian, typed transliterations).

The lists are written from general knowledge of each language, not from the test set, so that they
generalise: function words, pronouns, copulas, frequent verbs and the vocabulary of citizen feedback
(water, gas, roads, schools, jobs, prices, health, corruption). Azerbaijani and Talysh entries are
spelled with diacritics; `textfold.fold_latin` derives the forms people type without them.
Lezgian entries use the palochka "ӏ"; `detect_text` maps I, l, 1 and | typed for it onto "ӏ".
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# --- Azerbaijani (Latin) -------------------------------------------------------------------------
# Whole words: function words and frequent invariant forms.
AZ_WORDS = _words("""
    və ya amma ancaq lakin ki bu o bunlar onlar mən sən biz siz məni səni bizi sizi mənim sənin
    bizim sizin onun onların mənə sənə bizə sizə ona onlara məndə bizdə sizdə onda burda orda
    burada orada hara harada haradan niyə necə nə nəyə nədir kim kimə kimi hansı neçə nəvaxt
    var yox yoxdur yoxdu vardır vardı deyil deyildir deyiləm deyilik bəli hə hə yaxşı pis çox az
    heç hər hamı hamısı bütün həm həmişə indi sonra əvvəl hələ artıq daha ən lap belə elə
    üçün ilə kimi qədər görə sonra qarşı haqqında barədə tərəfindən üzrə başqa digər bir iki üç
    dörd beş altı yeddi səkkiz doqquz on yüz min gün ay il həftə saat dəfə bugün bu gün sabah
    dünən axşam gecə səhər salam sağol sağolun təşəkkür təşəkkürlər minnətdaram xahiş zəhmət
    olmasa buyurun əlbəttə mütləq razıyam razıyıq razı deyiləm bilmirəm bilmirəm bilirəm
    istəyirəm istəyirik lazımdır lazım gərək mümkün mümkündür olar olmaz olmur olmurmu
    həmçinin xüsusilə yalnız təkcə sadəcə hətta ümumiyyətlə əslində nəhayət həqiqətən
    qardaş bacı ana ata uşaq uşaqlar ailə qonşu adam insan insanlar xalq camaat vətəndaş
    kənd şəhər rayon qəsəbə məhəllə küçə yol körpü ev mənzil həyət bina dam su qaz işıq
    elektrik istilik kanalizasiya zibil internet telefon məktəb bağça universitet təhsil
    müəllim şagird tələbə dərs dərslik kitab xəstəxana poliklinika həkim dərman tibb
    səhiyyə sağlamlıq xəstə iş işsizlik işsiz maaş pensiya pul qiymət qiymətlər bahalıq
    ucuz baha bahadır kasıb yoxsul rüşvət korrupsiya məmur hökumət dövlət bələdiyyə icra
    hakimiyyət prezident nazirlik qanun hüquq ədalət seçki fermer kəndli torpaq məhsul
    bazar mağaza çörək ət yağ şəkər un taxıl pambıq çay bağ meşə çay dəniz hava ekologiya
    çirkli çirklənmə təmiz yeni köhnə böyük kiçik uzaq yaxın gənc gənclər qadın qadınlar
    kişi qız oğlan əlil əlillər idman zal klub avtobus marşrut nəqliyyat maşın bilet
    problem problemlər şikayət müraciət cavab sual sorğu fikir təklif kömək yardım təcili
    """)

# Stems that take Azerbaijani suffixes (nouns and verb roots); matched after suffix stripping.
AZ_STEMS = _words("""
    kənd şəhər rayon yol ev su qaz işıq məktəb müəllim uşaq qadın kişi gənc tələbə şagird dərs
    xəstəxana həkim dərman iş maaş pensiya qiymət pul bazar məhsul torpaq fermer dövlət hökumət
    bələdiyyə məmur rüşvət problem şikayət cavab sual sorğu fikir təklif kömək ana ata ailə
    qonşu insan adam vətəndaş küçə körpü mənzil həyət bina dam zibil internet telefon bağça
    universitet təhsil kitab xəstə işsiz kasıb ucuz baha təmiz çirk yeni köhnə böyük kiçik
    uzaq yaxın qız oğlan əlil idman nəqliyyat maşın avtobus gün ay il həftə saat dəfə axşam
    gecə səhər qış yay yaz payız soyuq isti qiymət bahalıq ərzaq çörək yataqxana təqaüd
    imtahan diplom sənəd arayış növbə xəstəlik sağlamlıq sığorta kanal çay bağ meşə hava
    vergi borc kredit faiz kommunal ödəniş qəbz sayğac tarif əmək əmtəə sahə layihə
    gəl gəlir get ged gör bil ver al ol et edir işlə yaşa istə gözlə otur yaz oxu danış de
    dey deyir tap sat qal qalx bağla aç açıl təmir tik tikil düzəlt kəs çatış çat başla
    bitir öd ödə artır azal dəyiş kömək yardım kəsil veril göndər sür dön donur qızın
    yandır söndür sönür düş qorx qorxu ağla gül yorul xarab dağıl
    """)

# Azerbaijani suffixes in their folded (ASCII) form. A word takes at most one case ending, which
# rules out stacks that Azerbaijani never builds but Talysh forms look like ("bazar-ə-də").
AZ_CASE_ENDINGS = frozenset(
    "dan den da de tan ten ta te nin nun in un ni nu ya ye yi yu a e i u".split()
)
AZ_SUFFIXES = tuple(
    (
        "dirlar dirler dir dur "
        "lar ler imiz umuz iniz unuz siniz sunuz "
        "miram mirem mirik mir mur "
        "iram irem uram urem irik iruk ir ur ar er "
        "acaq ecek aciq ecik acam ecem mis mus maq mek ma me "
        "dim dik dum duk di du ib ub sin sun im um iz uz "
        "liq luq lik luk li lu siz suz si su ki"
    ).split()
) + tuple(AZ_CASE_ENDINGS)

# --- Talysh (Latin, as written in Azerbaijan) ----------------------------------------------------
# Strong: words an Azerbaijani, English or Russian text would hardly contain.
TLY_STRONG = _words("""
    çəmə çımı şımə ıştə bəştə bəşmə bəmı bətı bəmə çəvon əmə əməni tıni
    nıştə nıştən heste hestə hestin nibə nıbu nıbe bıbu bıbun bıbı bıkə bıkən bıkəmon
    bıvot bıvotə bıvotəmon bıvin bıvinım bıdə bıdoy nıdoy nıdoydə
    kardə karde kardedə kardedəm kardedəmon kardedən kardəşe kardəme kardəone nıkardedə
    nıkardedən zınedə zınedəm zınedən zınım nızınım nızınedə nızınedən zıne zınə
    votedə votedən votedəş votəşone
    şedə şedən şedəm şedəmon şedəni omə omedə omedən omedəni nıomə nıomedə
    doydə doydən doydəmon səydə səydən səydəm jəydə jəydəmon umutedəmon
    mandə mandən nımandə bedən bedəmon nıbedə nıbedən bəbe bəpe
    zıvon zıvoni zıvonon tolışi tolışə tolışon cıvon cıvonon əğıl əğılon jen jenon zoə zoon
    kinə kinon odəm odəmon ruj ruje rujon soron şəv şəvi ruşnə roə roon xırob
    xırobe xırobin kıhnə kıhnəye tojə yolə hırdə qılə qıləy koon kədə diədə
    iyən boçi çiç çiçi çiçiro hiççi kovə çokonə çoknə jıqo veyni dılədə sıxan sıxanon
    lozıme ozod ozodəti
    """)

# Talysh words that are rare, but not unheard of, in the other languages' typing.
TLY_WORDS = _words("ni nim nin bə di ko koy kə co çı tı əv hiç ov")

# Weak: Talysh words that are ordinary words of Azerbaijani, English or Russian too.
TLY_WEAK = _words("az ve de ım ın həmmə mıni sor şe se vote bedə dıl")

# Talysh endings (folded) after which a known Talysh stem may be found: plural -on, for -ro,
# from -(i)ku, in -(ə)də, genitive -i, "and also" -ən, copula -e.
TLY_ENDINGS = ("onede", "onro", "onen", "oni", "on", "ro", "iku", "ku", "ede", "de", "en", "i", "e")

# Verb and case endings typical of Talysh, in folded form (ə→e, ş→s): -dəmon, -dəş, -şone, -onədə.
TLY_SUFFIXES = ("edemon", "edes", "edem", "edeni", "esone", "sone", "onede", "onde")

# --- Russian typed in Latin letters --------------------------------------------------------------
# Cyrillic words; `detect_text.russian_latin_forms` spells each the ways people type them.
RU_WORDS = _words("""
    и в не на я что с как это по они к у мы же вы за бы так все всё она от мне то нас
    нам вас вам его её их мой моя моё мои наш наша наше наши нашем нашей нашего ваш ваша был была
    было были будет будут есть нет да уже еще ещё только очень тоже даже когда где почему
    зачем сколько кто чем чего если или тут там здесь сейчас сегодня вчера завтра опять снова
    всегда никогда ничего никто нигде можно нужно надо нельзя хочу хотим хотят хочется может
    могу можем знаю знает думаю кажется спасибо пожалуйста здравствуйте здравствуй привет
    добрый доброе день вечер утро хорошо плохо нормально ладно конечно согласен согласна
    вопрос ответ помощь помогите проблема проблемы жалоба вода воды воду водой свет света
    газа газом дорога дороги дорогу дорог школа школе школы школу учитель учителя учителей
    больница больнице больницы врач врачи врачей лекарства лекарств аптека работа работы
    работу работать зарплата зарплаты цены цена дорого дешево деньги денег пенсия пенсии
    село селе деревня деревне город городе район районе дом доме дома дети детей детям
    молодежь молодежи люди людей мусор отопление отопления холодно тепло ремонт
    ремонтируют отключили отключают отключен включили неделю неделя месяц год лет дня дней
    часа часов раз два три один одна весь вся всех всем каждый другой новый новую старый
    большой маленький маленькая много мало больше меньше лучше хуже сам сами себя свой свою
    который которые вообще просто совсем чтобы потому поэтому после через без для до из о об
    про при над под между против около давно недавно скоро зима зимой лето летом река мост
    улица улице связь вопросы опрос результаты посмотреть сказать говорят сделать делают
    дела дело жить живем живу платят платить стоит стало стала растут выросли подорожали
    идет идёт ходит ходят приходит едут уезжают нету нормальная нормальный плохие плохой
    ужасно ужасные главная главный благодарю большое пока извините простите понятно понял
    поняла хорошая хороший идея вариант первый второй третий вообще совсем никак кто-то
    оставить отзыв написать пишу пишем хотел хотела скажите подскажите почему-то всего
    уехали болеют учиться учатся дети взятки взятка коррупция чиновники власти
    """)

# --- English -------------------------------------------------------------------------------------
EN_WORDS = _words("""
    the a an and or but if so to of in on at for from with without by about into over under
    is are was were be been being am do does did done have has had not no yes yeah yep nope
    i me my mine we us our ours you your yours he him his she her they them their it its
    this that these those there here what which who whom whose when where why how all any
    some every each many much more most less few very too also only just still again
    can could will would should shall may might must need needs want wants like please
    thanks thank thx ty hello hi hey bye good bad great nice fine sure agree disagree
    maybe sorry dont cant isnt wont doesnt didnt im theres
    water gas electricity power road roads school schools teacher teachers job jobs work
    price prices salary money hospital doctor doctors medicine clinic village city town
    district people children kids young youth women men government corruption bribe
    problem problems issue issues help complaint survey poll results answer question
    expensive cheap broken dirty clean new old big small far near every day days week
    weeks month months year years night morning evening street bus transport
    """)

# --- Lezgian (Cyrillic) --------------------------------------------------------------------------
LEZ_WORDS = _words("""
    зун вун ам чун куьн абур за ваз заз чаз квез адаз абуруз чна куьне зи ви чи куь адан
    абурун и гьа а вуч вуж гьикӏ гьикӏа гьина мус гьиниз гьихьтин вучиз гьикьван
    эхь ваъ я туш яни тушни ава авач авани авай авайди амач ама хьана хьанва хьайи хьун
    жеда жезва жезвач жедач жеч хьурай хьуй гана гузва гузвач гун це кӏанда кӏанзава
    чида чидач чизва чизвач физва физвач фена фин фий къвезва къвезвач атана атанач атун
    ийизва ийин ийида авуна авун ая лагьана лугьуз рахазва рахун кхьин кхьизва
    салам сагърай чухсагъул баркалла хъсан пис гзаф тӏимил чӏехи гъвечӏи цӏийи куьгьне
    багьа ужуз яд ятар газ экв свет рехъ рекьер куьче хуьр хуьре хуьруьн хуьрер хуьрерин
    шегьер шегьерда кӏвал кӏвале кӏвалах кӏвалахал мектеб мектебда муаллим муаллимар
    аял аялар аялриз духтур духтурар азархана азарханада дарман дарманар пул пулар мажиб
    къимет къиметар ришвет гьукумат идара арза жаваб суал куьмек жегьил жегьилар
    диде буба стха вах руш гада итим паб дишегьли кас касни вири гьар са кьве пуд кьуд
    вад ругуд ирид муьжуьд кӏуьд цӏуд югъ юкъуз йиф йифиз варз вацра йис къе пака гила
    исятда ина ана анжах амма ва ни лезги лезгияр чӏал чӏалал чӏалан урусат кцӏар
    къайи чими чиркин михьи четин регьят яргъа мукьва герек бес виниз агъуз
    """)

# --- Juhuri (Cyrillic, as written in Azerbaijan): drafts awaiting a native speaker ---------------
# Function words, copulas and the vocabulary of feedback; Juhuri shares гь гъ уь хь with Lezgian,
# so these words, not letters, tell it apart.
JDT_WORDS = _words("""
    ме ту имуьгъ шумо уьнгьо мени туьни ими эри эз бэ дэ ве йо ки чуь чи ки чуьтов гьисэ
    гьисди нисди гьисдит гьисдим ниге бу нибу буьгьо бире нибире мехогьим мехогьит метуьним
    нуьвуьсит нуьвуьштим гуьфтим гуьфтуьнуь хуб хубе бэд пис сипос гьэ нэ гьемме гьич хейли
    бисёр дигэ тозе кугьнэ гьеминки гьемин ин уьн инжо уьнжо жовоб суал фикир гэп гэпгьо
    ов нуьн хуне хунегьо дих дихгьо шегьер рогь рогьгьо мектеб мектебгьо кор корхуне пул
    пулгьо гиймет гьеким духдир бэче бэчегьо зен мерд одоми одомигьо руз мэгь сол шов сэгьэр
    имруз сэбэгь дируз зимисту товисту гэрм хунук тов ижоре бэсде воз
    """)

# --- Ukrainian (Cyrillic) words spelled the same without і ї є ґ, unlike Russian ------------------
UK_WORDS = _words("""
    так але дуже немає нема що це як та щоб вже чи ми ви вони мене тебе його треба добре
    погано гарно зараз тепер ще або бо ось саме теж також лише тому коли звичайно будь ласка
    дякую робота роботу працювати може мабуть напевно вулиця будинок хата гроші люди
    потрібно потрібен потрібна житло село селі місто школа лікар лікарня світло згоден
    згодна згодний гаразд вибачте звісно авжеж батьки дитина молодь жодного нащо навіщо
    чому скільки де куди їде працює хочемо можна кажуть зробити робити допоможіть
    допомога скарга ціни
    """)

# --- Georgian typed in Latin letters -------------------------------------------------------------
KA_LATIN_WORDS = _words("""
    gamarjoba gamarjobat madloba gmadlobt didi dzalian dzaan rogor xar kargad kargi kargia
    ar aris ara gvaqvs gaqvs minda gtxovt gtkhovt nakhvamdis naxvamdis wyali tsqali sofeli
    sofelshi sofelši skolashi ekimi fasebi gza gzebi ratom rodis sad aris rame araferi
    """)

# Tokens that carry no language at all: laughter, "ok", acknowledgements typed the same everywhere.
NEUTRAL_WORDS = _words("""
    ok okay okey oke okk kk k hm hmm hmmm mm mmm xd lol lmao haha hahaha ahah ahaha ahahah
    ahahaha hehe hihi xaxa xaxaxa ок окей хм хмм хаха ахах ахаха хахаха
    sms bot fikir
    """)

# A whole message of one of these words is a reply whose language is plain ("he" is "hə", yes).
ONE_WORD_REPLIES: dict[str, str] = {
    "he": "az",
    "hə": "az",
    "bəli": "az",
    "beli": "az",
    "yox": "az",
    "xeyr": "az",
    "da": "ru",
    "net": "ru",
    "да": "ru",
    "нет": "ru",
    "yes": "en",
    "no": "en",
    "так": "uk",
    "ні": "uk",
    "эхь": "lez",
    "ваъ": "lez",
    "гьэ": "jdt",
    "сипос": "jdt",
}

# Each language's cue words, so that a check can tell a language the detector cannot recognise.
CUE_WORDS: dict[str, frozenset[str]] = {
    "az": AZ_WORDS,
    "tly": TLY_STRONG,
    "ru": RU_WORDS,
    "en": EN_WORDS,
    "lez": LEZ_WORDS,
    "ka": KA_LATIN_WORDS,  # and Georgian script, which is Georgian alone
    "uk": UK_WORDS,
    "jdt": JDT_WORDS,
}
