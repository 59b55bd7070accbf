"""Every prompt the engine sends, as msgids and choice lists; the words live in the catalogues."""

from __future__ import annotations

from fikir.config.languages import LANGUAGES
from fikir.config.markers import N_
from fikir.config.regions import AGE_BANDS, GENDERS, REGIONS
from fikir.dialog.messages import Choice
from fikir.i18n import translate, translate_plural

WELCOME = N_(
    "Hello! This is fikir. Write what matters to you, and {organisation} will read it. "
    "Choose your language:"
)
# Every first conversation says who reads, that it is anonymous, that nobody will call, and
# how to erase everything ({organisation}: FIKIR_ORGANISATION_NAME, fikir/config/organisation.py).
CONSENT = N_(
    "Welcome to fikir. {organisation} reads what you write here, anonymously: nobody there sees "
    "your name, phone number or account, and nobody will call you. We keep your messages (with "
    "names and numbers taken out), your poll answers and, if you give them, your region, age "
    "group and gender. Your words may be quoted in reports, never with your name. To erase "
    "everything at any time, send /forget.\n\nDo you agree?"
)
CONSENT_YES = N_("Yes, I agree")
CONSENT_NO = N_("No")
DECLINED = N_("Nothing has been kept. If you change your mind, send any message.")
PROFILE_INTRO = N_(
    "Thank you! Three short questions help us see which places and groups we hear from. "
    "You can skip any of them."
)
ASK_REGION = N_("Which region do you live in?")
ASK_AGE = N_("How old are you?")
ASK_GENDER = N_("What is your gender?")
SKIP = N_("Skip")
MENU = N_("What would you like to do? You can also simply write your message.")
MENU_FEEDBACK = N_("Write a message")
MENU_POLLS = N_("Answer polls")
MENU_RESULTS = N_("See results")
MENU_SETTINGS = N_("Settings")
MENU_FORGET = N_("Delete my data")
ASK_FEEDBACK = N_(
    "Write what matters to you: a problem where you live, an idea, anything. "
    "Please do not include names or phone numbers."
)
THANKS = N_(
    "Thank you! We received your message anonymously. Its code is {code}. "
    "{organisation} will read it in this month's report."
)
THANKS_TRUNCATED = N_(
    "Thank you! Your message was very long, so we kept its first {limit} characters. "
    "Its code is {code}."
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
    "fikir passes what you write to {organisation}, anonymously. Nobody will call you. Just "
    "write your message, or use: /feedback to write, /polls to answer polls, /results to see "
    "results, /language to change language, /forget to erase everything."
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
POLL_CURRENT = N_("Your answer now: {answer}. Choose again to change it.")
POLL_CLOSED = N_(
    "This poll has already closed, so your answer could not be counted. Thank you anyway!"
)
POLL_OUTSIDE = N_(
    "This poll is meant for another group of people, so your answer was not counted. "
    "Thank you anyway!"
)
NO_RESULTS = N_("There are no results to show yet. Results appear here when a poll closes.")
ERROR = N_("Sorry, something went wrong on our side. Please try again in a minute.")
# "You said, we did": asked once, after the first feedback; changeable in settings and by /news.
UPDATES_ASK = N_(
    "When the UN team decides or does something about what people like you raised, may we "
    "tell you? A short update now and then, nothing else."
)
UPDATES_YES = N_("Yes, tell me")
UPDATES_NO = N_("No, thanks")
UPDATES_ON = N_(
    "Thank you: we will tell you what is done about what you raised. To change this, use "
    "Settings or send /news."
)
UPDATES_OFF = N_("Fine: we will not send you updates. To change this, use Settings or send /news.")
SET_UPDATES = N_("Updates on what is done")


# SMS: every part costs money, so SMS gets its own short texts (one segment each, checked by
# `fikir sms segments` and its test). The engine swaps them in; None means "not sent by SMS".
SMS_LANGUAGE_Q = N_("Language?")
CONSENT_SMS = N_(
    "fikir: {organisation} reads your messages anonymously. Nobody sees your number or will "
    "call you. FORGET erases all. Agree?"
)
SMS_YES = N_("Yes")
SMS_ASK_REGION = N_(
    "Subscribed, STOP to end. Optional: your district or town? Reply its name, or 0 to skip."
)
SMS_REGION_UNKNOWN = N_("District not recognised. Reply its name again, or 0 to skip.")
HELP_SMS = N_(
    "fikir: write your opinion, it stays anonymous. Polls: reply a number. LANGUAGE, STOP, FORGET."
)
SMS_DECLINED = N_("Nothing was kept. Write again any time.")
SMS_ASK_FEEDBACK = N_("Write your opinion, without names or phone numbers.")
SMS_THANKS = N_("Thank you! Received anonymously. Code: {code}")
SMS_THANKS_REMOVED = N_("Thank you! Received anonymously, personal details removed. Code: {code}")
SMS_FORGET_CONFIRM = N_("Erase all your messages and answers for good?")
SMS_FORGOTTEN = N_("Everything is erased. Write again any time.")
SMS_EMPTY = N_("No text received. Write your message, or HELP.")
SMS_NOT_WORDS = N_("Please write in words.")
SMS_PICK_ONE = N_("Please reply with one of the numbers.")
SMS_UNSUBSCRIBED = N_("Unsubscribed, nothing more will be sent. JOIN to come back.")
SMS_SUBSCRIBED = N_("Subscribed. Reply STOP to end.")
SMS_NO_POLLS = N_("No open polls now. We will text you.")
SMS_POLL_THANKS = N_("Thanks, answer recorded. You may change it until the poll closes.")
SMS_POLL_CURRENT = N_("Your answer: {answer}. Send another number to change it.")
SMS_POLL_CLOSED = N_("This poll has closed. Thank you anyway!")
SMS_POLL_OUTSIDE = N_("This poll is for another group. Thank you anyway!")
SMS_NO_RESULTS = N_("No results yet.")
SMS_MEDIA = N_("Only text can be read. Please write in words.")
SMS_ERROR = N_("Sorry, an error on our side. Please try again later.")
SMS_UPDATES_ASK = N_("Want news of what is done about what you wrote?")
SMS_UPDATES_ON = N_("OK, we will text you what is done. NEWS to change.")
SMS_UPDATES_OFF = N_("OK, no news will be sent. NEWS to change.")

SMS_VARIANTS: dict[str, str | None] = {
    CONSENT: CONSENT_SMS,
    HELP: HELP_SMS,
    DECLINED: SMS_DECLINED,
    PROFILE_INTRO: None,
    ASK_REGION: SMS_ASK_REGION,
    ASK_FEEDBACK: SMS_ASK_FEEDBACK,
    THANKS: SMS_THANKS,
    THANKS_TRUNCATED: SMS_THANKS,
    FORGET_CONFIRM: SMS_FORGET_CONFIRM,
    FORGOTTEN: SMS_FORGOTTEN,
    EMPTY: SMS_EMPTY,
    NOT_WORDS: SMS_NOT_WORDS,
    PICK_ONE: SMS_PICK_ONE,
    UNSUBSCRIBED: SMS_UNSUBSCRIBED,
    SUBSCRIBED: SMS_SUBSCRIBED,
    NO_POLLS: SMS_NO_POLLS,
    POLL_THANKS: SMS_POLL_THANKS,
    POLL_CURRENT: SMS_POLL_CURRENT,
    POLL_CLOSED: SMS_POLL_CLOSED,
    POLL_OUTSIDE: SMS_POLL_OUTSIDE,
    NO_RESULTS: SMS_NO_RESULTS,
    MEDIA: SMS_MEDIA,
    ERROR: SMS_ERROR,
    UPDATES_ASK: SMS_UPDATES_ASK,
    UPDATES_ON: SMS_UPDATES_ON,
    UPDATES_OFF: SMS_UPDATES_OFF,
}
# Language names as an SMS can carry them in GSM-7 (ə, Cyrillic and Georgian cost UCS-2 parts).
SMS_LANGUAGE_LABELS = {lang.code: lang.sms_label or lang.endonym for lang in LANGUAGES}
SMS_AGE_LABELS = {
    "under_18": "<18",
    "18_24": "18-24",
    "25_34": "25-34",
    "35_54": "35-54",
    "55_plus": "55+",
}


def t(lang: str | None, message: str, /, **params: object) -> str:
    return translate(lang, message, **params)


def tn(lang: str | None, forms: tuple[str, str], n: int, /, **params: object) -> str:
    return translate_plural(lang, forms[0], forms[1], n, **params)


def language_choices() -> tuple[Choice, ...]:
    return tuple(Choice(f"lang:{lang.code}", lang.endonym) for lang in LANGUAGES)


def consent_choices(lang: str, *, sms: bool = False) -> tuple[Choice, ...]:
    yes = t(lang, SMS_YES if sms else CONSENT_YES)
    return (Choice("consent:yes", yes), Choice("consent:no", t(lang, CONSENT_NO)))


def sms_language_question(hint: str | None) -> str:
    """The SMS language question, all in Latin letters so that it costs one GSM-7 part."""
    from fikir.i18n.textfold import to_latin

    langs = (hint,) if hint else ("az", "ru", "en")
    return "fikir: " + " / ".join(to_latin(t(lang, SMS_LANGUAGE_Q)) for lang in langs)


def sms_language_choices() -> tuple[Choice, ...]:
    return tuple(Choice(f"lang:{code}", label) for code, label in SMS_LANGUAGE_LABELS.items())


def sms_age_choices(lang: str) -> tuple[Choice, ...]:
    return tuple(Choice(f"age:{code}", label) for code, label in SMS_AGE_LABELS.items()) + (
        Choice("age:skip", t(lang, SKIP)),
    )


def sms_gender_choices(lang: str) -> tuple[Choice, ...]:
    return tuple(
        Choice(f"gender:{code}", t(lang, label)) for code, label in GENDERS if code != "undisclosed"
    ) + (Choice("gender:skip", t(lang, SKIP)),)


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
        Choice("settings:updates", t(lang, SET_UPDATES)),
        Choice("menu:back", t(lang, BACK)),
    )


def topic_choices(lang: str, feedback_id: int, goals: tuple[int, ...]) -> tuple[Choice, ...]:
    """The tagger's first goals in everyday words (official names are for staff)."""
    from fikir.config.sdg_everyday import everyday_name

    picks = tuple(
        Choice(f"topic:{feedback_id}:{goal}", everyday_name(goal, lang)) for goal in goals[:3]
    )
    return picks + (Choice(f"topic:{feedback_id}:0", t(lang, TOPIC_OTHER)),)


def forget_choices(lang: str, *, sms: bool = False) -> tuple[Choice, ...]:
    if sms:
        return (Choice("forget:yes", t(lang, SMS_YES)), Choice("forget:no", t(lang, CONSENT_NO)))
    return (Choice("forget:yes", t(lang, FORGET_YES)), Choice("forget:no", t(lang, FORGET_NO)))


def updates_choices(lang: str, *, sms: bool = False) -> tuple[Choice, ...]:
    if sms:
        return (Choice("updates:yes", t(lang, SMS_YES)), Choice("updates:no", t(lang, CONSENT_NO)))
    return (Choice("updates:yes", t(lang, UPDATES_YES)), Choice("updates:no", t(lang, UPDATES_NO)))
