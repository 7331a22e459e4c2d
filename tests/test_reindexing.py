"""A library whose search terms an older Briefbot made (NLTK's stemmers) is reindexed: by `briefbot db reindex`,
or by the bot itself in the background when it starts; meanwhile answers come, and one-shot commands say so."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from bot.answers.terms import TERMS_VERSION, article_terms
from bot.services import Services, build_library_services, build_services
from storage.index_state import IndexState
from support.fakebotapi import FakeBotAPI
from tests.conftest import postgres_schema_url
from tests.helpers import make_settings, save_with_terms
from tests.test_cli import briefbot
from tests.test_telegram_run import briefbot_run, stop

# "aktuellen": NLTK's Snowball stems it "aktuell", Snowball 3's "aktull"; "angewendete": "angewendet", "angew".
GERMAN = (
    "Neue Regeln im Ministerium\n\n"
    "Die aktuellen Zahlen kamen am Montag aus dem Ministerium. "
    "Die angewendete Regel gilt seit dem Winter. "
    "Der Minister besuchte danach die Schule der Stadt."
)
QUESTION = "aktuellen?"  # nothing but the word whose stem changed


def _nltk_terms(services: Services) -> object:
    from nltk.stem.snowball import SnowballStemmer

    profile = replace(services.languages.profile("de"), stem=SnowballStemmer("german").stem)
    return lambda texts: article_terms(profile, texts)


def store_as_nltk_did(services: Services, chat_id: int = 1) -> int:
    """An article saved by a Briefbot of terms version 1, in a library that says so."""
    number = save_with_terms(services, chat_id, GERMAN, "de", _nltk_terms(services))  # type: ignore[arg-type]
    IndexState(services.store.engine).set_terms_version(1)
    return number


def _answers(services: Services) -> list[str]:
    return [s.text for s in services.library.ask(1, QUESTION, top=3).sentences]


def _terms(services: Services, number: int) -> Sequence[str]:
    stored = services.library.article(1, number)
    return [s.terms for s in services.store.article_sentences(1, stored.info.id)]


def test_a_new_library_is_current_at_once(services: Services) -> None:
    assert IndexState(services.store.engine).terms_version() == TERMS_VERSION
    assert not services.upkeep.stale()


def test_the_bot_reindexes_older_terms_in_the_background(services: Services) -> None:
    number = store_as_nltk_did(services)
    assert services.upkeep.stale()
    assert not any("aktuellen" in text for text in _answers(services))  # its stored stem is NLTK's
    services.upkeep.start()
    deadline = time.monotonic() + 30
    while services.upkeep.stale():
        assert time.monotonic() < deadline, "the background reindex did not finish"
        time.sleep(0.05)
    assert any("aktuellen" in text for text in _answers(services))
    fresh = services.library.ingest_text(1, GERMAN.replace("Stadt", "Stadt heute"), language="de").article
    today = _terms(services, fresh.number)
    assert [t for t in _terms(services, number) if "aktull" in t] == [t for t in today if "aktull" in t]
    assert IndexState(services.store.engine).terms_version() == TERMS_VERSION


def test_a_stopped_reindex_records_nothing_and_goes_on_later(services: Services, tmp_path: Path) -> None:
    store_as_nltk_did(services)
    services.upkeep.close()  # Briefbot stops before the reindex has done anything
    assert services.upkeep.reindex() == (0, 0)
    assert services.upkeep.stale()
    again = build_library_services(services.settings)
    try:
        articles, sentences = again.upkeep.reindex() or (0, 0)
        assert articles == 1 and sentences >= 2
        assert not again.upkeep.stale()
    finally:
        again.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_schema_url()


def test_one_worker_reindexes_at_a_time(tmp_path: Path, postgres_url: str) -> None:
    first = build_services(make_settings(tmp_path, database_url=postgres_url))
    second = build_library_services(make_settings(tmp_path, database_url=postgres_url))
    try:
        store_as_nltk_did(first)
        with IndexState(first.store.engine).exclusive() as held:
            assert held
            assert second.upkeep.reindex() is None  # the other worker is at it
            assert second.upkeep.stale()
        assert second.upkeep.reindex() is not None
        assert not first.upkeep.stale()
    finally:
        second.close()
        first.close()


def test_ask_warns_until_db_reindex(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    services = build_services(settings)
    try:
        store_as_nltk_did(services)
    finally:
        services.close()
    before = briefbot(tmp_path, "ask", QUESTION, BRIEFBOT_CHAT_ID="1")
    assert before.returncode == 0
    assert "search terms were made by an older Briefbot" in before.stderr and "briefbot db reindex" in before.stderr
    reindexed = briefbot(tmp_path, "db", "reindex")
    assert reindexed.returncode == 0, reindexed.stderr
    assert re.fullmatch(r"reindexed: [1-9][0-9]* sentences? in 1 article changed", reindexed.stdout.strip())
    after = briefbot(tmp_path, "ask", QUESTION, BRIEFBOT_CHAT_ID="1")
    assert after.returncode == 0 and after.stderr == ""
    assert "Die aktuellen Zahlen" in after.stdout


async def test_briefbot_run_reindexes_a_stale_library(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)  # the database briefbot_run uses
    services = build_services(settings)
    try:
        store_as_nltk_did(services)
    finally:
        services.close()
    log = tmp_path / "stderr.log"
    with log.open("w") as stderr, FakeBotAPI() as api, briefbot_run(api, tmp_path, stderr=stderr,
                                                                    BRIEFBOT_LOG_LEVEL="INFO") as process:
        await api.wait_for_call(lambda c: c.method == "setMyCommands", timeout=30)
        deadline = time.monotonic() + 30
        while "reindexed the library" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            await asyncio.sleep(0.1)
        status, _err = await stop(process)
    assert status == 0
    assert "reindexing in the background" in log.read_text()
    state = build_library_services(settings)
    try:
        assert not state.upkeep.stale()
    finally:
        state.close()
