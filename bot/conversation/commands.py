"""The one command table: dispatch, `/help` and Telegram's command menu all read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    menu: str  # the description in Telegram's command menu
    usage: str = ""  # arguments as /help shows them
    help: str = ""  # the /help line; empty: not listed there (start, help)


COMMANDS: tuple[Command, ...] = (
    Command("start", "What I do"),
    Command("help", "What I do and the commands"),
    Command("summary", "Summary of an article: /summary [N] [sentences] [algorithm]",
            "[N] [sentences] [algorithm]", "summary of article N (default: the current one)"),
    Command("brief", "One summary across articles: /brief [7d | N | WORDS | 3 5 8] [6s]; /brief at 08:00 daily",
            "[7d | N | WORDS | 3 5 8] [6s]",
            "one cited summary across articles: new since the last briefing, of a period, the last N, "
            "those matching WORDS, or those numbers; 6s: six sentences. /brief at HH:MM sends one daily "
            "(/brief off stops it)"),
    Command("ask", "Answer a question from your library", "QUESTION", "answer from your library"),
    Command("search", "Every sentence that matches some words", "WORDS", "every sentence that matches"),
    Command("list", "Your articles", "", "your articles"),
    Command("open", "Show article N", "N", "show article N and make it the current one"),
    Command("delete", "Delete article N", "N", "delete article N"),
    Command("settings", "Summary defaults for this chat", "[algorithm NAME] [sentences N] [reset]",
            "summary defaults for this chat"),
    Command("follow", "Follow an RSS/Atom feed: /follow URL [minutes]", "URL [minutes]",
            "follow a feed (or a site that links one); new articles fill your library"),
    Command("feeds", "The feeds you follow", "", "the feeds you follow, with their last check"),
    Command("unfollow", "Stop following feed N", "N", "stop following feed N of /feeds"),
    Command("timezone", "Your time zone: /timezone Europe/Berlin", "[ZONE]",
            "the time zone of scheduled briefings"),
    Command("export", "Your library as a Markdown file", "", "your library as a Markdown file"),
    Command("forget", "Delete your whole library", "", "delete your whole library"),
)
COMMAND_NAMES: tuple[str, ...] = tuple(command.name for command in COMMANDS)

HELP_INTRO = (
    "I keep the articles you send me, summarize them and answer questions about them.",
    "• Paste an article (a few sentences or more) — I save it and send a summary.\n"
    "• Send a link or a .txt/.md/.html/.pdf file — the same.\n"
    "• Ask a question or send a few words — I find the sentences that answer it.",
)


def help_paragraphs() -> tuple[str, ...]:
    """/help: what Briefbot does, then one line per listed command."""
    lines = [
        f"/{command.name}{' ' + command.usage if command.usage else ''} — {command.help}"
        for command in COMMANDS
        if command.help
    ]
    return (*HELP_INTRO, "\n".join(lines))
