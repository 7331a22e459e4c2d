"""The terminal chat: the same conversation as in Telegram, typed or piped.

Grouping lines into messages: a command (`/...`) or a line ending in `?` is a
message of its own; other lines gather into one message (a pasted article keeps
its blank lines) until a command or question line, the end of input, or — when
typing — a pause in the input. A bare number presses that button of the last reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import TextIO

from bot.conversation.actions import Action, SetLanguage
from bot.conversation.replies import Reply, text_reply
from bot.i18n import Translator
from bot.services import Services, build_services
from bot.settings import Settings

logger = logging.getLogger(__name__)
PAUSE = 0.35  # seconds without input that end a typed or pasted message
_END = object()


def is_single_line_message(line: str) -> bool:
    stripped = line.strip()
    # A long line ending in "?" is prose of an article, not a question typed alone.
    return stripped.startswith("/") or (stripped.endswith("?") and len(stripped) < 200) or stripped.isdigit()


def group_lines(lines: Iterator[str]) -> Iterator[str]:
    """Messages from piped lines (no timing): see the module docstring."""
    buffer: list[str] = []
    for line in lines:
        line = line.rstrip("\n")
        if is_single_line_message(line):
            if any(part.strip() for part in buffer):
                yield "\n".join(buffer).strip()
            buffer = []
            yield line.strip()
            continue
        buffer.append(line)
    if any(part.strip() for part in buffer):
        yield "\n".join(buffer).strip()


class Renderer:
    """Plain lines when piped; colours and emphasis with rich in a terminal."""

    def __init__(self, out: TextIO, *, rich: bool) -> None:
        self._out = out
        self._console = None
        if rich:
            from rich.console import Console

            self._console = Console(file=out, highlight=False)

    def reply(self, reply: Reply) -> None:
        if self._console is not None:
            from rich.text import Text

            for block in reply.blocks:
                text = Text()
                for span in block.spans:
                    style = {"bold": "bold", "italic": "italic", "mark": "bold yellow", "code": "cyan",
                             "link": "underline blue"}.get(span.style, "")
                    text.append(span.text, style=style or ("red" if reply.error else ""))
                self._console.print(text if block.kind == "p" else Text("  ") + text)
            for index, button in enumerate(_buttons(reply), 1):
                self._console.print(f"  [dim][{index}] {button}[/dim]", end="")
            if reply.buttons:
                self._console.print()
            self._console.print()
            return
        for block in reply.blocks:
            prefix = "  " if block.kind == "quote" else ""
            text = "".join(
                f"*{span.text}*" if span.style == "mark" else
                f"{span.text} <{span.url}>" if span.style == "link" and span.url else span.text
                for span in block.spans
            )
            self._out.write(prefix + text + "\n")
        if reply.buttons:
            self._out.write("  " + "  ".join(f"[{i}] {label}" for i, label in enumerate(_buttons(reply), 1)) + "\n")
        self._out.write("\n")
        self._out.flush()


def _buttons(reply: Reply) -> list[str]:
    return [button.label for row in reply.buttons for button in row]


def terminal_language(settings: Settings, flag: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The language tag the terminal asks for: `--language`, else BRIEFBOT_UI_LANGUAGE, else LANG."""
    lang = (environ if environ is not None else os.environ).get("LANG", "")
    return flag or settings.ui_language or lang


class TerminalChat:
    """One terminal conversation; `language` (a tag) is what it speaks unless the chat chose with /language."""

    def __init__(self, services: Services, renderer: Renderer, chat_id: int, *, language: str | None = None,
                 fixed: bool = False) -> None:
        self._conversation = services.conversation
        self._renderer = renderer
        self._chat_id = chat_id
        self._language = language
        # True (--language given): that language wins over the chat's stored choice until /language is used.
        self._fixed = fixed
        self._last_actions: list[Action] = []
        self._current: int | None = None

    async def translator(self) -> Translator:
        if self._fixed:
            return self._conversation.catalogs.choose(self._language)
        return await self._conversation.translator_for(self._chat_id, self._language)

    async def handle(self, message: str) -> None:
        replies: list[Reply]
        tr = await self.translator()
        if message.isdigit() and self._last_actions:
            index = int(message) - 1
            if not 0 <= index < len(self._last_actions):
                self._renderer.reply(text_reply(tr.gettext("There is no such button."), error=True))
                return
            action = self._last_actions[index]
            if isinstance(action, SetLanguage):
                self._fixed = False  # a language button: the chat's choice is what the terminal speaks now
            result = await self._conversation.handle_action(self._chat_id, action, tr=tr)
            replies = [result.reply] if result.reply is not None else [text_reply(result.notice)]
        elif message.startswith("/"):
            command, _, args = message[1:].partition(" ")
            if command.lower() == "language" and args.strip():
                self._fixed = False  # the chat's new choice is what the terminal speaks from now on
            replies = await self._conversation.handle_command(self._chat_id, command, args,
                                                              reply_to_article=self._current, tr=tr)
        else:
            replies = await self._conversation.handle_message(self._chat_id, message,
                                                              reply_to_article=self._current, tr=tr)
        for reply in replies:
            self.show(reply)

    @property
    def chat_id(self) -> int:
        return self._chat_id

    def show(self, reply: Reply) -> None:
        """Print a reply: the answer to a message, or one Briefbot sends on its own (a feed's news, a briefing)."""
        self._renderer.reply(reply)
        if reply.article_number is not None:
            self._current = reply.article_number
        if reply.buttons:
            self._last_actions = [button.action for row in reply.buttons for button in row]
        for name, content in reply.files:
            path = Path(name)
            path.write_bytes(content)
            tr = self._conversation.catalogs.choose(self._language)
            self._renderer.reply(text_reply(tr.gettext("(written to %(path)s)", path=str(path.resolve()))))


async def _typed_messages(stream: TextIO) -> asyncio.Queue[object]:
    """Lines from an interactive terminal, read in a thread, grouped by pauses."""
    queue: asyncio.Queue[object] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def reader() -> None:
        for line in stream:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, _END)

    threading.Thread(target=reader, name="terminal-reader", daemon=True).start()
    return queue


async def _interactive(chat: TerminalChat, stream: TextIO, out: TextIO) -> None:
    out.write(greeting(await chat.translator()) + "\n\n")
    out.flush()
    lines = await _typed_messages(stream)
    while True:
        first = await lines.get()
        if first is _END:
            return
        buffer = [str(first).rstrip("\n")]
        ended = False
        while True:
            try:
                more = await asyncio.wait_for(lines.get(), PAUSE)
            except TimeoutError:
                break
            if more is _END:
                ended = True
                break
            buffer.append(str(more).rstrip("\n"))
        for message in group_lines(iter(buffer)):
            if message.strip().lower() in {"/quit", "/exit"}:
                return
            await chat.handle(message)
        if ended:
            return


async def _feed_rounds(services: Services, chat: TerminalChat) -> None:
    """While a typed chat is open: its feeds and its briefing, in rounds as the Telegram bot's job runs them."""
    every = max(services.settings.feed_check_seconds, 0.05)
    while True:
        await asyncio.sleep(every)
        try:
            # Only this chat's: other chats of the same database are the Telegram bot's to poll and send.
            done = await services.feed_round.run_once(chat_id=chat.chat_id)
        except Exception:  # the next round tries again; the chat goes on
            logger.exception("a round of feeds and briefings failed")
            continue
        for item in done.outgoing:
            chat.show(item.reply)


async def _with_feed_rounds(services: Services, chat: TerminalChat, talk: Awaitable[None]) -> None:
    rounds = asyncio.create_task(_feed_rounds(services, chat))
    try:
        await talk
    finally:
        rounds.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await rounds


async def _piped(chat: TerminalChat, stream: TextIO) -> None:
    for message in group_lines(iter(stream)):
        await chat.handle(message)


async def _session(services: Services, talk: Awaitable[None]) -> None:
    try:
        await talk
    finally:
        await services.aclose()


def greeting(tr: Translator) -> str:
    """The line an interactive terminal chat starts with."""
    return tr.gettext("Briefbot — paste an article, send a link, ask a question. /help for commands, "
                      "/quit to leave.")


def run_chat(settings: Settings, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
             language: str | None = None) -> int:
    """The terminal chat; `language` (`--language`) overrides BRIEFBOT_UI_LANGUAGE and LANG."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    services = build_services(settings)
    renderer = Renderer(stdout, rich=interactive and stdout.isatty())
    tag = terminal_language(settings, language)
    chat = TerminalChat(services, renderer, settings.chat_id, language=tag, fixed=bool(language))
    try:
        if interactive:
            services.upkeep.start()  # stored search terms of an older Briefbot: recomputed in the background
            # Typed: feeds are polled while the chat is open (piped input ends before any round is due).
            asyncio.run(_session(services, _with_feed_rounds(services, chat, _interactive(chat, stdin, stdout))))
        else:
            asyncio.run(_session(services, _piped(chat, stdin)))
    except KeyboardInterrupt:
        pass
    finally:
        services.close()
    return 0
