"""Bot API methods that hand updates to the bot: getUpdates (long polling) and the webhook.

Telegram's rules mirrored here: getUpdates is refused while a webhook is set, a newer
getUpdates call ends an older one with 409 Conflict, ``offset`` confirms (forgets) earlier
updates, and ``allowed_updates`` persists until the next call that gives it.
"""

from __future__ import annotations

import asyncio
import copy
import re
from urllib.parse import urlsplit

from fakebotapi.entities import JsonDict
from fakebotapi.errors import ApiError, bad_request
from fakebotapi.params import Params
from fakebotapi.state import BotApiState, MethodHandler

MAX_UPDATES_PER_CALL = 100  # Bot API: getUpdates limit is 1-100, default 100.
WEBHOOK_MAX_CONNECTIONS = 40  # Bot API: max_connections defaults to 40.
_SECRET_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _set_allowed_updates(api: BotApiState, params: Params) -> None:
    """Remember ``allowed_updates`` if given; an empty list means Telegram's default set."""
    allowed = params.json("allowed_updates")
    if allowed is None:
        return
    if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
        raise bad_request("can't parse allowed_updates JSON object")
    api.updates.allowed_updates = frozenset(allowed) if allowed else None


async def get_updates(api: BotApiState, params: Params, files: dict[str, bytes]) -> list[JsonDict]:
    """Long polling: answer at once if updates are pending, else wait up to ``timeout``."""
    if api.webhook.url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = params.integer("offset") or 0
    limit = params.integer("limit") or MAX_UPDATES_PER_CALL
    limit = min(max(limit, 1), MAX_UPDATES_PER_CALL)
    timeout = max(params.number("timeout") or 0.0, 0.0)
    _set_allowed_updates(api, params)
    queue = api.updates
    queue.confirm(offset)
    generation = queue.start_poll()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        event = api.activity.change
        if queue.poll_replaced(generation):
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        batch = queue.deliverable(limit)
        remaining = deadline - loop.time()
        if batch or queue.closed or remaining <= 0 or api.webhook.url:
            break
        await api.activity.wait_change(event, remaining)
    queue.mark_delivered([u["update_id"] for u in batch])
    return copy.deepcopy(batch)


async def set_webhook(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    url = (params.text("url") or "").strip()
    if not url:
        return await delete_webhook(api, params, files)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        # Telegram wants HTTPS on 443/80/88/8443; loopback tests cannot have that.
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.text("secret_token")
    if secret is not None and not _SECRET_TOKEN_PATTERN.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")  # wording: ours
    _set_allowed_updates(api, params)
    if params.flag("drop_pending_updates"):
        api.updates.drop_pending("drop_pending_updates was set")
    api.webhook.set(url, secret)
    return True


async def delete_webhook(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    if params.flag("drop_pending_updates"):
        api.updates.drop_pending("drop_pending_updates was set")
    api.webhook.clear()
    return True


async def get_webhook_info(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    info: JsonDict = {
        "url": api.webhook.url or "",
        "has_custom_certificate": False,
        "pending_update_count": len(api.updates.pending),
    }
    if api.webhook.url:
        info["max_connections"] = WEBHOOK_MAX_CONNECTIONS
        if api.updates.allowed_updates is not None:
            info["allowed_updates"] = sorted(api.updates.allowed_updates)
    if api.webhook.last_error is not None:
        info["last_error_date"], info["last_error_message"] = api.webhook.last_error
    return info


HANDLERS: dict[str, MethodHandler] = {
    "getupdates": get_updates,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
}
