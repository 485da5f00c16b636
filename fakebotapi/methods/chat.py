"""Bot API methods about a chat rather than one message, and which chat a call means.

Chat actions (in a forum topic too), getChat, leaveChat, the answer to a button press.
"""

from __future__ import annotations

from fakebotapi.chats import ChatState
from fakebotapi.entities import JsonDict
from fakebotapi.errors import ApiError, bad_request
from fakebotapi.forum import choose_topic
from fakebotapi.params import Params
from fakebotapi.state import BotApiState, MethodHandler

MAX_CALLBACK_ANSWER_LENGTH = 200  # Bot API: answerCallbackQuery text is "0-200 characters".

# The actions the Bot API documents for sendChatAction; anything else is refused.
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def chat_from(api: BotApiState, params: Params, name: str = "chat_id") -> ChatState:
    """The chat a call names by id or "@username"; Telegram knows only chats that wrote first."""
    value = params.values.get(name)
    if value is None or value == "":
        raise bad_request("chat_id is empty")
    if isinstance(value, str) and value.startswith("@"):
        wanted = value[1:].lower()
        for chat in api.chats.values():
            if chat.username is not None and chat.username.lower() == wanted:
                return chat
        raise bad_request("chat not found")
    try:
        chat_id = params.integer(name)
    except ApiError:
        raise bad_request("chat not found") from None
    chat = api.chats.get(chat_id) if chat_id is not None else None
    if chat is None:
        raise bad_request("chat not found")
    return chat


def writable_chat(api: BotApiState, params: Params) -> ChatState:
    """The chat a call names, refused with Telegram's 403s when the bot may not write there."""
    chat = chat_from(api, params)
    kind = "supergroup" if chat.type == "supergroup" else "group"
    if chat.type == "private" and chat.bot_status == "kicked":
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    if chat.type != "private" and chat.bot_status == "kicked":
        raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
    if chat.type != "private" and chat.bot_status == "left":
        raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")
    return chat


async def send_chat_action(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    chat = writable_chat(api, params)
    action = params.text("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    choose_topic(chat, params.integer("message_thread_id"), None)  # the topic must exist
    chat.last_chat_action = action
    api.record_action("chat_action", "sendChatAction", chat.id, None, None, params)
    return True


async def answer_callback_query(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    """Telegram takes one answer per button press, and only while the press is fresh."""
    query_id = params.text("callback_query_id") or ""
    state = api.callback_queries.get(query_id)
    if state is None or state.answered:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.text("text") or ""
    if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")
    state.answered = True
    api.record_action("callback_answered", "answerCallbackQuery", state.chat_id, None, None, params)
    return True


async def get_chat(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat = chat_from(api, params)
    return {
        **chat.as_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


async def leave_chat(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    chat = chat_from(api, params)
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    chat.bot_status = "left"
    return True


HANDLERS: dict[str, MethodHandler] = {
    "sendchataction": send_chat_action,
    "answercallbackquery": answer_callback_query,
    "getchat": get_chat,
    "leavechat": leave_chat,
}
