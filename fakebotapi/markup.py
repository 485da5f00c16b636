"""Reply markup: the inline and reply keyboards Telegram accepts, stored as Telegram stores them."""

from __future__ import annotations

from typing import Any

from fakebotapi.entities import JsonDict
from fakebotapi.errors import bad_request
from fakebotapi.links import is_valid_button_url

MAX_CALLBACK_DATA_BYTES = 64  # Bot API: callback_data is "1-64 bytes".
MAX_INLINE_KEYBOARD_BUTTONS = 100  # Telegram refuses inline keyboards with more buttons.
# An inline button needs exactly one of these (Bot API, InlineKeyboardButton).
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
# A reply keyboard button may ask for at most one of these (Bot API, KeyboardButton).
REPLY_BUTTON_REQUESTS = (
    "request_users",
    "request_chat",
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
)


def validate_reply_markup(markup: Any) -> JsonDict | None:
    """Refuse keyboards Telegram refuses; return the markup as Telegram would store it."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _validate_inline_keyboard(markup["inline_keyboard"])}
    if "keyboard" in markup:
        rows = _validate_reply_keyboard(markup["keyboard"])
        return {**{k: v for k, v in markup.items() if v is not None}, "keyboard": rows}
    if markup.get("remove_keyboard") is True:
        return {"remove_keyboard": True}
    if markup.get("force_reply") is True:
        return {k: v for k, v in markup.items() if v is not None}
    raise bad_request("can't parse reply keyboard markup JSON object")


def _validate_inline_keyboard(rows: Any) -> list[list[JsonDict]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    prefix = "can't parse inline keyboard button: "
    if sum(len(row) for row in rows) > MAX_INLINE_KEYBOARD_BUTTONS:
        raise bad_request("reply markup is too long")
    cleaned: list[list[JsonDict]] = []
    for row in rows:
        cleaned_row: list[JsonDict] = []
        for button in row:
            if not isinstance(button, dict):
                raise bad_request(prefix + "InlineKeyboardButton must be an Object")
            if not isinstance(button.get("text"), str):
                raise bad_request(prefix + 'Field "text" must be of type String')
            actions = [a for a in INLINE_BUTTON_ACTIONS if button.get(a) not in (None, False)]
            if not actions:
                raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise bad_request(  # wording: ours; Telegram silently uses one of them
                    prefix + f"exactly one optional field must be set, got {', '.join(actions)}"
                )
            if not button["text"].strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            if "callback_data" in actions:
                data = button["callback_data"]
                if not isinstance(data, str) or not (
                    1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in actions and not (
                isinstance(button["url"], str) and is_valid_button_url(button["url"])
            ):
                raise bad_request("BUTTON_URL_INVALID")
            cleaned_row.append({k: v for k, v in button.items() if v is not None})
        if cleaned_row:
            cleaned.append(cleaned_row)
    return cleaned


def _validate_reply_keyboard(rows: Any) -> list[list[JsonDict]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
        )
    prefix = "can't parse keyboard button: "
    cleaned: list[list[JsonDict]] = []
    for row in rows:
        cleaned_row: list[JsonDict] = []
        for button in row:
            if isinstance(button, str):
                button = {"text": button}
            if not isinstance(button, dict):
                raise bad_request(prefix + "KeyboardButton must be a String or an Object")
            if not isinstance(button.get("text"), str) or not button["text"].strip():
                raise bad_request(prefix + 'Field "text" must be a non-empty String')  # ours
            requests = [r for r in REPLY_BUTTON_REQUESTS if button.get(r) not in (None, False)]
            if len(requests) > 1:
                raise bad_request(prefix + "a button can request only one thing")  # ours
            cleaned_row.append({k: v for k, v in button.items() if v is not None})
        if cleaned_row:
            cleaned.append(cleaned_row)
    if not cleaned:
        raise bad_request("keyboard must be non-empty")  # wording: ours
    return cleaned


def inline_markup_only(markup: JsonDict | None) -> JsonDict | None:
    """Edits take inline keyboards only; an empty one removes the keyboard, as in Telegram."""
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")  # wording: ours
    if markup is not None and not markup["inline_keyboard"]:
        return None  # an empty inline keyboard removes the keyboard
    return markup
