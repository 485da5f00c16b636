"""Failures and delays that tests inject, to see the bot cope with Telegram having a bad day."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fakebotapi.errors import ApiError


@dataclass
class Fault:
    """The next ``times`` calls of ``method`` ("*" for any) wait ``delay``, then fail or run."""

    method: str
    status: int | None
    description: str | None
    retry_after: int | None
    delay: float
    times: int


class FaultPlan:
    """The injected faults, taken in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self._faults.append(fault)

    def clear(self) -> None:
        """Telegram is well again: forget every fault not yet used up."""
        self._faults.clear()

    def take(self, method: str) -> Fault | None:
        """The first fault that matches ``method``, counted as used once."""
        for fault in self._faults:
            if fault.method in ("*", method.lower()):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def apply(self, method: str) -> None:
        """Wait and fail as the next matching fault says; do nothing if none matches.

        Raises:
            ApiError: the injected failure.
        """
        fault = self.take(method)
        if fault is None:
            return
        if fault.delay > 0:
            await asyncio.sleep(fault.delay)
        if fault.status is not None:
            raise ApiError(
                fault.status,
                fault.description or default_error_description(fault.status, fault.retry_after),
                retry_after=fault.retry_after,
            )


def default_error_description(status: int, retry_after: int | None) -> str:
    """Telegram's description for a bare status code, as PTB would show it."""
    if status == 429:
        return f"Too Many Requests: retry after {retry_after}"
    return {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        500: "Internal Server Error",
        502: "Bad Gateway",
        504: "Gateway Timeout",
    }.get(status, "Error")
