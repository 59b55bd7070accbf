"""A local durable spool for inbound webhooks while the database is unreachable."""

from fikir.spool.inbound import InboundSpool
from fikir.spool.replay import NotKept, handle_or_spool, replay_loop, replay_once

__all__ = ["InboundSpool", "NotKept", "handle_or_spool", "replay_loop", "replay_once"]
