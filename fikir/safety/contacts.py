"""The referral contacts in force: the newest copy admins saved, else the shipped defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.referrals import Referrals, cached_referrals, parse_referrals, shipped_text
from fikir.storage.safety_tables import ReferralConfig


@dataclass(frozen=True)
class InForce:
    """The configuration in force, its text, and the saved copy it came from (None: shipped)."""

    referrals: Referrals
    text: str
    saved: ReferralConfig | None


async def referrals_in_force(session: AsyncSession) -> InForce:
    """Read the newest saved copy; a copy that no longer parses falls back to the shipped file."""
    saved = (
        await session.exec(select(ReferralConfig).order_by(col(ReferralConfig.id).desc()).limit(1))
    ).first()
    if saved is not None:
        try:
            return InForce(cached_referrals(saved.text), saved.text, saved)
        except ValueError:
            pass  # checked when saved; only a later change of the rules can make it fail
    text = shipped_text()
    return InForce(cached_referrals(text), text, None)


def save_referrals(
    session: AsyncSession, text: str, staff_user_id: int | None, now: datetime
) -> Referrals:
    """Check `text` (ReferralError when unusable) and keep it as the version in force."""
    parsed = parse_referrals(text, "edited contacts")
    session.add(ReferralConfig(text=text, staff_user_id=staff_user_id, saved_at=now))
    return parsed
