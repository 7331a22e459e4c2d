"""Summary algorithms and engines by name; cheap to import (no Sumy), so the CLI can validate early."""

from __future__ import annotations

from bot.errors import UnknownAlgorithm
from bot.i18n import lazy

# Sumy's summarizers by the names users type, then the lead baseline (first sentences).
SUMY_ALGORITHMS: tuple[str, ...] = ("lexrank", "textrank", "lsa", "luhn", "kl", "sumbasic", "reduction", "edmundson")
ALGORITHMS: tuple[str, ...] = (*SUMY_ALGORITHMS, "lead")
DEFAULT = "default"
# What `default` means, chosen by the quality benchmark (docs/benchmarks.md): Sumy's
# Reduction ranking with a prior for longer sentences.
DEFAULT_ALGORITHM = "reduction+length"
ENGINES = ("fast", "sumy")


def algorithm_names() -> tuple[str, ...]:
    """Every name a user may ask for: `default`, then the algorithms."""
    return (DEFAULT, *ALGORITHMS)


def resolve_algorithm(name: str | None, default: str = DEFAULT) -> str:
    """Validate an algorithm name (case-insensitive); `default` stays symbolic."""
    chosen = (name or default).strip().lower()
    if chosen == DEFAULT or chosen in ALGORITHMS:
        return chosen
    raise UnknownAlgorithm(lazy("Unknown algorithm '%(name)s'. Choose one of: %(names)s.", name=name,
                                names=", ".join(algorithm_names())))
