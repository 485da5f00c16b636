"""The fake server on a background thread, for code that is not async (the sandbox chat)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

from fakebotapi.server import FakeBotApi

T = TypeVar("T")


class FakeBotApiThread:
    """Runs a :class:`FakeBotApi` on its own event loop in a daemon thread.

    Why: the sandbox chat (and synchronous scripts) need the server while their own code is
    not async. ``call()`` runs one of the server's coroutines on the server's loop.
    """

    def __init__(self, server: FakeBotApi) -> None:
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="FakeBotApi", daemon=True
        )

    def start(self) -> FakeBotApi:
        self._thread.start()
        self.call(self.server.start())
        return self.server

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = 30.0) -> T:
        """Run ``coroutine`` on the server's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stop(self) -> None:
        if self._thread.is_alive():
            self.call(self.server.stop())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> FakeBotApiThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
