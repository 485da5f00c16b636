"""Which URLs Telegram accepts: in text links (kept or silently dropped) and in buttons."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from urllib.parse import urlsplit

_HOST_LABEL_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|xn--[a-z0-9-]+", re.I)


def checked_link(url: str) -> str | None:
    """The URL Telegram would keep for a text link, or None when it would drop the link."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    lowered = url.lower()
    if lowered.startswith(("tg:", "ton:")):
        return url if len(url.split(":", 1)[1].lstrip("/")) > 0 else None
    if "://" not in url:
        url = "http://" + url
    return url if is_valid_http_url(url) else None


def is_valid_http_url(url: str) -> bool:
    """http(s) with a host that could exist: an IP address or a dotted name with a real TLD."""
    try:
        parts = urlsplit(url)
        if parts.port == 0:
            return False
    except ValueError:
        return False
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    if any(ch.isspace() for ch in url):
        return False
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return True
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_is_host_label(label) for label in labels):
        return False
    tld = labels[-1]
    return not tld.isascii() or tld.isalpha() or tld.startswith("xn--")


def _is_host_label(label: str) -> bool:
    if not label.isascii():  # an internationalised name, e.g. "münchen"
        return 0 < len(label) <= 63 and all(ch.isalnum() or ch == "-" for ch in label)
    return _HOST_LABEL_PATTERN.fullmatch(label) is not None


def is_valid_button_url(url: str) -> bool:
    """Button URLs must name their scheme: http(s) with a real host name, or tg://."""
    if any(ch.isspace() for ch in url):
        return False
    lowered = url.lower()
    if lowered.startswith("tg://"):
        return len(url) > len("tg://")
    if not lowered.startswith(("http://", "https://")):
        return False
    return is_valid_http_url(url)
