"""Polls in the conversation: the next open one, an answer (and a changed one), the results."""

from __future__ import annotations

from fikir.dialog import prompts as p
from fikir.dialog.flows import survey
from fikir.dialog.flows.asking import show_menu
from fikir.dialog.messages import Choice, Reply
from fikir.dialog.state import PollWait, State
from fikir.dialog.text import small_number
from fikir.dialog.turn import Turn
from fikir.polls.model import PollView
from fikir.polls.service import (
    answers_of,
    latest_shared_results,
    load_view,
    open_polls_for,
    record_answer,
)
from fikir.polls.texts import render_results


def poll_choices(poll: PollView, lang: str) -> tuple[Choice, ...]:
    """The poll's options as choices whose payload names the poll and the option."""
    return tuple(
        Choice(f"poll:{poll.id}:{i}", label) for i, label in enumerate(poll.labels_in(lang))
    )


async def next_poll(turn: Turn) -> None:
    """The oldest open poll not yet answered; else one already answered, with the current
    answer, so that the promise "you can change it until the poll closes" can be kept."""
    polls = await open_polls_for(turn.session, turn.respondent, turn.now, unanswered_only=False)
    plain = await survey.offer(turn, polls)  # a survey's next question comes in order
    if plain is None:
        return
    polls = plain
    if not polls:
        turn.say(p.NO_POLLS)
        show_menu(turn, prompt=False)
        return
    answered = await answers_of(turn.session, turn.respondent, [poll.id for poll in polls])
    poll = next((poll for poll in polls if poll.id not in answered), polls[0])
    choices = poll_choices(poll, turn.lang)
    question = poll.question_in(turn.lang)
    turn.move(State.POLL, choices=choices, also=(), question=question)
    if poll.id in answered:
        labels = poll.labels_in(turn.lang)
        position = answered[poll.id]
        current = labels[position] if 0 <= position < len(labels) else ""
        turn.say(p.POLL_CURRENT, answer=current)
        if not turn.paid:
            turn.add_to_last(question)
            last = turn.replies[-1]
            turn.replies[-1] = Reply(last.text, choices, last.language)
            return
        # A paid message keeps its budget: the answer now, then the question as it was sent.
    turn.replies.append(Reply(question, choices, turn.lang))


async def answer_poll(turn: Turn, value: str) -> None:
    poll_id, position = (small_number(part) for part in value.partition(":")[::2])
    if poll_id is None or position is None:
        show_menu(turn)
        return
    poll = await load_view(turn.session, poll_id)
    if poll is None:
        show_menu(turn)
        return
    outcome = await record_answer(turn.session, poll, turn.respondent, position, turn.now)
    if isinstance(turn.record, PollWait):
        turn.move(turn.state, question="")
    refusal = {"closed": p.POLL_CLOSED, "outside": p.POLL_OUTSIDE, "invalid": p.PICK_ONE}
    if outcome in refusal:
        turn.say(refusal[outcome])
        show_menu(turn, prompt=False)
        return
    turn.say(p.POLL_THANKS)
    await turn.session.flush()
    remaining = await open_polls_for(turn.session, turn.respondent, turn.now)
    if remaining and not turn.paid:
        await next_poll(turn)
        return
    keep_answerable(turn, poll)


def keep_answerable(turn: Turn, poll: PollView) -> None:
    """After an answer, a number or option word changes it while the poll is open (a sentence is
    still feedback); where there are buttons the menu stays on the thanks."""
    choices = poll_choices(poll, turn.lang)
    turn.move(State.POLL_ANSWERED, choices=choices, also=(), question=poll.question_in(turn.lang))
    if turn.channel.buttons:
        last = turn.replies[-1]
        turn.replies[-1] = Reply(last.text, p.menu_choices(turn.lang), last.language)


async def results(turn: Turn) -> None:
    shown = await latest_shared_results(turn.session, turn.services.k)
    if not shown:
        turn.say(p.NO_RESULTS)
        show_menu(turn, prompt=False)
        return
    for result in shown:
        turn.replies.append(Reply(render_results(result, turn.lang), (), turn.lang))
    show_menu(turn, prompt=False)
