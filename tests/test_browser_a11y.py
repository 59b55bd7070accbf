"""Every page passes an automated WCAG 2.1 AA check (axe-core in Chromium, no serious or
critical violation) and starts with a skip link to its main content; a GET route that the walk
neither visits nor lists as not a page fails the test, so a new page cannot be forgotten."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fikir.config.languages import LANGUAGE_CODES
from fikir.i18n.catalog import translate
from tests.a11y import Walk, axe_findings, get_routes
from tests.browser_site import SURVEY_SLUG, Site, chromium, site_running
from tests.test_web_helpers import PASSWORD, answer, build_app

pytestmark = pytest.mark.browser

DIGEST_MONTH = "2026-10"  # tests/test_digest_seed's month: every chart has figures to draw
SKIP_TEXT = "Skip to main content"

# GET routes that answer with something other than an HTML page, and why.
NOT_PAGES = {
    "/": "redirects to /results",
    "/healthz": "JSON for load balancers",
    "/metrics": "Prometheus text",
    "/goals.css": "a style sheet",
    "/say/poster.pdf": "a PDF poster",
    "/admin/polls/{slug}/live.json": "the live view's figures (JSON)",
    "/live/{slug}.json": "the public live view's figures (JSON)",
    "/admin/languages/{code}/catalogue.{fmt}": "a catalogue's strings for a translator (PO, XLSX)",
    "/admin/translations/{kind}/{item_id}/{lang}.{fmt}": "a poll's or update's texts (PO, XLSX)",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp: Path = tmp_path_factory.mktemp("a11y")
    with site_running(tmp, DIGEST_MONTH, survey=True, sms_number="+994 12 555 01 02") as running:
        yield running


def _skip_link_problems(page: Any, lang: str) -> list[str]:
    """The first Tab stop is a visible "Skip to main content" link to <main id="main">."""
    # Start from the top of the page, as after loading it, wherever focus was left.
    page.evaluate(
        """() => { const start = document.createElement('span'); start.id = 'a11y-start';
        start.tabIndex = -1; document.body.prepend(start); start.focus(); }"""
    )
    page.keyboard.press("Tab")
    page.evaluate("document.getElementById('a11y-start').remove()")
    focused = page.evaluate(
        """() => { const e = document.activeElement; if (!e || e === document.body) return null;
        const r = e.getBoundingClientRect();
        return {href: e.getAttribute('href'), text: e.textContent.trim(),
                visible: r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0
                         && r.top < innerHeight && r.left < innerWidth}; }"""
    )
    expected = translate(lang, SKIP_TEXT)
    problems = []
    if focused is None or focused["href"] != "#main":
        problems.append(f"the first Tab stop is not the skip link: {focused}")
    else:
        if focused["text"] != expected:
            problems.append(f"skip link reads {focused['text']!r}, not {expected!r}")
        if not focused["visible"]:
            problems.append("the focused skip link is not visible")
    if page.locator("main#main").count() != 1:
        problems.append('no <main id="main"> for the skip link')
    return problems


# Every chart states its figures: an SVG bar is hidden from screen readers beside its figure
# as text, any other SVG (the QR code) has a name, a chart image's alt text has the figures or
# its section a table of them.
CHART_TEXT = """() => {
  const found = [];
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.closest('[aria-hidden="true"]')) {
      const item = svg.closest('li, figure, tr, p');
      const figure = item && item.querySelector('.bar-n');
      if (!figure || !figure.textContent.trim())
        found.push('chart without its figure in text: ' + (item || svg).outerHTML.slice(0, 160));
    } else if (!svg.closest('[role="img"][aria-label]')) {
      found.push('picture without a text alternative: ' + svg.outerHTML.slice(0, 160));
    }
  }
  for (const img of document.querySelectorAll('img')) {
    const section = img.closest('section');
    if (!/[0-9]/.test(img.alt) && !(section && section.querySelector('table')))
      found.push('chart image without its figures: ' + img.getAttribute('src'));
  }
  return found;
}"""


LINKS = """() => Array.from(document.querySelectorAll('a[href]'), a => a.href)
  .filter(h => h.startsWith(location.origin + '/'))
  .map(h => h.slice(location.origin.length))"""


def _check(walk: Walk, page: Any, url: str, *, skip_link: bool = True) -> None:
    """Open `url` (unless None: the page as it is now) and check it."""
    if url:
        response = page.goto(url)
        assert response is not None, url
        status = response.status
        kind = response.headers.get("content-type", "")
        if "text/html" not in kind:
            walk.problem(url, [f"not an HTML page ({status}, {kind})"])
            return
    where = page.url.removeprefix(walk_base(page))
    walk.saw(where)
    lang = page.locator("html").get_attribute("lang") or ""
    problems = axe_findings(page) + page.evaluate(CHART_TEXT)
    walk.links.update(page.evaluate(LINKS))
    if not lang:
        problems.append("no lang attribute on <html>")
    if skip_link:
        problems += _skip_link_problems(page, lang or "en")
    walk.problem(where, problems)


def walk_base(page: Any) -> str:
    return re.sub(r"^(https?://[^/]+).*$", r"\1", page.url)


def _sign_in(page: Any, name: str) -> None:
    page.goto("/admin/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def _public_pages(walk: Walk, site: Site, browser: Any) -> None:
    context = browser.new_context(base_url=site.base)
    page = context.new_page()
    try:
        for lang in LANGUAGE_CODES:
            _check(walk, page, f"/results?lang={lang}")
            _check(walk, page, f"/say?lang={lang}")
        page.get_by_role("button").first.click()  # the conversation's next step
        _check(walk, page, "")
        _check(walk, page, "/admin/login")
        page.get_by_label("Name").fill("ada")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("alert").wait_for()
        _check(walk, page, "")  # the refusal
        code = site.setup_code("leyla.h")
        _check(walk, page, f"/admin/setup?code={code}")
        _check(walk, page, "/admin/setup?code=wrong")
    finally:
        context.close()


def _poll_pages(walk: Walk, site: Site, page: Any) -> str:
    """Create a poll in the form (refused once), see the confirmation, open it, watch it live."""
    _check(walk, page, "/admin/polls/new")
    page.get_by_label("Short name").fill("bus-poll")
    page.get_by_role("button", name="Create poll").click()
    page.get_by_role("alert").wait_for()
    _check(walk, page, "")  # the refusal, with what is missing
    for lang in ("az", "ru", "en", "tly", "lez", "ka", "uk"):
        box = page.locator("fieldset.language", has=page.locator(f"code:text-is('{lang}')"))
        box.get_by_label("Question").fill(f"Is there a bus to your village? [{lang}]")
        box.get_by_label("Option 1", exact=True).fill(f"Yes [{lang}]")
        box.get_by_label("Option 2", exact=True).fill(f"No [{lang}]")
    page.get_by_label(re.compile("public live page")).check()
    page.get_by_role("button", name="Create poll").click()
    page.wait_for_url(re.compile(r"/admin/polls/bus-poll$"))
    _check(walk, page, "")
    page.get_by_role("button", name="Open now").click()
    page.get_by_role("heading", name="Check before sending").wait_for()
    _check(walk, page, "")  # the confirmation
    page.get_by_role("button", name="Confirm and send").click()
    page.locator("#poll-status").filter(has_text="open").wait_for()
    answer(site.settings, "bus-poll", [0] * 6 + [1] * 5)
    _check(walk, page, "/admin/polls/bus-poll")  # with results
    _check(walk, page, "/admin/polls")
    _check(walk, page, "/admin/polls/bus-poll/live")
    return "bus-poll"


def _update_pages(walk: Walk, page: Any) -> None:
    _check(walk, page, "/admin/updates/new")
    page.locator("input[name='t_en']").fill("A new bus line to Lerik")
    page.locator("textarea[name='b_en']").fill("From January a bus runs twice a day.")
    page.locator("input[name='goal'][value='11']").check()
    page.locator("input[name='region'][value='lankaran_astara']").check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/admin/updates/\d+$"))
    _check(walk, page, "")
    _check(walk, page, page.url + "/edit")
    _check(walk, page, "/admin/updates")


def _survey_pages(walk: Walk, page: Any) -> None:
    _check(walk, page, "/admin/surveys/new")
    _check(walk, page, f"/admin/surveys/{SURVEY_SLUG}")


def _digest_pages(walk: Walk, page: Any) -> None:
    _check(walk, page, "/admin/digests")
    _check(walk, page, f"/admin/digests/{DIGEST_MONTH}")
    for lang in ("en", "az", "ru"):  # the HTML digest as staff and e-mail readers get it
        _check(
            walk,
            page,
            f"/admin/digests/{DIGEST_MONTH}/files/fikir-digest-{DIGEST_MONTH}-{lang}.html",
        )


def test_every_page_passes_wcag_aa_with_a_skip_link(site: Site) -> None:
    from playwright.sync_api import Browser

    walk = Walk(get_routes(build_app(site.settings)))
    with chromium() as browser:
        assert isinstance(browser, Browser)
        _public_pages(walk, site, browser)
        context = browser.new_context(base_url=site.base)
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            _sign_in(page, "ada")
            _check(walk, page, "")  # Home, with its checklist
            _check(walk, page, "/admin/inbox")
            _check(walk, page, "/admin/inbox?channel=simulator")
            _check(walk, page, f"/admin/feedback/{site.feedback_id}")
            _check(walk, page, "/admin/feedback/999999")  # not found
            # The safety case is reached through the queue's link (see below).
            slug = _poll_pages(walk, site, page)
            _update_pages(walk, page)
            _survey_pages(walk, page)
            _digest_pages(walk, page)
            page.goto("/simulator")
            page.get_by_role("button", name="New conversation").click()
            page.locator("#chat button.choice").first.wait_for()
            _check(walk, page, "")
            # Every other page, found in the app: none is forgotten. Those without a parameter
            # are opened directly; the others through a link a checked page shows.
            for route in walk.unchecked(NOT_PAGES):
                if not route.has_parameters:
                    _check(walk, page, route.path)
            for _ in range(3):  # a page reached by a link may link to the next one
                for route in walk.unchecked(NOT_PAGES):
                    link = walk.link_to(route)
                    if link is not None:
                        _check(walk, page, link)
            for lang in ("az", "ru"):  # the dashboard in its other languages
                page.goto("/admin/inbox")
                page.locator("#staff-lang").select_option(lang)
                page.locator("#staff-lang").locator("xpath=..").get_by_role("button").click()
                page.wait_for_function(f"document.documentElement.lang === '{lang}'")
                _check(walk, page, "")
            public = browser.new_context(base_url=site.base)
            try:
                _check(walk, public.new_page(), f"/live/{slug}?lang=az")
            finally:
                public.close()
        finally:
            context.close()
    missing = [route.path for route in walk.unchecked(NOT_PAGES)]
    assert not missing, (
        f"GET routes neither checked nor listed in NOT_PAGES: {missing}. Seed something the "
        "site links to, or open the page in the walk, or list it in NOT_PAGES with why."
    )
    stale = set(NOT_PAGES) - {route.path for route in walk.routes}
    assert not stale, f"NOT_PAGES lists routes the app no longer has: {stale}"
    assert not walk.findings, "accessibility problems:\n" + walk.report()


def test_routes_listed_as_not_pages_answer_no_html(site: Site) -> None:
    """NOT_PAGES stays honest: each of its routes answers something other than a page."""
    import httpx

    samples = {
        "/admin/polls/{slug}/live.json": "/admin/polls/none/live.json",
        "/live/{slug}.json": "/live/none.json",
    }
    with httpx.Client(base_url=site.base, follow_redirects=False) as client:
        for path in NOT_PAGES:
            response = client.get(samples.get(path, path))
            kind = response.headers.get("content-type", "")
            assert response.is_redirect or "text/html" not in kind, (path, kind)


def test_the_checks_catch_what_they_look_for() -> None:
    """The checker is not blind: an unlabelled field, grey-on-grey text and a page without a
    skip link are all reported."""
    from tests.browser_site import need_chromium

    need_chromium()
    with chromium() as browser:
        page = browser.new_page()
        try:
            page.set_content(
                '<html lang="en"><head><title>t</title></head><body><main>'
                '<p style="color:#aaa;background:#bbb">faint</p><input type="text">'
                '<ul><li>Water <svg aria-hidden="true"></svg></li></ul><svg></svg>'
                '<section><img src="x.png" alt="Goals ranked by share"></section>'
                "</main></body></html>"
            )
            found = " ".join(axe_findings(page))
            assert "color-contrast" in found and "label" in found, found
            charts = " ".join(page.evaluate(CHART_TEXT))
            assert "chart without its figure in text" in charts, charts
            assert "picture without a text alternative" in charts
            assert "chart image without its figures: x.png" in charts
            problems = " ".join(_skip_link_problems(page, "en"))
            assert "not the skip link" in problems and '<main id="main">' in problems
        finally:
            page.close()
