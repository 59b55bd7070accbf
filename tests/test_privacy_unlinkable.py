"""With the database but without the secret key, a respondent cannot be linked to an address."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from sqlalchemy import inspect, text

from fikir.privacy.pseudonym import Pseudonymizer
from fikir.privacy.vault import Vault, VaultError
from fikir.runtime import Runtime
from fikir.storage.engine import create_sync_db_engine
from tests.conftest import TEST_SECRET
from tests.harness import Conversation

PHONE = "+994501112233"


def _all_cells(url: str) -> list[str | bytes]:
    engine = create_sync_db_engine(url)
    cells: list[str | bytes] = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                cells.extend(v if isinstance(v, bytes) else str(v) for v in row if v is not None)
    engine.dispose()
    return cells


async def test_database_alone_does_not_link_a_phone(runtime: Runtime) -> None:
    talk = Conversation(runtime.engine, channel="sms", address=PHONE)
    await talk.send("Bizim kənddə işıq tez-tez sönür, heç kim cavab vermir")
    await talk.send("1")
    cells = _all_cells(runtime.settings.effective_database_url)

    # An attacker who guesses how pseudonyms are made, but not the key, gets nothing that matches.
    guesses = set()
    for form in (PHONE, PHONE.lstrip("+"), "0501112233", f"sms{PHONE}", f"sms\x1f{PHONE}"):
        guesses.add(hashlib.sha256(form.encode()).hexdigest())
        guesses.add(hashlib.md5(form.encode()).hexdigest())  # noqa: S324 - the attacker's guess
        for key in (b"", b"fikir", b"secret", b"changeme"):
            guesses.add(hmac.new(key, form.encode(), hashlib.sha256).hexdigest())
    assert not guesses.intersection(c for c in cells if isinstance(c, str))

    # A different key neither reproduces the pseudonym nor opens the vault.
    wrong = b"another-key-0123456789-abcdefghijklmnopqrstuvw"
    assert Pseudonymizer(wrong).pseudonym("sms", PHONE) not in cells
    sealed = [c for c in cells if isinstance(c, bytes)]
    assert sealed, "the vault holds the address, encrypted"
    for token in sealed:
        with pytest.raises(VaultError):
            Vault(wrong).open(token)

    # Positive control: with the key, the operator can reach the person (to send them polls).
    right = TEST_SECRET.encode()
    assert Pseudonymizer(right).pseudonym("sms", PHONE) in cells
    assert PHONE in {Vault(right).open(token) for token in sealed}
