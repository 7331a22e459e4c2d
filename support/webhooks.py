"""Talking to a webhook worker as Telegram does: a free local port, and an update posted to the hook."""

from __future__ import annotations

import json
import random
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, below the kernel's range for port 0.

    A worker binds its webhook port a second or two after this returns; a port the kernel gave out
    for port 0 could meanwhile go to a server of another test (the fake Bot API, a web server),
    and the test would talk to that one.
    """
    low = _lowest_ephemeral_port()
    for _ in range(200):
        port = random.randrange(max(low - 12_000, 1024), low)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError("no free port below the ephemeral range")


def _lowest_ephemeral_port() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def post_update(hook: str, secret: str, update: dict[str, Any], *, timeout: float = 10.0) -> int:
    """Deliver `update` to a webhook with Telegram's secret-token header; the HTTP status."""
    request = urllib.request.Request(hook, json.dumps(update).encode(), {
        "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
