from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.deliveries import Deliveries, InboxPolicy
from bot.services import build_services
from storage.claims import UpdateClaims
from storage.db import make_engine, upgrade
from tests.helpers import make_settings, seed_article


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


def test_on_sqlite_the_inbox_is_a_file_of_its_own(tmp_path: Path) -> None:
    """Recording an update writes to briefbot.inbox.sqlite3, never to the library's file."""
    services = build_services(make_settings(tmp_path))
    try:
        assert services.deliveries.record(41, 7, '{"update_id": 41}')
        services.library.ingest_text(7, seed_article())
    finally:
        services.close()
    library, inbox = tmp_path / "briefbot.sqlite3", tmp_path / "briefbot.inbox.sqlite3"
    with sqlite3.connect(library) as main, sqlite3.connect(inbox) as own:
        assert own.execute("SELECT update_id, chat_id FROM processed_updates").fetchall() == [(41, 7)]
        assert main.execute("SELECT count(*) FROM processed_updates").fetchone() == (0,)
        assert main.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        assert own.execute("SELECT count(*) FROM articles").fetchone() == (0,)
