"""The month's themes within each leading goal, and its quotes, by one rule (docs/digest-schema.md,
"Themes" and "Quotes"), so that a quote sits under the goal its message is most about.

The quote rule: a message is about the first of its effective goals (fikir.storage.figures:
staff's tags, else the writer's, else the tagger's; highest score first, then the lower goal
number). So a staff member's or writer's choice decides where a message may be quoted, and a
message whose goal is not a leading goal is quoted nowhere: it never moves to another goal.
Quotes are the most typical messages of the month (nearest their theme's centre), one per theme
in turn from the largest theme, never from a safety message or an erased writer.

The month's messages stream past once (fikir.digest.theme_tally): each is read for its concepts
and counted under its leading goals; no text is kept but the few the quote rule can reach.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
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
)
from fikir.digest.quotes import Quoted
from fikir.digest.safety_count import flagged
from fikir.digest.theme_tally import Candidate, ConceptSet, GoalTally, fold_words
from fikir.digest.themes import Group, group_counts
from fikir.privacy.suppression import safe_count
from fikir.storage.figures import effective_tags, profiles_where
from fikir.storage.models import Feedback, FeedbackTag

THEMES_PER_GOAL = 5
NOT_REGIONS = frozenset({"abroad", "undisclosed"})
ROWS_PER_FETCH = 5000  # rows held at once while the month streams past


@dataclass
class _Reader:
    """Counts each message, once all its goal rows have been seen, under its leading goals."""

    leading: frozenset[int]
    languages: set[str]
    lexicon: ConceptLexicon

    def __post_init__(self) -> None:
        self.tallies = {goal: GoalTally() for goal in self.leading}

    def add(self, message_id: int, text: str, lang: str | None, rid: int, goals: list[int]) -> None:
        chosen = [goal for goal in goals if goal in self.leading]
        if not chosen:
            return  # its leading goal does not count under the rule (another source's tag)
        concepts = self.lexicon.concepts(text, lang)
        about = goals[0]  # the goal it is most about: rows come best first
        for goal in chosen:
            found = self.tallies[goal].add(concepts, rid)
            if (
                goal == about
                and not found.quotable.full
                and lang in self.languages
                and QUOTE_MIN_CHARS <= len(text) <= QUOTE_MAX_CHARS
            ):
                found.quotable.offer(Candidate(message_id, rid, text, lang, fold_words(text)))


async def tally_month(
    agg: MonthQueries, leading: Sequence[int], languages: set[str], lexicon: ConceptLexicon
) -> dict[int, GoalTally]:
    """This month's messages with a leading goal, from writers not erased, not about safety,
    read in one pass over a streaming cursor and counted per goal and concept set."""
    reader = _Reader(frozenset(leading), languages, lexicon)
    if not leading:
        return reader.tallies
    tags = effective_tags().subquery("theme_tags")
    fid = col(Feedback.id)
    # A cheap pre-filter on the stored tags (an index lookup per message); the effective goals
    # are checked by the reader, so a leading goal that does not count lets nothing through.
    raw = aliased(FeedbackTag)
    wanted = (
        select(col(raw.id))
        .where(col(raw.feedback_id) == fid, col(raw.goal).in_(list(leading)))
        .exists()
    )
    statement = (
        select(
            fid,
            col(Feedback.text),
            col(Feedback.language),
            col(Feedback.respondent_id),
            tags.c.goal,
        )
        .join_from(Feedback, tags, tags.c.feedback_id == fid)
        .where(
            agg._in_month(agg.current),
            col(Feedback.text).is_not(None),
            col(Feedback.respondent_id).is_not(None),
            wanted,
            ~flagged(fid),
        )
        .order_by(fid, tags.c.score.desc(), tags.c.goal)
        .execution_options(yield_per=ROWS_PER_FETCH)
    )
    # Rows come ordered by message, each message's goals best first.
    current: tuple[int, str, str | None, int] | None = None
    goals: list[int] = []
    result = await agg.conn.stream(statement)
    async for rows in result.partitions():
        for message_id, text, lang, rid, goal in rows:
            if current is None or message_id != current[0]:
                if current is not None:
                    reader.add(*current, goals)
                current, goals = (message_id, text, lang, rid), []
            goals.append(goal)
    if current is not None:
        reader.add(*current, goals)
    return reader.tallies


async def people_regions(agg: MonthQueries, people: set[int]) -> dict[int, str]:
    """The month-profile region (fikir.storage.figures) of each of `people` who gave one.

    Read on its own and streamed: joined to every message row, SQLite would recompute the
    grouped profiles for each of them; only the people of shown themes are kept.
    """
    if not people:
        return {}
    profiles = profiles_where(agg._in_month(agg.current), "theme_rows")
    statement = select(profiles.c.rid, profiles.c.region).execution_options(
        yield_per=ROWS_PER_FETCH
    )
    found: dict[int, str] = {}
    result = await agg.conn.stream(statement)
    async for rows in result.partitions():
        for rid, region in rows:
            if rid in people and region in REGION_CODES and region not in NOT_REGIONS:
                found[rid] = region
    return found


@dataclass
class _Theme:
    """A theme being built: its figure (regions and quote come last) and what it is made of."""

    figure: ThemeFigure
    sets: list[tuple[float, ConceptSet]]  # (distance from the theme's centre, concept set)
    people: set[int]


def _regions(people: Iterable[int], regions: dict[int, str], k: int) -> tuple[ThemeRegion, ...]:
    counts: dict[str, int] = {}
    for rid in people:
        if (region := regions.get(rid)) is not None:
            counts[region] = counts.get(region, 0) + 1
    shown = [
        ThemeRegion(region, count)
        for region, n in counts.items()
        if (count := safe_count(n, k)) is not None
    ]
    return tuple(sorted(shown, key=lambda r: (-r.respondents, r.region)))


def _typical(sets: list[tuple[float, ConceptSet]]) -> Iterator[Candidate]:
    """A theme's quotable messages, the most typical (nearest its centre) first; older first."""
    merged = heapq.merge(
        *([(distance, c.id, c) for c in found.quotable.items] for distance, found in sets)
    )
    return (c for _, _, c in merged)


def _take(c: Candidate, quoted: Quoted) -> bool:
    """Mark `c` quoted unless its writer or its words already are (nobody is quoted twice)."""
    if c.respondent in quoted.people or c.words in quoted.texts:
        return False
    quoted.people.add(c.respondent)
    quoted.texts.add(c.words)
    return True


def _themes(
    goal: int, tally: GoalTally, lexicon: ConceptLexicon, k: int, edits: Edits
) -> tuple[list[_Theme], set[int]]:
    """One leading goal's shown themes (grouped, merged and hidden by staff, at least k people),
    and the concept sets of the themes staff hid (by `id`), which are not quoted from either."""
    keyed: dict[str, tuple[tuple[str, ...], Group[frozenset[str]]]] = {}
    for found, _ in group_counts(tally.counts()):
        concepts = found.top_concepts(lexicon.order)
        key = f"{goal}:{'+'.join(concepts)}"
        keyed[key if key not in keyed else f"{key}#{len(keyed)}"] = (concepts, found)
    parts: dict[str, list[tuple[float, ConceptSet]]] = {}
    for key, (_, found) in keyed.items():
        into = edits.target(key)
        into = into if into in keyed else key
        centre = keyed[into][1]  # a merged theme's quotes are typical of the theme it joined
        parts.setdefault(into, []).extend(
            (centre.centre_distance(s), tally.sets[s]) for s in found.keys
        )
    candidates: list[_Theme] = []
    hidden: set[int] = set()
    for key, sets in parts.items():
        if key in edits.hidden:
            hidden.update(id(found) for _, found in sets)
            continue
        people: set[int] = set().union(*(found.people for _, found in sets))
        shown = safe_count(len(people), k)
        if shown is None:
            continue
        concepts, _ = keyed[key]
        names = tuple(
            (lang, edits.names.get(key) or " · ".join(lexicon.name(c, lang) for c in concepts))
            for lang in NAME_LANGUAGES
        )
        figure = ThemeFigure(goal, key, concepts, names, shown, (), None)
        candidates.append(_Theme(figure, sets, people))
    candidates.sort(key=lambda t: (-t.figure.respondents, t.figure.key))
    return candidates[:THEMES_PER_GOAL], hidden


def goal_quotes(
    goal: int,
    tally: GoalTally,
    themes: list[_Theme],
    hidden: set[int],
    quoted: Quoted,
    edits: Edits,
) -> tuple[list[Quote], dict[str, Quote]]:
    """One leading goal's quotes (the rule above) and the quote of each theme that has one."""
    quotes: list[Quote] = []
    chosen: dict[str, Quote] = {}

    def quote(c: Candidate, theme: str | None) -> Quote:
        return Quote(goal, c.text, c.language, theme, edits.english.get(quote_key(c.text)))

    # Each theme's most typical quotable message in turn, then the next ones.
    queues = [_typical(theme.sets) for theme in themes]
    live = list(range(len(themes)))
    while len(quotes) < QUOTES_PER_GOAL and live:
        for index in list(live):
            if len(quotes) >= QUOTES_PER_GOAL:
                break
            for c in queues[index]:
                if _take(c, quoted):
                    said = quote(c, themes[index].figure.key)
                    quotes.append(said)
                    chosen.setdefault(themes[index].figure.key, said)
                    break
            else:
                live.remove(index)
    # The goal's other messages (no concept we know, or a theme too small or beyond the first
    # THEMES_PER_GOAL; never one staff hid), oldest first.
    themed = hidden | {id(found) for theme in themes for _, found in theme.sets}
    rest = heapq.merge(
        *(
            found.quotable.items
            for found in tally.sets.values()
            if id(found) not in themed and found.quotable.items
        ),
        key=lambda c: c.id,
    )
    for c in rest:
        if len(quotes) >= QUOTES_PER_GOAL:
            break
        if _take(c, quoted):
            quotes.append(quote(c, None))
    return quotes, chosen


async def themes_and_quotes(
    agg: MonthQueries,
    leading: Sequence[int],
    languages: set[str],
    lexicon: ConceptLexicon,
) -> tuple[tuple[ThemeFigure, ...], tuple[Quote, ...]]:
    """Every leading goal's themes and quotes; nobody is quoted twice in the digest."""
    tallies = await tally_month(agg, leading, languages, lexicon)
    edits = await load_edits(agg.conn, str(agg.month))
    quoted = Quoted()
    built: list[tuple[list[_Theme], dict[str, Quote]]] = []
    quotes: list[Quote] = []
    for goal in leading:
        themes, hidden = _themes(goal, tallies[goal], lexicon, agg.k, edits)
        said, chosen = goal_quotes(goal, tallies[goal], themes, hidden, quoted, edits)
        quotes.extend(said)
        built.append((themes, chosen))
    regions = await people_regions(
        agg, set().union(*(t.people for themes, _ in built for t in themes))
    )
    figures = [
        replace(
            t.figure,
            regions=_regions(t.people, regions, agg.k),
            quote=chosen.get(t.figure.key),
        )
        for themes, chosen in built
        for t in themes
    ]
    return tuple(figures), tuple(quotes)
