"""The fake server's errors: refusals the bot sees as Bot API answers, failures tests see."""

from __future__ import annotations


class FakeBotApiError(Exception):
    """Base class of the errors the fake server raises to test code."""


class ApiError(FakeBotApiError):
    """A Bot API call that Telegram would refuse; it becomes an ``ok: false`` response."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


class UserActionError(FakeBotApiError):
    """A simulated user action that no Telegram client would let a user do."""


class RepliesTimeout(FakeBotApiError, AssertionError):
    """The bot did not send the expected messages before the timeout."""


class UpdateDropped(FakeBotApiError):
    """The bot will never receive this update (allowed_updates, or pending updates were dropped)."""


def bad_request(detail: str) -> ApiError:
    """Telegram's most common refusal: status 400, description "Bad Request: <detail>"."""
    return ApiError(400, f"Bad Request: {detail}")
