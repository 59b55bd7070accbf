"""What an export holds: redacted feedback with its quasi-identifiers generalised, and suppressed
poll results, written as CSV or XLSX with spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.polls.service import PollResults, load_view, results
from fikir.storage.models import Feedback, Poll
from fikir.surveys.export import survey_rows
from fikir.surveys.results import survey_results
from fikir.surveys.service import load_survey
from fikir.web.admin.feedback_query import InboxFilter, conditions, with_profiles
from fikir.web.admin.months import Month
from fikir.web.admin.quasi import Profiles

FEEDBACK_COLUMNS = (
    "ref",
    "month",
    "language",
    "channel",
    "region",
    "age_band",
    "gender",
    "goals",
    "tag_source",
    "text",
)
POLL_COLUMNS = (
    "poll",
    "status",
    "question",
    "option",
    "label",
    "respondents",
    "percent",
    "note",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A sheet: a header and rows of strings."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]


async def feedback_table(
    session: AsyncSession, month: Month | None, tz: str, k: int, batch: int = 1000
) -> Table:
    """Redacted messages, each with its profile generalised within its month (web.admin.quasi):
    every combination of region, age band, gender, language and channel in the file is shared
    by at least k people of that month, the rarest fields blanked where it was not."""
    flt = InboxFilter(month=month)
    where = conditions(flt, tz, "none")
    profiles = Profiles(session, tz, k)
    rows: list[tuple[str, ...]] = []
    last_id: int | None = None
    while True:
        query = select(Feedback).where(where).order_by(col(Feedback.id)).limit(batch)
        if last_id is not None:
            query = query.where(col(Feedback.id) > last_id)
        chunk = (await session.exec(query)).all()
        if not chunk:
            break
        last_id = chunk[-1].id
        for row in await with_profiles(session, chunk, profiles):
            feedback, effective = row.feedback, row.effective
            rows.append(
                (
                    feedback.ref_code,
                    str(Month.of(feedback.created_at, tz)),
                    row.language or "",
                    row.channel or "",
                    row.region or "",
                    row.age_band or "",
                    row.gender or "",
                    ";".join(str(tag.goal) for tag in effective),
                    effective[0].source if effective else "",
                    feedback.text or "",
                )
            )
    return Table("feedback", FEEDBACK_COLUMNS, rows)


def _poll_rows(result: PollResults, lang: str) -> list[tuple[str, ...]]:
    poll = result.poll.poll
    question = result.poll.question_in(lang)
    counts = result.counts
    labels = result.poll.labels_in(lang)
    head: tuple[str, ...] = (poll.slug, poll.status, question)
    if counts.suppressed:
        return [(*head, "", "", "", "", f"fewer than {counts.k} respondents: not shown")]
    total = counts.total or 0
    rows: list[tuple[str, ...]] = []
    for position, label in enumerate(labels):
        n = counts.shown.get(position)
        if n is None:
            rows.append((*head, str(position + 1), label, "", "", "merged into other"))
        else:
            rows.append((*head, str(position + 1), label, str(n), str(round(100 * n / total)), ""))
    if counts.other:
        rows.append(
            (
                *head,
                "other",
                "",
                str(counts.other),
                str(round(100 * counts.other / total)),
                f"options under {counts.k} merged",
            )
        )
    return rows


async def polls_table(session: AsyncSession, k: int, lang: str) -> Table:
    rows: list[tuple[str, ...]] = []
    for poll in (await session.exec(select(Poll).order_by(col(Poll.id)))).all():
        survey = await load_survey(session, poll.id or 0)
        if survey is not None:  # a survey: one block of rows per question
            rows.extend(survey_rows(survey, await survey_results(session, survey, k), lang))
            continue
        loaded = await load_view(session, poll.id or 0)
        if loaded is not None:
            rows.extend(_poll_rows(await results(session, loaded, k), lang))
    return Table("polls", POLL_COLUMNS, rows)


def _cell(value: str) -> str:
    """Spreadsheets run cells that start like a formula; a leading quote keeps them text."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    # A byte-order mark so that Excel opens Azerbaijani, Cyrillic and Georgian text right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.name)
    sheet.append(list(table.header))
    for row in table.rows:
        sheet.append([_text_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(value: str) -> str:
    return _cell(ILLEGAL_CHARACTERS_RE.sub("", value))
