"""The Bot API methods this fake server implements, grouped by what they act on.

Each module ends with a ``HANDLERS`` table (lowercased method name -> handler); the server
looks a call up in :data:`METHODS`, as Telegram matches method names case-insensitively.
"""

from __future__ import annotations

from fakebotapi.methods import (
    chat,
    editing,
    forum,
    media,
    members,
    profile,
    sending,
    updates,
)
from fakebotapi.state import MethodHandler

METHODS: dict[str, MethodHandler] = {
    **profile.HANDLERS,
    **updates.HANDLERS,
    **sending.HANDLERS,
    **editing.HANDLERS,
    **chat.HANDLERS,
    **forum.HANDLERS,
    **members.HANDLERS,
    **media.HANDLERS,
}
