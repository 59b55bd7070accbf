"""The /say abuse guard on its own: keyed, rotating client hashes; challenges bound, fresh, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fikir.web.say import guard as g
from tests.conftest import TEST_SECRET
from tests.say_client import solve

NOON = datetime(2026, 5, 14, 12, 0, 3, tzinfo=UTC)


def make(soft: int = 2, hard: int = 4) -> g.Guard:
    return g.Guard(TEST_SECRET.encode(), soft, hard)


def test_a_client_is_a_keyed_hash_that_changes_every_day() -> None:
    guard = make()
    today = guard.client("203.0.113.7", NOON)
    assert today == guard.client("203.0.113.7", NOON + timedelta(hours=3))
    assert "203" not in today and len(today) == 32
    assert guard.client("203.0.113.7", NOON + timedelta(days=1)) != today
    assert make().client("203.0.113.7", NOON) == today  # the same secret, the same day
    other_secret = g.Guard(b"x" * 48, 2, 4)
    assert other_secret.client("203.0.113.7", NOON) != today
    # One IPv6 subscriber holds a /64: all of it is one client; the next /64 is another.
    a = guard.client("2001:db8:1:2::5", NOON)
    assert a == guard.client("2001:db8:1:2:ffff::1", NOON)
    assert a != guard.client("2001:db8:1:3::5", NOON)


def test_the_address_is_nowhere_in_the_guards_memory() -> None:
    guard = make()
    client = guard.client("198.51.100.23", NOON)
    guard.admit(client, NOON, "", "")
    assert "198.51.100.23" not in repr(vars(guard))


def test_soft_then_work_then_hard_and_a_new_window() -> None:
    guard = make(soft=2, hard=4)
    client = guard.client("198.51.100.1", NOON)
    assert [guard.admit(client, NOON, "", "").allowed for _ in range(2)] == [True, True]
    assert guard.busy(client, NOON)
    refused = guard.admit(client, NOON, "", "")
    assert not refused.allowed and refused.needs_work and 0 < refused.retry_after <= 600
    challenge = guard.challenge(client, NOON)
    assert guard.admit(client, NOON, challenge, solve(challenge)).allowed
    late = guard.admit(client, NOON, guard.challenge(client, NOON), "0")
    assert not late.allowed  # the fifth message: past the hard limit, work or not
    later = NOON + timedelta(seconds=g.WINDOW_SECONDS)
    assert guard.admit(client, later, "", "").allowed  # a new window


def test_a_challenge_is_bound_fresh_and_spent_once() -> None:
    guard = make()
    mine, theirs = guard.client("198.51.100.1", NOON), guard.client("198.51.100.2", NOON)
    challenge = guard.challenge(mine, NOON)
    nonce = solve(challenge)
    assert not guard.redeem(theirs, NOON, challenge, nonce)  # solved elsewhere: not theirs
    assert not guard.redeem(mine, NOON, challenge, str(int(nonce) + 1) + "x")
    tampered = challenge.replace(challenge[0], "1" if challenge[0] != "1" else "2", 1)
    assert not guard.redeem(mine, NOON, tampered, solve(tampered))
    stale = NOON + timedelta(seconds=g.CHALLENGE_SECONDS + 1)
    assert not guard.redeem(mine, stale, challenge, nonce)
    assert guard.redeem(mine, NOON, challenge, nonce)
    assert not guard.redeem(mine, NOON, challenge, nonce)  # once


def test_a_flood_of_new_clients_must_all_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(g, "MAX_CLIENTS", 3)
    guard = make(soft=10, hard=20)
    for n in range(3):
        assert guard.admit(guard.client(f"198.51.100.{n}", NOON), NOON, "", "").allowed
    newcomer = guard.client("198.51.100.99", NOON)
    assert guard.busy(newcomer, NOON)
    assert not guard.admit(newcomer, NOON, "", "").allowed
    challenge = guard.challenge(newcomer, NOON)
    assert guard.admit(newcomer, NOON, challenge, solve(challenge)).allowed


def test_the_work_is_what_the_page_script_checks() -> None:
    assert g.leading_zero_bits(bytes([0, 0, 0x0F])) == 20
    assert g.leading_zero_bits(bytes([0x80])) == 0
    challenge = "1700000000.0123456789abcdef.0123456789abcdef"
    nonce = solve(challenge)
    assert g.work_done(challenge, nonce)
    assert not any(g.work_done(challenge, str(n)) for n in range(int(nonce)))  # the first
