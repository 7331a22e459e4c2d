"""Errors that carry a message fit for the user.

BriefbotError            the base: `str(error)` is a short reply a user may read
├── InputError           the input cannot become what was asked for
│   ├── EmptyInput       nothing (or only whitespace/junk) was sent
│   ├── NotAnArticle     too short, or not prose (no sentences, binary junk)
│   ├── TooLarge         over a configured size limit
│   └── UnsupportedFile  a file type Briefbot does not read
├── NotFound             an unknown article number, or a button of a deleted article
├── UnknownAlgorithm     a summary algorithm that does not exist
├── FetchError           a link could not be fetched or extracted (the reason says why)
│   └── BlockedAddress   a link points to a private or loopback address
└── RateLimited          too many requests in a short time

The message is a lazy `bot.i18n.Text` (`lazy("…", name=value)`): `str(error)` is English,
`translator.render(error.message)` is the chat's language.

Anything else is a bug: front ends log it with a traceback and reply with a short apology.
"""

from __future__ import annotations

from bot.i18n import Text


class BriefbotError(Exception):
    """Base of all errors whose message can be shown to the user as it is."""

    def __init__(self, message: Text | str) -> None:
        super().__init__(str(message))
        # Kept untranslated (a lazy Text): the front end renders it in the chat's language.
        self.message = message

    def __str__(self) -> str:
        return str(self.message)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled with its untranslated message (a worker process raises it, the bot renders it)."""
        return type(self), (self.message,)


class InputError(BriefbotError):
    pass


class EmptyInput(InputError):
    pass


class NotAnArticle(InputError):
    pass


class TooLarge(InputError):
    pass


class UnsupportedFile(InputError):
    pass


class NotFound(BriefbotError):
    pass


class UnknownAlgorithm(BriefbotError):
    pass


class FetchError(BriefbotError):
    pass


class BlockedAddress(FetchError):
    pass


class RateLimited(BriefbotError):
    pass
