"""Single-word commands in every language (SMS keywords and Telegram slash commands alike)."""

from __future__ import annotations

from fikir.i18n.textfold import fold

# Folded forms: lower case, Azerbaijani letters spelled in ASCII, so QOŞUL, qosul and Qoşul agree.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "start": ("start", "/start", "старт", "начать", "почати", "დაწყება"),
    "join": (
        "join",
        "subscribe",
        "qosul",
        "abune",
        "подписка",
        "подписаться",
        "подпишись",
        "пiдписка",
        "підписка",
        "підписатися",
        "გამოწერა",
        "qoşul",
    ),
    "stop": (
        "stop",
        "/stop",
        "dayan",
        "стоп",
        "отписка",
        "отписаться",
        "unsubscribe",
        "cancel",
        "dayandir",
        "ləğv",
        "legv",
        "зупинити",
        "відписатися",
        "გაჩერება",
        "შეწყვეტა",
    ),
    "help": (
        "help",
        "/help",
        "komek",
        "kömək",
        "помощь",
        "помогите",
        "справка",
        "допомога",
        "куьмек",
        "dəstək",
        "დახმარება",
        "?",
    ),
    "forget": (
        "forget",
        "/forget",
        "unut",
        "забудь",
        "забыть",
        "удалить",
        "забути",
        "видалити",
        "sil",
        "დაივიწყე",
        "წაშლა",
    ),
    "language": (
        "language",
        "/language",
        "dil",
        "язык",
        "мова",
        "lang",
        "чӏал",
        "чiал",
        "ენა",
    ),
    "feedback": ("/feedback", "feedback", "rəy", "rey", "отзыв", "відгук"),
    "polls": ("/polls", "polls", "poll", "sorğu", "sorgu", "опрос", "опитування"),
    "results": ("/results", "results", "nəticə", "netice", "результаты", "результати"),
    "menu": ("/menu", "menu", "menyu", "меню"),
    # "You said, we did" updates: asks the yes/no question again.
    "updates": (
        "/news",
        "news",
        "xəbər",
        "xəbərlər",
        "новости",
        "новини",
        "სიახლეები",
    ),
}

_INDEX: dict[str, str] = {}
for _command, _words in _KEYWORDS.items():
    for _word in _words:
        _INDEX.setdefault(fold(_word), _command)


def keyword(text: str | None) -> str | None:
    """The command a one-word message means, or None (longer text is never a keyword)."""
    if not text:
        return None
    stripped = text.strip().strip(".!").strip()
    if not stripped or len(stripped) > 20 or len(stripped.split()) != 1:
        return None
    if stripped.startswith("/"):
        stripped = stripped.split("@", 1)[0]  # Telegram's /start@fikir_bot in groups
    return _INDEX.get(fold(stripped))


# The language a keyword is unmistakably written in, so that a first SMS that is only a keyword
# (QOŞUL, ПОДПИСКА) is answered in that language. Words several languages share (STOP, СТОП,
# HELP, START) are left out: they say nothing about the language.
_LANGUAGE_OF_WORDS: dict[str, tuple[str, ...]] = {
    "az": (
        "qoşul",
        "abunə",
        "dayan",
        "dayandır",
        "ləğv",
        "kömək",
        "dəstək",
        "unut",
        "sil",
        "dil",
        "rəy",
        "sorğu",
        "nəticə",
        "menyu",
        "xəbər",
        "xəbərlər",
    ),
    "ru": (
        "подписка",
        "подписаться",
        "подпишись",
        "отписка",
        "отписаться",
        "помощь",
        "помогите",
        "справка",
        "забудь",
        "забыть",
        "удалить",
        "язык",
        "отзыв",
        "опрос",
        "результаты",
        "начать",
        "новости",
    ),
    "uk": (
        "підписка",
        "пiдписка",
        "підписатися",
        "зупинити",
        "відписатися",
        "допомога",
        "забути",
        "видалити",
        "мова",
        "відгук",
        "опитування",
        "результати",
        "почати",
        "новини",
    ),
    "ka": (
        "გამოწერა",
        "გაჩერება",
        "შეწყვეტა",
        "დახმარება",
        "დაივიწყე",
        "წაშლა",
        "ენა",
        "დაწყება",
        "სიახლეები",
    ),
    "lez": ("куьмек", "чӏал", "чiал"),
    "en": ("unsubscribe", "forget", "language", "feedback", "results", "news"),
}
_LANGUAGE_OF: dict[str, str] = {
    fold(word): lang for lang, words in _LANGUAGE_OF_WORDS.items() for word in words
}


def keyword_language(text: str | None) -> str | None:
    """The language of a one-word keyword when only one language uses that word, else None."""
    if keyword(text) is None or text is None:
        return None
    return _LANGUAGE_OF.get(fold(text.strip().strip(".!").strip()))
