"""After whole conversations, no column of any table holds the channel address in any form."""

from __future__ import annotations

from sqlalchemy import inspect, text

from fikir.runtime import Runtime
from fikir.storage.engine import create_sync_db_engine
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

    engine = create_sync_db_engine(runtime.settings.effective_database_url)
    hits = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                for value in row:
                    cell = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    for address in ADDRESSES.values():
                        for form in forms(address):
                            if form in cell:
                                hits.append((table, form))
    engine.dispose()
    assert not hits, f"raw addresses found in the store: {hits}"
