"""Builders shared by the tests: settings on a temporary SQLite file, services, sample texts."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.services import Services, build_services
from bot.settings import Settings
from storage.schemas import temporary_schema

TEST_DATA = Path(__file__).resolve().parent / "data"
# The machine's PostgreSQL (CI starts it in .ci/run); another server can be named here.
POSTGRES_URL = os.environ.get("BRIEFBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_schema(prefix: str = "t") -> Iterator[str]:
    """The URL of a fresh schema in the test PostgreSQL, dropped afterwards (OperationalError if unreachable)."""
    with temporary_schema(POSTGRES_URL, prefix) as url:
        yield url


def data_file(name: str) -> Path:
    """A file (or folder) of tests/data; fails loudly (never skips) when it is missing."""
    path = TEST_DATA / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the tests read their data from tests/data/ (see its README)")
    return path


def seed_article() -> str:
    return data_file("seed-article.txt").read_text("utf-8")


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}", "chat_id": 1}
    values.update(overrides)
    return Settings(**values)


def make_services(tmp_path: Path, **overrides: Any) -> Services:
    return build_services(make_settings(tmp_path, **overrides))


def save_with_terms(services: Services, chat_id: int, text: str, language: str,
                    terms_of: Callable[[Sequence[str]], list[str]]) -> int:
    """Save `text` as an older Briefbot did: its sentences' index terms made by `terms_of` (texts -> terms)."""
    from bot.answers.terms import indexed_sentences
    from bot.text.article import content_hash
    from storage.records import NewArticle

    library = services.library
    parsed = library.parse(text, language=language)
    sentences = indexed_sentences(parsed, services.languages.profile(language))
    older = terms_of([s.text for s in sentences])
    info, _duplicate = library.store.add_article(chat_id, NewArticle(
        title=parsed.title, text=parsed.text, language=parsed.language, content_hash=content_hash(parsed.text),
        sentences=tuple(replace(s, terms=terms) for s, terms in zip(sentences, older, strict=True))))
    return info.number
