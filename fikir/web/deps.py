"""FastAPI dependencies: the runtime built by create_app, passed explicitly to every route.

The dependency itself lives in fikir.adapter, below the web package, for channel adapters too.
"""

from __future__ import annotations

from fikir.adapter import RuntimeDep, get_runtime

__all__ = ["RuntimeDep", "get_runtime"]
