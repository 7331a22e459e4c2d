"""A fake Telegram Bot API server on 127.0.0.1 that the real Application talks to.

The bot is pointed at it with `base_url=f"{server.url}/bot"` and
`base_file_url=f"{server.url}/file/bot"`; nothing of the Bot class is mocked. Tests push
updates (`send_text`, `send_document`, `press`, `inline_query`) and wait for what the bot
did (`wait_for_text`, `wait_for_call`). Every call is recorded and validated the way
Telegram validates it: text length after entity parsing (UTF-16 units), HTML with only
Telegram's tags, callback data of at most 64 bytes, "message is not modified" when an
edit changes nothing. `fail(method, ...)` makes a method fail (500, 502, 503, 429 with
retry_after, or status 0: the connection is closed without an answer, a network error).

Run alone to talk to a bot by hand:

    python -m support.fakebotapi --port 8081
    BRIEFBOT_TOKEN=123:TEST BRIEFBOT_BASE_URL=http://127.0.0.1:8081/bot \
        BRIEFBOT_BASE_FILE_URL=http://127.0.0.1:8081/file/bot briefbot run

then type `say 1 Who visited Israel?`, `doc 1 article.txt`, `press 1 MESSAGE_ID DATA`,
`inline 1 drones`, `group -100 1 @briefbot_test_bot hello`, `wait 2`, `quit` (or pipe them in).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import re
import sys
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.managers import BaseManager
from pathlib import Path
from typing import Any

DEFAULT_TOKEN = "123:TEST"
BOT_USERNAME = "briefbot_test_bot"
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the cloud Bot API serves files up to 20 MB

# Tag -> entity type (https://core.telegram.org/bots/api#html-style).
HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "span": "spoiler", "a": "text_link", "tg-emoji": "custom_emoji", "code": "code", "pre": "pre",
    "blockquote": "blockquote",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}
# Parameters PTB sends as plain strings; everything else is JSON-encoded.
_RAW_PARAMETERS = {
    "text", "caption", "parse_mode", "callback_query_id", "inline_query_id", "file_id", "action", "url",
    "secret_token", "language_code", "next_offset", "inline_message_id", "message_thread_id",
    "business_connection_id", "cache_time",
}
_TOKEN_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
    r"|&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);"
    r"|([<>&])"
)
_ATTR_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_URL_RE = re.compile(r"https?://[^\s<>\"']+")


class APIError(Exception):
    """A Bot API error response: HTTP status, description, optional retry_after."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def bad_request(description: str) -> APIError:
    return APIError(400, f"Bad Request: {description}")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: (text, entities) or a 400 'can't parse entities'."""
    out: list[str] = []
    units = 0
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int, dict[str, Any]]] = []
    position = 0

    def fail(reason: str, at: int) -> APIError:
        offset = len(source[:at].encode("utf-8"))
        return bad_request(f"can't parse entities: {reason} at byte offset {offset}")

    def add_text(text: str) -> None:
        nonlocal units
        out.append(text)
        units += utf16_len(text)

    for match in _TOKEN_RE.finditer(source):
        if match.start() > position:
            add_text(source[position : match.start()])
        position = match.end()
        closing, tag, attributes, entity, stray = match.groups()
        if stray is not None:
            raise fail(f"unescaped {stray!r} (use &lt; &gt; &amp;)", match.start())
        if entity is not None:
            if entity.startswith("#"):
                number = int(entity[2:], 16) if entity[1:2] in "xX" and len(entity) > 1 else int(entity[1:])
                try:
                    add_text(chr(number))
                except (ValueError, OverflowError):
                    raise fail(f"invalid character reference &{entity};", match.start()) from None
            elif entity in NAMED_ENTITIES:
                add_text(NAMED_ENTITIES[entity])
            else:
                raise fail(f"unsupported HTML entity &{entity};", match.start())
            continue
        tag = tag.lower()
        if tag not in HTML_TAGS:
            raise fail(f'unsupported {"end" if closing else "start"} tag "{tag}"', match.start())
        if closing:
            if attributes.strip():
                raise fail(f'end tag "{tag}" with attributes', match.start())
            if not stack or stack[-1][0] != tag:
                expected = stack[-1][0] if stack else "nothing"
                raise fail(f'unmatched end tag "{tag}", expected "{expected}"', match.start())
            _tag, start_units, entity_info = stack.pop()
            if units > start_units:
                entities.append({**entity_info, "offset": start_units, "length": units - start_units})
            continue
        attrs = {name.lower(): next((v for v in values if v is not None), "") for name, *values in
                 _ATTR_RE.findall(attributes)}
        info: dict[str, Any] = {"type": HTML_TAGS[tag]}
        if tag == "a":
            href = html.unescape(attrs.get("href", ""))
            if not href:
                raise fail('tag "a" must have a non-empty href', match.start())
            info["url"] = href
        elif tag == "span" and attrs.get("class") != "tg-spoiler":
            raise fail('tag "span" must have class "tg-spoiler"', match.start())
        elif tag == "blockquote" and any(open_tag == "blockquote" for open_tag, _u, _i in stack):
            raise fail("blockquote can't be nested", match.start())
        elif tag in ("code", "pre") and any(open_tag in ("code", "pre") for open_tag, _u, _i in stack) and not (
            tag == "code" and stack[-1][0] == "pre"
        ):
            raise fail(f'tag "{tag}" can\'t be inside code', match.start())
        stack.append((tag, units, info))
    if position < len(source):
        add_text(source[position:])
    if stack:
        raise fail(f'can\'t find end tag corresponding to start tag "{stack[-1][0]}"', len(source))
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(out), entities


@dataclass
class Call:
    """One Bot API request the bot made, and how the fake answered it."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True
    error: str = ""
    result: Any = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        chat_id = self.params.get("chat_id")
        return int(chat_id) if chat_id is not None else None

    @property
    def text(self) -> str:
        """The text the user sees: the message (or caption) after parsing, or the notice shown."""
        if isinstance(self.result, dict) and ("text" in self.result or "caption" in self.result):
            return str(self.result.get("text", self.result.get("caption", "")))
        return str(self.params.get("text", ""))


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    text: str
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    from_bot: bool


def _shows_text(call: Call, chat_id: int, contains: str) -> bool:
    return (call.ok and call.method in ("sendMessage", "editMessageText", "sendDocument")
            and call.chat_id == chat_id and contains in call.text)


class FakeBotAPI:
    """The server and its state; thread-safe, usable from async tests and from a terminal."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, host: str = "127.0.0.1", port: int = 0,
                 username: str = BOT_USERNAME) -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self._lock = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._pushed: dict[int, dict[str, Any]] = {}
        self._redelivered: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._confirmed = 0
        self._chats: dict[int, dict[str, Any]] = {}
        self._message_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], StoredMessage] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._callback_queries: dict[str, bool] = {}
        self._inline_queries: dict[str, bool] = {}
        # Each user's Telegram language (IETF tag; None: the update carries none). Default "en".
        self._languages: dict[int, str | None] = {}
        # What the bot registered per language_code ("" is the default): commands, descriptions.
        self.menus: dict[str, list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self._failures: dict[str, list[APIError]] = {}
        self._always_fail: dict[str, APIError] = {}
        self._closed = False
        self.calls: list[Call] = []
        # Requests Telegram would refuse (the bot's fault); "message is not modified" is counted apart.
        self.violations: list[Call] = []
        self.not_modified: list[Call] = []
        self._server = _QuietServer((host, port), _make_handler(self))
        self._thread: threading.Thread | None = None

    # -- life --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def start(self) -> FakeBotAPI:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-bot-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests push ---------------------------------------------------------------

    def fail(self, method: str, *, status: int = 500, description: str = "Internal Server Error",
             retry_after: int | None = None, times: int | None = 1) -> None:
        """Make `method` fail `times` times (None: until `heal`); status 0 hangs up without answering."""
        if retry_after is not None:
            status, description = 429, f"Too Many Requests: retry after {retry_after}"
        error = APIError(status, description, retry_after=retry_after)
        with self._lock:
            if times is None:
                self._always_fail[method] = error
            else:
                self._failures.setdefault(method, []).extend([error] * times)

    def heal(self, method: str) -> None:
        with self._lock:
            self._always_fail.pop(method, None)
            self._failures.pop(method, None)

    def push(self, update: dict[str, Any]) -> int:
        """Queue a raw update (its update_id is assigned here)."""
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            self._updates.append({"update_id": update_id, **update})
            self._pushed[update_id] = self._updates[-1]
            self._lock.notify_all()
            return update_id

    def redeliver(self, update_id: int | None = None) -> int:
        """Deliver an update again (default: the last pushed), as Telegram does when it missed the confirmation."""
        with self._lock:
            update_id = update_id if update_id is not None else max(self._pushed)
            self._redelivered.append(dict(self._pushed[update_id]))
            self._lock.notify_all()
            return update_id

    def _new_message(self, chat: dict[str, Any], sender: dict[str, Any] | None, **content: Any) -> dict[str, Any]:
        with self._lock:
            self._chats[chat["id"]] = chat
            message_id = self._message_ids.get(chat["id"], 0) + 1
            self._message_ids[chat["id"]] = message_id
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, **content}
        if sender is not None:
            message["from"] = sender
        return message

    def set_language(self, user_id: int, language_code: str | None) -> None:
        """The language Telegram reports for this user from now on (None: no language_code at all)."""
        with self._lock:
            self._languages[user_id] = language_code

    def user(self, user_id: int) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        language = self._languages.get(user_id, "en")
        if language is not None:
            user["language_code"] = language
        return user

    def chat(self, chat_id: int, user_id: int | None = None) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User {user_id or chat_id}"}
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}

    def text_message(self, chat_id: int, text: str, *, user_id: int | None = None,
                     entities: Iterable[dict[str, Any]] = (), reply_to: int | None = None,
                     forward_from_channel: str | None = None, caption: bool = False) -> dict[str, Any]:
        """A message as Telegram would deliver it, with the entities its server detects."""
        user_id = user_id if user_id is not None else abs(chat_id)
        found = list(entities) + detect_entities(text)
        key, entities_key = ("caption", "caption_entities") if caption else ("text", "entities")
        content: dict[str, Any] = {key: text}
        if found:
            content[entities_key] = sorted(found, key=lambda entity: entity["offset"])
        if caption:
            content["photo"] = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        if reply_to is not None:
            replied = self._messages.get((chat_id, reply_to))
            if replied is not None:
                content["reply_to_message"] = self._message_json(replied)
        if forward_from_channel is not None:
            content["forward_origin"] = {
                "type": "channel", "date": int(time.time()) - 60, "message_id": 77,
                "chat": {"id": -1001234, "type": "channel", "title": forward_from_channel},
            }
        return self._new_message(self.chat(chat_id, user_id), self.user(user_id), **content)

    def send_text(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """A user sends `text` in `chat_id` (negative: a group); returns the message."""
        message = self.text_message(chat_id, text, **kwargs)
        self.push({"message": message})
        return message

    def send_document(self, chat_id: int, data: bytes, filename: str, **kwargs: Any) -> dict[str, Any]:
        """A user sends a file in `chat_id`; returns the message."""
        message = self.document_message(chat_id, data, filename, **kwargs)
        self.push({"message": message})
        return message

    def document_message(self, chat_id: int, data: bytes, filename: str, *, mime_type: str = "text/plain",
                         user_id: int | None = None, file_size: int | None = None,
                         caption: str | None = None) -> dict[str, Any]:
        """A message with a file, whose bytes getFile and the file server then serve (not pushed)."""
        user_id = user_id if user_id is not None else abs(chat_id)
        file_id = f"doc-{len(self._files) + 1}-{filename}"
        with self._lock:
            self._files[file_id] = (f"documents/{file_id}", data)
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": filename, "mime_type": mime_type,
                    "file_size": len(data) if file_size is None else file_size}
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return self._new_message(self.chat(chat_id, user_id), self.user(user_id), **content)

    def press(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None,
              message_chat_id: int | None = None) -> str:
        """A user presses a button with `data` under message `message_id` (of `message_chat_id`)."""
        user_id = user_id if user_id is not None else abs(chat_id)
        source_chat = message_chat_id if message_chat_id is not None else chat_id
        with self._lock:
            query_id = f"cb{self._next_update_id}"
            self._callback_queries[query_id] = False
            stored = self._messages.get((source_chat, message_id))
        message = (self._message_json(stored) if stored is not None else
                   {"message_id": message_id, "date": int(time.time()), "chat": self.chat(chat_id, user_id),
                    "text": "(an old message)"})
        if message_chat_id is None:
            message["chat"] = self._chats.get(chat_id, self.chat(chat_id, user_id))
        self.push({"callback_query": {"id": query_id, "from": self.user(user_id), "chat_instance": str(chat_id),
                                      "message": message, "data": data}})
        return query_id

    def inline_query(self, user_id: int, query: str) -> str:
        with self._lock:
            query_id = f"iq{self._next_update_id}"
            self._inline_queries[query_id] = False
        self.push({"inline_query": {"id": query_id, "from": self.user(user_id), "query": query, "offset": "",
                                    "chat_type": "sender"}})
        return query_id

    # -- what tests read ---------------------------------------------------------------

    def endpoints(self) -> tuple[str, str, str]:
        """(token, base_url, base_file_url): a method, so that a proxy of the fake in another process has it."""
        return self.token, self.base_url, self.base_file_url

    @property
    def last_update_id(self) -> int:
        """The id of the update pushed last (0: none yet)."""
        with self._lock:
            return self._next_update_id - 1

    @property
    def confirmed(self) -> int:
        """The highest update id the bot has confirmed (by asking getUpdates for a later offset)."""
        with self._lock:
            return self._confirmed

    def mark(self) -> int:
        """A cursor: calls after it are the ones made from now on."""
        with self._lock:
            return len(self.calls)

    def calls_of(self, method: str | None = None, chat_id: int | None = None, *, since: int = 0) -> list[Call]:
        with self._lock:
            calls = self.calls[since:]
        return [call for call in calls if (method is None or call.method == method)
                and (chat_id is None or call.chat_id == chat_id)]

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        with self._lock:
            return self._messages.get((chat_id, message_id))

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        with self._lock:
            return [m for (chat, _id), m in sorted(self._messages.items()) if chat == chat_id and m.from_bot]

    async def wait_for_call(self, predicate: Callable[[Call], bool], *, since: int = 0,
                            timeout: float = 10.0) -> Call:
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                calls = self.calls[since:]
            for call in calls:
                if predicate(call):
                    return call
            if time.monotonic() > deadline:
                seen = "\n".join(f"  {c.method} {c.chat_id} ok={c.ok} {c.text[:100]!r}" for c in calls[-15:])
                raise TimeoutError(f"no matching Bot API call within {timeout} s; last calls:\n{seen}")
            await asyncio.sleep(0.01)

    def texts(self, chat_id: int, contains: str = "", *, since: int = 0, until: int | None = None) -> list[Call]:
        """Messages sent, edited (a status message turned into the reply) or captioned in `chat_id`."""
        with self._lock:
            calls = self.calls[since:until]
        return [call for call in calls if _shows_text(call, chat_id, contains)]

    async def wait_for_text(self, chat_id: int, contains: str = "", *, since: int = 0,
                            timeout: float = 10.0) -> Call:
        """The first message sent, edited or captioned in `chat_id` whose text contains `contains`."""
        def matches(call: Call) -> bool:
            return _shows_text(call, chat_id, contains)

        return await self.wait_for_call(matches, since=since, timeout=timeout)

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Until the bot has made no call (other than long polling) for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                last = max((c.at for c in self.calls if c.method != "getUpdates"), default=0.0)
            if time.monotonic() - last >= quiet:
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("the bot kept calling the Bot API")

    # -- the API -----------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        """Answer one Bot API call (raises APIError like Telegram would)."""
        call = Call(method, params, time.monotonic(), files=files)
        if method != "getUpdates":
            with self._lock:
                self.calls.append(call)
        injected: APIError | None = None
        try:
            with self._lock:
                queued = self._failures.get(method)
                injected = queued.pop(0) if queued else self._always_fail.get(method)
            if injected is not None:
                raise injected
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise APIError(404, "Not Found")
            call.result = handler(params, files)
            return call.result
        except APIError as error:
            call.ok, call.error = False, error.description
            if "message is not modified" in error.description:
                self.not_modified.append(call)
            elif error.status == 400 and error is not injected:
                self.violations.append(call)
            raise
        finally:
            with self._lock:
                call.at = time.monotonic()
                self._lock.notify_all()

    def _api_getMe(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Briefbot", "username": self.username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}

    def _api_getUpdates(self, params: dict[str, Any], files: Any) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._lock:
            if offset:
                # Telegram forgets every update below the offset: they are confirmed.
                self._confirmed = max(self._confirmed, offset - 1)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._redelivered and not self._closed and time.monotonic() < deadline:
                self._lock.wait(min(0.5, max(deadline - time.monotonic(), 0.001)))
            if self._redelivered:  # copies go out once, whatever the offset
                again, self._redelivered = self._redelivered, []
                return again
            return [dict(u) for u in self._updates[:limit]]

    def _api_deleteWebhook(self, params: dict[str, Any], files: Any) -> bool:
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    def _api_setWebhook(self, params: dict[str, Any], files: Any) -> bool:
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _api_close(self, params: dict[str, Any], files: Any) -> bool:
        return True

    def _api_logOut(self, params: dict[str, Any], files: Any) -> bool:
        return True

    def _chat_for(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise bad_request("chat_id is empty") from None
        with self._lock:
            chat = self._chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _parse_text(self, params: dict[str, Any], key: str, limit: int) -> tuple[str, list[dict[str, Any]]]:
        source = params.get(key)
        if source is None or source == "":
            if key == "caption":
                return "", []
            raise bad_request("message text is empty")
        source = str(source)
        parse_mode = params.get("parse_mode")
        if parse_mode in (None, ""):
            text, entities = source, list(params.get(f"{'caption_' if key == 'caption' else ''}entities") or [])
        elif str(parse_mode).upper() == "HTML":
            text, entities = parse_html(source)
        else:
            raise bad_request(f"this fake only speaks parse_mode HTML, not {parse_mode}")
        text = text.strip()
        if not text and key == "text":
            raise bad_request("message text is empty")
        if utf16_len(text) > limit:
            raise bad_request("message is too long" if key == "text" else "message caption is too long")
        return text, entities

    def _check_markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return markup if isinstance(markup, dict) else None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or len(rows) > 100:
            raise bad_request("REPLY_MARKUP_INVALID")
        for row in rows:
            if not isinstance(row, list) or not row or len(row) > 8:
                raise bad_request("BUTTONS_TOO_MUCH" if isinstance(row, list) and row else "REPLY_MARKUP_INVALID")
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise bad_request("BUTTON_TEXT_INVALID")
                data = button.get("callback_data")
                kinds = [k for k in ("callback_data", "url", "switch_inline_query",
                                     "switch_inline_query_current_chat", "copy_text", "web_app") if k in button]
                if len(kinds) != 1:
                    raise bad_request("BUTTON_TYPE_INVALID")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                    raise bad_request("BUTTON_DATA_INVALID")
        return markup

    def _store(self, chat: dict[str, Any], text: str, entities: list[dict[str, Any]],
               markup: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
        with self._lock:
            message_id = self._message_ids.get(chat["id"], 0) + 1
            self._message_ids[chat["id"]] = message_id
            stored = StoredMessage(chat["id"], message_id, text, entities, markup, from_bot=True)
            self._messages[(chat["id"], message_id)] = stored
        return {**self._message_json(stored), **extra}

    def _message_json(self, stored: StoredMessage) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": stored.message_id, "date": int(time.time()),
            "chat": self._chats.get(stored.chat_id, self.chat(stored.chat_id)),
            "from": self._api_getMe({}, None) if stored.from_bot else self.user(abs(stored.chat_id)),
            "text": stored.text,
        }
        if stored.entities:
            message["entities"] = stored.entities
        if stored.reply_markup:
            message["reply_markup"] = stored.reply_markup
        return message

    def _api_sendMessage(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat = self._chat_for(params)
        text, entities = self._parse_text(params, "text", MESSAGE_LIMIT)
        return self._store(chat, text, entities, self._check_markup(params))

    def _api_editMessageText(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat = self._chat_for(params)
        stored = self._messages.get((chat["id"], int(params.get("message_id") or 0)))
        if stored is None or not stored.from_bot:
            raise bad_request("message to edit not found" if stored is None else "message can't be edited")
        text, entities = self._parse_text(params, "text", MESSAGE_LIMIT)
        markup = self._check_markup(params)
        with self._lock:
            if (stored.text, stored.entities, stored.reply_markup) == (text, entities, markup):
                raise bad_request("message is not modified: specified new message content and reply markup are "
                                  "exactly the same as a current content and reply markup of the message")
            stored.text, stored.entities, stored.reply_markup = text, entities, markup
        return self._message_json(stored)

    def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat = self._chat_for(params)
        stored = self._messages.get((chat["id"], int(params.get("message_id") or 0)))
        if stored is None:
            raise bad_request("message to edit not found")
        markup = self._check_markup(params)
        with self._lock:
            if stored.reply_markup == markup:
                raise bad_request("message is not modified: specified new message content and reply markup are "
                                  "exactly the same as a current content and reply markup of the message")
            stored.reply_markup = markup
        return self._message_json(stored)

    def _api_deleteMessage(self, params: dict[str, Any], files: Any) -> bool:
        chat = self._chat_for(params)
        with self._lock:
            if self._messages.pop((chat["id"], int(params.get("message_id") or 0)), None) is None:
                raise bad_request("message to delete not found")
        return True

    def _api_sendChatAction(self, params: dict[str, Any], files: Any) -> bool:
        self._chat_for(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any], files: Any) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        with self._lock:
            answered = self._callback_queries.get(query_id)
            if answered is None or answered:
                raise bad_request("query is too old and response timeout expired or query ID is invalid")
            self._callback_queries[query_id] = True
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        return True

    def _api_answerInlineQuery(self, params: dict[str, Any], files: Any) -> bool:
        query_id = str(params.get("inline_query_id", ""))
        with self._lock:
            answered = self._inline_queries.get(query_id)
            if answered is None or answered:
                raise bad_request("query is too old and response timeout expired or query ID is invalid")
            self._inline_queries[query_id] = True
        results = params.get("results") or []
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise bad_request("RESULT_ID_DUPLICATE" if len(set(ids)) != len(ids) else "RESULT_ID_INVALID")
        for result in results:
            if result.get("type") == "article" and not str(result.get("title", "")).strip():
                raise bad_request("RESULT_TITLE_EMPTY")
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                self._parse_text({"text": content["message_text"], "parse_mode": content.get("parse_mode")},
                                 "text", MESSAGE_LIMIT)
            self._check_markup(result)
        return True

    def _api_setMyCommands(self, params: dict[str, Any], files: Any) -> bool:
        commands = params.get("commands") or []
        if not 1 <= len(commands) <= 100:
            raise bad_request("commands must be a non-empty list of at most 100 commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        with self._lock:
            self.menus[str(params.get("language_code") or "")] = list(commands)
        return True

    def _api_setMyDescription(self, params: dict[str, Any], files: Any) -> bool:
        return self._set_profile_text(params, "description", 512, self.descriptions)

    def _api_setMyShortDescription(self, params: dict[str, Any], files: Any) -> bool:
        return self._set_profile_text(params, "short_description", 120, self.short_descriptions)

    def _set_profile_text(self, params: dict[str, Any], key: str, limit: int, into: dict[str, str]) -> bool:
        """setMyDescription / setMyShortDescription: at most `limit` characters, per language_code."""
        text = str(params.get(key) or "")
        if len(text) > limit:
            raise bad_request(f"{key} is too long")
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("language_code must be a two-letter ISO 639-1 code")
        with self._lock:
            into[language] = text
        return True

    def _api_deleteMyCommands(self, params: dict[str, Any], files: Any) -> bool:
        return True

    def _api_getFile(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        with self._lock:
            found = self._files.get(file_id)
        if found is None:
            raise bad_request("invalid file_id")
        path, data = found
        if len(data) > DOWNLOAD_LIMIT:
            raise bad_request("file is too big")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(data), "file_path": path}

    def download(self, path: str) -> bytes | None:
        with self._lock:
            for file_path, data in self._files.values():
                if file_path == path:
                    return data
        return None

    def _api_sendDocument(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
        chat = self._chat_for(params)
        document = files.get("document")
        if document is None:
            raise bad_request("there is no document in the request")
        filename, data = document
        if not data:
            raise bad_request("file must be non-empty")
        caption, entities = self._parse_text(params, "caption", CAPTION_LIMIT)
        markup = self._check_markup(params)
        message = self._store(chat, caption, entities, markup)
        message.pop("text", None)
        message["caption"] = caption
        message["document"] = {"file_id": f"sent-{filename}", "file_unique_id": f"sent-{filename}",
                               "file_name": filename, "file_size": len(data)}
        return message


def detect_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's server finds by itself: a leading bot command, @mentions, URLs."""
    entities: list[dict[str, Any]] = []

    def add(kind: str, start: int, end: int) -> None:
        entities.append({"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])})

    command = re.match(r"/[a-zA-Z0-9_]+(@[a-zA-Z0-9_]+)?", text)
    if command:
        add("bot_command", 0, command.end())
    for match in re.finditer(r"(?<![\w/])@[a-zA-Z0-9_]{5,32}", text):
        if not (command and match.start() < command.end()):
            add("mention", match.start(), match.end())
    for match in _URL_RE.finditer(text):
        add("url", match.start(), match.end())
    return entities


def _decode_params(raw: dict[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if name in _RAW_PARAMETERS:
            params[name] = value
            continue
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a long poll cancelled at shutdown) is no error worth printing."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def _make_handler(api: FakeBotAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # The headers and the body go out in two writes: with Nagle's algorithm the body would wait for
        # the client's delayed ACK of the headers, ~40 ms a call that Telegram's servers do not add.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: request lines carry the token."""

        def do_GET(self) -> None:
            self._dispatch()

        def do_POST(self) -> None:
            self._dispatch()

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _dispatch(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if len(body) < length:  # the client gave up mid-request (a cancelled call): nothing arrived
                self.close_connection = True
                return
            parsed = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parsed.path)  # PTB quotes the ":" of the token in file URLs
            file_prefix = f"/file/bot{api.token}/"
            if path.startswith(file_prefix):
                data = api.download(path[len(file_prefix):])
                if data is None:
                    self._send(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
                else:
                    self._send(200, data, "application/octet-stream")
                return
            prefix = f"/bot{api.token}/"
            if not path.startswith(prefix):
                self._send(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
                return
            method = path[len(prefix):]
            raw = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query).items()}
            files: dict[str, tuple[str, bytes]] = {}
            content_type = self.headers.get("Content-Type", "")
            if content_type.startswith("application/json") and body:
                params = json.loads(body)
            else:
                if content_type.startswith("multipart/form-data"):
                    message = BytesParser(policy=HTTP).parsebytes(
                        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
                    for part in message.iter_parts():
                        name = part.get_param("name", header="content-disposition")
                        payload = part.get_payload(decode=True) or b""
                        if part.get_filename() is not None:
                            files[str(name)] = (part.get_filename(), payload)
                        else:
                            raw[str(name)] = payload.decode("utf-8")
                elif body:
                    raw.update({k: v[-1] for k, v in urllib.parse.parse_qs(body.decode("utf-8"),
                                                                          keep_blank_values=True).items()})
                params = _decode_params(raw)
            # A file given as "attach://name" names a multipart part.
            for key, value in list(params.items()):
                if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                    files[key] = files[value[9:]]
            try:
                result = api.handle(method, params, files)
                payload: dict[str, Any] = {"ok": True, "result": result}
                status = 200
            except APIError as error:
                if error.status == 0:  # a lost connection: the client sees no answer at all
                    self.close_connection = True
                    return
                status = error.status
                payload = {"ok": False, "error_code": error.status, "description": error.description}
                if error.retry_after is not None:
                    payload["parameters"] = {"retry_after": error.retry_after}
            self._send(status, json.dumps(payload).encode("utf-8"))

    return Handler


# -- Briefbot running against the fake (tests and benchmarks) -----------------------------------


def relaxed_options(**timing: Any) -> Any:
    """Application options for tests: short delays, no client-side rate limiting."""
    from bot.app import AppOptions
    from handlers.common import Timing

    # "typing…" at once, so that tests see the chat action of every answer.
    values = {"progress_delay": 1.0, "paste_window": 0.6, "retry_delays": (0.01, 0.02, 0.04), "typing_delay": 0.0,
              **timing}
    return AppOptions(timing=Timing(**values), overall_max_rate=0, group_max_rate=0, max_retries=3)


@dataclass
class Harness:
    """A fake Bot API and the real Briefbot application polling it."""

    api: FakeBotAPI
    application: Any
    settings: Any
    services: Any

    @property
    def conversation(self) -> Any:
        return self.services.conversation


@contextlib.asynccontextmanager
async def running_bot(tmp_path: Path, *, options: Any = None, prepare: Callable[[FakeBotAPI], None] | None = None,
                      api: Any = None, clock: Callable[[], Any] | None = None,
                      **overrides: Any) -> AsyncIterator[Harness]:
    """Start the fake server and Briefbot (long polling it) on a SQLite file in `tmp_path`.

    `prepare` can set the fake up (make methods fail) before the bot makes its first call.
    `api` is a fake already running (in a process of its own, see `fake_in_own_process`); it is
    left running. `clock` replaces the services' clock (feed checks, scheduled briefings).
    """
    from bot.app import build_application
    from bot.services import build_services
    from tests.helpers import make_settings

    owned = api is None
    if api is None:
        api = FakeBotAPI().start()
    if prepare is not None:
        prepare(api)
    try:
        token, base_url, base_file_url = api.endpoints()
        settings = make_settings(tmp_path, token=token, base_url=base_url, base_file_url=base_file_url, **overrides)
        services = build_services(settings, clock=clock)
        application = build_application(settings, services, options or relaxed_options())
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0, timeout=2, allowed_updates=["message",
                                                    "callback_query", "inline_query"])
            try:
                yield Harness(api, application, settings, services)
            finally:
                await application.updater.stop()
                await application.stop()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
    finally:
        if owned:
            api.stop()


class _FakeManager(BaseManager):
    """Serves one FakeBotAPI from a process of its own; callers get a proxy of its public methods."""


def _started_fake() -> FakeBotAPI:
    return FakeBotAPI().start()


_FakeManager.register("FakeBotAPI", _started_fake)


@contextlib.contextmanager
def fake_in_own_process() -> Iterator[Any]:
    """A started fake Bot API in a process of its own (so it does not share the bot's GIL), as a proxy.

    The proxy has the fake's methods (`send_text`, `text_message`, `mark`, `calls_of`, `endpoints` …);
    `Call.at` is `time.monotonic()` there, the same clock as in the caller on Linux.
    """
    manager = _FakeManager()
    manager.start()
    try:
        api = manager.FakeBotAPI()  # type: ignore[attr-defined]
        try:
            yield api
        finally:
            api.stop()
    finally:
        manager.shutdown()


# -- standalone: a terminal to talk to a bot by hand ---------------------------------------------


def _printer(api: FakeBotAPI, out: Any) -> None:
    seen = 0
    while True:
        time.sleep(0.1)
        with api._lock:
            calls = api.calls[seen:]
            seen += len(calls)
        for call in calls:
            if call.method in ("getUpdates", "sendChatAction"):
                continue
            status = "" if call.ok else f"  !! {call.error}"
            shown = call.text if call.method != "answerCallbackQuery" else str(call.params.get("text") or "")
            message_id = call.result.get("message_id") if isinstance(call.result, dict) else None
            buttons = ""
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                buttons = "\n    buttons: " + " | ".join(f"{b['text']} = {b.get('callback_data')}"
                                                        for row in markup["inline_keyboard"] for b in row)
            if call.method == "answerInlineQuery":
                shown = "\n".join(f"[{r.get('title')}] {r.get('description', '')}" for r in call.params["results"])
            head = f"<- {call.method} chat={call.chat_id} message={message_id}{status}"
            body = ("\n    " + shown.replace("\n", "\n    ")) if shown else ""
            print(head + body + buttons, file=out, flush=True)


def _run_command(api: FakeBotAPI, line: str) -> bool:
    words = line.strip().split(" ")
    if not words or not words[0] or words[0].startswith("#"):
        return True
    verb, rest = words[0], words[1:]
    if verb == "quit":
        return False
    if verb == "wait":
        time.sleep(float(rest[0]) if rest else 1.0)
    elif verb == "say":
        api.send_text(int(rest[0]), " ".join(rest[1:]).replace("\\n", "\n"))
    elif verb == "group":
        api.send_text(int(rest[0]), " ".join(rest[2:]), user_id=int(rest[1]))
    elif verb == "doc":
        path = Path(rest[1])
        api.send_document(int(rest[0]), path.read_bytes(), path.name)
    elif verb == "press":
        api.press(int(rest[0]), int(rest[1]), rest[2])
    elif verb == "inline":
        api.inline_query(int(rest[0]), " ".join(rest[1:]))
    else:
        print("commands: say CHAT TEXT | group CHAT USER TEXT | doc CHAT FILE | press CHAT MESSAGE DATA | "
              "inline USER QUERY | wait SECONDS | quit", file=sys.stderr)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support.fakebotapi",
                                     description="A fake Telegram Bot API server to talk to Briefbot by hand.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args(argv)
    api = FakeBotAPI(args.token, port=args.port).start()
    print(f"Fake Bot API at {api.url}\n  BRIEFBOT_TOKEN={args.token} BRIEFBOT_BASE_URL={api.base_url} "
          f"BRIEFBOT_BASE_FILE_URL={api.base_file_url} briefbot run\n"
          "Type: say CHAT TEXT | group CHAT USER TEXT | doc CHAT FILE | press CHAT MESSAGE DATA | "
          "inline USER QUERY | wait SECONDS | quit", flush=True)
    threading.Thread(target=_printer, args=(api, sys.stdout), daemon=True).start()
    try:
        for line in sys.stdin:
            if not _run_command(api, line):
                break
        else:
            while True:  # input ended (piped script): keep serving until interrupted
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        time.sleep(0.2)
        api.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
