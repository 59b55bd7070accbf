"""Channels that are not people: where staff try flows, stored but never counted.

Messages sent through `fikir chat` (console) and the web simulator are kept like anyone's, so
that staff see the whole flow, but no dashboard, digest or public page counts them as what
people said.
"""

from __future__ import annotations

TEST_CHANNELS = ("console", "simulator", "simulator-sms")
