"""The month's themes within each leading goal, and its quotes, by one rule (docs/digest-schema.md,
"Themes" and "Quotes"), so that a quote sits under the goal its message is most about.

The quote rule: a message is about the first of its effective goals (fikir.storage.figures:
staff's tags, else the writer's, else the tagger's; highest score first, then the lower goal
number). So a staff member's or writer's choice decides where a message may be quoted, and a
message whose goal is not a leading goal is quoted nowhere: it never moves to another goal.
Quotes are the most typical messages of the month (nearest their theme's centre), one per theme
in turn from the largest theme, never from a safety message or an erased writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlmodel import col

from fikir.config.regions import REGION_CODES
from fikir.digest.concepts import NAME_LANGUAGES, ConceptLexicon
from fikir.digest.document import Quote, ThemeFigure, ThemeRegion
from fikir.digest.month_queries import (
    QUOTE_MAX_CHARS,
    QUOTE_MIN_CHARS,
    QUOTES_PER_GOAL,
    MonthQueries,
    _int,
)
from fikir.digest.quotes import Quoted
from fikir.digest.safety_count import flagged
from fikir.digest.themes import Group, group
from fikir.privacy.suppression import safe_count
from fikir.storage.figures import effective_tags, profile_of, profiles_where
from fikir.storage.models import Feedback

THEMES_PER_GOAL = 5
NOT_REGIONS = frozenset({"abroad", "undisclosed"})


@dataclass(frozen=True)
class Message:
    """One of the month's messages carrying a leading goal, as the themes need it."""

    id: int
    text: str
    language: str | None
    respondent: int
    region: str | None
    goals: tuple[int, ...]  # effective goals, the one it is most about first
    concepts: frozenset[str]

    @property
    def about(self) -> int:
        return self.goals[0]


async def read_messages(
    agg: MonthQueries, leading: Sequence[int], lexicon: ConceptLexicon
) -> list[Message]:
    """This month's messages with a leading goal, from writers not erased, not about safety."""
    if not leading:
        return []
    in_month = agg._in_month(agg.current)
    tags = effective_tags().subquery("theme_tags")
    profiles = profiles_where(in_month, "theme_rows")
    fid = col(Feedback.id)
    wanted = select(tags.c.feedback_id).where(tags.c.goal.in_(list(leading)))
    rows = await agg._rows(
        select(
            fid,
            col(Feedback.text),
            col(Feedback.language),
            col(Feedback.respondent_id),
            profile_of(profiles, "region"),
            tags.c.goal,
            tags.c.score,
        )
        .join_from(Feedback, tags, tags.c.feedback_id == fid)
        .outerjoin(profiles, profiles.c.rid == col(Feedback.respondent_id))
        .where(
            in_month,
            col(Feedback.text).is_not(None),
            col(Feedback.respondent_id).is_not(None),
            fid.in_(wanted),
            ~flagged(fid),
        )
        .order_by(fid, tags.c.score.desc(), tags.c.goal)
    )
    found: dict[int, Message] = {}
    for message_id, text, lang, rid, region, goal, _score in rows:
        key = _int(message_id)
        if key in found:
            found[key] = replace(found[key], goals=(*found[key].goals, _int(goal)))
            continue
        language = None if lang is None else str(lang)
        found[key] = Message(
            key,
            str(text),
            language,
            _int(rid),
            None if region is None else str(region),
            (_int(goal),),
            lexicon.concepts(str(text), language),
        )
    return list(found.values())


def _regions(members: list[Message], k: int) -> tuple[ThemeRegion, ...]:
    people: dict[str, set[int]] = {}
    for m in members:
        if m.region in REGION_CODES and m.region not in NOT_REGIONS:
            people.setdefault(m.region, set()).add(m.respondent)
    shown = [
        ThemeRegion(region, count)
        for region, who in people.items()
        if (count := safe_count(len(who), k)) is not None
    ]
    return tuple(sorted(shown, key=lambda r: (-r.respondents, r.region)))


def _quotable(m: Message, goal: int, languages: set[str]) -> bool:
    return (
        m.about == goal
        and m.language in languages
        and QUOTE_MIN_CHARS <= len(m.text) <= QUOTE_MAX_CHARS
    )


def _take(m: Message, quoted: Quoted) -> bool:
    """Mark `m` quoted unless its writer or its words already are (nobody is quoted twice)."""
    text = " ".join(m.text.casefold().split())
    if m.respondent in quoted.people or text in quoted.texts:
        return False
    quoted.people.add(m.respondent)
    quoted.texts.add(text)
    return True


def _typical(members: list[Message], theme: Group[int]) -> list[Message]:
    """Members from the most typical (nearest the theme's centre) to the least; older first."""
    return sorted(members, key=lambda m: (theme.centre_distance(m.concepts), m.id))


def goal_themes(
    goal: int,
    messages: list[Message],
    lexicon: ConceptLexicon,
    k: int,
    languages: set[str],
    quoted: Quoted,
) -> tuple[list[ThemeFigure], list[Quote]]:
    """One leading goal's themes (at least k people each) and its quotes (the rule above)."""
    mine = {m.id: m for m in messages if goal in m.goals}
    groups = group((m.id, m.concepts) for m in mine.values())
    themes: list[tuple[ThemeFigure, list[Message]]] = []
    keys: set[str] = set()
    for found in groups:
        members = [mine[key] for key in found.keys]
        people = safe_count(len({m.respondent for m in members}), k)
        if people is None:
            continue
        concepts = found.top_concepts(lexicon.order)
        key = f"{goal}:{'+'.join(concepts)}"
        key = key if key not in keys else f"{key}#{len(keys)}"
        keys.add(key)
        names = tuple(
            (lang, " · ".join(lexicon.name(c, lang) for c in concepts)) for lang in NAME_LANGUAGES
        )
        figure = ThemeFigure(goal, key, concepts, names, people, _regions(members, k), None)
        themes.append((figure, _typical(members, found)))
        if len(themes) == THEMES_PER_GOAL:
            break

    # Quotes: each theme's most typical quotable message in turn, then the next ones.
    quotes: list[Quote] = []
    chosen: dict[str, Quote] = {}
    queues = [[m for m in ordered if _quotable(m, goal, languages)] for _, ordered in themes]
    while len(quotes) < QUOTES_PER_GOAL and any(queues):
        for (figure, _), queue in zip(themes, queues, strict=True):
            while queue and len(quotes) < QUOTES_PER_GOAL:
                m = queue.pop(0)
                if not _take(m, quoted):
                    continue
                quote = Quote(goal, m.text, m.language, figure.key)
                quotes.append(quote)
                chosen.setdefault(figure.key, quote)
                break
    # A goal whose messages name no concept we know still gets quotes, nearest-first no longer
    # meaning anything there, so oldest first.
    themed = {m.id for _, ordered in themes for m in ordered}
    rest = [m for m in mine.values() if m.id not in themed and _quotable(m, goal, languages)]
    for m in sorted(rest, key=lambda m: m.id):
        if len(quotes) >= QUOTES_PER_GOAL:
            break
        if _take(m, quoted):
            quotes.append(Quote(goal, m.text, m.language))
    return [replace(f, quote=chosen.get(f.key)) for f, _ in themes], quotes


async def themes_and_quotes(
    agg: MonthQueries,
    leading: Sequence[int],
    languages: set[str],
    lexicon: ConceptLexicon,
) -> tuple[tuple[ThemeFigure, ...], tuple[Quote, ...]]:
    """Every leading goal's themes and quotes; nobody is quoted twice in the digest."""
    messages = await read_messages(agg, leading, lexicon)
    quoted = Quoted()
    themes: list[ThemeFigure] = []
    quotes: list[Quote] = []
    for goal in leading:
        found, said = goal_themes(goal, messages, lexicon, agg.k, languages, quoted)
        themes.extend(found)
        quotes.extend(said)
    return tuple(themes), tuple(quotes)
