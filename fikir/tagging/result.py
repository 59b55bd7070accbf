"""What the tagger returns: goals with scores, most relevant first, and the framework areas."""

from __future__ import annotations

from dataclasses import dataclass


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
