"""Polls: definitions, audiences, answer matching and results."""

from fikir.polls.matching import match_option

__all__ = ["match_option"]
