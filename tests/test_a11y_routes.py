"""The accessibility walk finds every GET route, also one a later branch adds inside a nested
router (FastAPI includes routers lazily), so no new page escapes the WCAG check."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from tests.a11y import Walk, get_routes, route_of
from tests.conftest import make_settings
from tests.test_web_helpers import build_app


def test_routes_of_nested_routers_are_found(tmp_path: Path) -> None:
    app = build_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'fikir.db'}"))
    inner = APIRouter(prefix="/alerts")

    @inner.get("", response_class=HTMLResponse)
    async def alerts() -> str:
        return "<p>alerts</p>"

    @inner.get("/{alert_id}/edit", response_class=HTMLResponse)
    async def alert(alert_id: int) -> str:
        return "<p>one</p>"

    @inner.post("/{alert_id}")
    async def change(alert_id: int) -> None:
        return None

    outer = APIRouter(prefix="/admin")
    outer.include_router(inner)
    app.include_router(outer)
    routes = get_routes(app)
    paths = {route.path for route in routes}
    assert {"/admin/alerts", "/admin/alerts/{alert_id}/edit", "/results", "/admin/"} <= paths
    assert "/admin/alerts/{alert_id}" not in paths  # POST only: not a page
    assert "/static" not in paths
    walk = Walk(routes)
    walk.links.update({"/admin/alerts/7/edit?x=1", "/results"})
    edit = route_of(routes, "/admin/alerts/7/edit")
    assert edit is not None and edit.has_parameters
    assert walk.link_to(edit) == "/admin/alerts/7/edit?x=1"
    walk.saw("/admin/alerts?page=2")
    assert "/admin/alerts" in walk.visited
    assert [r.path for r in walk.unchecked({})].count("/admin/alerts") == 0
