"""Each running service's /say guard, kept in memory only and dropped when the service stops."""

from __future__ import annotations

from fikir.runtime import Runtime
from fikir.web.say.guard import Guard

_guards: dict[int, Guard] = {}


def guard_for(runtime: Runtime) -> Guard:
    """This runtime's guard, made on first use with its secret and limits."""
    found = _guards.get(id(runtime))
    if found is None:
        settings = runtime.settings
        found = Guard(settings.secret, settings.say_soft_limit, settings.say_hard_limit)
        _guards[id(runtime)] = found
    return found


def release(runtime: Runtime) -> None:
    _guards.pop(id(runtime), None)
