"""How many test messages (console and simulator channels) the inbox leaves out, by channel,
so staff trying fikir for the first time see where their own messages went."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import FAMILIES, TEST_CHANNELS, channel_of
from fikir.storage.models import Feedback
from fikir.web.admin.feedback_query import InboxFilter, conditions, prepare_search

# The test channels' families, as the inbox's channel filter names them.
TEST_FAMILIES = tuple(f for f in FAMILIES if f in {channel_of(n).family for n in TEST_CHANNELS})


async def hidden_tests(session: AsyncSession, flt: InboxFilter, tz: str) -> list[tuple[str, int]]:
    """(channel family, messages) of test traffic matching the other filters; staff's own
    test messages are nobody's, so they are counted without small-cell suppression."""
    if flt.channel is not None:
        return []
    dialect = await prepare_search(session)
    found = []
    for family in TEST_FAMILIES:
        where = conditions(replace(flt, channel=family, page=1), tz, dialect)
        count = (await session.exec(select(func.count()).select_from(Feedback).where(where))).one()
        if count:
            found.append((family, int(count)))
    return found
