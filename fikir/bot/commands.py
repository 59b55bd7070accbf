"""The command menu Telegram shows, registered once per language with setMyCommands."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand

from fikir.config.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from fikir.config.markers import N_
from fikir.dialog import prompts as p
from fikir.i18n import translate

CMD_START = N_("Start, or show the menu")
CMD_HELP = N_("What fikir is and how to use it")
CMD_OPINION = N_("Vote on statements in a discussion")

# The menu's own words where they exist, so a button and its command read the same.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", CMD_START),
    ("help", CMD_HELP),
    ("language", p.SET_LANGUAGE),
    ("feedback", p.MENU_FEEDBACK),
    ("polls", p.MENU_POLLS),
    ("opinion", CMD_OPINION),
    ("results", p.MENU_RESULTS),
    ("news", p.SET_UPDATES),
    ("forget", p.MENU_FORGET),
)


def commands_in(lang: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=translate(lang, description)[:256])
        for name, description in COMMANDS
    ]


def command_menus() -> list[tuple[str | None, list[BotCommand]]]:
    """(language_code, commands) pairs; None is the menu for every other interface language.

    Telegram keys menus by the two-letter ISO 639-1 code of the app's interface language.
    Talysh and Lezgian have none (and no Telegram interface), so their speakers see the menu of
    the language their app is set to; fikir itself still talks to them in their language.
    """
    menus: list[tuple[str | None, list[BotCommand]]] = [(None, commands_in(DEFAULT_LANGUAGE))]
    menus += [(lang, commands_in(lang)) for lang in LANGUAGE_CODES if len(lang) == 2]
    return menus


async def register_commands(bot: Bot) -> None:
    for language_code, commands in command_menus():
        await bot.set_my_commands(commands, language_code=language_code)
