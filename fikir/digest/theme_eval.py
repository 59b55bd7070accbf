"""Measuring the theme grouping on labelled messages (tests/data/themes/), so that a change to the
concept lexicon or the method shows its effect in figures: purity, coverage and completeness.

- purity: of the messages in themes, the share whose theme's commonest label is their own;
- coverage: the share of all messages that land in a theme of at least MIN_THEME messages;
- completeness: of the messages in themes, the share in the theme that holds most of their
  label (1.0 when each label's messages, in every language, end up together).
Messages are grouped within their goal, as the digest does.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fikir.digest.concepts import ConceptLexicon
from fikir.digest.themes import THRESHOLD, group

MIN_THEME = 3
SPLITS = ("dev", "held-out")


@dataclass(frozen=True)
class LabelledMessage:
    """One line of the labelled set."""

    theme: str
    goal: int
    lang: str
    text: str

    @property
    def split(self) -> str:
        """A fixed split by the text's hash: a message never moves between dev and held-out."""
        digest = hashlib.sha256(self.text.encode("utf-8")).digest()
        return "dev" if digest[0] % 2 == 0 else "held-out"


@dataclass(frozen=True)
class ThemeScores:
    """The figures bench/themes.py prints for one split and language (or "all")."""

    messages: int
    purity: float
    coverage: float
    completeness: float


def load_labelled(path: Path) -> list[LabelledMessage]:
    """theme, goal, lang, text per tab-separated line; `#` lines are comments."""
    found = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 4:
            raise ValueError(f"{path}:{number}: expected theme, goal, lang, text")
        found.append(LabelledMessage(cells[0], int(cells[1]), cells[2], cells[3]))
    return found


def assign(
    messages: list[LabelledMessage], lexicon: ConceptLexicon, threshold: float = THRESHOLD
) -> dict[int, int]:
    """Message index -> theme number, for messages in themes of at least MIN_THEME."""
    themes: dict[int, int] = {}
    number = 0
    for goal in sorted({m.goal for m in messages}):
        items = [
            (i, lexicon.concepts(m.text, m.lang)) for i, m in enumerate(messages) if m.goal == goal
        ]
        for found in group(items, threshold):
            if len(found.keys) >= MIN_THEME:
                themes.update(dict.fromkeys(found.keys, number))
                number += 1
    return themes


def score(
    messages: list[LabelledMessage], themes: dict[int, int], only: Iterable[int]
) -> ThemeScores:
    """The figures over the messages `only` lists (e.g. one language's)."""
    chosen = list(only)
    labels_in: dict[int, Counter[str]] = {}
    themes_of: dict[str, Counter[int]] = {}
    for index, theme in themes.items():
        labels_in.setdefault(theme, Counter())[messages[index].theme] += 1
        themes_of.setdefault(messages[index].theme, Counter())[theme] += 1
    majority = {theme: counts.most_common(1)[0][0] for theme, counts in labels_in.items()}
    home = {label: counts.most_common(1)[0][0] for label, counts in themes_of.items()}
    placed = [i for i in chosen if i in themes]
    pure = sum(1 for i in placed if majority[themes[i]] == messages[i].theme)
    whole = sum(1 for i in placed if home[messages[i].theme] == themes[i])
    return ThemeScores(
        messages=len(chosen),
        purity=pure / len(placed) if placed else 0.0,
        coverage=len(placed) / len(chosen) if chosen else 0.0,
        completeness=whole / len(placed) if placed else 0.0,
    )


def evaluate(
    messages: list[LabelledMessage], lexicon: ConceptLexicon, threshold: float = THRESHOLD
) -> dict[str, ThemeScores]:
    """Scores per language and "all" for one split's messages, grouped among themselves."""
    themes = assign(messages, lexicon, threshold)
    languages = sorted({m.lang for m in messages})
    result = {
        lang: score(messages, themes, (i for i, m in enumerate(messages) if m.lang == lang))
        for lang in languages
    }
    result["all"] = score(messages, themes, range(len(messages)))
    return result
