"""Webhook delivery: pending updates posted to the bot's URL one at a time, retried on failure."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import aiohttp

from fakebotapi.activity import BotActivity
from fakebotapi.updates import UpdateQueue


class Webhook:
    """The webhook the bot set, if any, and the task that posts updates to it."""

    def __init__(
        self,
        updates: UpdateQueue,
        activity: BotActivity,
        clock: Callable[[], int],
        retry_delay: float,
    ) -> None:
        self._updates = updates
        self._activity = activity
        self._clock = clock
        self.retry_delay = retry_delay
        self.url: str | None = None
        self.secret_token: str | None = None
        self.last_error: tuple[int, str] | None = None
        self._task: asyncio.Task[None] | None = None
        self._client: aiohttp.ClientSession | None = None

    def set(self, url: str, secret_token: str | None) -> None:
        """Start (or redirect) delivery to ``url``."""
        self.url = url
        self.secret_token = secret_token
        self.last_error = None
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._deliver())
        self._activity.notify()

    def clear(self) -> None:
        """deleteWebhook: stop delivering; getUpdates works again."""
        self.url = None
        self.secret_token = None
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def close(self) -> None:
        """Stop the delivery task and close the HTTP client (the server stops)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def _deliver(self) -> None:
        """Post pending updates to the webhook one at a time, retrying like Telegram does."""
        if self._client is None:
            self._client = aiohttp.ClientSession()
        while not self._updates.closed and self.url:
            event = self._activity.change
            batch = self._updates.deliverable(1)
            if not batch:
                await event.wait()
                continue
            update = batch[0]
            headers = {}
            if self.secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.secret_token
            self._updates.mark_delivered([update["update_id"]])
            try:
                async with self._client.post(
                    self.url,
                    json=update,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=10),
                ) as response:
                    delivered = 200 <= response.status < 300
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                delivered, error = False, f"Connection failed: {exc!r}"
            if delivered:
                self._updates.acknowledge(update["update_id"])
            else:
                self.last_error = (self._clock(), error)
                await asyncio.sleep(self.retry_delay)
