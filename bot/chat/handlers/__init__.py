"""The thin Telegram layer: each handler reads the update, calls the core, sends the answer.

- ``commands``: /start (with poster deep links), /help, /about, /privacy, /language,
  /emergency, /clear, /delete.
- ``messages``: the gate every update passes first (flood limit, last-seen day), free text,
  reply-keyboard labels, locations, media, and groups.
- ``buttons``: every inline button, through one ``parse_callback``.
- ``sending``: how a list of ``Reply`` objects becomes Bot API calls.

The order in which they are registered lives in :func:`bot.chat.app.handler_groups`.
"""
