from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.services import Services, build_services
from bot.settings import ENV_PREFIX, Settings
from tests.helpers import POSTGRES_URL, make_settings, postgres_schema


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user cache directory of Briefbot's processes under test (the language model's copy goes there)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, cache_home: Path) -> None:
    """No BRIEFBOT_* variable (nor LANG) of the machine leaks into a test."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    # Nor the machine's locale: Briefbot's terminal and CLI speak the language LANG names.
    monkeypatch.setenv("LANG", "C.UTF-8")
    # Nor the machine's user cache: what Briefbot derives there is made once per test session.
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))


def postgres_schema_url() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL, dropped afterwards.

    Unreachable, it skips with the reason on a developer's machine, and fails in CI (`CI` set):
    there the PostgreSQL tests must run, never pass as skipped.
    """
    with ExitStack() as stack:
        try:
            url = stack.enter_context(postgres_schema())
        except OperationalError as error:
            reason = f"PostgreSQL is not reachable at {POSTGRES_URL}: {str(error).splitlines()[0]}"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The library's database: a SQLite file, then a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'briefbot.sqlite3'}"
    else:
        yield from postgres_schema_url()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def services(tmp_path: Path, database_url: str) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, database_url=database_url))
    yield built
    built.close()
