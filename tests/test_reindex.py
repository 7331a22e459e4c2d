"""`briefbot db reindex`: articles stored under older term rules get today's index terms."""

from __future__ import annotations

import re
from pathlib import Path

from bot.services import Services, build_services
from tests.helpers import make_settings, save_with_terms
from tests.test_cli import briefbot

GERMAN = (
    "Die Stadt im Winter\n\n"
    "Im Jahr 1910 traf ein Mangel an Sauerstoff die Bergleute der Stadt. "
    "Der Sauerstoffmangel dauerte danach drei Wochen. "
    "Der Bürgermeister besuchte im Frühling die neue Schule."
)


def _store_as_before_compounds(services: Services, chat_id: int, text: str) -> int:
    """Save `text` the way Briefbot did before compound parts were indexed: keywords only."""
    profile = services.languages.profile("de")
    return save_with_terms(services, chat_id, text, "de", lambda texts: [" ".join(profile.keywords(t)) for t in texts])


def _mangel_sentences(services: Services, chat_id: int) -> list[str]:
    """The answers to "Mangel?" (the compound's second part) in the chat."""
    return sorted(s.text for s in services.library.ask(chat_id, "Mangel?", top=3).sentences)


def test_reindex_adds_compound_parts_to_older_articles(services: Services) -> None:
    number = _store_as_before_compounds(services, 1, GERMAN)
    _store_as_before_compounds(services, 2, GERMAN)  # another chat: reindexed, still apart
    before = _mangel_sentences(services, 1)
    assert before and not any("Sauerstoffmangel" in text for text in before)

    articles, sentences = services.library.reindex(batch=1)
    assert articles == 2 and sentences >= 2

    after = _mangel_sentences(services, 1)
    assert any("Sauerstoffmangel" in text for text in after)
    assert after == _mangel_sentences(services, 2)
    # The terms are exactly those of an article saved today, and the term counts follow them.
    fresh = services.library.ingest_text(3, GERMAN, language="de").article
    stored = services.library.store.article_sentences(1, services.library.article(1, number).info.id)
    today = services.library.store.article_sentences(3, fresh.id)
    assert [s.terms for s in stored] == [s.terms for s in today]
    assert services.library.store.term_statistics(1, []).average_terms == \
        services.library.store.term_statistics(3, []).average_terms
    # Twice changes nothing.
    assert services.library.reindex() == (0, 0)


def test_db_reindex_command(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    services = build_services(settings)
    try:
        _store_as_before_compounds(services, 1, GERMAN)
    finally:
        services.close()
    result = briefbot(tmp_path, "db", "reindex")
    assert result.returncode == 0, result.stderr
    # How many sentences changed depends on the German article; one article did, said in the singular.
    assert re.fullmatch(r"reindexed: [1-9][0-9]* sentences? in 1 article changed", result.stdout.strip())
    services = build_services(settings)
    try:
        assert any("Sauerstoffmangel" in text for text in _mangel_sentences(services, 1))
        assert services.library.reindex() == (0, 0)
    finally:
        services.close()
