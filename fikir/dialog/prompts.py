"""Every prompt the engine sends, as msgids and choice lists; the words live in the catalogues."""

from __future__ import annotations

from fikir.config.languages import LANGUAGES
from fikir.config.markers import N_
from fikir.config.regions import AGE_BANDS, GENDERS, REGIONS
from fikir.dialog.messages import Choice
from fikir.i18n import translate, translate_plural

WELCOME = N_(
    "Hello! This is fikir: tell the UN team in Azerbaijan what matters to you. Choose your language:"
)
CONSENT = N_(
    "fikir is anonymous. We never keep your name, phone number or account. We keep your "
    "messages (with any names and numbers removed), your poll answers and, if you give them, "
    "your region, age group and gender. The UN team in Azerbaijan reads them only as totals and "
    "anonymous quotes. You can erase everything at any time with /forget.\n\nDo you agree?"
)
CONSENT_SMS = N_(
    "fikir is anonymous: we keep your messages without names or numbers, never your phone "
    "number in clear. Erase all: FORGET. Stop: STOP. Agree? 1 Yes 2 No"
)
CONSENT_YES = N_("Yes, I agree")
CONSENT_NO = N_("No")
DECLINED = N_("Nothing has been kept. If you change your mind, send any message.")
PROFILE_INTRO = N_(
    "Thank you! Three short questions help us see which regions and groups are heard. "
    "Each one is optional."
)
ASK_REGION = N_("Which region do you live in?")
ASK_AGE = N_("How old are you?")
ASK_GENDER = N_("What is your gender?")
SKIP = N_("Skip")
MENU = N_("What would you like to do? You can also simply write your message.")
MENU_FEEDBACK = N_("Give feedback")
MENU_POLLS = N_("Answer polls")
MENU_RESULTS = N_("See results")
MENU_SETTINGS = N_("Settings")
MENU_FORGET = N_("Delete my data")
ASK_FEEDBACK = N_(
    "Write what matters to you: a problem where you live, an idea, anything. "
    "Please do not include names or phone numbers."
)
THANKS = N_(
    "Thank you! Your message has been received anonymously. Reference: {code}. "
    "It will be part of this month's report to the UN team."
)
THANKS_TRUNCATED = N_(
    "Thank you! Your message was very long, so we kept its first {limit} characters. "
    "Reference: {code}."
)
TOPIC_ASK = N_("Which of these topics is it about? Choosing one helps us count it right.")
TOPIC_OTHER = N_("Something else")
TOPIC_THANKS = N_("Thank you, noted.")
SETTINGS = N_("Settings: what would you like to change?")
SET_LANGUAGE = N_("Language")
SET_REGION = N_("Region")
SET_AGE = N_("Age group")
SET_GENDER = N_("Gender")
BACK = N_("Back to menu")
SAVED = N_("Saved.")
FORGET_CONFIRM = N_(
    "This erases everything fikir holds about you: messages, answers and profile. "
    "It cannot be undone. Erase everything?"
)
FORGET_YES = N_("Yes, erase everything")
FORGET_NO = N_("No, keep it")
FORGOTTEN = N_("Done: everything has been erased. Send any message if you want to start again.")
FORGET_KEPT = N_("Nothing was erased.")
HELP = N_(
    "fikir passes your opinion, anonymously, to the UN team in Azerbaijan. Just write your "
    "message, or use: /feedback to write, /polls to answer polls, /results to see results, "
    "/language to change language, /forget to erase your data."
)
HELP_SMS = N_(
    "fikir: write your opinion, it stays anonymous. Reply with a number to answer a poll. "
    "LANGUAGE: change language. STOP: unsubscribe. FORGET: erase your data."
)
EMPTY = N_("I did not receive any text. Please write your message, or send /help.")
MEDIA = N_(
    "I can only read text. Please write your message in words; photos, voice messages, "
    "stickers, files and locations are not kept."
)
NOT_WORDS = N_("Please write your message in words, so that we can understand it.")
PICK_ONE = N_("Please choose one of the options: send its number.")
SUBSCRIBED = N_(
    "You are subscribed. We will send you short polls now and then. Reply STOP at any time to "
    "unsubscribe."
)
UNSUBSCRIBED = N_(
    "You are unsubscribed and we will send you nothing more. Send JOIN to subscribe again."
)
NO_POLLS = N_("There are no open polls right now. We will let you know when there is a new one.")
POLL_THANKS = N_("Thank you, your answer is recorded. You can change it until the poll closes.")
POLL_CLOSED = N_(
    "This poll has already closed, so your answer could not be counted. Thank you anyway!"
)
NO_RESULTS = N_("There are no results to show yet. Results appear here when a poll closes.")
ERROR = N_("Sorry, something went wrong on our side. Please try again in a minute.")


def t(lang: str | None, message: str, /, **params: object) -> str:
    return translate(lang, message, **params)


def tn(lang: str | None, forms: tuple[str, str], n: int, /, **params: object) -> str:
    return translate_plural(lang, forms[0], forms[1], n, **params)


def language_choices() -> tuple[Choice, ...]:
    return tuple(Choice(f"lang:{lang.code}", lang.endonym) for lang in LANGUAGES)


def consent_choices(lang: str) -> tuple[Choice, ...]:
    return (Choice("consent:yes", t(lang, CONSENT_YES)), Choice("consent:no", t(lang, CONSENT_NO)))


def region_choices(lang: str) -> tuple[Choice, ...]:
    return tuple(Choice(f"region:{code}", t(lang, label)) for code, label in REGIONS) + (
        Choice("region:skip", t(lang, SKIP)),
    )


def age_choices(lang: str) -> tuple[Choice, ...]:
    return tuple(Choice(f"age:{code}", t(lang, label)) for code, label in AGE_BANDS) + (
        Choice("age:skip", t(lang, SKIP)),
    )


def gender_choices(lang: str) -> tuple[Choice, ...]:
    return tuple(Choice(f"gender:{code}", t(lang, label)) for code, label in GENDERS) + (
        Choice("gender:skip", t(lang, SKIP)),
    )


def menu_choices(lang: str) -> tuple[Choice, ...]:
    return (
        Choice("menu:feedback", t(lang, MENU_FEEDBACK)),
        Choice("menu:polls", t(lang, MENU_POLLS)),
        Choice("menu:results", t(lang, MENU_RESULTS)),
        Choice("menu:settings", t(lang, MENU_SETTINGS)),
        Choice("menu:forget", t(lang, MENU_FORGET)),
    )


def settings_choices(lang: str) -> tuple[Choice, ...]:
    return (
        Choice("settings:language", t(lang, SET_LANGUAGE)),
        Choice("settings:region", t(lang, SET_REGION)),
        Choice("settings:age", t(lang, SET_AGE)),
        Choice("settings:gender", t(lang, SET_GENDER)),
        Choice("menu:back", t(lang, BACK)),
    )


def topic_choices(lang: str, feedback_id: int, goals: tuple[int, ...]) -> tuple[Choice, ...]:
    from fikir.config.sdgs import goal_name

    picks = tuple(
        Choice(f"topic:{feedback_id}:{goal}", goal_name(goal, lang)) for goal in goals[:3]
    )
    return picks + (Choice(f"topic:{feedback_id}:0", t(lang, TOPIC_OTHER)),)


def forget_choices(lang: str) -> tuple[Choice, ...]:
    return (Choice("forget:yes", t(lang, FORGET_YES)), Choice("forget:no", t(lang, FORGET_NO)))
