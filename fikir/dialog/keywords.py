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
