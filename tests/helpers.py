"""Builders shared by the tests: settings on a temporary SQLite file, services, sample texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.services import Services, build_services
from bot.settings import Settings

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_file(name: str) -> Path:
    """A file of ../shared/data; fails loudly (never skips) when it is missing."""
    path = SHARED_DATA / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the tests need the shared data beside the repository")
    return path


def seed_article() -> str:
    return shared_file("seed-article.txt").read_text("utf-8")


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}", "chat_id": 1}
    values.update(overrides)
    return Settings(**values)


def make_services(tmp_path: Path, **overrides: Any) -> Services:
    return build_services(make_settings(tmp_path, **overrides))
