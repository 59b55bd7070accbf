"""The opinion map in words, in any language: for the results page, the dashboard and the CLI."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from fikir.i18n import translate
from fikir.opinion import texts as o
from fikir.opinion.report import Figures, OpinionMap
from fikir.polls.model import pick
from fikir.storage.opinion_tables import OpinionTopic


@dataclass(frozen=True)
class Line:
    """One statement and its figures, as read."""

    text: str
    figures: str


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[Line, ...]
    note: str = ""


@dataclass(frozen=True)
class MapView:
    """Everything a page shows of one topic's map, already in the reader's language."""

    title: str
    note: str
    empty: str
    sections: tuple[Section, ...]


def _figures(f: Figures, lang: str) -> str:
    agree, disagree = f.percent()
    return translate(lang, o.FIGURES, agree=agree, disagree=disagree, votes=f.votes)


def topic_view(topic: OpinionTopic, found: OpinionMap, lang: str) -> MapView:
    return map_view(json.loads(topic.title), found, lang)


def map_view(title: Mapping[str, str], found: OpinionMap, lang: str) -> MapView:
    """The map in `lang`; the title and statements in `lang` or along its fallback chain."""
    sections: list[Section] = []
    for g in found.groups:
        lines = tuple(Line(pick(f.texts, lang), _figures(f, lang)) for f in g.agrees)
        heading = translate(lang, o.GROUP, n=g.number)
        people = translate(lang, o.GROUP_PEOPLE, people=g.people)
        sections.append(Section(f"{heading} · {translate(lang, o.GROUP_AGREES)}", lines, people))
    if found.divided:
        lines = tuple(
            Line(
                pick(d.texts, lang),
                "; ".join(
                    f"{translate(lang, o.GROUP, n=i)}: {_figures(f, lang)}"
                    for i, f in enumerate(d.by_group, start=1)
                    if f is not None
                ),
            )
            for d in found.divided
        )
        sections.append(Section(translate(lang, o.DIVIDES), lines))
    if found.consensus:
        lines = tuple(Line(pick(f.texts, lang), _figures(f, lang)) for f in found.consensus)
        sections.append(Section(translate(lang, o.CONSENSUS), lines))
    return MapView(
        title=translate(lang, o.MAP_TITLE, topic=pick(dict(title), lang)),
        note=translate(lang, o.MAP_NOTE, k=found.k),
        empty=translate(lang, o.MAP_EMPTY) if found.empty else "",
        sections=tuple(sections),
    )


def map_text(topic: OpinionTopic, found: OpinionMap, lang: str) -> str:
    view = topic_view(topic, found, lang)
    out = [view.title, view.note]
    if view.empty:
        out.append(view.empty)
    for section in view.sections:
        out.append("")
        out.append(section.heading + (f" ({section.note})" if section.note else ""))
        out.extend(f"- {line.text} — {line.figures}" for line in section.lines)
    return "\n".join(out)
