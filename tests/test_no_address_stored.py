"""After whole conversations, no column of any table holds the channel address in any form."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text
from sqlmodel import select

from fikir.dialog.threads import send_reply
from fikir.runtime import Runtime
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.models import Feedback
from tests.harness import Conversation

ADDRESSES = {
    "telegram": "735519284",
    "sms": "+994507654321",
    "console": "leyla.mammadova",
    "whatsapp": "whatsapp:+994557654321",
}


def forms(address: str) -> set[str]:
    digits = "".join(ch for ch in address if ch.isdigit())
    found = {address, address.lstrip("+")}
    if len(digits) >= 7:
        found |= {digits, digits[-9:], digits[-7:]}
    return found


async def test_address_is_nowhere_in_the_store(runtime: Runtime) -> None:
    for channel, address in ADDRESSES.items():
        talk = Conversation(runtime.engine, channel=channel, address=address)
        await talk.send("/start")
        await talk.press("lang:az")
        await talk.press("consent:yes")
        await talk.press("region:baku")
        await talk.press("age:25_34")
        await talk.press("gender:female")
        await talk.send("Məktəbdə müəllim çatışmır, uşaqlar dərs keçə bilmir, kömək edin")
        await talk.send("/polls")
    # Staff reply to each message and the writers answer: the thread holds no address either.
    async with runtime.sessions() as session, session.begin():
        # The console is a test channel: nothing can be sent there.
        written = (
            await session.exec(select(Feedback.id).where(Feedback.channel != "console"))
        ).all()
        for number, feedback_id in enumerate(written):
            await send_reply(
                session,
                feedback_id or 0,
                "Thank you, we are looking into it.",
                staff_user_id=None,
                nonce=f"no-address-{number}",
                settings=runtime.settings,
                now=datetime.now(UTC),
            )
    for channel, address in ADDRESSES.items():
        await Conversation(runtime.engine, channel=channel, address=address).send(
            "Sağ olun, gözləyirik, hələ də müəllim yoxdur"
        )

    engine = create_sync_db_engine(runtime.settings.effective_database_url)
    hits = []
    scanned: set[str] = set()
    threads = 0
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            scanned.add(table)
            if table == "thread_message":
                threads = len(connection.execute(text("SELECT id FROM thread_message")).all())
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                for value in row:
                    cell = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    for address in ADDRESSES.values():
                        for form in forms(address):
                            if form in cell:
                                hits.append((table, form))
    engine.dispose()
    assert "thread_message" in scanned and threads >= 4  # the new table was read, not skipped
    assert not hits, f"raw addresses found in the store: {hits}"
