"""A fake Telegram Bot API server for end-to-end tests and the local sandbox chat.

Why it exists: python-telegram-bot talks HTTP to ``base_url``. Pointing it at this
server lets a test run the real ``Application`` over loopback with nothing mocked,
while the server refuses what Telegram refuses (4096 characters, Telegram's HTML
subset, 64-byte callback data, the 48-hour deletion window, unknown chats ...). Bugs
that would only show up in production show up in the test run instead.

Test code drives the "user" side with plain async methods (``user_sends_text``,
``user_presses_button`` ...). Each returns a :class:`Turn` whose ``replies()`` waits
for what the bot sent or edited after it fetched that update.

Choices where Telegram is lenient or unclear (the first two are constructor options):

- ``strict_html=True``: a ``&`` that is not a complete character reference is refused,
  where Telegram keeps it as text (see ``fakebotapi.html``); ``strict_html=False`` parses
  exactly like TDLib.
- ``text_length_unit="characters"``: the 4096 limit counts Unicode code points of the
  visible text after entity parsing, as the Bot API documentation words it. Entity
  offsets and lengths are always UTF-16 code units, as Telegram sends them. Use
  ``"utf16"`` to be cautious about emoji-heavy texts.
- Error descriptions copy Telegram's wording where it is known; the few marked
  "wording: ours" imitate its style.

This package is deliberately self-contained (aiohttp only, no ``telegram`` import, nothing
from ``bot``): the sandbox and the tests can use it while the bot is being built.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Literal, Self

from aiohttp import web

from fakebotapi.activity import LoggedRequest
from fakebotapi.entities import JsonDict
from fakebotapi.errors import ApiError, FakeBotApiError
from fakebotapi.groups import ForumSide
from fakebotapi.members import Membership
from fakebotapi.methods import METHODS
from fakebotapi.params import Params, read_request
from fakebotapi.state import BotApiState
from fakebotapi.user_media import MediaSide


class BotApiServer(BotApiState):
    """The HTTP side: the Bot API and its file downloads served over loopback with aiohttp."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "wegweiser_test_bot",
        bot_first_name: str = "Wegweiser Test",
        host: str = "127.0.0.1",
        port: int = 0,
        strict_html: bool = True,
        text_length_unit: Literal["characters", "utf16"] = "characters",
        webhook_retry_delay: float = 0.2,
    ) -> None:
        super().__init__(
            token,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            strict_html=strict_html,
            text_length_unit=text_length_unit,
            webhook_retry_delay=webhook_retry_delay,
        )
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> Self:
        """Bind a free loopback port (unless one was given) and start serving."""
        if self._runner is not None:
            raise FakeBotApiError("the server is already running")
        self.updates.closed = False
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a client that hangs up (PTB's read timeout) cancels the call,
        # so a delayed request is not executed behind the test's back.
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=0.5, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._requested_port)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        """Stop serving; waiting long polls return at once."""
        self.updates.close()
        await self.webhook.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise FakeBotApiError("the server is not running; await start() first")
        return self._port

    @property
    def url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:41234``."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What PTB's ``base_url`` wants: it appends the token and the method."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB's ``base_file_url`` wants: it appends the token and the file path."""
        return f"{self.url}/file/bot"

    # ----------------------------------------------------------------- HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            values, files = await read_request(request)
        except ApiError as error:
            return _error_response(error)
        if request.match_info["token"] != self._token:
            return _error_response(ApiError(401, "Unauthorized"))
        entry = LoggedRequest(method=method, params=values, files=files)
        self.activity.requests.append(entry)
        # A long poll is the bot waiting, not the bot answering: replies may settle meanwhile.
        is_poll = method.lower() == "getupdates"
        if not is_poll:
            self.activity.call_started()
        try:
            result = await self._dispatch(method, Params(values), files)
        except ApiError as error:
            entry.status, entry.description = error.status, error.description
            return _error_response(error)
        finally:
            if not is_poll:
                self.activity.call_finished()
        entry.status, entry.result = 200, result
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, method: str, params: Params, files: dict[str, bytes]) -> Any:
        await self.faults.apply(method)
        handler = METHODS.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        return await handler(self, params, files)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self._token:
            return _error_response(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for stored in self.stored_files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return _error_response(ApiError(404, "Not Found"))


def _error_response(error: ApiError) -> web.Response:
    """Telegram's ``ok: false`` answer, or the HTML page its front proxy sends for 502/504."""
    if error.status in (502, 504):
        phrase = "Bad Gateway" if error.status == 502 else "Gateway Time-out"
        page = f"<html><head><title>{error.status} {phrase}</title></head></html>"
        return web.Response(status=error.status, text=page, content_type="text/html")
    body: JsonDict = {
        "ok": False,
        "error_code": error.status,
        "description": error.description,
    }
    if error.retry_after is not None:
        body["parameters"] = {"retry_after": error.retry_after}
    return web.json_response(body, status=error.status)


class FakeBotApi(ForumSide, MediaSide, Membership, BotApiServer):
    """A Telegram Bot API server on loopback for the real python-telegram-bot to talk to.

    Use ``async with FakeBotApi() as server:`` (or ``await start()``/``await stop()``),
    then give PTB ``base_url=server.base_url`` and ``base_file_url=server.base_file_url``.
    The people in the chats are on the same object: ``user_sends_text``,
    ``user_presses_button``, ``bot_added_to_group``, ``create_forum_group``,
    ``member_sends_text`` ...
    """
