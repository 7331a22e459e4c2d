from __future__ import annotations

import pytest

from bot.errors import InputError, NotAnArticle, NotFound, UnknownAlgorithm
from bot.services import Services
from tests.helpers import seed_article

UKRAINE = (
    "Grain Corridor Reopens\n\n"
    "Ukraine reopened the grain corridor in the Black Sea on Tuesday. "
    "Ships carrying wheat left Odesa under naval escort. "
    "Farmers welcomed the news after months of losses. "
    "Prices of wheat in Europe fell by three percent."
)


def test_ingest_then_answer_names_reznikov(services: Services) -> None:
    ingested = services.library.ingest_text(1, seed_article())
    assert ingested.article.number == 1 and not ingested.duplicate
    answer = services.library.ask(1, "Who visited Israel?")
    assert answer.sentences, "an answer was expected"
    assert any("Reznikov" in s.text for s in answer.sentences)
    best = answer.sentences[0]
    assert best.article_number == 1
    assert {best.text[a:b].lower() for a, b in best.marks} >= {"israel"}


def test_answer_to_what_moscow_blocked(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    answer = services.library.ask(1, "What did Moscow block in 2014?", top=1)
    assert "Aeronautics in 2014" in answer.sentences[0].text
    assert answer.keywords == ("Moscow", "block", "2014")


def test_nothing_found_is_honest(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    assert services.library.ask(1, "What about penguins and glaciers?").sentences == ()


def test_a_common_word_alone_from_a_long_question_is_only_a_weak_answer(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    answer = services.library.ask(1, "Which penguin colonies in Antarctica saw Israel-born biologists?")
    assert answer.sentences and all(s.weak for s in answer.sentences)


def test_question_without_library_says_so(services: Services) -> None:
    with pytest.raises(NotFound, match="empty"):
        services.library.ask(1, "Who visited Israel?")


@pytest.mark.parametrize(
    "question",
    ['"Israel"', "Israel*", "NEAR(Israel Moscow)", "Israel AND Moscow", "(Israel) -Moscow", "Israel OR", "'^Israel'"],
)
def test_fts_syntax_in_questions_is_plain_words(services: Services, question: str) -> None:
    services.library.ingest_text(1, seed_article())
    answer = services.library.ask(1, question)
    assert answer.sentences and "Israel" in answer.sentences[0].text


def test_an_overview_read_already_answers_as_the_librarys_own(services: Services) -> None:
    library = services.library
    library.ingest_text(1, seed_article())
    library.set_chat_language(1, "de")
    overview = library.overview(1)
    assert (overview.languages, overview.chat_language) == (("en",), "de")
    answer = library.ask(1, "Who visited Israel?", top=2, overview=overview)
    assert answer == library.ask(1, "Who visited Israel?", top=2)
    assert "Reznikov" in answer.sentences[0].text


def test_chats_do_not_see_each_other(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    services.library.ingest_text(2, UKRAINE)
    assert all(s.article_title == "Grain Corridor Reopens" for s in services.library.ask(2, "Israel wheat").sentences)
    assert services.library.ask(2, "Who visited Israel?").sentences == ()
    assert services.library.ask(1, "Where did ships with wheat leave from?").sentences == ()
    with pytest.raises(NotFound):
        services.library.article(3, 1)


def test_same_text_twice_is_recognised(services: Services) -> None:
    first = services.library.ingest_text(1, seed_article())
    again = services.library.ingest_text(1, "\n" + seed_article().upper() + "\n\n")
    assert again.duplicate and again.article.id == first.article.id
    assert services.library.list(1)[1] == 1


def test_the_current_article_wins_ties(services: Services) -> None:
    one = services.library.ingest_text(1, "Cats\n\nThe red fox jumps high. Nothing else here. Still nothing more.")
    two = services.library.ingest_text(1, "Dogs\n\nThe red fox jumps high! Something different. Quite different.")
    assert services.library.ask(1, "red fox", prefer_article=one.article.number).sentences[0].article_number == 1
    assert services.library.ask(1, "red fox", prefer_article=two.article.number).sentences[0].article_number == 2


def test_ask_within_one_article(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    services.library.ingest_text(1, UKRAINE)
    answer = services.library.ask(1, "Ukraine", article_number=2, top=10)
    assert {s.article_number for s in answer.sentences} == {2}
    with pytest.raises(NotFound):
        services.library.ask(1, "Ukraine", article_number=9)


def test_summaries_follow_chat_settings(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    services.library.update_settings(1, algorithm="lexrank", sentences=5)
    result = services.library.summarize(1)
    assert result.summary.algorithm == "lexrank" and len(result.summary.sentences) == 5
    services.library.update_settings(1, reset=True)
    assert services.library.summarize(1).summary.asked == "default"
    with pytest.raises(UnknownAlgorithm):
        services.library.update_settings(1, algorithm="nope")
    with pytest.raises(InputError):
        services.library.update_settings(1, sentences=500)


def test_unknown_article_number(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    with pytest.raises(NotFound, match="#7"):
        services.library.summarize(1, 7)
    with pytest.raises(NotFound):
        services.library.delete(1, 7)


def test_bad_input_leaves_nothing_behind(services: Services) -> None:
    for text in ["", "One sentence only.", "x" * 3000, "\x00\x01\x02\x03" * 100]:
        with pytest.raises((NotAnArticle, InputError)):
            services.library.ingest_text(1, text)
    assert services.library.list(1) == ((), 0)


def test_export_has_every_article(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    services.library.ingest_text(1, UKRAINE)
    markdown = services.library.export_markdown(1)
    assert "## #1 Russia Closely Monitoring" in markdown and "## #2 Grain Corridor Reopens" in markdown
    assert "Ships carrying wheat left Odesa" in markdown
    with pytest.raises(NotFound):
        services.library.export_markdown(2)


def test_forget_empties_the_library(services: Services) -> None:
    services.library.ingest_text(1, seed_article())
    assert services.library.forget(1) == 1
    with pytest.raises(NotFound):
        services.library.ask(1, "Israel")
