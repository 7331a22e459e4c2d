"""Briefbot's settings: one frozen dataclass, read from the environment (prefix BRIEFBOT_)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

ENV_PREFIX = "BRIEFBOT_"
_MAX_INT = 2**63 - 1


def _setting(default: Any, help: str) -> Any:
    """Declare one setting with its default and the help line the README repeats."""
    return field(default=default, metadata={"help": help})


def default_database_url() -> str:
    """A SQLite file in the user's data directory."""
    data_dir = Path(platformdirs.user_data_dir("briefbot", appauthor=False))
    return f"sqlite:///{data_dir / 'briefbot.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    """Everything an operator can configure; every field is documented in the README."""

    token: str = _setting("", "Telegram bot token. With no token, `briefbot` starts the terminal chat.")
    base_url: str = _setting(
        "https://api.telegram.org/bot",
        "Bot API base URL (point it at a local Bot API server or a test server).",
    )
    base_file_url: str = _setting(
        "https://api.telegram.org/file/bot", "Bot API base URL for file downloads."
    )
    database_url: str = _setting(
        "",
        "SQLAlchemy URL of the library. Empty: a SQLite file in the user's data directory. "
        "PostgreSQL: `postgresql+psycopg://user@host/db`.",
    )
    database_pool_size: int = _setting(5, "PostgreSQL: connections kept open per process.")
    database_max_overflow: int = _setting(10, "PostgreSQL: extra connections allowed at peak, per process.")
    chat_id: int = _setting(0, "Which chat's library the terminal chat and the CLI use.")
    ui_language: str = _setting(
        "", "Language of the terminal chat and the CLI's human-readable output (en, ru, uk, de, fr, es, it, pt, "
        "pl). Empty: the locale's (`LANG`), else English. Telegram chats use /language or the user's language."
    )
    allow_private_networks: bool = _setting(
        False, "Allow links to loopback/private/link-local addresses (self-hosting and tests only)."
    )
    telegram_preview_url: str = _setting(
        "https://t.me", "Where Telegram post links (t.me/channel/123) are read from: Telegram's public web "
        "preview. Change it only for tests or a mirror; the private-address check still applies.",
    )
    webhook_url: str = _setting("", "Public HTTPS URL of the webhook; when set, `briefbot run` uses a webhook.")
    webhook_listen: str = _setting("127.0.0.1", "Address the webhook server listens on.")
    webhook_port: int = _setting(8443, "Port the webhook server listens on.")
    webhook_secret: str = _setting("", "Secret token Telegram sends with each webhook call.")
    allowed_users: str = _setting(
        "", "Comma-separated Telegram user ids allowed to use the bot; empty allows everyone."
    )
    algorithm: str = _setting(
        "default",
        "Summary algorithm used when none is asked for: `default` (tuned), or lexrank, textrank, lsa, "
        "luhn, kl, sumbasic, reduction, edmundson, lead.",
    )
    summary_sentences: int = _setting(
        0, "Summary length in sentences when none is asked for; 0 picks a length from the article size."
    )
    engine: str = _setting("fast", "Summary engine: `fast` (vectorised) or `sumy` (stock Sumy classes).")
    max_article_chars: int = _setting(2_000_000, "Largest article accepted, in characters.")
    min_article_sentences: int = _setting(3, "Fewest sentences a text needs to be kept as an article.")
    max_fetch_bytes: int = _setting(5_000_000, "Largest download accepted for a link or a file, in bytes.")
    fetch_timeout: float = _setting(15.0, "Seconds a link may take to download in all.")
    fetch_rate_per_minute: int = _setting(20, "Links one user may have fetched per minute.")
    max_file_bytes: int = _setting(20_000_000, "Largest document accepted in chat, in bytes.")
    article_processes: int = _setting(
        1, "Processes apart from the bot's own that read, save and summarize long pasted texts and files (over "
        "100,000 characters), at a lower CPU priority, so that one never holds other chats' answers back; 0 reads "
        "them in the bot's own process.",
    )
    answer_threads: int = _setting(
        1, "Threads that answer questions. One answers a wave of questions with the least CPU (more threads take "
        "Python's interpreter lock from one another at every database call); more let a slow answer in a very large "
        "library hold fewer others back.",
    )
    feed_interval_minutes: int = _setting(30, "Minutes between checks of a feed when /follow names none (at least 5).")
    feed_check_seconds: float = _setting(60.0, "Seconds between the bot's rounds of due feeds and scheduled briefings.")
    max_feeds_per_chat: int = _setting(20, "Feeds one chat may follow.")
    feed_entries_per_poll: int = _setting(10, "New entries of one feed saved per check; the rest are skipped.")
    max_feed_bytes: int = _setting(2_000_000, "Largest feed document accepted, in bytes (decoded).")
    max_feed_entries: int = _setting(1000, "Most entries a feed document may list; larger feeds are refused.")
    log_level: str = _setting("INFO", "Logging level (DEBUG, INFO, WARNING, ERROR).")
    update_lease: float = _setting(
        20.0, "Seconds a worker holds an update it handles (renewed while it works); when a worker dies, "
        "another takes its update over this long after its last renewal (at least 0.5).",
    )
    inbox_max_age: float = _setting(
        3600.0, "Seconds an update left unfinished by a crash stays worth handling again (at start-up, or by "
        "another webhook worker); older ones are given up.",
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()

    @property
    def allowed_user_ids(self) -> frozenset[int]:
        return frozenset(int(part) for part in self.allowed_users.replace(" ", "").split(",") if part)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read BRIEFBOT_* variables, then apply explicit overrides (from command-line flags)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = environ.get(ENV_PREFIX + spec.name.upper())
            if raw is None:
                continue
            values[spec.name] = _convert(spec.name, raw, spec.default)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


def _convert(name: str, raw: str, default: Any) -> Any:
    """Turn an environment string into the type of the setting's default."""
    if default is MISSING:  # pragma: no cover - every setting has a default
        return raw
    try:
        if isinstance(default, bool):
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            number = int(raw)
            if abs(number) > _MAX_INT:  # the database holds 63 bits; more would overflow there
                raise ValueError(raw)
            return number
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise ValueError(
            f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {type(default).__name__}"
        ) from None
    return raw


def settings_help() -> list[tuple[str, Any, str]]:
    """(environment variable, default, help) for every setting, in declaration order."""
    return [(ENV_PREFIX + spec.name.upper(), spec.default, spec.metadata["help"]) for spec in fields(Settings)]
