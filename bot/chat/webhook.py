"""The webhook: Telegram's POSTs, checked before their body is read, stored before the 200.

python-telegram-bot's own webhook server (tornado) reads a whole body, up to 100 MB, before
it looks at the secret token, answers invalid JSON with 500 and puts the update into an
in-memory queue before answering 200. This small tornado handler streams the body instead:

- the ``X-Telegram-Bot-Api-Secret-Token`` header is checked first; a missing or wrong one
  gets 403 and the connection is closed without reading a byte of the body;
- a body over ``MAX_BODY_BYTES`` gets 413 (by its Content-Length, before it is read; a
  chunked body is cut off when it passes the cap);
- a body that is not one JSON object with an integer ``update_id`` gets 400;
- the update is written to the inbox (:class:`bot.chat.intake.Intake`) and only then
  answered with 200, which is Telegram's confirmation; a storage failure answers 500, so
  Telegram delivers it again later.
"""

from __future__ import annotations

import hmac
import json
import logging

from telegram import Bot
from tornado.httpserver import HTTPServer
from tornado.web import Application as TornadoApplication
from tornado.web import RequestHandler, stream_request_body

from bot.chat.intake import BadUpdate, Intake, pending_from_json
from bot.chat.polling import ALLOWED_UPDATES, until_done
from bot.store.inbox import InboxError

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
"""1 MiB: Telegram's updates are a few kB (a 4,096-character message with its entities and a
reply is under 100 kB), so anything larger is not from Telegram."""

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@stream_request_body
class UpdateHandler(RequestHandler):
    """One POST from Telegram: one update."""

    def initialize(self, intake: Intake, secret: str) -> None:
        self._intake = intake
        self._secret = secret.encode()
        self._body = bytearray()

    def prepare(self) -> None:
        """Runs after the headers, before any of the body is read."""
        if self.request.method != "POST":
            self._refuse(405)
            return
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self._refuse(403)
            return
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            self._refuse(413)
            return
        # A chunked body has no length to check: tornado drops the connection past the cap.
        self.request.connection.set_max_body_size(MAX_BODY_BYTES)  # type: ignore[union-attr]

    def _refuse(self, status: int) -> None:
        """Answer at once; tornado then closes the connection instead of reading the body."""
        self.set_status(status)
        self.finish()

    def data_received(self, chunk: bytes) -> None:
        if not self._finished:
            self._body.extend(chunk)

    async def post(self) -> None:
        try:
            update = pending_from_json(json.loads(self._body))
        except (ValueError, BadUpdate):  # JSONDecodeError and UnicodeDecodeError included
            self.set_status(400)
            return
        try:
            await self._intake.accept([update])
        except InboxError:
            logger.exception("Could not store update %d; Telegram will retry", update.update_id)
            self.set_status(500)
            return
        self.set_status(200)


async def start_webhook(
    bot: Bot,
    intake: Intake,
    *,
    listen: str,
    port: int,
    url_path: str,
    webhook_url: str,
    secret: str,
) -> HTTPServer:
    """Listen on ``listen:port`` for ``/url_path``, then tell Telegram the public URL."""
    app = TornadoApplication(
        [(f"/{url_path.strip('/')}", UpdateHandler, {"intake": intake, "secret": secret})],
        log_function=lambda handler: None,  # no access log: the URL holds nothing useful
    )
    server = HTTPServer(app, max_body_size=MAX_BODY_BYTES, idle_connection_timeout=60)
    server.listen(port, address=listen)

    async def set_webhook() -> None:
        await bot.set_webhook(
            webhook_url,
            secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
        )

    await until_done(set_webhook, "setWebhook")
    return server
