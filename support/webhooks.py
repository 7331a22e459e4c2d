"""Talking to a webhook worker as Telegram does: a free local port, and an update posted to the hook."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def post_update(hook: str, secret: str, update: dict[str, Any], *, timeout: float = 10.0) -> int:
    """Deliver `update` to a webhook with Telegram's secret-token header; the HTTP status."""
    request = urllib.request.Request(hook, json.dumps(update).encode(), {
        "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
