from __future__ import annotations

import pytest

from bot.conversation.actions import DeleteArticle, encode_action
from bot.conversation.messages import find_urls, looks_like_question, parse_summary_args
from bot.errors import InputError
from bot.services import Services
from tests.helpers import seed_article


async def test_article_then_summary_with_buttons(services: Services) -> None:
    [reply] = await services.conversation.handle_message(1, seed_article())
    assert not reply.error
    assert reply.plain.startswith("Saved as #1 Russia Closely Monitoring")
    assert "English · 23 sentences" in reply.plain
    actions = [button.action for row in reply.buttons for button in row]
    assert all(len(encode_action(action).encode()) <= 64 for action in actions)
    assert any(isinstance(action, DeleteArticle) for action in actions)
    assert reply.article_number == 1


async def test_question_is_answered_with_marks_and_source(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_message(1, "Who visited Israel?")
    assert "Reznikov" in reply.plain
    assert "— #1 Russia Closely Monitoring" in reply.plain
    marked = {span.text for block in reply.blocks for span in block.spans if span.style == "mark"}
    assert "Israel" in marked


async def test_short_phrase_is_a_question(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_message(1, "drone manufacturer")
    assert "Aeronautics" in reply.plain


async def test_nothing_found_reply(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_message(1, "penguins?")
    assert reply.plain == "I found nothing about penguins in your library."


async def test_question_before_any_article(services: Services) -> None:
    [reply] = await services.conversation.handle_message(1, "Who visited Israel?")
    assert reply.error and "empty" in reply.plain


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("help", "", "/summary"),
        ("start", "", "I keep the articles"),
        ("list", "", "Your articles (1)"),
        ("summary", "", "#1 Russia"),
        ("summary", "1 5 lexrank", "lexrank, 5 sentences"),
        ("summary", "9", "There is no article #9"),
        ("summary", "1 2 bogus", "I don't understand 'bogus'"),
        ("ask", "Who visited Israel?", "Reznikov"),
        ("ask", "", "Ask like this"),
        ("search", "Moscow", "Search: Moscow"),
        ("open", "1", "Kremlin keeps a tab"),
        ("open", "x", "not an article number"),
        ("delete", "5", "There is no article #5"),
        ("settings", "algorithm lsa", "algorithm: lsa"),
        ("settings", "sentences 4", "sentences: 4"),
        ("settings", "colour red", "Use /settings"),
        ("forget", "", "Delete your whole library?"),
        ("nonsense", "", "I don't know /nonsense"),
    ],
)
async def test_commands(services: Services, command: str, args: str, expected: str) -> None:
    await services.conversation.handle_message(1, seed_article())
    replies = await services.conversation.handle_command(1, command, args)
    assert expected in replies[0].plain


async def test_export_sends_a_markdown_file(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_command(1, "export")
    [(name, content)] = reply.files
    assert name.endswith(".md") and b"Reznikov" in content


async def test_buttons_change_the_summary_and_delete(services: Services) -> None:
    [reply] = await services.conversation.handle_message(1, seed_article())
    actions = {button.label: button.action for row in reply.buttons for button in row}
    longer = await services.conversation.handle_action(1, actions["➕ Longer"])
    assert longer.reply is not None and "4 sentences" in longer.reply.plain
    menu = await services.conversation.handle_action(1, actions["Algorithm…"])
    assert menu.reply is not None
    lexrank = next(b.action for row in menu.reply.buttons for b in row if b.label == "lexrank")
    switched = await services.conversation.handle_action(1, lexrank)
    assert switched.reply is not None and "lexrank" in switched.reply.plain
    # Another chat pressing this chat's button gets nothing.
    foreign = await services.conversation.handle_action(2, actions["🗑 Delete"])
    assert foreign.notice == "That article is no longer available." and foreign.reply is None
    deleted = await services.conversation.handle_action(1, actions["🗑 Delete"])
    assert deleted.reply is not None and "Deleted #1" in deleted.reply.plain
    again = await services.conversation.handle_action(1, actions["➕ Longer"])
    assert again.notice == "That article is no longer available."
    garbage = await services.conversation.handle_action(1, "zz:1:2")
    assert garbage.notice


async def test_forget_needs_confirmation(services: Services) -> None:
    await services.conversation.handle_message(1, seed_article())
    [reply] = await services.conversation.handle_command(1, "forget")
    confirm = reply.buttons[0][0].action
    result = await services.conversation.handle_action(1, confirm)
    assert result.reply is not None and "1 articles deleted" in result.reply.plain
    [listing] = await services.conversation.handle_command(1, "list")
    assert "empty" in listing.plain


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "Send me"), ("\x00\x01\x02\x03" * 300, "binary"), ("word " * 600, "sentence punctuation")],
)
async def test_bad_messages_get_a_short_reason(services: Services, text: str, error: str) -> None:
    [reply] = await services.conversation.handle_message(1, text)
    assert reply.error and error in reply.plain and len(reply.plain) < 200


async def test_links_are_recognised_without_a_fetcher(services: Services) -> None:
    [reply] = await services.conversation.handle_message(1, "look https://example.com/news?id=1.")
    assert "https://example.com/news?id=1" in reply.plain


def test_find_urls() -> None:
    assert find_urls("see https://a.example/x, and www.b.example/y.") == ["https://a.example/x", "https://www.b.example/y"]


@pytest.mark.parametrize(
    ("text", "question"), [("Who visited Israel", True), ("drone deal?", True), ("drone deal", False)]
)
def test_looks_like_question(text: str, question: bool) -> None:
    assert looks_like_question(text) is question


def test_parse_summary_args() -> None:
    assert parse_summary_args("") == (None, None, None)
    assert parse_summary_args("#2 5 LSA") == (2, 5, "lsa")
    with pytest.raises(InputError):
        parse_summary_args("two")
