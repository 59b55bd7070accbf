"""The safety queue (analysts and admins) and the referral contacts (admins), every look and
every change audited; a flagged message is shown redacted, with the inbox's generalised profile."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from fikir.config.referrals import ReferralError
from fikir.safety.contacts import referrals_in_force, save_referrals
from fikir.safety.labels import category_label
from fikir.safety.queue import OBJECT_TYPE, PAGE, case_row, case_rows, looks, mark, open_counts
from fikir.storage.safety_tables import CASE_STATES, SafetyCase
from fikir.web.admin.audit import audit
from fikir.web.admin.feedback_query import with_profiles
from fikir.web.admin.quasi import Profiles
from fikir.web.admin.security import Admin, AdminPost, Analyst, AnalystPost, RowId, Visit

router = APIRouter(prefix="/admin")


async def _contacts_page(
    visit: Visit, *, text: str | None = None, error: str = "", saved: bool = False
) -> Response:
    async with visit.runtime.sessions() as session, session.begin():
        in_force = await referrals_in_force(session)
        audit(session, visit.user, "view", "referral_contacts")
    return visit.page(
        "admin/safety_contacts.html",
        status_code=400 if error else 200,
        referrals=in_force.referrals,
        saved_copy=in_force.saved,
        text=in_force.text if text is None else text,
        error=error,
        saved=saved,
    )


@router.get("/safety/contacts")
async def contacts(visit: Admin) -> Response:
    return await _contacts_page(visit)


@router.post("/safety/contacts")
async def contacts_save(
    visit: AdminPost, text: Annotated[str, Form(max_length=60_000)] = ""
) -> Response:
    try:
        async with visit.runtime.sessions() as session, session.begin():
            parsed = save_referrals(
                session, text, visit.user.id if visit.user else None, datetime.now(UTC)
            )
            verified = sum(1 for s in parsed.services if s.verified)
            audit(
                session, visit.user, "referral_save", "referral_contacts", "",
                f"{len(parsed.services)} services, {verified} verified, "
                f"show unverified: {parsed.show_unverified}",
            )  # fmt: skip
    except ReferralError as exc:
        return await _contacts_page(visit, text=text, error=str(exc))
    return await _contacts_page(visit, saved=True)


@router.get("/safety")
async def queue(visit: Analyst, status: str = "", page: int = 1) -> Response:
    chosen = status if status in CASE_STATES else ""
    settings = visit.runtime.settings
    number = max(1, min(page, 10_000))
    async with visit.runtime.sessions() as session, session.begin():
        total, rows = await case_rows(session, chosen or None, number)
        counts = await open_counts(session)
        profiles = Profiles(session, settings.timezone, settings.k_anonymity)
        shown = await with_profiles(session, [row.feedback for row in rows], profiles)
        audit(session, visit.user, "view", "safety_queue", "", f"status {chosen or 'all'}")
    return visit.page(
        "admin/safety.html",
        items=list(zip(rows, shown, strict=True)),
        total=total,
        counts=counts,
        status=chosen,
        states=CASE_STATES,
        page_number=number,
        pages=max(1, -(-total // PAGE)),
        category_label=lambda c: category_label(c, visit.lang),
    )


async def _item(visit: Visit, case_id: int, action: str, detail: str = "") -> Response:
    settings = visit.runtime.settings
    async with visit.runtime.sessions() as session, session.begin():
        row = await case_row(session, case_id)
        if row is None:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        profiles = Profiles(session, settings.timezone, settings.k_anonymity)
        [shown] = await with_profiles(session, [row.feedback], profiles)
        # The look itself is audited first, so the page lists it among the looks.
        audit(session, visit.user, action, OBJECT_TYPE, case_id, detail)
        await session.flush()
        history = await looks(session, case_id)
    return visit.page(
        "admin/safety_item.html",
        row=row,
        shown=shown,
        looks=history,
        states=CASE_STATES,
        category_label=lambda c: category_label(c, visit.lang),
    )


@router.get("/safety/{case_id}")
async def item(visit: Analyst, case_id: RowId) -> Response:
    return await _item(visit, case_id, "safety_view")


@router.post("/safety/{case_id}/status")
async def item_status(
    visit: AnalystPost, case_id: RowId, status: Annotated[str, Form(max_length=16)] = ""
) -> Response:
    async with visit.runtime.sessions() as session, session.begin():
        case = await session.get(SafetyCase, case_id)
        if case is None:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        if not mark(case, status, visit.user.id if visit.user else None, datetime.now(UTC)):
            return visit.redirect(f"/admin/safety/{case_id}")  # an unknown state: no change
        session.add(case)
        audit(session, visit.user, f"safety_{status}", OBJECT_TYPE, case_id)
    return visit.redirect(f"/admin/safety/{case_id}")
