"""Survey results per question, suppressed below k and per choice, in the CLI lines, the CSV
export and the month's digest; free-text answers are kept like feedback."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.digest.aggregate import aggregate_month
from fikir.digest.build import framework_for
from fikir.digest.charts import ChartFiles
from fikir.digest.period import Month
from fikir.digest.render import render_html, summary_text
from fikir.polls.lifecycle import close_poll
from fikir.privacy.erasure import erase_respondent
from fikir.runtime import Runtime
from fikir.storage.models import Feedback, FeedbackTag, Respondent
from fikir.storage.survey_tables import SurveyAnswer
from fikir.surveys import texts
from fikir.surveys.report import result_lines
from fikir.surveys.results import survey_results
from fikir.surveys.service import load_survey
from fikir.surveys.spec import SurveySpec, create_survey
from fikir.web.admin.export_data import polls_table, to_csv
from tests.harness import Conversation, spoken
from tests.survey_data import water_survey
from tests.test_polls_lifecycle import onboard

# (answer to 1, to 2 if asked, to 3): 6 "sometimes", 5 "no", 1 "yes".
PEOPLE = (
    [("3", "1 2", "6")] * 4
    + [("3", "1 3", "8")] * 2
    + [("2", "1 2", "2")] * 3
    + [("2", "1", "4")] * 2
    + [("1", None, "24")]
)


async def _survey(runtime: Runtime, data: dict[str, object]) -> int:
    async with runtime.sessions() as session, session.begin():
        spec = SurveySpec.from_dict(data)
        await create_survey(session, spec)
        poll, _ = await open_poll(session, spec.poll.slug, runtime.settings, datetime.now(UTC))
    assert poll.id is not None
    return poll.id


async def test_results_are_suppressed_per_question_and_per_choice(
    runtime: Runtime, tmp_path: Path
) -> None:
    survey_id = await _survey(runtime, water_survey())
    for i, answers in enumerate(PEOPLE):
        talk = await onboard(runtime, "telegram", f"tg-{i}", "az", "baku")
        await talk.send("/polls")
        for answer in answers:
            if answer is not None:
                await talk.send(answer)
        assert talk.said("az", texts.THANKS), talk.transcript
    async with runtime.sessions() as session:
        survey = await load_survey(session, survey_id)
        assert survey is not None
        first, second, third = await survey_results(session, survey, 5)
    assert first.answered == 12 and first.counts is not None
    # "Yes" (1 person) cannot show; "No" (5) joins it so that the 1 cannot be worked out.
    assert first.counts.shown == {2: 6} and first.counts.other == 6
    assert second.answered == 11 and second.counts is not None  # the yes-sayer was not asked
    # "Expensive" (2 people) is merged with "dirty water" (7): 9 distinct people.
    assert second.counts.shown == {0: 11} and second.counts.other == 9
    assert third.answered == 12 and third.median == 6.0
    lines = result_lines(survey, [first, second, third], "en")
    assert "  Sometimes: 6 (50%)" in lines and "  other choices together: 6" in lines
    assert not any(line.startswith("  Yes:") for line in lines)

    async with runtime.sessions() as session:
        table = await polls_table(session, 5, "en")
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    sometimes = [r for r in rows if r[3] == "3" and r[2].startswith("1.")]
    assert sometimes == [["water-survey", "open", "1. Do you have running water at home?", "3",
                          "Sometimes", "6", "50", ""]]  # fmt: skip
    yes = [r for r in rows if r[4] == "Yes"]
    assert yes and yes[0][5] == "" and yes[0][7] == "merged into other"

    # Closed this month: the digest has a surveys section with the same suppressed figures.
    now = datetime.now(UTC)
    async with runtime.sessions() as session, session.begin():
        await close_poll(session, "water-survey", runtime.settings, now)
    # The poll results people ask for list polls; a survey's are question by question.
    asker = await onboard(runtime, "telegram", "tg-results", "en", "baku")
    await asker.send("/results")
    assert asker.said("en", p.NO_RESULTS), asker.text()
    month = Month.parse(now.strftime("%Y-%m"))
    async with runtime.sessions() as session:
        doc = await aggregate_month(
            session,
            month,
            tz="UTC",
            k=5,
            framework=framework_for(month),
            now=now + timedelta(seconds=1),
        )
    assert not doc.polls  # a survey is not shown as a poll without options
    [figure] = doc.surveys
    assert [q.answered for q in figure.questions] == [12, 11, 12]
    assert [(c.key, c.count) for c in figure.questions[0].choices] == [(1, None), (2, None), (3, 6)]
    assert figure.questions[0].other == 6 and figure.questions[2].median == 6.0
    html = render_html(doc, "en", ChartFiles(None, None, None), tmp_path)
    assert "Surveys closed this month" in html and "A short survey about water" in html
    assert "Surveys closed this month: 1" in summary_text(doc, "en")
    assert '"surveys"' in doc.to_json()


async def test_under_k_nothing_is_shown(runtime: Runtime) -> None:
    survey_id = await _survey(runtime, water_survey())
    for i in range(4):
        talk = await onboard(runtime, "sms", f"+99450111200{i}", "ru", "baku")
        await talk.send("опрос")
        await talk.send("3")
        await talk.send("1 2")
        await talk.send("5")
    async with runtime.sessions() as session:
        survey = await load_survey(session, survey_id)
        assert survey is not None
        found = await survey_results(session, survey, 5)
    assert [(r.answered, r.counts, r.median) for r in found] == [(None, None, None)] * 3


RATE_AND_SAY = water_survey(
    slug="services-survey",
    questions=[
        {"kind": "rating", "text": {lang: f"Rate the services ({lang})" for lang in
                                    ("az", "ru", "en", "tly", "lez", "ka", "uk")}},
        {"kind": "text", "text": {lang: f"What should change? ({lang})" for lang in
                                  ("az", "ru", "en", "tly", "lez", "ka", "uk")}},
    ],
)  # fmt: skip


async def test_rating_and_free_text_kept_like_feedback(runtime: Runtime) -> None:
    await _survey(runtime, RATE_AND_SAY)
    talk: Conversation = await onboard(runtime, "console", "c-9", "en", "baku")
    await talk.send("/polls")
    assert spoken("en", texts.HINT_RATING) in talk.text()
    await talk.send("⭐⭐")
    assert spoken("en", texts.HINT_TEXT) in talk.text()
    await talk.send("ok")  # two letters, but: "ok" is words; kept as the answer
    async with runtime.sessions() as session:
        answers = {a.position: a for a in (await session.exec(select(SurveyAnswer))).all()}
    assert answers[0].value == "2"
    assert answers[1].feedback_id is not None


async def test_free_text_answer_is_redacted_tagged_and_erased(runtime: Runtime) -> None:
    await _survey(runtime, RATE_AND_SAY)
    talk = await onboard(runtime, "telegram", "tg-free", "en", "baku")
    await talk.send("/polls")
    # Buttons 1–5 on Telegram, and still the words that say which end is good.
    assert [c.label for c in talk.choices()][:5] == ["1", "2", "3", "4", "5"]
    assert spoken("en", texts.HINT_RATING) in talk.text()
    await talk.send("4")
    await talk.send(
        "The school has no clean drinking water. Call me at +994 50 123 45 67, I am Rauf Aliyev."
    )
    assert talk.said("en", texts.THANKS), talk.text()
    async with runtime.sessions() as session:
        [feedback] = (await session.exec(select(Feedback))).all()
        [answer] = (
            await session.exec(select(SurveyAnswer).where(SurveyAnswer.position == 1))
        ).all()
        tags = (await session.exec(select(FeedbackTag))).all()
    assert answer.feedback_id == feedback.id and answer.value == ""
    assert feedback.text is not None and "123 45 67" not in feedback.text
    assert "Rauf" not in feedback.text and "drinking water" in feedback.text
    assert {tag.goal for tag in tags} & {4, 6}  # tagged like any message (education, water)
    async with runtime.sessions() as session, session.begin():
        person = (await session.exec(select(Respondent))).one()
        await erase_respondent(session, person)
    async with runtime.sessions() as session:
        assert not (await session.exec(select(SurveyAnswer))).all()
        assert not (await session.exec(select(Feedback))).all()
