"""Prometheus metrics: counts per channel and outcome, latency, errors — never personal data.

Labels are drawn from small fixed sets (channel names, outcomes), never from message content,
addresses or pseudonyms.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from fikir.config.channels import known

OUTCOMES = ("sent", "retried", "failed", "cancelled")


class Metrics:
    """One registry per runtime, so tests and several apps in one process do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.inbound = Counter(
            "fikir_inbound_messages_total",
            "Inbound messages handled, by channel",
            ["channel"],
            registry=self.registry,
        )
        self.duplicates = Counter(
            "fikir_inbound_duplicates_total",
            "Redelivered inbound events ignored, by channel",
            ["channel"],
            registry=self.registry,
        )
        self.handling = Histogram(
            "fikir_inbound_handling_seconds",
            "Time to handle one inbound message",
            ["channel"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
        )
        self.outbound = Counter(
            "fikir_outbound_messages_total",
            "Outbox sends by channel and outcome",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.errors = Counter(
            "fikir_errors_total",
            "Errors by where they happened",
            ["where"],
            registry=self.registry,
        )
        self.outbox_depth = Gauge(
            "fikir_outbox_depth",
            "Messages waiting or being sent, by channel",
            ["channel"],
            registry=self.registry,
        )
        self.spooled = Gauge(
            "fikir_spool_pending",
            "Inbound webhooks waiting in the local spool",
            registry=self.registry,
        )

        self.database_up = Gauge(
            "fikir_database_up",
            "1 when the last /metrics scrape reached the database, 0 when it answered from memory",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)


def channel_label(channel: str) -> str:
    """Channel names as a closed set, so a forged value can never become a label."""
    found = known(channel)
    return found.family if found is not None else "other"
