"""The fourth pass's own check: new wordings, in other words and languages, of each class fixed
from the third author's misses, look-alikes that must stay clean, and the category decided."""

from __future__ import annotations

import pytest

from fikir.safety import detect_safety, explain_safety

FOUND: list[tuple[str, str, str]] = [
    ("en", "violence", "i wear long sleeves even in july so nobody sees the bruises he leaves"),
    ("ru", "violence", "замазываю синяки тональным кремом, соседям говорю что упала"),
    ("az", "violence", "göyərmələri gizlədirəm, qonşulara deyirəm pilləkəndən yıxıldım"),
    ("uk", "violence", "приховую синці під довгими рукавами, він потім завжди вибачається"),
    ("en", "self_harm", "sometimes i think my family would be better off without me"),
    ("ru", "self_harm", "стояла вчера на мосту и думала, что всем станет легче"),
    ("uk", "self_harm", "краще було б не прокинутися завтра"),
    ("en", "threat", "they told me something could happen to my kids on the way to school"),
    ("ru", "threat", "сказали что-то случится с дочкой, если не перестану"),
    ("ru", "child_abuse", "родня договорилась о свадьбе дочки, ей всего 13"),
]

CLEAN: list[tuple[str, str]] = [
    ("en", "the power was cut again last night in our street"),
    ("ru", "свадьба дочки в субботу, а дорогу так и не починили"),
    ("az", "yol təmir olunsa hamı rahatlanar"),
    ("en", "i hide my savings under the mattress because the bank is far"),
]


@pytest.mark.parametrize(("lang", "category", "text"), FOUND)
def test_new_wordings_of_the_fourth_pass_classes_are_found(
    lang: str, category: str, text: str
) -> None:
    assert category in detect_safety(text, lang), explain_safety(text, lang)


@pytest.mark.parametrize(("lang", "text"), CLEAN)
def test_look_alikes_of_the_fourth_pass_stay_clean(lang: str, text: str) -> None:
    assert detect_safety(text, lang) == (), explain_safety(text, lang)


def test_a_threat_of_harm_after_speaking_out_is_also_a_reprisal() -> None:
    text = "после встречи с ООН мне звонят и говорят: ноги переломаем"
    assert set(detect_safety(text, "ru")) == {"threat", "reprisal"}


def test_framing_words_alone_are_no_threat() -> None:
    assert "threat" not in detect_safety("сказали, что если я не заберу жалобу, уволят", "ru")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Меня зовут Анна Петрова, мой телефон +994 50 123 45 67, в селе нет воды", "ru"),
        ("мой телефон +994 50 123 45 67", "ru"),
        ("Mənim nömrəm 050 123 45 67, kənddə su yoxdur", "az"),
        ("call me on 055 555 12 12 about the bus stop", "en"),
        ("мій номер 067 123 45 67, світла немає третій день", "uk"),
        ("ჩემი ნომერი 599 12 34 56, გზა დაზიანებულია", "ka"),
    ],
)
def test_a_message_that_leaves_a_number_is_not_a_safety_message(text: str, lang: str) -> None:
    """Contact details are not harm, though "he took my phone" taught the model the word."""
    assert detect_safety(text, lang) == ()
