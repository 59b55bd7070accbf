"""Detectors for online contacts: e-mail addresses, @usernames and links to personal profiles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fikir.privacy.redact_common import Found, matches_at, mentions
from fikir.privacy.redact_keywords import starts

_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?!\w)")
_DOT = r"(?:\s*\.\s*|\s*[\[({]\s*(?:dot|точка|n[öo]qt[əe])\s*[\])}]\s*|\s+(?:dot|точка|n[öo]qt[əe])\s+)"
_TLD = r"(?:com|ru|az|net|org|ua|ge|edu|info|io|uk|de|tr|gov|me|biz|by|kz|us)(?!\w)"
# "name [at] mail.ru", "name (at) gmail dot com", "имя собака mail точка ru".
_EMAIL_SPELLED = re.compile(
    rf"(?i)(?<![\w.])[\w.+\-]{{2,}}\s*(?:[\[({{]\s*(?:at|@|собака)\s*[\])}}]|\s(?:собака|sobaka)\s|\s@\s)"
    rf"\s*[\w\-]+(?:{_DOT}[\w\-]+)*?{_DOT}{_TLD}"
)
# " at " is an ordinary English word, so the plain-word spelling needs a known mail provider.
_EMAIL_AT_WORD = re.compile(
    r"(?i)(?<![\w.])[\w.+\-]{2,}\s+at\s+(?:gmail|mail|yandex|yahoo|outlook|hotmail|inbox|list|bk|"
    rf"rambler|icloud|box|ukr|proton(?:mail)?|live|msn){_DOT}{_TLD}"
)
_PROFILE_LINK = re.compile(
    r"(?i)(?<![\w.@/])(?:https?://)?(?:www\.|m\.|mobile\.|web\.)?"
    r"(?:t\.me|telegram\.(?:me|dog)|wa\.me|facebook\.com|fb\.com|fb\.me|instagram\.com|instagr\.am|"
    r"vk\.com|vkontakte\.ru|ok\.ru|tiktok\.com|twitter\.com|x\.com|linkedin\.com|youtube\.com|"
    r"youtu\.be|threads\.net|snapchat\.com|pinterest\.com|github\.com|linktr\.ee|taplink\.cc|"
    r"max\.ru|discord\.gg|discord\.com/users)"
    r"/[^\s<>\"'«»]+"
)
_USERNAME = re.compile(r"(?<![\w@.+\-])@[A-Za-z][A-Za-z0-9_.]{2,31}(?<![.])")
# "insta: murad.ism_23", "ник - zaur90", "telegram elnur_94" (no colon: the handle must look made-up).
_USERNAME_KEYWORD = re.compile(
    r"(?i:\binsta(?:gram)?\b|\binst\b|\btele[gq]ram\b|\btg\b|телеграм\w*|\bинст\w*|\bник\w*|"
    r"\bnick(?:name)?\b|\busername\b|\blogin\b|логин|\btik\s?tok\b|тикток|\btwitter\b|твиттер|"
    r"\bfacebook\b|\bfb\b|фейсбук|\bskype\b|скайп|\bdiscord\b|ინსტაგრამ\w*|ტელეგრამ\w*)"
    r"(?:(?P<colon>\s*[:\-—–=]\s*)|\s+)@?(?P<handle>[A-Za-z][A-Za-z0-9_.]{2,31})(?![\w@/]|\.\w)"
)
_TRAILING = ".,;:!?)]}»"
_EMAIL_RULES = (
    (_EMAIL, ("@",)),
    (_EMAIL_SPELLED, ("at]", "at)", "at}", "@]", "@)", "@}", " @ ", "собака", "sobaka")),
    (_EMAIL_AT_WORD, (" at ",)),
)
_LINK_NEEDLES = (
    "t.me", "telegram.", "wa.me", "facebook", "fb.", "instagr", "vk.com", "vkontakte", "ok.ru",
    "tiktok", "twitter", "x.com", "linkedin", "youtu", "threads", "snapchat", "pinterest", "github",
    "linktr", "taplink", "max.ru", "discord",
)  # fmt: skip


def find_contacts(text: str) -> list[Found]:
    """Every e-mail address, profile link and username in `text`."""
    lowered = text.casefold()
    found: list[Found] = []
    for rule, needles in _EMAIL_RULES:
        if mentions(lowered, needles):
            found += (Found(m.start(), m.end(), "email") for m in rule.finditer(text))
    if "/" in text and mentions(lowered, _LINK_NEEDLES):
        found += _links(text)
    if "@" in text:
        found += (Found(m.start(), m.end(), "username") for m in _USERNAME.finditer(text))
    found += _keyword_usernames(text)
    return found


def _links(text: str) -> Iterator[Found]:
    for m in _PROFILE_LINK.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _TRAILING:
            end -= 1
        yield Found(m.start(), end, "link")


def _keyword_usernames(text: str) -> Iterator[Found]:
    for m in matches_at(_USERNAME_KEYWORD, text, starts(text, "username")):
        handle = m.group("handle")
        made_up = any(c.isdigit() or c in "_." for c in handle)
        if m.group("colon") is not None or made_up or text[m.start("handle") - 1] == "@":
            end = m.end("handle")
            while text[end - 1] == ".":
                end -= 1
            yield Found(m.start("handle") - (text[m.start("handle") - 1] == "@"), end, "username")
