from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.deliveries import Deliveries, InboxPolicy
from storage.claims import UpdateClaims
from storage.db import make_engine, upgrade


@pytest.fixture
def deliveries(database_url: str) -> Iterator[Deliveries]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield Deliveries(UpdateClaims(engine))
    engine.dispose()


def test_webhook_workers_leave_a_claim_in_progress_alone(deliveries: Deliveries) -> None:
    assert deliveries.claim(1)
    assert not deliveries.claim(1)  # another worker may be at it


def test_a_lone_poller_takes_over_what_a_dead_process_left_unfinished(deliveries: Deliveries) -> None:
    poller = deliveries.single_worker()
    assert poller.claim(2)
    assert poller.claim(2)  # the process that claimed it died before finishing: handle it again
    poller.finish(2)
    assert not poller.claim(2)  # finished is final
    assert not deliveries.claim(2)


def test_a_lone_poller_replays_what_is_unfinished_and_young_enough(deliveries: Deliveries) -> None:
    poller = deliveries.single_worker()
    assert poller.record(3, 5, '{"update_id": 3}')
    assert [item.update_id for item in poller.unfinished()] == [3]
    assert poller.take_turn(3, 5)  # one process orders its chats in memory
    poller.finish(3)
    assert poller.unfinished() == []
    assert not poller.record(3, 5, '{"update_id": 3}')


def test_renewals_come_three_times_a_lease() -> None:
    assert InboxPolicy(lease=timedelta(seconds=30)).renew_every == 10
