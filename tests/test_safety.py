"""The safety detector: every category in every language, typed as people type, hard negatives
left alone, the `fikir tag` field, and the held-out targets of the labelled set."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import Counter
from pathlib import Path

import pytest

from fikir.config.languages import LANGUAGE_CODES
from fikir.safety import (
    CATEGORIES,
    SafetyDetector,
    default_detector,
    detect_safety,
    explain_safety,
)
from fikir.safety.evaluate import evaluate, load_labelled
from fikir.safety.lexicon import load_terms, normalise, parse_lexicon
from fikir.safety.model import Example, StemModel, features
from fikir.tagging import run_jsonl

DATA = Path(__file__).parent / "data" / "safety"

POSITIVES: list[tuple[str, str, str]] = [
    ("az", "violence", "ərim məni döyür, evdən çıxmağa qoymur"),
    ("az", "violence", "erim meni doyur, haraya gedim"),
    ("az", "violence", "кочам мәни дөјүр, ушагларын јанында"),
    ("az", "violence", "kocam beni dövüyor her gece"),
    ("az", "child_abuse", "qonşu uşağı hər gün döyürlər, bədəni göyərib"),
    ("az", "child_abuse", "13 yaşlı qızı ərə verirlər"),
    ("az", "self_harm", "ozumu oldurmek isteyirem"),
    ("az", "threat", "qonşu məni hədələyir"),
    ("az", "reprisal", "fikirə yazdığım üçün məni işdən çıxardılar"),
    ("ru", "violence", "муж бьет меня"),
    ("ru", "violence", "muzh menya b'et kazhdyj den"),
    ("ru", "child_abuse", "девочек выдают замуж в 13 лет"),
    ("ru", "self_harm", "не хочу жить"),
    ("ru", "threat", "сосед угрожает убить"),
    ("ru", "reprisal", "после того как я написал в ООН, меня уволили"),
    ("en", "violence", "my husband hits me"),
    ("en", "child_abuse", "they beat the children at the orphanage"),
    ("en", "self_harm", "i want to die"),
    ("en", "threat", "he said he will kill me"),
    ("en", "reprisal", "police came to my house because i wrote to fikir"),
    ("tly", "violence", "çımı merd mıni jəne"),
    ("tly", "child_abuse", "əğıli har ruj jənin"),
    ("tly", "self_harm", "mıredə piyəme"),
    ("tly", "threat", "vote ki tıni kuşəm"),
    ("tly", "reprisal", "fikirə nıvıştəme bəçe mıni koə-ku bəkardən"),
    ("lez", "violence", "зи гъуьлуь заз гатазва"),
    ("lez", "child_abuse", "аялриз гатазва"),
    ("lez", "self_harm", "заз кьиникь кIанзава"),
    ("lez", "threat", "къуншиди заз кичIерарзава"),
    ("lez", "reprisal", "ООН-диз жалаба кхьена, ахпа полиция зи кIвализ атана"),
    ("ka", "violence", "ქმარი მცემს"),
    ("ka", "child_abuse", "ბავშვს სცემენ ყოველდღე"),
    ("ka", "self_harm", "მინდა მოვკვდე"),
    ("ka", "threat", "მეზობელი მემუქრება"),
    ("ka", "reprisal", "გამოკითხვაში მონაწილეობის გამო სამსახურიდან გამათავისუფლეს"),
    ("jdt", "violence", "шуьвер мере гьэр руз зене"),
    ("jdt", "child_abuse", "бэчегьоре дэ детдом зене"),
    ("jdt", "self_harm", "ме мехогьим бимирим"),
    ("jdt", "threat", "гьэгъуьшке мере митирсуьнд"),
    ("jdt", "reprisal", "эри опрос нуьвуьштим, полиция бэ хуне омори"),
    ("uk", "violence", "чоловік б'є мене"),
    ("uk", "child_abuse", "дитину б'ють щодня"),
    ("uk", "self_harm", "хочу померти"),
    ("uk", "threat", "пишуть що вб'ють"),
    ("uk", "reprisal", "після того як я написав вам, мене звільнили"),
]

HARD_NEGATIVES: list[tuple[str, str]] = [
    ("en", "the road is killing our cars"),
    ("en", "so much violence in a film for kids"),
    ("en", "killer prices at the market"),
    ("en", "our team beat them 2-0"),
    ("ru", "убийственные цены"),
    ("ru", "новости про войну"),
    ("az", "öldürücü qiymətlər"),
    ("az", "oldurucu qiymetler"),
    ("az", "qətl filmi izlədik"),
    ("az", "20 Yanvar faciəsini anırıq"),
    ("ka", "მკვლელი ფასებია"),
    ("uk", "вбивчі ціни"),
    ("az", "kənddə su yoxdur"),
    ("ru", "дороги разбиты"),
    ("en", "no teachers at the school"),
]


# Worded as the lexicons' semantic fields predict, not as any labelled message is worded.
WIDER: list[tuple[str, str]] = [
    ("en", "my stepdad chokes me and locks me in my room"),
    ("en", "i took all my pills, i just want it to end, no point living"),
    ("en", "after i answered your survey my boss fired me"),
    ("ru", "после того как я ответила на опрос, меня вызвали к директору"),
    ("ru", "устал от жизни, хочу наложить на себя руки"),
    ("ru", "он поднимает на меня руку, вся в синяках"),
    ("az", "şikayət etdiyim üçün maaşımı kəsdilər"),
    ("az", "daha yaşamaq istəmirəm, həyatdan bezmişəm"),
    ("az", "qaynanam mənə əl qaldırır, saçımdan tutub çəkir"),
    ("ka", "ქმარმა დამარტყა, სილურჯეები მაქვს"),
    ("uk", "не бачу сенсу жити, хочу все закінчити"),
    ("uk", "вітчим душить маму, я боюся"),
]


# The third pass's own check: for each class fixed from the blind set's misses (pressure of any
# kind after taking part, neglect and labour, farewell without a word of dying, maiming threats,
# confinement), new wordings in other words and languages, and look-alikes that must stay clean.
THIRD_PASS: list[tuple[str, str, str]] = [
    (
        "en",
        "reprisal",
        "two days after i signed the petition the head of the village called my mum and told her to make me stop",
    ),
    (
        "en",
        "reprisal",
        "someone from the district office visited us and asked who posted the complaint on this bot",
    ),
    ("ru", "reprisal", "после того как я сказала правду на собрании, у мамы отобрали пособие"),
    (
        "ru",
        "reprisal",
        "написал сюда про свалку, а теперь участковый ходит к соседям и спрашивает кто это написал",
    ),
    (
        "uk",
        "reprisal",
        "я підписала петицію, і тепер моєму батькові на роботі погрожують звільненням",
    ),
    (
        "az",
        "reprisal",
        "sorğuya cavab verəndən sonra müdir atamı yanına çağırıb dedi qızın çox danışır",
    ),
    ("az", "reprisal", "iclasda həqiqəti dedim, indi ərimi işdən çıxarmaq istəyirlər"),
    ("ka", "reprisal", "საჩივარი დავწერე და მამაჩემი პოლიციაში დაიბარეს"),
    (
        "en",
        "child_abuse",
        "a 12 year old girl in our street is being married to a 40 year old man next month",
    ),
    (
        "en",
        "child_abuse",
        "my nephew is 10 and he sells stuff at the bus station all night instead of going to school",
    ),
    ("ru", "child_abuse", "соседского мальчика 8 лет запирают в сарае и не кормят"),
    ("ru", "child_abuse", "учитель физкультуры трогает девочек в раздевалке"),
    ("uk", "child_abuse", "батьки п'ють, діти ходять голодні і брудні, молодшій 4 роки"),
    ("az", "child_abuse", "qonşunun 14 yaşlı qızının toyunu hazırlayırlar, məktəbdən çıxarıblar"),
    ("az", "child_abuse", "balaca oğlan bütün günü tikintidə kərpic daşıyır, məktəbə getmir"),
    ("ka", "child_abuse", "მეზობელი ბავშვებს მარტო ტოვებს რამდენიმე დღით, მშივრები არიან"),
    (
        "en",
        "self_harm",
        "this is my last message, i gave my cat to my sister, i'm sorry for everything",
    ),
    ("en", "self_harm", "everyone would be better off if i just disappeared for good"),
    ("ru", "self_harm", "я всем только мешаю, лучше бы меня не было"),
    ("ru", "self_harm", "раздала свои вещи, больше не могу так, простите"),
    ("uk", "self_harm", "я для всіх тягар, не бачу сенсу далі"),
    ("az", "self_harm", "hamıya yük oluram, daha dözə bilmirəm, yaşamağın mənası yoxdur"),
    ("az", "self_harm", "bu mənim son mesajımdır, məni bağışlayın"),
    ("ka", "self_harm", "აზრი აღარ აქვს არაფერს, მინდა სამუდამოდ დავიძინო"),
    ("en", "violence", "he pushed me down the stairs and took my passport so i cant leave"),
    ("ru", "violence", "сожитель швырнул меня об стену, теперь не выпускает из дома"),
    ("az", "violence", "qardaşım məni otağa kilidləyib, telefonumu əlimdən alıb"),
    ("uk", "violence", "чоловік штовхнув мене, вдарилась головою об стіну"),
    ("en", "threat", "my ex says he'll break my legs if i go to the police"),
    ("ru", "threat", "сказал что сломает мне руки если я уйду"),
    ("az", "threat", "dedi ki üzünə benzin töküb yandıracağam"),
    ("uk", "threat", "сказав що тобі кінець, якщо ще раз прийдеш"),
]

THIRD_PASS_NEGATIVES: list[tuple[str, str]] = [
    ("en", "our kids beat the school record in the relay race"),
    ("en", "this heat is killing me, when will the water come back"),
    ("ru", "вырубка леса угроза для наших родников"),
    ("az", "uşaqlar bazarda alma alırlar, qiymətlər bahadır"),
    ("az", "oğlum 10 yaşındadır, məktəbdə yaxşı oxuyur"),
    ("uk", "діти б'ють рекорди з плавання"),
    ("en", "the survey was great, thank you for asking about water"),
    ("ru", "я участвовала в опросе, спасибо, надеюсь дорогу починят"),
    ("az", "sorğuda iştirak etdim, yolu təmir etsinlər"),
    ("en", "my 13 year old daughter won the chess cup"),
    ("ka", "ბავშვები სკოლაში სწავლობენ, მასწავლებელი კარგია"),
    ("en", "i wrote to you last month about the bus, still nothing"),
    ("ru", "в фильме героя избили и бросили в реку"),
    ("az", "atam işdən çıxdı, təqaüdə getdi, indi bağda işləyir"),
]


@pytest.mark.parametrize(("lang", "category", "text"), THIRD_PASS)
def test_new_wordings_of_each_fixed_class_are_found(lang: str, category: str, text: str) -> None:
    assert detect_safety(text, lang) != (), explain_safety(text, lang)


@pytest.mark.parametrize(("lang", "text"), THIRD_PASS_NEGATIVES)
def test_look_alikes_of_the_fixed_classes_stay_clean(lang: str, text: str) -> None:
    assert detect_safety(text, lang) == (), explain_safety(text, lang)


def test_the_model_adds_a_flag_only_where_the_lexicons_are_silent_and_not_negated() -> None:
    lexicons = SafetyDetector(load_terms())
    detector = SafetyDetector(load_terms(), StemModel.load())
    text = "муж опять пришёл пьяный, мы с детьми прячемся у соседей"
    assert lexicons.detect(text, "ru") == ()
    assert detector.detect(text, "ru") != ()
    assert detector.explain(text, "ru")[detector.detect(text, "ru")[0]][-1].startswith("model: ")
    assert detector.detect("отец не бьет детей, всё хорошо", "ru") == ()


def test_the_model_file_reads_back_as_written(tmp_path: Path) -> None:
    beats, water = features("he beats me"), features("no water")
    model = StemModel.train([Example(beats, ("violence",)), Example(water, ())] * 2)
    model.dump(tmp_path / "m.tsv")
    again = StemModel.load(tmp_path / "m.tsv")
    assert again.verdict(beats) == model.verdict(beats)
    assert model.verdict(beats).probability > 0.5 > model.verdict(water).probability
    (tmp_path / "bad.tsv").write_text("@columns\tany\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        StemModel.load(tmp_path / "bad.tsv")


@pytest.mark.parametrize(("lang", "text"), WIDER)
def test_wordings_beyond_the_labelled_examples_are_found(lang: str, text: str) -> None:
    assert detect_safety(text, lang) != (), explain_safety(text, lang)


@pytest.mark.parametrize(("lang", "category", "text"), POSITIVES)
def test_each_category_is_found_in_every_language(lang: str, category: str, text: str) -> None:
    assert category in detect_safety(text, lang), explain_safety(text, lang)


def test_the_examples_cover_every_category_in_every_language() -> None:
    assert {(lang, category) for lang, category, _ in POSITIVES} == {
        (lang, category) for lang in LANGUAGE_CODES for category in CATEGORIES
    }


@pytest.mark.parametrize(("lang", "text"), HARD_NEGATIVES)
def test_figurative_historical_and_everyday_messages_are_not_flagged(lang: str, text: str) -> None:
    assert detect_safety(text, lang) == (), explain_safety(text, lang)
    assert detect_safety(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "Ərim məni döyür, özümü öldürmək istəyirəm",
        "Erim meni doyur, ozumu oldurmek isteyirem",
        "ERIM MENI DOYUR OZUMU OLDURMEK ISTEYIREM",
        "Әрим мәни дөјүр, өзүмү өлдүрмәк истәјирәм",
    ],
)
def test_azerbaijani_with_or_without_diacritics_or_in_cyrillic_agrees(text: str) -> None:
    assert detect_safety(text) == ("violence", "self_harm")
    assert detect_safety(text, "az") == ("violence", "self_harm")


def test_categories_come_in_the_fixed_order_and_empty_is_a_tuple() -> None:
    assert detect_safety("he threatens to kill me and beats my wife, i want to die") == (
        "violence",
        "self_harm",
        "threat",
    )
    assert detect_safety("") == ()
    assert detect_safety("   ") == ()


def test_negation_right_before_a_term_cancels_it() -> None:
    assert detect_safety("муж бьет меня", "ru") == ("violence",)
    assert detect_safety("отец не бьет детей, всё хорошо", "ru") == ()


def test_fikir_tag_output_carries_the_safety_field() -> None:
    lines = [
        json.dumps({"id": 1, "text": "Ərim məni döyür", "lang": "az"}),
        json.dumps({"id": 2, "text": "Kənddə su yoxdur"}),
        json.dumps({"id": 3, "text": "муж бьёт, говорит что убьёт если уйду", "lang": "ru"}),
    ]
    out = io.StringIO()
    assert run_jsonl(io.StringIO("\n".join(lines)), out, explain=True) == 3
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["safety"] for row in rows] == [["violence"], [], ["violence", "threat"]]
    assert rows[0]["safety_explain"]["violence"][0] == "erim meni doyur"
    assert rows[1]["safety_explain"] == {}


def test_the_detector_is_loaded_once_and_safe_to_share_between_threads() -> None:
    assert default_detector() is default_detector()
    texts = [text for _, _, text in POSITIVES] + [text for _, text in HARD_NEGATIVES]
    expected = [detect_safety(text) for text in texts]
    results: list[list[tuple[str, ...]]] = []

    def work() -> None:
        results.append([detect_safety(text) for text in texts * 20][: len(texts)])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


def test_many_messages_are_checked_without_trouble() -> None:
    records = load_labelled(DATA / "messages.jsonl")
    found = [detect_safety(record.text * 3, record.lang) for record in records * 5]
    assert len(found) == len(records) * 5  # speed itself is measured in bench/safety.py


def test_a_lexicon_mistake_names_its_line() -> None:
    with pytest.raises(ValueError, match="x.txt:2"):
        parse_lexicon("@violence\nbeat | heavy\n", "en", "x.txt")
    with pytest.raises(ValueError, match="x.txt:1"):
        parse_lexicon("@weather\n", "en", "x.txt")


def test_the_labelled_set_is_large_varied_and_split_by_the_fixed_rule() -> None:
    records = load_labelled(DATA / "messages.jsonl")
    assert len(records) >= 300
    per_lang = Counter(r.lang for r in records)
    assert set(per_lang) == set(LANGUAGE_CODES) and min(per_lang.values()) >= 30
    assert per_lang["az"] >= 60 and per_lang["ru"] >= 50
    kinds = Counter(r.kind for r in records)
    assert kinds["hard_negative"] / len(records) >= 0.35 and kinds["ordinary"] >= 40
    assert len({r.id for r in records}) == len(records)
    for r in records:
        assert set(r.safety) <= set(CATEGORIES) and bool(r.safety) == (r.kind == "positive")
        digest = int(hashlib.sha256(r.id.encode()).hexdigest(), 16)
        assert r.split == ("heldout" if digest % 5 < 2 else "dev"), r.id


def test_heldout_messages_reach_the_targets() -> None:
    heldout = load_labelled(DATA / "messages.jsonl", "heldout")
    assert len(heldout) >= 120
    by_lang, _ = evaluate(heldout, lambda r: detect_safety(r.text, r.lang))
    assert by_lang["all"].recall >= 0.95
    assert by_lang["all"].precision >= 0.85


def test_blind_messages_are_scored_and_reported_without_showing_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Another author's messages: read while building the third pass and trained on by the model,
    # so these figures are fit (bench/safety_model.py gives the cross-author ones).
    blind = load_labelled(DATA / "blind.jsonl")
    assert len(blind) == 200 and {r.split for r in blind} == {"blind"}
    assert all(set(r.safety) <= set(CATEGORIES) for r in blind)
    by_lang, _ = evaluate(blind, lambda r: detect_safety(r.text, r.lang))
    score = by_lang["all"]
    assert score.positives == 100 and score.messages == 200
    with capsys.disabled():
        print(
            f"\nblind: recall {score.recall:.3f} (target 0.95), "
            f"precision {score.precision:.3f} (target 0.85)"
        )
    # Built against now, so held to the target.
    assert score.recall >= 0.95 and score.precision >= 0.85


@pytest.mark.parametrize(
    "text",
    [
        "нам сказали 'кто следующая?'.",
        "' ' '",
        "he said 'you are next' '",
        "'",
        "ʼ",
    ],
)
def test_quotes_standing_alone_are_read_without_failing(text: str) -> None:
    # A quote mark left as a word of its own once folded used to leave a trailing space, and
    # the scan then read past the end of the text (IndexError): the message was lost.
    detect_safety(text, "ru")
    assert "  " not in normalise(text) and normalise(text) == normalise(text).strip()


def test_the_set_scored_once_reaches_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    # The eighth author's messages, kept away until the detector was final and scored once
    # (tests/data/safety/README.md): a regression guard from now on, no longer unseen.
    unseen = load_labelled(DATA / "blind4.jsonl")
    assert len(unseen) == 350 and {r.lang for r in unseen} == {
        "az",
        "ru",
        "en",
        "tly",
        "lez",
        "ka",
        "uk",
    }
    by_lang, _ = evaluate(unseen, lambda r: detect_safety(r.text, r.lang))
    score = by_lang["all"]
    with capsys.disabled():
        print(f"\nblind4: recall {score.recall:.3f}, precision {score.precision:.3f}")
    assert score.recall >= 0.95 and score.precision >= 0.85


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("az", "Yol pisdir, mənə zəng edin: +994 50 123 45 67"),
        ("az", "su yoxdur 3 gundur, zeng edin mene 055 444 33 22"),
        ("ru", "Дорога разбита, позвоните мне пожалуйста +994 50 765 43 21"),
        ("en", "the bus did not come again, please call me back on 050 111 22 33"),
        ("uk", "У нас немає газу, напишіть мені, будь ласка"),
        ("ka", "გზა ცუდია, დამირეკეთ 599 12 34 56"),
    ],
)
def test_asking_to_be_called_about_everyday_trouble_is_not_a_report(lang: str, text: str) -> None:
    # The model once read "me" in a short message as harm (it had seen few first-person everyday
    # messages); the redaction and language sets' feedback now train it too.
    assert detect_safety(text, lang) == (), explain_safety(text, lang)
