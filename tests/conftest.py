from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.services import Services
from bot.settings import ENV_PREFIX, Settings
from tests.helpers import make_services, make_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No BRIEFBOT_* variable of the machine leaks into a test."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = make_services(tmp_path)
    yield built
    built.close()
