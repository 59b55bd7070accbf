"""The digest as an HTML page, a PDF, a short text for Telegram and e-mail, and digest.json."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

from fikir.config.contrast import ink_on
from fikir.config.markers import N_
from fikir.config.sdgs import goal_colour
from fikir.digest.alt_text import TREND_ALT, goals_alt, regions_alt, trend_series
from fikir.digest.document import DigestDocument, text_in
from fikir.digest.document_themes import ThemeFigure
from fikir.digest.files import atomic_path, write_text
from fikir.digest.labels import DIMENSION_TITLES, OTHER_GROUPS, Words
from fikir.digest.period import Month
from fikir.digest.span import Span, span_label, span_of
from fikir.digest.summary_regions import regions_summary
from fikir.updates.model import language_for

if TYPE_CHECKING:
    from fikir.digest.charts import ChartFiles

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
SUMMARY_LIMIT = 1000  # Telegram captions hold 1024 characters
SUMMARY_GOALS = 3
# matplotlib and WeasyPrint are not documented as thread-safe: one rendering at a time per process.
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Rendered:
    """One language's files and its short summary."""

    lang: str
    html: Path
    pdf: Path
    summary: str
    charts: ChartFiles


@lru_cache(maxsize=8)
def _environment(lang: str, tz: str) -> Environment:
    words = Words(lang, tz)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Old-style callables: `_()` takes `{placeholder}` keywords, the catalogues' convention.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=words,
        ngettext=lambda s, p, n, **kw: words(s if n == 1 else p, n=n, **kw),
        newstyle=False,
    )
    return env


def render_html(doc: DigestDocument, lang: str, charts: ChartFiles, base: Path) -> str:
    """The digest page; chart paths are written relative to `base` (where the HTML lives)."""
    words = Words(lang, doc.timezone)
    month = Month.parse(doc.month)
    template = _environment(words.lang, doc.timezone).get_template("digest.html")
    covered = covers(doc)
    return template.render(
        covered=covered,
        covered_label=span_label(covered, words.lang, words.locale),
        doc=doc,
        w=words,
        charts=charts,
        chart_src=lambda path: os.path.relpath(path, base).replace(os.sep, "/"),
        colour=goal_colour,
        goals_alt=goals_alt(doc, words),
        regions_alt=regions_alt(doc, words),
        trend_alt=TREND_ALT,
        trend_series=trend_series(doc),
        ink=lambda goal: ink_on(goal_colour(goal)),
        text_in=text_in,
        update_text=update_text,
        last_day=min(doc.end, doc.generated_at) - timedelta(seconds=1),
        previous_month=str(month.previous()),
        messages_change=words.relative(doc.totals.messages, doc.totals.previous_messages),
        framework_title=doc.framework.title(words.lang),
        framework_stale=_stale_framework_year(doc, month),
        dimension_titles=DIMENSION_TITLES,
        other_groups=OTHER_GROUPS,
        theme_regions=theme_regions,
    )


def covers(doc: DigestDocument) -> Span:
    """The days the figures cover: the whole month, or its days so far when built early."""
    return span_of(Month.parse(doc.month), doc.timezone, doc.generated_at)


# --- themes (fikir.digest.month_themes) ---------------------------------------------------------
def theme_regions(theme: ThemeFigure, w: Words) -> str:
    """A theme's shown regions, most people first, as "Lankaran-Astara (7), Baku (5)"."""
    return ", ".join(
        f"{w.value('region', r.region)} ({w.number(r.respondents)})" for r in theme.regions
    )


def theme_lines(doc: DigestDocument, w: Words) -> list[str]:
    """The summary's lines on themes: each leading goal's largest concern."""
    lines = []
    for g in doc.goals[:SUMMARY_GOALS]:
        themes = doc.themes_for(g.goal)
        if themes:
            top = themes[0]
            theme = w(
                N_("{theme} ({people} people)"),
                theme=text_in(top.names, w.lang),
                people=w.number(top.respondents),
            )
            lines.append(f"{w.sdg(g.goal)} {theme}")
    return [w(N_("Main concerns:")), *lines] if lines else []


def update_text(texts: tuple[tuple[str, str], ...], lang: str) -> str:
    """An update's text in `lang`, else in the updates' fallback chain (az, ru, en, …)."""
    found = dict(texts)
    return found.get(language_for(found, lang) or "", "")


def _stale_framework_year(doc: DigestDocument, month: Month) -> int | None:
    """The month's year when its areas come from an earlier framework (the new one is a
    template until staff enter the signed areas), so readers know why the title is older."""
    start, end = doc.framework.period
    return None if start <= month.year <= end else month.year


def pdf_bytes(html: str, base: Path | None = None) -> bytes:
    """The page typeset as PDF in memory (blocking), with the same fonts as write_pdf."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(base) if base else None).write_pdf()
    return pdf


def write_pdf(html: str, base: Path, target: Path) -> Path:
    """Typeset the page with WeasyPrint (blocking; fonts: DejaVu Sans, Noto for Georgian)."""
    from weasyprint import HTML

    with atomic_path(target) as temporary:
        HTML(string=html, base_url=str(base)).write_pdf(temporary)
    return target


SAFETY_COUNT = N_(
    "Safety messages (violence, abuse, self-harm, threats, reprisals): {count}. They are "
    "handled in the staff safety queue and never quoted."
)
SAFETY_FEW = N_(
    "Safety messages (violence, abuse, self-harm, threats, reprisals): fewer than {k}. They are "
    "handled in the staff safety queue and never quoted."
)


def summary_text(doc: DigestDocument, lang: str) -> str:
    """A few lines for a Telegram caption or an e-mail body; the PDF carries the rest."""
    w = Words(lang, doc.timezone)
    covered = covers(doc)
    title = span_label(covered, w.lang, w.locale) if covered.so_far else w.month(doc.month)
    lines = [w(N_("fikir digest for {month}"), month=title)]
    if doc.suppressed:
        lines.append(
            w(
                N_(
                    "Fewer than {k} people wrote this month, so no figures can be shown without "
                    "risking that someone is recognised."
                ),
                k=doc.k,
            )
        )
    else:
        messages, people = w.number(doc.totals.messages), w.number(doc.totals.respondents)
        change = w.relative(doc.totals.messages, doc.totals.previous_messages)
        if change:
            lines.append(
                w(
                    N_(
                        "{messages} messages from {people} people ({change} on the previous month)."
                    ),
                    messages=messages,
                    people=people,
                    change=change,
                )
            )
        else:
            lines.append(
                w(N_("{messages} messages from {people} people."), messages=messages, people=people)
            )
        if doc.goals:
            lines.append(w(N_("Leading goals:")))
            for g in doc.goals[:SUMMARY_GOALS]:
                change_text = f" ({w.points(g.change)})" if g.change is not None else ""
                lines.append(
                    f"{g.rank}. {w.sdg(g.goal)} {w.goal(g.goal)}: {w.percent(g.share)}{change_text}"
                )
        if doc.rising:
            risers = ", ".join(
                f"{w.sdg(n)} ({w.percent(riser.usual_share)} → {w.percent(riser.share)})"
                for n in doc.rising
                if (riser := doc.goal(n)) is not None
            )
            lines.append(w(N_("Rising: {goals}"), goals=risers))
        lines.extend(theme_lines(doc, w))
    lines.extend(regions_summary(doc, w))
    if doc.polls:
        lines.append(w(N_("Polls closed this month: {count}"), count=w.number(len(doc.polls))))
    if doc.surveys:
        count = w.number(len(doc.surveys))
        lines.append(w(N_("Surveys closed this month: {count}"), count=count))
    if doc.safety.fewer_than_k:
        lines.append(w(SAFETY_FEW, k=doc.k))
    elif doc.safety.messages:
        lines.append(w(SAFETY_COUNT, count=w.number(doc.safety.messages)))
    if doc.updates:
        lines.append(
            w(N_("Updates sent to participants: {count}"), count=w.number(len(doc.updates)))
        )
    lines.append(w(N_("The full digest is attached as a PDF.")))
    text = "\n".join(lines)
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1] + "…"


def fingerprint(doc: DigestDocument, lang: str) -> str:
    """What one language's files depend on: the figures (not the build time) and the template."""
    data = json.loads(doc.to_json())
    data.pop("generated_at", None)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode())
    digest.update(lang.encode())
    # A running month's files name the day they were built up to, so that day is part of them.
    covered = covers(doc)
    digest.update(f"{covered.last}:{covered.so_far}".encode())
    for template in sorted(TEMPLATES.glob("*.html")):
        digest.update(template.read_bytes())
    for drawing in ("charts.py", "chart_cartogram.py"):  # a new chart style redraws the month
        digest.update((Path(__file__).parent / drawing).read_bytes())
    return digest.hexdigest()


def _reuse(doc: DigestDocument, lang: str, out: Path, key: str) -> Rendered | None:
    """The files an earlier run wrote for exactly these figures, if they are all still there."""
    from fikir.digest.charts import chart_files

    stem = f"fikir-digest-{doc.month}-{lang}"
    stamp, html, pdf = out / f".{stem}.key", out / f"{stem}.html", out / f"{stem}.pdf"
    if not (stamp.is_file() and html.is_file() and pdf.is_file()):
        return None
    if stamp.read_text(encoding="utf-8").strip() != key:
        return None
    return Rendered(lang, html, pdf, summary_text(doc, lang), chart_files(out / "charts", lang))


def render_language(doc: DigestDocument, lang: str, out: Path) -> Rendered:
    """Charts, HTML and PDF of one language into `out` (blocking: run it in a worker thread).

    Files already written for the same figures are reused, so a repeated run (a second
    instance, a staff member linked later) does not typeset the month again.
    """
    # matplotlib loads only when charts are drawn
    from fikir.digest.chart_cartogram import draw_cartogram
    from fikir.digest.charts import draw_charts

    out.mkdir(parents=True, exist_ok=True)
    words = Words(lang, doc.timezone)
    key = fingerprint(doc, words.lang)
    stem = f"fikir-digest-{doc.month}-{words.lang}"
    html_path = out / f"{stem}.html"
    with _RENDER_LOCK:
        reused = _reuse(doc, words.lang, out, key)
        if reused is not None:
            return reused
        charts = draw_charts(doc, words, out / "charts")
        charts = replace(charts, cartogram=draw_cartogram(doc, words, out / "charts"))
        html = render_html(doc, words.lang, charts, out)
        write_text(html_path, html)
        pdf_path = write_pdf(html, out, out / f"{stem}.pdf")
        write_text(out / f".{stem}.key", key + "\n")
    return Rendered(words.lang, html_path, pdf_path, summary_text(doc, words.lang), charts)


def write_json(doc: DigestDocument, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "digest.json"
    return write_text(path, doc.to_json() + "\n")
