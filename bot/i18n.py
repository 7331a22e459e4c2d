"""The languages Briefbot speaks: gettext catalogs shipped in the package, chosen per request.

Nothing here is global: `Catalogs.load()` reads every shipped catalog once (bot/services.py
builds it), and a `Translator` for one language is handed to whatever renders a reply.

Two ways a text enters a catalog, both found by `pybabel extract` (see babel.cfg):

- rendered at once: `tr.gettext("Saved as #%(number)s", number=3)`,
  `tr.ngettext("%(count)s article", "%(count)s articles", n, count=n)`;
- kept for later, where no translator is at hand (errors raised deep in the library):
  `lazy("The page took longer than %(seconds)s s to load.", seconds=10)` or `lazy_plural(...)`,
  a `Text` that `tr.render(text)` translates; `str(text)` is its English.

Placeholders are always named (`%(name)s`); a message id never holds an f-string.
The .po files are the source; their compiled .mo files are committed next to them (compiling
all nine at every start would cost half a second), so an installed package speaks every
language with no build step. `scripts/update-catalogs` re-extracts, merges and compiles;
tests/test_i18n.py fails when a .mo is older than its .po.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal

DOMAIN = "briefbot"
DEFAULT_LANGUAGE = "en"
# The languages with a catalog in bot/locales, English (the message ids themselves) first.
LANGUAGES: tuple[str, ...] = ("en", "ru", "uk", "de", "fr", "es", "it", "pt", "pl")

Params = Mapping[str, object]


@dataclass(frozen=True)
class Text:
    """A message not yet translated: its id (and plural id with the number), and its named values."""

    msgid: str
    params: Params = field(default_factory=dict)
    plural: str = ""
    count: int = 0

    def __str__(self) -> str:
        return ENGLISH.render(self)

    def __reduce__(self) -> tuple[object, ...]:
        """Picklable although its params are a read-only view: errors and notes come back from worker processes."""
        return _text, (self.msgid, dict(self.params), self.plural, self.count)


def _text(msgid: str, params: dict[str, object], plural: str, count: int) -> Text:
    return Text(msgid, MappingProxyType(params), plural, count)


@dataclass(frozen=True)
class Grouped:
    """A count shown with the reader's digit grouping (10,000; 10 000; 10.000)."""

    value: int

    def __str__(self) -> str:
        return f"{self.value:,}"


def lazy(msgid: str, /, **params: object) -> Text:
    """A message translated later, by whoever renders it (`Translator.render`)."""
    return Text(msgid, MappingProxyType(params))


def lazy_plural(singular: str, plural: str, n: int, /, **params: object) -> Text:
    """A message with a number in it, translated later; `n` picks the plural form."""
    return Text(singular, MappingProxyType(params), plural, n)


def normalize(tag: str | None) -> str | None:
    """The shipped language of an IETF tag (`pt-BR` → `pt`, `de_AT` → `de`), or None."""
    if not tag:
        return None
    base = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else None


class Translator:
    """Texts in one language: gettext and ngettext with named placeholders, and language names."""

    def __init__(self, code: str, translations: gettext.NullTranslations) -> None:
        self.code = code
        self._translations = translations
        self._locale = Locale.parse(code)

    def __repr__(self) -> str:
        return f"Translator({self.code!r})"

    def _values(self, params: Params) -> dict[str, object]:
        # A value may itself be a lazy Text ("an article number" inside a sentence): rendered here too.
        return {name: self._value(value) for name, value in params.items()}

    def _value(self, value: object) -> object:
        if isinstance(value, Text):
            return self.render(value)
        if isinstance(value, Grouped):
            return format_decimal(value.value, "#,##0", locale=self._locale)
        return value

    def gettext(self, msgid: str, /, **params: object) -> str:
        # Always formatted, so a literal percent sign is written %% in every message id.
        return self._translations.gettext(msgid) % self._values(params)

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        """`n` picks the plural form; the number itself is shown through a named placeholder."""
        return self._translations.ngettext(singular, plural, n) % self._values(params)

    def render(self, text: Text | str) -> str:
        """A lazy Text in this language; a plain str (article text, a name) as it is."""
        if isinstance(text, str):
            return text
        if text.plural:
            return self.ngettext(text.msgid, text.plural, text.count, **text.params)
        return self.gettext(text.msgid, **text.params)

    def language_name(self, code: str) -> str | None:
        """The name of language `code` in this language ("Deutsch", "немецкий"), from Babel's locale data."""
        name = self._locale.languages.get(code)
        if name is None:
            try:
                name = Locale.parse(code).get_language_name(self.code)
            except (ValueError, UnknownLocaleError):
                return None
        return name or None


def catalog_path(code: str, suffix: str = ".po") -> resources.abc.Traversable:
    """Where the .po (or compiled .mo) file of a language lives inside the package."""
    return resources.files("bot") / "locales" / code / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def load_translator(code: str) -> Translator:
    """One shipped language's translator, from its compiled catalog."""
    if code == DEFAULT_LANGUAGE:
        return ENGLISH
    return Translator(code, gettext.GNUTranslations(io.BytesIO(catalog_path(code, ".mo").read_bytes())))


class Catalogs:
    """Every shipped language's translator, and the choice of one for a chat or a user."""

    def __init__(self, translators: Mapping[str, Translator]) -> None:
        self._translators = dict(translators)
        self.default = self._translators[DEFAULT_LANGUAGE]

    @classmethod
    def load(cls, codes: tuple[str, ...] = LANGUAGES) -> Catalogs:
        """Read the catalogs shipped in bot/locales (English needs none: the ids are English)."""
        return cls({DEFAULT_LANGUAGE: ENGLISH} | {code: load_translator(code) for code in codes})

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._translators)

    def get(self, code: str) -> Translator:
        return self._translators.get(code, self.default)

    def choose(self, *tags: str | None) -> Translator:
        """The first tag that names a shipped language wins (`pt-BR` is Portuguese); else English."""
        for tag in tags:
            code = normalize(tag)
            if code is not None and code in self._translators:
                return self._translators[code]
        return self.default


# English is the message ids themselves: an immutable translator with no catalog.
ENGLISH = Translator(DEFAULT_LANGUAGE, gettext.NullTranslations())
