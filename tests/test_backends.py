"""The same library on SQLite and PostgreSQL: same answers, safe concurrent start-up, the CLI on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.services import build_services
from storage.db import current_revision, head_revision, make_engine, upgrade
from tests.conftest import postgres_schema_url
from tests.helpers import data_file, make_settings, seed_article

QUESTIONS = [
    "Who visited Israel?",
    "What did Moscow block in 2014?",
    "Which dynasty ruled China?",
    "Where is Warsaw?",
    "How many people live in Newcastle?",
    "Kublai Khan",
    "What river flows through Warsaw?",
    "NEAR (drone) AND \"deal\" -Iran*",
]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_schema_url()


def answers(database_url: str, tmp_path: Path) -> list[list[tuple[int, int]]]:
    services = build_services(make_settings(tmp_path, database_url=database_url))
    try:
        services.library.ingest_text(1, seed_article())
        services.library.ingest_text(1, data_file("long-article.txt").read_text("utf-8"))
        return [
            [(s.article_number, s.position) for s in services.library.ask(1, question, top=5).sentences]
            for question in QUESTIONS
        ]
    finally:
        services.close()


def test_same_answers_on_both_backends(tmp_path: Path, postgres_url: str) -> None:
    on_sqlite = answers(f"sqlite:///{tmp_path / 'a.sqlite3'}", tmp_path)
    on_postgres = answers(postgres_url, tmp_path)
    assert all(on_sqlite), "every question should find something"
    assert on_sqlite == on_postgres


def test_workers_starting_together_upgrade_once(postgres_url: str) -> None:
    errors: list[BaseException] = []
    engines = [make_engine(postgres_url) for _ in range(4)]

    def start(engine) -> None:  # type: ignore[no-untyped-def]
        try:
            upgrade(engine)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert current_revision(engines[0]) == head_revision()
    for engine in engines:
        engine.dispose()


def test_cli_on_postgresql_names_reznikov(postgres_url: str, tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    environment["BRIEFBOT_DATABASE_URL"] = postgres_url
    run = [sys.executable, "-m", "bot"]
    added = subprocess.run([*run, "add", str(data_file("seed-article.txt"))], env=environment,
                           capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    asked = subprocess.run([*run, "ask"], input="Who visited Israel?\n", env=environment,
                           capture_output=True, text=True, timeout=120)
    assert asked.returncode == 0, asked.stderr
    assert "Reznikov" in asked.stdout.splitlines()[0]


def test_site_texts_match_one_site_literally_on_both_backends(tmp_path: Path, database_url: str) -> None:
    services = build_services(make_settings(tmp_path, database_url=database_url))
    try:
        library = services.library
        library.ingest_text(1, "Markets rallied on Monday as rates held. " * 8, url="https://my_site.example/a")
        library.ingest_text(1, "The river rose overnight in the valley. " * 8, url="https://myXsite.example/b")
        library.ingest_text(1, "Trains ran late across the north today. " * 8, url="http://www.my_site.example/c")
        library.ingest_text(2, "A chat of its own saved this page too. " * 8, url="https://my_site.example/d")
        texts = services.store.site_texts(1, ("https://my_site.example/", "http://www.my_site.example/"), limit=5)
        assert [text.split()[0] for text in texts] == ["Trains", "Markets"]  # newest first, `_` literal
        assert services.store.site_texts(1, ("https://my%",), limit=5) == []
    finally:
        services.close()
