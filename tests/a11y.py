"""The WCAG 2.1 AA check of one page (axe-core in Chromium) and the routes that must all be
checked: every GET route of the app is a page to visit unless it is listed as not a page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from starlette.routing import compile_path

# The rule sets of WCAG 2.0/2.1 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


def axe_findings(page: Any) -> list[str]:
    """Serious and critical WCAG 2.1 AA violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in FAILING_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        found.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
            f"{violation['help']} — {'; '.join(targets)}"
        )
    return found


@dataclass(frozen=True)
class PageRoute:
    """A GET route as the app mounts it: its path template and what request paths it takes."""

    path: str
    pattern: re.Pattern[str]
    has_parameters: bool


def get_routes(app: FastAPI) -> list[PageRoute]:
    """Every route answering GET, with the prefixes of included routers (static files aside).

    FastAPI 0.16x includes routers lazily (`app.routes` holds the routers, not their routes);
    `iter_route_contexts` resolves them. Older versions list the routes flat."""
    try:
        from fastapi.routing import iter_route_contexts  # type: ignore[attr-defined]

        found: Any = list(iter_route_contexts(app.routes))
    except ImportError:
        found = app.routes
    routes = []
    for route in found:
        path, methods = getattr(route, "path", None), getattr(route, "methods", None)
        if path and methods and "GET" in methods:
            pattern, _, convertors = compile_path(path)
            routes.append(PageRoute(path, pattern, bool(convertors)))
    assert len(routes) > 10, f"the app's GET routes were not found: {routes}"
    return routes


def route_of(routes: list[PageRoute], path: str) -> PageRoute | None:
    """The route a request path lands on (the first that matches, as in routing)."""
    return next((route for route in routes if route.pattern.match(path)), None)


@dataclass
class Walk:
    """What a walk through the site checked, and what it found."""

    routes: list[PageRoute]
    visited: dict[str, list[str]] = field(default_factory=dict)  # route path -> URLs
    findings: dict[str, list[str]] = field(default_factory=dict)  # URL -> problems
    links: set[str] = field(default_factory=set)  # same-site paths the visited pages link to

    def saw(self, url_path: str) -> None:
        route = route_of(self.routes, url_path.split("?")[0])
        if route is not None:
            self.visited.setdefault(route.path, []).append(url_path)

    def unchecked(self, not_pages: dict[str, str]) -> list[PageRoute]:
        return [r for r in self.routes if r.path not in self.visited and r.path not in not_pages]

    def link_to(self, route: PageRoute) -> str | None:
        """A link seen on a checked page that lands on `route` (found by routing, in order)."""
        for link in sorted(self.links):
            if route_of(self.routes, link.split("#")[0].split("?")[0]) is route:
                return link
        return None

    def problem(self, where: str, what: list[str]) -> None:
        if what:
            self.findings.setdefault(where, []).extend(what)

    def report(self) -> str:
        return "\n".join(
            f"{where}:\n  " + "\n  ".join(problems) for where, problems in self.findings.items()
        )
