"""Bidirectional control characters cannot reorder what staff read: dropped from what is stored,
and from every value a page prints (rows stored before the fix included); Arabic stays as written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from fikir.dialog.messages import Inbound
from fikir.runtime import Runtime
from fikir.storage.models import Feedback, Respondent
from tests.conftest import make_settings
from tests.test_web_helpers import Message, client_for, seed, sign_in, visitor

CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SPOOF = "Yolumuz \u202etəmir olunmur\u202c, \u2067su\u2069 yoxdur \u200fkəndimizdə\u061c bir aydır"
ARABIC = "لا يوجد ماء في قريتنا منذ شهر والطريق مكسور"
PHONE = "+994501234567"


async def test_the_engine_stores_feedback_without_bidi_controls(sqlite_runtime: Runtime) -> None:
    pseudonym = sqlite_runtime.services.pseudonymizer.pseudonym("sms-twilio", PHONE)
    async with sqlite_runtime.sessions() as session, session.begin():
        session.add(
            Respondent(
                pseudonym=pseudonym,
                channel="sms-twilio",
                language="az",
                state="menu",
                consent_at=datetime.now(UTC),
                profile_asked=True,
                subscribed=True,
            )
        )
    for n, text in enumerate((SPOOF, ARABIC)):
        await sqlite_runtime.engine.handle(Inbound("sms-twilio", PHONE, text, external_id=f"b{n}"))
    async with sqlite_runtime.sessions() as session:
        stored = [row.text for row in (await session.exec(select(Feedback))).all()]
    assert len(stored) == 2
    assert not [text for text in stored if set(text) & set(CONTROLS)]
    assert "Yolumuz təmir olunmur, su yoxdur kəndimizdə bir aydır" in stored
    assert ARABIC in stored  # right-to-left letters are left alone


def test_pages_drop_bidi_controls_even_from_old_rows(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, sqlite_url)
    # Written straight to the database, as rows stored before the engine dropped them were.
    seed(
        settings,
        {"ada": "admin"},
        [Message("p1", SPOOF, region="baku"), Message("p2", ARABIC, language="en")],
    )
    with client_for(settings) as client:
        admin = visitor(client)
        sign_in(admin, "ada")
        pages = [admin.get(path).text for path in ("/admin/inbox", "/admin/inbox?q=Yolumuz")]
        pages.append(admin.get("/admin/inbox", params={"q": "su\u202e yox"}).text)
    for page in pages:
        assert not set(page) & set(CONTROLS)
    assert "təmir olunmur" in pages[0] and ARABIC in pages[0]
