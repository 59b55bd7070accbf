"""A poll's or an update's texts per language, which languages fall back to which, and a
community translation saved into them (so that its readers get it from then on) and reviewed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.fallbacks import Fallbacks
from fikir.config.languages import LANGUAGE_CODES
from fikir.outbox.segments import count_segments
from fikir.polls.broadcast import MAX_POLL_SEGMENTS, sms_poll_text
from fikir.polls.model import view as poll_view
from fikir.storage.language_tables import TextTranslation, load_fallbacks
from fikir.storage.models import Poll, PollOption, StaffUpdate
from fikir.translations.exchange import Entry, Sheet
from fikir.updates.model import view as update_view
from fikir.updates.send import MAX_UPDATE_SEGMENTS, sms_update_text

KINDS = ("poll", "update")
# What a language's readers get: texts staff wrote, a translator's (reviewed or not), another
# language's along the fallback chain, or nothing (an item without any text).
NATIVE, TRANSLATED, REVIEWED, FALLBACK = "native", "translated", "reviewed", "fallback"


@dataclass(frozen=True)
class LanguageRow:
    """One language of an item, as the dashboard lists it."""

    code: str
    gets: str  # the language of the texts its readers get
    status: str
    translation: TextTranslation | None = None


@dataclass
class Item:
    """A poll or an update with its texts keyed ("question", "option 1" … or "title", "body")."""

    kind: str
    id: int
    texts: dict[str, dict[str, str]]
    fallbacks: Fallbacks
    translations: dict[str, TextTranslation] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with every text, in the registry's order."""
        return tuple(
            code for code in LANGUAGE_CODES if all(t.get(code) for t in self.texts.values())
        )

    def gets(self, lang: str) -> str:
        return self.fallbacks.resolve(self.languages, lang) or ""

    def rows(self) -> list[LanguageRow]:
        rows = []
        for code in LANGUAGE_CODES:
            done = self.translations.get(code)
            if code not in self.languages:
                status = FALLBACK
            elif done is None:
                status = NATIVE
            else:
                status = REVIEWED if done.reviewed_at else TRANSLATED
            rows.append(LanguageRow(code, self.gets(code), status, done))
        return rows

    def translatable(self, lang: str) -> bool:
        """A language falling back, or one a translator supplied (never staff's own texts)."""
        return lang in LANGUAGE_CODES and (lang not in self.languages or lang in self.translations)

    def sheet(self, lang: str) -> Sheet:
        """What a translator into `lang` gets: the texts its readers get now, the translation
        so far (when there is one) beside them."""
        done = lang in self.translations
        source = self.translations[lang].source_language if done else self.gets(lang)
        entries = tuple(
            Entry(key, texts.get(source, ""), texts.get(lang, "") if done else "")
            for key, texts in self.texts.items()
        )
        return Sheet(self.name, lang, source, entries)


async def load_item(session: AsyncSession, kind: str, item_id: int) -> Item | None:
    """The poll or update with its texts and translations, None when there is none."""
    texts: dict[str, dict[str, str]] = {}
    if kind == "poll":
        poll = await session.get(Poll, item_id)
        if poll is None:
            return None
        texts["question"] = json.loads(poll.question)
        for option in await _options(session, item_id):
            texts[f"option {option.position + 1}"] = json.loads(option.labels)
    elif kind == "update":
        update = await session.get(StaffUpdate, item_id)
        if update is None:
            return None
        texts = {"title": json.loads(update.title), "body": json.loads(update.body)}
    else:
        return None
    rows = await session.exec(
        select(TextTranslation).where(
            TextTranslation.kind == kind, TextTranslation.item_id == item_id
        )
    )
    done = {row.language: row for row in rows.all()}
    return Item(kind, item_id, texts, await load_fallbacks(session), done)


async def _options(session: AsyncSession, poll_id: int) -> list[PollOption]:
    query = select(PollOption).where(PollOption.poll_id == poll_id)
    return list((await session.exec(query.order_by(col(PollOption.position)))).all())


async def sms_parts(session: AsyncSession, item: Item, lang: str, transliterate: str) -> int:
    """SMS parts a reader of `lang` is sent now (poll: question and options; update: both)."""
    if item.kind == "poll":
        poll = await session.get(Poll, item.id)
        assert poll is not None  # noqa: S101 - the item was loaded from it
        view = poll_view(poll, await _options(session, item.id), item.fallbacks)
        return count_segments(sms_poll_text(view, lang, transliterate)).segments
    update = await session.get(StaffUpdate, item.id)
    assert update is not None  # noqa: S101 - the item was loaded from it
    loaded = update_view(update, item.fallbacks)
    text = sms_update_text(loaded, loaded.language_for(lang), transliterate)
    return count_segments(text).segments


def sms_budget(kind: str) -> int:
    """The most SMS parts one message of this kind may take."""
    return MAX_POLL_SEGMENTS if kind == "poll" else MAX_UPDATE_SEGMENTS


async def save_translation(
    session: AsyncSession,
    item: Item,
    lang: str,
    source: str,
    texts: dict[str, str],
    staff_id: int | None,
    now: datetime,
) -> None:
    """Write the checked texts into the poll or update in `lang` (its readers get them from now
    on) and record the upload, not yet reviewed; the caller commits and audits."""
    for key, text in texts.items():
        item.texts[key][lang] = text
    if item.kind == "poll":
        poll = await session.get(Poll, item.id)
        assert poll is not None  # noqa: S101 - the item was loaded from it
        poll.question = json.dumps(item.texts["question"], ensure_ascii=False)
        session.add(poll)
        for option in await _options(session, item.id):
            labels = item.texts[f"option {option.position + 1}"]
            option.labels = json.dumps(labels, ensure_ascii=False)
            session.add(option)
    else:
        update = await session.get(StaffUpdate, item.id)
        assert update is not None  # noqa: S101 - the item was loaded from it
        update.title = json.dumps(item.texts["title"], ensure_ascii=False)
        update.body = json.dumps(item.texts["body"], ensure_ascii=False)
        update.updated_at = now
        session.add(update)
    row = item.translations.get(lang) or TextTranslation(
        kind=item.kind, item_id=item.id, language=lang, source_language=source
    )
    row.source_language, row.uploaded_at, row.uploaded_by = source, now, staff_id
    row.reviewed_at = row.reviewed_by = None
    session.add(row)
    item.translations[lang] = row


async def mark_reviewed(
    session: AsyncSession, item: Item, lang: str, staff_id: int | None, now: datetime
) -> bool:
    """Record that a translation was reviewed, by whom and when; False when there is none."""
    row = item.translations.get(lang)
    if row is None:
        return False
    row.reviewed_at, row.reviewed_by = now, staff_id
    session.add(row)
    return True
