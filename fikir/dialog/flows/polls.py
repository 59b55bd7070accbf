"""Polls in the conversation: the next open one, an answer, the results people may see."""

from __future__ import annotations

from fikir.dialog import prompts as p
from fikir.dialog.flows.asking import show_menu
from fikir.dialog.messages import Choice, Reply
from fikir.dialog.state import PollWait, State
from fikir.dialog.text import small_number
from fikir.dialog.turn import Turn
from fikir.polls.model import PollView
from fikir.polls.service import latest_shared_results, load_view, open_polls_for, record_answer
from fikir.polls.texts import render_results


def poll_choices(poll: PollView, lang: str) -> tuple[Choice, ...]:
    """The poll's options as choices whose payload names the poll and the option."""
    return tuple(
        Choice(f"poll:{poll.id}:{i}", label) for i, label in enumerate(poll.labels_in(lang))
    )


async def next_poll(turn: Turn) -> None:
    polls = await open_polls_for(turn.session, turn.respondent, turn.now)
    if not polls:
        turn.say(p.NO_POLLS)
        show_menu(turn, prompt=False)
        return
    poll = polls[0]
    choices = poll_choices(poll, turn.lang)
    question = poll.question_in(turn.lang)
    turn.move(State.POLL, choices=choices, also=(), question=question)
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
    else:
        show_menu(turn, prompt=False)


async def results(turn: Turn) -> None:
    shown = await latest_shared_results(turn.session, turn.services.k)
    if not shown:
        turn.say(p.NO_RESULTS)
        show_menu(turn, prompt=False)
        return
    for result in shown:
        turn.replies.append(Reply(render_results(result, turn.lang), (), turn.lang))
    show_menu(turn, prompt=False)
