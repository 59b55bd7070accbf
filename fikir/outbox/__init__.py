"""Queued proactive messages: rate-limited per channel, retried, never sent twice."""
