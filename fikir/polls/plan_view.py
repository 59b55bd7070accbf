"""What a broadcast plan may show before opening, on the dashboard and at the command line
alike: recipients by language and channel with small cells merged, SMS parts per language, and
the cost only when at least k people pay for it (otherwise an upper bound no single person
moves). One function for both, so the k rule cannot drift between them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from fikir.config.channels import channel_of
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.settings import Settings
from fikir.outbox.segments import count_segments
from fikir.polls.broadcast import BroadcastPlan, sms_poll_text
from fikir.polls.model import Audience, PollView
from fikir.privacy.suppression import OTHER, SuppressedTable, suppress_table


@dataclass(frozen=True)
class SmsLine:
    """One language's SMS: how many parts each message costs, in which encoding."""

    lang: str
    segments: int
    encoding: str
    gets: str = ""  # the language of the text it carries: `lang`, or its fallback


@dataclass(frozen=True)
class ShownPlan:
    """A plan's figures as they may be shown: every count of people is 0 or at least k."""

    plan: BroadcastPlan
    k: int
    table: SuppressedTable[str, str]
    routes: dict[str, tuple[int, ...]]
    routes_hidden: bool
    sms: list[SmsLine]
    sms_hidden: bool
    cost_bound: str

    def figures(self) -> dict[str, Any]:
        """What the dashboard's preview pages show (admin/_plan_figures.html), by name."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def lines(self) -> list[str]:
        """The command line's preview, in the words the dashboard uses."""
        k, plan = self.k, self.plan
        out = []
        if not plan.recipients:
            out.append("Nobody is subscribed in this audience yet.")
        elif self.table.suppressed:
            out.append(f"Fewer than {k} people would receive it: the figures are not shown.")
        else:
            columns = self.table.columns
            names = ["other channels" if c == OTHER else c for c in columns]
            out.append("Recipients by language and channel: " + " | ".join(names))
            for lang, cells in self.table.rows.items():
                out.append(f"  {lang}: " + " | ".join(str(cells.get(c, 0)) for c in columns))
            if self.table.other:
                merged = " | ".join(str(self.table.other.get(c, 0)) for c in columns)
                out.append(f"  other (small groups merged): {merged}")
        for line in self.sms:
            falls = f" (falls back to {line.gets})" if line.gets != line.lang else ""
            out.append(f"  SMS {line.lang}{falls}: {line.segments} part(s) ({line.encoding})")
        if self.sms_hidden:
            out.append(f"SMS: fewer than {k} recipients, under ${self.cost_bound}")
        else:
            out.append(
                f"SMS total: {plan.total_segments} segments, about ${plan.estimated_cost:,.2f}"
            )
        if self.routes_hidden:
            out.append(f"Fewer than {k} people in some group of the messaging window: not shown.")
        for channel, counts in self.routes.items():
            out.append(
                f"  {channel}: {counts[0]} inside the window, {counts[1]} by template, "
                f"{counts[2]} waiting"
            )
        out.extend(f"TOO LONG for SMS: {item}" for item in plan.too_long)
        return out


def recipients_table(plan: BroadcastPlan, k: int) -> SuppressedTable[str, str]:
    """Recipients by language (rows) and channel (columns), small cells merged as elsewhere."""
    table: dict[str, dict[str, int]] = {}
    for (channel, lang), preview in plan.previews.items():
        table.setdefault(lang, {})[channel] = preview.recipients
    return suppress_table(table, k)


def paid_recipients(plan: BroadcastPlan) -> int:
    return sum(n for channel, n in plan.recipients.items() if channel_of(channel).paid)


def shown_plan(
    plan: BroadcastPlan, poll: PollView, settings: Settings, sms: list[SmsLine] | None = None
) -> ShownPlan:
    """The plan's figures under the k rule (see the module's docstring); `sms` replaces the
    poll's own SMS lines (a survey's parts along its longest way)."""
    # Every language the audience allows, not only those present: a line for a language nobody
    # speaks would tell staff that somebody does.
    audience = Audience.from_json(poll.poll.audience)
    languages = list(audience.languages or LANGUAGE_CODES)
    sms = sms or [
        SmsLine(lang, info.segments, info.encoding, poll.language_for(lang))
        for lang in languages
        for info in [count_segments(sms_poll_text(poll, lang, settings.sms_transliterate))]
    ]
    return shown_figures(plan, sms, settings)


def shown_figures(plan: BroadcastPlan, sms: list[SmsLine], settings: Settings) -> ShownPlan:
    """Any broadcast's figures under the k rule (a poll's, a round of the opinion map's): `sms`
    are its parts per language, one line for every language it may reach."""
    k = settings.k_anonymity
    paid = paid_recipients(plan)
    most = max((line.segments for line in sms), default=1)
    by_route = plan.by_route()
    return ShownPlan(
        plan=plan,
        k=k,
        table=recipients_table(plan, k),
        routes={
            channel: counts
            for channel, counts in by_route.items()
            if all(n == 0 or n >= k for n in counts)
        },
        routes_hidden=any(any(0 < n < k for n in counts) for counts in by_route.values()),
        sms=sms,
        sms_hidden=0 < paid < k,
        # Fewer than k SMS recipients: only an upper bound, which no single person moves.
        cost_bound="%.2f" % ((k - 1) * most * settings.sms_segment_cost),
    )
