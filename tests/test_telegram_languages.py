"""End to end over the fake Bot API: Briefbot answers in the chat's language or the user's own.

The expected texts are the issue's ("Сохранено как #1") or read from the shipped catalogs, so
they follow the translations; English stays the default.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation.commands import COMMANDS, DESCRIPTION, HELP_INTRO
from bot.conversation.messages import BRIEF_USAGE
from bot.i18n import LANGUAGES, Catalogs
from support.fakebotapi import Call, FakeBotAPI, relaxed_options, running_bot
from tests.helpers import seed_article
from tests.test_telegram_bot import buttons, press

CATALOGS = Catalogs.load()


async def say(api: FakeBotAPI, chat_id: int, text: str, contains: str) -> Call:
    mark = api.mark()
    api.send_text(chat_id, text)
    return await api.wait_for_text(chat_id, contains, since=mark, timeout=20)


async def test_russian_user_gets_russian_then_the_chat_switches_to_german(tmp_path: Path) -> None:
    ru, de, pl = CATALOGS.get("ru"), CATALOGS.get("de"), CATALOGS.get("pl")
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.set_language(501, "ru")
        summary = await say(api, 501, seed_article(), "Сохранено как #1")
        assert "Английский · 23 предложения" in summary.text  # the article's language, named in Russian
        assert {"➕ Длиннее", "Алгоритм…", "🗑 Удалить"} <= set(buttons(summary))
        # The summary itself is the article's own English, never translated.
        assert "Reznikov" in summary.text

        shorter = await press(api, 501, int(summary.result["message_id"]), buttons(summary)["➖ Короче"])
        assert shorter.ok
        assert "2 предложения" in api.message(501, int(summary.result["message_id"])).text

        help_call = await say(api, 501, "/help", "/summary")
        assert ru.render(HELP_INTRO[0]) in help_call.text
        assert "/list — " + ru.render(next(c.help for c in COMMANDS if c.name == "list")) in help_call.text

        switched = await say(api, 501, "/language de", "Deutsch")
        assert switched.text == de.gettext("From now on I speak %(language)s in this chat.", language="Deutsch")
        answer = await say(api, 501, "/list", "Deine Artikel (1)")
        assert "Russia Closely Monitoring" in answer.text

        # The menu of buttons: pressing one switches the chat again, confirmed in the new language.
        menu = await say(api, 501, "/language", de.gettext("Which language shall I speak in this chat?"))
        labels = buttons(menu)
        assert {"English", "Русский", "Українська", "Deutsch", "Polski", "Português"} <= set(labels)
        await press(api, 501, int(menu.result["message_id"]), labels["Polski"])
        assert "polski" in api.message(501, int(menu.result["message_id"])).text
        await say(api, 501, "/list", pl.ngettext("Your articles (%(total)s), page %(page)s of %(pages)s:",
                                                 "Your articles (%(total)s), page %(page)s of %(pages)s:", 1,
                                                 total=1, page=1, pages=1))
        assert api.violations == []


@pytest.mark.parametrize(("language_code", "expected"), [
    ("uk", "uk"), ("pt-BR", "pt"), ("zz", "en"), (None, "en"), ("en-GB", "en"),
])
def test_language_codes_map_to_shipped_languages(language_code: str | None, expected: str) -> None:
    assert CATALOGS.choose(None, language_code).code == expected


async def test_each_user_gets_their_own_language_and_menus_are_registered(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        for chat_id, (code, language) in enumerate([("uk", "uk"), ("pt-BR", "pt"), ("zz", "en"), (None, "en")],
                                                   start=601):
            api.set_language(chat_id, code)
            expected = CATALOGS.get(language).gettext("Your library is empty. Send me an article, a link or a file.")
            reply = await say(api, chat_id, "/list", expected)
            assert reply.text == expected
        # Ukrainian, not Russian, for uk; an error is in the user's language too.
        error = await say(api, 601, "/open 7", "7")
        assert error.text == CATALOGS.get("uk").gettext(
            "There is no article #%(number)s in this chat. /list shows what there is.", number=7)

        # One command menu, description and short description per shipped language ("" is English, the default).
        assert set(api.menus) == {"", *(code for code in LANGUAGES if code != "en")}
        for code in LANGUAGES:
            key = "" if code == "en" else code
            tr = CATALOGS.get(code)
            assert [c["command"] for c in api.menus[key]] == [c.name for c in COMMANDS]
            assert {c["description"] for c in api.menus[key]} == {tr.render(c.menu) for c in COMMANDS}
            assert api.descriptions[key] == tr.render(DESCRIPTION)
            assert api.short_descriptions[key]
        assert api.menus["ru"][0]["description"] != api.menus[""][0]["description"]
        assert api.violations == []


async def test_brief_speaks_the_users_language(tmp_path: Path) -> None:
    """/brief's heading, plural forms and errors follow the user; the cited sentences stay the articles' own."""
    ru, uk = CATALOGS.get("ru"), CATALOGS.get("uk")
    async with running_bot(tmp_path) as bot:
        api, library = bot.api, bot.services.library
        for chat_id, code in ((701, "ru"), (702, "uk")):
            api.set_language(chat_id, code)
            library.ingest_text(chat_id, seed_article())
        briefing = await say(api, 701, "/brief 7d", "Сводка: ")
        # One article, a period of seven days: Russian singular "статья", genitive plural "дней".
        assert briefing.text.startswith("Сводка: 1 статья за последние 7 дней")
        assert "Reznikov" in briefing.text and "#1" in briefing.text
        empty = await say(api, 701, "/brief 12h 3 x", "/brief")
        assert empty.text == ru.render(BRIEF_USAGE)
        nothing = await say(api, 701, "/brief", "UTC")  # /brief 7d counted as the last briefing
        assert nothing.text.startswith("Ничего нового с прошлой сводки (")

        in_ukrainian = await say(api, 702, "/brief 3d", "Зведення: ")
        assert in_ukrainian.text.startswith("Зведення: 1 стаття за останні 3 дні")
        error = await say(api, 702, "/brief zeppelin", "zeppelin")
        assert error.text == uk.gettext("No article matches '%(words)s'. /list shows what there is.", words="zeppelin")
        assert api.violations == []


async def test_a_question_is_answered_in_the_chats_language_status_message_and_errors_too(tmp_path: Path) -> None:
    # The chat's language is read with the answer (one call to a worker thread): every path of a
    # question must still speak it, and the user's own language until the chat chooses one.
    ru, de = CATALOGS.get("ru"), CATALOGS.get("de")
    async with running_bot(tmp_path, options=relaxed_options(progress_delay=0.0)) as bot:
        api = bot.api
        api.set_language(701, "ru")
        empty = "Your library is empty, so I cannot answer yet. Send me an article first."
        error = await say(api, 701, "Who visited Israel?", ru.gettext(empty))
        assert error.method == "editMessageText"  # into the status message, which was Russian too
        assert api.calls_of("sendMessage", 701)[-1].text == ru.gettext("Looking…")

        await say(api, 701, "/language de", "Deutsch")
        await say(api, 701, "Who visited Israel?", de.gettext(empty))
        await say(api, 701, seed_article(), de.gettext("Saved as #%(number)s", number=1))
        mark = api.mark()
        answer = await say(api, 701, "Who visited Israel?", "Reznikov")
        assert [c.text for c in api.calls_of("sendMessage", 701, since=mark)] == [de.gettext("Looking…")]
        assert answer.method == "editMessageText"
        nothing = await say(api, 701, "penguins?", "penguins")
        assert nothing.text == de.gettext("I found nothing about <b>%(words)s</b> in your library.",
                                          words="penguins").replace("<b>", "").replace("</b>", "")
        assert api.violations == []
