"""The one command table: dispatch, `/help` and Telegram's command menu all read it.

Descriptions are lazy texts (bot.i18n): /help and each language's command menu render them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Text, Translator, lazy


@dataclass(frozen=True)
class Command:
    name: str
    menu: Text  # the description in Telegram's command menu
    usage: Text | str = ""  # arguments as /help shows them
    help: Text | str = ""  # the /help line; empty: not listed there (start, help)


COMMANDS: tuple[Command, ...] = (
    Command("start", lazy("What I do")),
    Command("help", lazy("What I do and the commands")),
    Command("summary", lazy("Summary of an article: /summary [N] [sentences] [algorithm]"),
            lazy("[N] [sentences] [algorithm]"), lazy("summary of article N (default: the current one)")),
    Command("brief", lazy("One summary across articles: /brief [7d | N | WORDS | 3 5 8] [6s]; /brief at 08:00 daily"),
            lazy("[7d | N | WORDS | 3 5 8] [6s]"),
            lazy("one cited summary across articles: new since the last briefing, of a period, the last N, "
                 "those matching WORDS, or those numbers; 6s: six sentences. /brief at HH:MM sends one daily "
                 "(/brief off stops it)")),
    Command("ask", lazy("Answer a question from your library"), lazy("QUESTION"), lazy("answer from your library")),
    Command("search", lazy("Every sentence that matches some words"), lazy("WORDS"),
            lazy("every sentence that matches")),
    Command("list", lazy("Your articles"), "", lazy("your articles")),
    Command("open", lazy("Show article N"), "N", lazy("show article N and make it the current one")),
    Command("delete", lazy("Delete article N"), "N", lazy("delete article N")),
    Command("settings", lazy("Summary defaults for this chat"), lazy("[algorithm NAME] [sentences N] [reset]"),
            lazy("summary defaults for this chat")),
    Command("follow", lazy("Follow an RSS/Atom feed: /follow URL [minutes]"), lazy("URL [minutes]"),
            lazy("follow a feed (or a site that links one); new articles fill your library")),
    Command("feeds", lazy("The feeds you follow"), "", lazy("the feeds you follow, with their last check")),
    Command("unfollow", lazy("Stop following feed N"), "N", lazy("stop following feed N of /feeds")),
    Command("timezone", lazy("Your time zone: /timezone Europe/Berlin"), lazy("[ZONE]"),
            lazy("the time zone of scheduled briefings")),
    Command("language", lazy("The language I speak in this chat"), lazy("[CODE]"),
            lazy("the language I speak in this chat (buttons, or a code such as de)")),
    Command("export", lazy("Your library as a Markdown file"), "", lazy("your library as a Markdown file")),
    Command("forget", lazy("Delete your whole library"), "", lazy("delete your whole library")),
)
COMMAND_NAMES: tuple[str, ...] = tuple(command.name for command in COMMANDS)

HELP_INTRO = (
    lazy("I keep the articles you send me, summarize them and answer questions about them."),
    lazy("• Paste an article (a few sentences or more) — I save it and send a summary.\n"
         "• Send a link or a .txt/.md/.html/.pdf file — the same.\n"
         "• Ask a question or send a few words — I find the sentences that answer it."),
)
# The bot's profile in Telegram (setMyDescription: at most 512 characters; short: 120).
DESCRIPTION = lazy("I keep the articles you send me — pasted text, links, files — summarize them and answer "
                   "questions about them. Send me an article to start.")
SHORT_DESCRIPTION = lazy("Summaries of your articles and answers from them.")


def help_paragraphs(tr: Translator) -> tuple[str, ...]:
    """/help: what Briefbot does, then one line per listed command."""
    lines = []
    for command in COMMANDS:
        if command.help:
            usage = tr.render(command.usage)
            lines.append(f"/{command.name}{' ' + usage if usage else ''} — {tr.render(command.help)}")
    return (*(tr.render(text) for text in HELP_INTRO), "\n".join(lines))


def menu(tr: Translator) -> tuple[tuple[str, str], ...]:
    """(command, description) pairs of Telegram's command menu in one language."""
    return tuple((command.name, tr.render(command.menu)) for command in COMMANDS)
