"""Fetching links safely: timeouts, a byte cap on decoded bytes, checked redirects, no SSRF.

Every hop (the first request and each redirect) resolves the host, refuses loopback,
private, link-local, CGNAT, multicast, reserved and unspecified addresses (IPv4, IPv6
and IPv4-mapped IPv6), and then connects to exactly the address that was checked —
the URL is rewritten to the IP, the Host header and TLS server name keep the hostname —
so a DNS answer cannot change between the check and the connection.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import brotli
import httpx

from bot.errors import BlockedAddress, FetchError, TooLarge
from bot.i18n import lazy
from bot.sources.kinds import human_size
from bot.sources.limits import FetchLimits
from bot.sources.urls import check_url

USER_AGENT = "Mozilla/5.0 (compatible; Briefbot/0.1; +https://github.com/briefbot/briefbot)"
MAX_REDIRECTS = 5
_CGNAT = ipaddress.ip_network("100.64.0.0/10")

Resolver = Callable[[str], Awaitable[list[str]]]


@dataclass(frozen=True)
class FetchedPage:
    url: str
    final_url: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes
    # Validators for a conditional GET next time; status 304 means "unchanged" (empty body).
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_blocked(address: str) -> bool:
    """True for any address a link must not reach (unless the operator allows private networks)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:
        ip = ip.sixtofour
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT)
        or not ip.is_global
    )


async def system_resolver(host: str) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError(lazy("The address %(host)s does not exist (DNS lookup failed).", host=host)) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Decoder:
    """Content-Encoding decoder that never produces more than `limit` bytes in total."""

    def __init__(self, encoding: str, limit: int) -> None:
        self._limit = limit
        self._produced = 0
        encoding = encoding.strip().lower()
        self._zlib: Any = None
        self._brotli: Any = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif encoding == "br":
            self._brotli = brotli.Decompressor()
        elif encoding not in ("", "identity"):
            raise FetchError(lazy("The page used an unknown compression (%(encoding)s).", encoding=encoding))

    def decode(self, chunk: bytes) -> bytes:
        """Decoded bytes of `chunk`; past the limit it returns limit+1 bytes at most, so callers stop."""
        room = self._limit - self._produced + 1
        try:
            if self._zlib is not None:
                out = self._zlib.decompress(chunk, room)
                if self._zlib.unconsumed_tail:
                    out += b"\0"  # more is waiting: the cap is reached
            elif self._brotli is not None:
                out = self._brotli.process(chunk, output_buffer_limit=room)
                if not self._brotli.can_accept_more_data():
                    out += b"\0"
            else:
                out = chunk
        except (zlib.error, brotli.error):
            raise FetchError(lazy("The page's compressed data is broken.")) from None
        self._produced += len(out)
        return out


class Fetcher:
    """Fetches one URL at a time safely; one instance per event loop (it owns an httpx client)."""

    def __init__(self, limits: FetchLimits, *, resolver: Resolver | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._limits = limits
        self._resolver = resolver or system_resolver
        timeout = httpx.Timeout(limits.timeout, connect=min(5.0, limits.timeout))
        self._client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=5),
            # Compression is undone by _Decoder, so the byte cap applies to decoded bytes.
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, br",
                     "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5"},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    accept: str | None = None, max_bytes: int | None = None) -> FetchedPage:
        """GET `url`; with `etag`/`last_modified` it is conditional (an unchanged page: status 304)."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        limit = min(max_bytes, self._limits.max_bytes) if max_bytes else self._limits.max_bytes
        try:
            async with asyncio.timeout(self._limits.timeout):
                return await self._fetch(url, headers, limit)
        except TimeoutError:
            raise FetchError(lazy("The page took longer than %(seconds)s s to load.",
                                      seconds=format(self._limits.timeout, "g"))) from None

    async def _fetch(self, url: str, extra: dict[str, str], limit: int) -> FetchedPage:
        current = check_url(url)
        seen: set[str] = set()
        for _hop in range(MAX_REDIRECTS + 1):
            if current in seen:
                raise FetchError(lazy("The page redirects in a loop."))
            seen.add(current)
            response_url, status, headers, body = await self._get(current, extra, limit)
            if status in (301, 302, 303, 307, 308):
                location = headers.get("location")
                if not location:
                    raise FetchError(lazy("The page answered %(status)s without saying where to go.", status=status))
                current = check_url(urljoin(current, location))
                continue
            if status >= 400:
                answer = " ".join(str(part) for part in (status, httpx.codes.get_reason_phrase(status)) if part)
                raise FetchError(lazy("The page answered %(status)s.", status=answer))
            content_type, charset = _content_type(headers.get("content-type"))
            return FetchedPage(url=url, final_url=response_url, status=status, content_type=content_type,
                               charset=charset, body=body, etag=headers.get("etag"),
                               last_modified=headers.get("last-modified"))
        raise FetchError(lazy("The page redirects more than %(count)s times.", count=MAX_REDIRECTS))

    async def _address_for(self, host: str) -> str:
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        addresses = [str(literal)] if literal is not None else await self._resolver(host)
        if not addresses:
            raise FetchError(lazy("The address %(host)s does not exist (DNS lookup failed).", host=host))
        if not self._limits.allow_private_networks:
            for address in addresses:
                if is_blocked(address):
                    raise BlockedAddress(lazy("I don't open links to private or local addresses (%(host)s).",
                                              host=host))
        return addresses[0]

    async def _get(self, url: str, extra: dict[str, str], limit: int) -> tuple[str, int, httpx.Headers, bytes]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        address = await self._address_for(host)
        ip_host = f"[{address}]" if ":" in address else address
        netloc = ip_host + (f":{parts.port}" if parts.port else "")
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        host_header = host + (f":{parts.port}" if parts.port else "")
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        request = self._client.build_request("GET", pinned, headers={**extra, "Host": host_header},
                                            extensions=extensions)
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchError(lazy("%(host)s did not answer in time.", host=host)) from None
        except httpx.HTTPError as error:
            raise FetchError(lazy("Could not connect to %(host)s (%(reason)s).", host=host,
                                 reason=type(error).__name__)) from None
        try:
            if response.status_code >= 300:
                return url, response.status_code, response.headers, b""
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and "content-encoding" not in response.headers and int(declared) > limit:
                raise TooLarge(lazy("The page is larger than %(limit)s.", limit=human_size(limit)))
            decoder = _Decoder(response.headers.get("content-encoding", ""), limit)
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += decoder.decode(chunk)
                if len(body) > limit:
                    raise TooLarge(lazy("The page is larger than %(limit)s.", limit=human_size(limit)))
            return url, response.status_code, response.headers, bytes(body)
        except httpx.TimeoutException:
            raise FetchError(lazy("%(host)s stopped sending the page.", host=host)) from None
        except httpx.HTTPError as error:
            raise FetchError(lazy("The download from %(host)s failed (%(reason)s).", host=host,
                                 reason=type(error).__name__)) from None
        finally:
            await response.aclose()


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    main, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return main.lower() or None, charset
