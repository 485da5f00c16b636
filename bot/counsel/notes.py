"""What the bot writes into the counsellors' forum group (English, like the staff chats' texts).

Short and practical: the counsellors read these between answers. Nothing here ever names the
person: the topic's code is all there is.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from bot.counsel.rules import LONG_WAIT

RULE_LINES = (
    "<b>Wegweiser: conversations with people</b>",
    "• Each conversation is one topic, named by a random code and the person's language. "
    "You never see a name, username or phone number, and the person never sees yours.",
    "• Whatever you write in a topic goes to the person, under the team's name. "
    "Photos and files go too.",
    "• /close ends the conversation (the person is told and can start a new one).",
    "• A conversation in which nobody wrote for {idle} days is closed by the bot.",
    "• /block 7d ends it and refuses new ones for 7 days (12h, 7d, 2w …); for abuse only.",
    "• 🆘 in a topic's name: a message spoke of danger. The person got the emergency numbers "
    "at once; answer this topic first.",
    "• The bot keeps no message. The link code ↔ chat is deleted {days} days after the end, "
    "or at once when the person sends /delete.",
    "• Messages outside the hours are accepted; the first answer after {wait} minutes or more "
    "says sorry for the wait.",
)
RULES = "\n".join(RULE_LINES)


def rules(retention_days: int, idle_days: int) -> str:
    """The summary the bot pins in the group (/setup)."""
    wait = int(LONG_WAIT.total_seconds() // 60)
    return RULES.format(days=retention_days, wait=wait, idle=idle_days)


def opened(code: str, language: str) -> str:
    return (
        f"New conversation <b>{code}</b> ({language}). Write here to answer; "
        "/close ends it, /block 7d blocks it."
    )


def moved(code: str, language: str) -> str:
    return (
        f"Conversation <b>{code}</b> ({language}) goes on here: its earlier topic was deleted. "
        "Write here to answer."
    )


DANGER = (
    "🆘 The last message speaks of danger. The person got the emergency numbers and first "
    "help at once. Please answer now."
)
ENDED_BY_PERSON = "The person ended the conversation. Messages here no longer reach them."
DELETED_BY_PERSON = (
    "The person deleted their data (/delete). Messages here no longer reach them; "
    "delete this topic if it holds documents nobody needs any more."
)


def closed_idle(days: int) -> str:
    return (
        f"Closed: nobody wrote for {days} days. The person was told and can start a new "
        "conversation."
    )


CLOSED = "Closed. The person was told and can start a new conversation."
NOT_DELIVERED = "Not delivered: the person has blocked the bot or deleted the chat."


def refused(reason: str) -> str:
    """Telegram's reason is its own English words about the message (never its content)."""
    return (
        f"Not delivered: Telegram refused it ({escape(reason)}). "
        "A shorter message, or the text split in two, usually goes through."
    )


NO_CONVERSATION = "This topic has no open conversation: messages here reach nobody."
EDIT_NOT_DELIVERED = (
    "Edits do not reach the person: they keep the first version. Write a new message."
)
READY = "Ready. Send /setup here to pin the rules; conversations will appear as topics."
NEEDS_RIGHTS = (
    "Please make me an administrator who may manage topics and pin messages: until then no "
    "conversation can start here."
)
BLOCK_USAGE = "Usage: /block 7d (12h, 7d, 2w; 1 hour to 365 days)."
SET_UP = "Rules pinned. Conversations will appear as topics."
CANNOT_PIN = "Could not pin the rules: please make the bot an admin that may pin messages."


def blocked(until: datetime) -> str:
    return f"Blocked until {until:%Y-%m-%d %H:%M} UTC. The person was told."
