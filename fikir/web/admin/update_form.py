"""The dashboard's update form: read, checked with translated messages, kept on error."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.markers import N_
from fikir.dialog.text import small_number
from fikir.updates.model import MAX_BODY, MAX_TITLE, UPDATE_REGIONS, UpdateSpec, UpdateView

NO_LANGUAGE = N_("Write the update in at least one language: a title and a text.")
HALF_LANGUAGE = N_("A title and a text are both needed in: {languages}.")
NO_LINK = N_("Link the update to at least one goal, region or poll.")
NO_POLL = N_("That poll does not exist.")
REFUSED = N_("Not saved: {reason}")


@dataclass
class UpdateForm:
    """What staff typed; `errors` are msgids with their parameters, translated by the page."""

    title: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)
    goals: list[int] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    poll_id: int | None = None
    errors: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @classmethod
    def of(cls, update: UpdateView) -> UpdateForm:
        return cls(
            dict(update.title), dict(update.body), list(update.goals), list(update.regions),
            update.update.poll_id,
        )  # fmt: skip


def _line(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _text(form: FormData, name: str, limit: int) -> str:
    """A multi-line text: line breaks kept, each line trimmed, at most `limit` characters."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()[:limit]


def read(form: FormData) -> UpdateForm:
    picked = (small_number(v, 2) for v in form.getlist("goal") if isinstance(v, str))
    goals = [goal for goal in picked if goal is not None]
    poll = form.get("poll")
    return UpdateForm(
        title={lang: _line(form, f"t_{lang}", MAX_TITLE) for lang in LANGUAGE_CODES},
        body={lang: _text(form, f"b_{lang}", MAX_BODY) for lang in LANGUAGE_CODES},
        goals=[goal for goal in goals if 1 <= goal <= 17],
        regions=[v for v in form.getlist("region") if isinstance(v, str) and v in UPDATE_REGIONS],
        poll_id=small_number(poll, 9) if isinstance(poll, str) else None,
    )


def to_spec(data: UpdateForm) -> UpdateSpec | None:
    """The spec to save, or None with `data.errors` filled in."""
    data.errors.clear()
    half = [
        lang for lang in LANGUAGE_CODES if bool(data.title.get(lang)) != bool(data.body.get(lang))
    ]
    if half:
        data.errors.append((HALF_LANGUAGE, {"languages": ", ".join(half)}))
    elif not any(data.title.get(lang) for lang in LANGUAGE_CODES):
        data.errors.append((NO_LANGUAGE, {}))
    if not (data.goals or data.regions or data.poll_id):
        data.errors.append((NO_LINK, {}))
    if data.errors:
        return None
    return UpdateSpec(
        title={k: v for k, v in data.title.items() if v},
        body={k: v for k, v in data.body.items() if v},
        goals=tuple(data.goals),
        regions=tuple(data.regions),
        poll_id=data.poll_id,
    )
