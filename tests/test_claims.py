"""The inbox table: records, claims with leases, a chat's turn, finished marks; SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest

from storage.claims import UpdateClaims
from storage.db import make_engine, upgrade
from storage.models import utcnow

HOUR_AGO = timedelta(hours=1)


@pytest.fixture
def claims(database_url: str) -> Iterator[UpdateClaims]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield UpdateClaims(engine)
    engine.dispose()


def test_claim_update_only_once(claims: UpdateClaims) -> None:
    assert claims.claim(42)
    assert not claims.claim(42)
    assert claims.claim(43)


def test_unfinished_claim_is_taken_over_when_its_lease_runs_out(claims: UpdateClaims) -> None:
    assert claims.claim(7, lease=timedelta(0))  # a worker claimed it, then died without renewing
    assert claims.claim(7, lease=timedelta(minutes=10))  # another takes it over
    assert not claims.claim(7)  # ... and holds it
    assert claims.claim(7, take_over=True)  # a lone poller: the holder was its own dead predecessor
    claims.finish(7)
    assert not claims.claim(7, lease=timedelta(0))  # finished is final
    assert not claims.claim(7, take_over=True)


def test_a_renewed_claim_is_kept(claims: UpdateClaims) -> None:
    assert claims.claim(8, lease=timedelta(0))
    claims.renew(8, timedelta(minutes=1))
    assert not claims.claim(8)


def test_old_claims_are_pruned(claims: UpdateClaims) -> None:
    claims.claim(5)
    claims.finish(5)
    assert claims.claim(100, keep=timedelta(0))  # every hundredth claim prunes
    assert claims.claim(5)


def test_recorded_updates_wait_to_be_handled_until_finished(claims: UpdateClaims) -> None:
    since = utcnow() - HOUR_AGO
    assert claims.record(10, 1, '{"update_id": 10}')
    assert claims.record(11, 1, '{"update_id": 11}')
    assert claims.record(10, 1, '{"update_id": 10}')  # Telegram re-sent it: still to do, one row
    assert [(p.update_id, p.payload) for p in claims.unfinished(since=since)] == [
        (10, '{"update_id": 10}'), (11, '{"update_id": 11}')]
    assert claims.claim(10)  # the recording worker claims it at once; nobody held it
    claims.finish(10)
    assert not claims.record(10, 1, '{"update_id": 10}')  # a copy of a finished update
    assert [p.update_id for p in claims.unfinished(since=since)] == [11]
    assert claims.unfinished(since=utcnow() + timedelta(seconds=1)) == []  # too old to handle again


def test_abandoned_updates_are_those_nobody_holds(claims: UpdateClaims) -> None:
    since = utcnow() - HOUR_AGO
    claims.record(20, 1, "{}")  # recorded, its worker died before claiming it
    claims.record(21, 2, "{}")
    claims.claim(21, lease=timedelta(0))  # claimed, its worker died: the lease ran out
    claims.record(22, 3, "{}")
    claims.claim(22)  # claimed and alive
    assert [p.update_id for p in claims.abandoned(since=since, grace=timedelta(0))] == [20, 21]
    assert [p.update_id for p in claims.abandoned(since=since, grace=timedelta(minutes=1))] == [21]


def test_a_chats_updates_take_turns_in_order(claims: UpdateClaims) -> None:
    since = utcnow() - HOUR_AGO
    for update_id in (30, 31):
        claims.record(update_id, 9, "{}")
        assert claims.claim(update_id)
    claims.record(40, 8, "{}")
    assert claims.claim(40)
    assert not claims.take_turn(31, 9, since=since)  # 30 came first
    assert claims.take_turn(40, 8, since=since)  # another chat does not wait
    assert claims.take_turn(30, 9, since=since)
    assert not claims.take_turn(31, 9, since=since)
    claims.finish(30)
    assert claims.take_turn(31, 9, since=since)


def test_a_late_recorded_update_waits_for_the_one_being_handled(claims: UpdateClaims) -> None:
    since = utcnow() - HOUR_AGO
    claims.record(51, 9, "{}")
    claims.claim(51)
    assert claims.take_turn(51, 9, since=since)
    claims.record(50, 9, "{}")  # an earlier update reached another worker late
    claims.claim(50)
    assert not claims.take_turn(50, 9, since=since)  # 51 is being handled under a live lease
    claims.finish(51)
    assert claims.take_turn(50, 9, since=since)


def test_one_turn_per_chat_among_racing_workers(claims: UpdateClaims) -> None:
    """Workers asking at the same moment: at most one of a chat's updates may start."""
    ids = list(range(60, 68))
    for update_id in ids:
        claims.claim(update_id)
    started: list[int] = []
    barrier = threading.Barrier(len(ids))

    def ask(update_id: int) -> None:
        barrier.wait()
        # Each pretends to be the earliest: the turn check sees only the others' started marks.
        if claims.take_turn(update_id, 7, since=utcnow()):
            started.append(update_id)

    threads = [threading.Thread(target=ask, args=(update_id,)) for update_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(started) == 1
    assert claims.take_turn(started[0], 7, since=utcnow())  # its own mark does not block it
