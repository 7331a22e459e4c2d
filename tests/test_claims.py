from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from storage.claims import UpdateClaims
from storage.db import make_engine, upgrade


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


def test_unfinished_claim_is_taken_over_after_its_lease(claims: UpdateClaims) -> None:
    assert claims.claim(7)
    assert not claims.claim(7, lease=timedelta(minutes=10))  # its worker may still be at it
    assert claims.claim(7, lease=timedelta(0))  # the worker died: another takes it over
    claims.finish(7)
    assert not claims.claim(7, lease=timedelta(0))  # finished is final


def test_old_claims_are_pruned(claims: UpdateClaims) -> None:
    claims.claim(5)
    claims.finish(5)
    assert claims.claim(100, keep=timedelta(0))  # every hundredth claim prunes
    assert claims.claim(5)
