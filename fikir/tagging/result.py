"""What the tagger returns: goals with scores, most relevant first, and the framework areas."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GoalScore:
    """One SDG the text speaks to and how strongly (0 < score <= 1)."""

    goal: int
    score: float


@dataclass(frozen=True)
class TagResult:
    """The goals of one text, most relevant first; empty when the text is about no goal."""

    lang: str | None
    goals: tuple[GoalScore, ...]
    priority_areas: tuple[int, ...]

    @property
    def goal_numbers(self) -> tuple[int, ...]:
        """The assigned goals' numbers, most relevant first."""
        return tuple(item.goal for item in self.goals)


@dataclass
class Evidence:
    """What the lexicons found in one message, before goals are chosen."""

    raw: dict[int, float] = field(default_factory=dict)
    words: dict[int, list[str]] = field(default_factory=dict)
    first: dict[int, int] = field(default_factory=dict)
    hits: dict[int, int] = field(default_factory=dict)
    spam: float = 0.0
    folded: list[str] = field(default_factory=list)
    languages: frozenset[str] = frozenset()
