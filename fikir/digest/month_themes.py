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
from sqlalchemy.orm import aliased
from sqlmodel import col

from fikir.config.regions import REGION_CODES
from fikir.digest.concepts import NAME_LANGUAGES, ConceptLexicon
from fikir.digest.document_themes import Quote, ThemeFigure, ThemeRegion
from fikir.digest.edits import Edits, load_edits, quote_key
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
from fikir.storage.figures import effective_tags, profiles_where
from fikir.storage.models import Feedback, FeedbackTag

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
    # A cheap pre-filter on the stored tags (an index lookup per message); the effective goals
    # are checked below, so a leading goal that does not count lets nothing through.
    raw = aliased(FeedbackTag)
    wanted = (
        select(col(raw.id))
        .where(col(raw.feedback_id) == fid, col(raw.goal).in_(list(leading)))
        .exists()
    )
    rows = await agg._rows(
        select(
            fid,
            col(Feedback.text),
            col(Feedback.language),
            col(Feedback.respondent_id),
            tags.c.goal,
            tags.c.score,
        )
        .join_from(Feedback, tags, tags.c.feedback_id == fid)
        .where(
            in_month,
            col(Feedback.text).is_not(None),
            col(Feedback.respondent_id).is_not(None),
            wanted,
            ~flagged(fid),
        )
        .order_by(fid, tags.c.score.desc(), tags.c.goal)
    )
    # Each writer's region under the month's profile rule, read on its own: joined to every
    # message row, SQLite would recompute the grouped profiles for each of them.
    regions = {
        _int(rid): None if region is None else str(region)
        for rid, region in await agg._rows(select(profiles.c.rid, profiles.c.region))
    }
    # Rows come ordered by message, each message's goals best first: gather them, then keep
    # the messages with a leading goal that counts and read their concepts.
    texts: dict[int, tuple[str, str | None, int]] = {}
    goals: dict[int, list[int]] = {}
    for message_id, text, lang, rid, goal, _score in rows:
        key = int(str(message_id))
        if key not in goals:
            goals[key] = []
            texts[key] = (str(text), None if lang is None else str(lang), int(str(rid)))
        goals[key].append(int(str(goal)))
    chosen = set(leading)
    found = []
    for key, its_goals in goals.items():
        if chosen.isdisjoint(its_goals):
            continue
        text, language, rid = texts[key]
        concepts = lexicon.concepts(text, language)
        found.append(
            Message(key, text, language, rid, regions.get(rid), tuple(its_goals), concepts)
        )
    return found


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
    edits: Edits | None = None,
) -> tuple[list[ThemeFigure], list[Quote]]:
    """One leading goal's themes (at least k people each, after staff's merges and hiding) and
    its quotes (the rule above)."""
    edits = edits or Edits()
    mine = {m.id: m for m in messages if goal in m.goals}
    keyed: dict[str, tuple[tuple[str, ...], Group[int]]] = {}
    for found in group((m.id, m.concepts) for m in mine.values()):
        concepts = found.top_concepts(lexicon.order)
        key = f"{goal}:{'+'.join(concepts)}"
        keyed[key if key not in keyed else f"{key}#{len(keyed)}"] = (concepts, found)
    parts: dict[str, list[int]] = {}
    for key, (_, found) in keyed.items():
        into = edits.target(key)
        parts.setdefault(into if into in keyed else key, []).extend(found.keys)
    candidates: list[tuple[ThemeFigure, list[Message]]] = []
    for key, ids in parts.items():
        members = [mine[i] for i in ids]
        people = safe_count(len({m.respondent for m in members}), k)
        if people is None or key in edits.hidden:
            continue
        concepts, found = keyed[key]
        names = tuple(
            (lang, edits.names.get(key) or " · ".join(lexicon.name(c, lang) for c in concepts))
            for lang in NAME_LANGUAGES
        )
        figure = ThemeFigure(goal, key, concepts, names, people, _regions(members, k), None)
        candidates.append((figure, _typical(members, found)))
    candidates.sort(key=lambda item: (-item[0].respondents, item[0].key))
    themes = candidates[:THEMES_PER_GOAL]

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
                quote = Quote(
                    goal, m.text, m.language, figure.key, edits.english.get(quote_key(m.text))
                )
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
            quotes.append(
                Quote(goal, m.text, m.language, None, edits.english.get(quote_key(m.text)))
            )
    return [replace(f, quote=chosen.get(f.key)) for f, _ in themes], quotes


async def themes_and_quotes(
    agg: MonthQueries,
    leading: Sequence[int],
    languages: set[str],
    lexicon: ConceptLexicon,
) -> tuple[tuple[ThemeFigure, ...], tuple[Quote, ...]]:
    """Every leading goal's themes and quotes; nobody is quoted twice in the digest."""
    messages = await read_messages(agg, leading, lexicon)
    edits = await load_edits(agg.conn, str(agg.month))
    quoted = Quoted()
    themes: list[ThemeFigure] = []
    quotes: list[Quote] = []
    for goal in leading:
        found, said = goal_themes(goal, messages, lexicon, agg.k, languages, quoted, edits)
        themes.extend(found)
        quotes.extend(said)
    return tuple(themes), tuple(quotes)
