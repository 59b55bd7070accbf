"""The ways through a survey that its skip rules allow, for the worst-case SMS cost.

A skip rule only ever shows a question, never hides one, so an answer that meets no rule is
never the costlier way, nor is a skip. What is left to try: for a question that rules name,
each answer value a rule names (a multiple choice can name them all at once). Questions that
no rule depends on are answered once, any way. The ways are few for real surveys; past
MAX_WAYS the estimate takes every question, which is never less than the truth."""

from __future__ import annotations

from fikir.surveys.kinds import Kind, Question, is_shown

MAX_WAYS = 4096


def _choices(question: Question, named: set[int]) -> list[tuple[int, ...]]:
    """The answers worth trying at a question that rules name (values as people saw them)."""
    if question.kind == Kind.MULTIPLE:
        return [tuple(sorted(named))]  # all named choices at once meet every rule on it
    return [(value,) for value in sorted(named)]


def ways(questions: tuple[Question, ...]) -> list[tuple[Question, ...]]:
    """Each distinct set of questions some answers would show, in order."""
    named: dict[int, set[int]] = {}
    for question in questions:
        if question.show_if is not None:
            named.setdefault(question.show_if.question, set()).update(question.show_if.answers)
    found: set[tuple[int, ...]] = set()
    tried = 0

    def walk(position: int, given: dict[int, tuple[int, ...]], shown: tuple[int, ...]) -> None:
        nonlocal tried
        tried += 1
        if tried > MAX_WAYS:
            raise OverflowError
        if position == len(questions):
            found.add(shown)
            return
        question = questions[position]
        if not is_shown(question, given):
            walk(position + 1, given, shown)
            return
        here = (*shown, position)
        if position not in named:
            walk(position + 1, given, here)
            return
        for answer in _choices(question, named[position]):
            walk(position + 1, {**given, position: answer}, here)

    try:
        walk(0, {}, ())
    except OverflowError:
        return [questions]
    return [tuple(questions[i] for i in way) for way in sorted(found)]
