"""Bot API methods that send a message: text, location, venue; and the checks they share.

The text rules mirror Telegram's: ``parse_mode`` HTML through Telegram's own parser, whitespace
trimmed at both ends, and at most 4096 characters after entity parsing. With the server's
``text_length_unit="characters"`` the limit counts Unicode code points of the visible text, as
the Bot API documentation words it; ``"utf16"`` is cautious about emoji-heavy texts. Entity
offsets and lengths are always UTF-16 code units, as Telegram sends them.
"""

from __future__ import annotations

import copy

from fakebotapi.chats import ChatState, StoredMessage
from fakebotapi.entities import JsonDict, trim_formatted_text, utf16_length, validate_entities
from fakebotapi.errors import bad_request
from fakebotapi.forum import bot_has_right, choose_topic, place_in_topic
from fakebotapi.html import EntityParseError, parse_telegram_html
from fakebotapi.markup import validate_reply_markup
from fakebotapi.methods.chat import writable_chat
from fakebotapi.params import Params
from fakebotapi.state import BotApiState, MethodHandler

MAX_MESSAGE_TEXT_LENGTH = 4096  # Bot API: text is "1-4096 characters after entities parsing".


def formatted_text(
    api: BotApiState, params: Params, name: str = "text"
) -> tuple[str, list[JsonDict]]:
    """Visible text and entities after parse_mode, with Telegram's empty/too-long checks."""
    source = params.text(name)
    if source is None or source == "":
        raise bad_request("message text is empty")
    text, entities = parse_formatted(api, params, source, "entities")
    if not text:
        raise bad_request("message text is empty")
    if visible_length(api, text) > MAX_MESSAGE_TEXT_LENGTH:
        raise bad_request("message is too long")
    return text, entities


def parse_formatted(
    api: BotApiState, params: Params, source: str, entities_name: str
) -> tuple[str, list[JsonDict]]:
    """A text or caption after ``parse_mode`` (or explicit entities), trimmed as Telegram does."""
    given_entities = params.json(entities_name)
    parse_mode = (params.text("parse_mode") or "").strip()
    if given_entities:
        text, entities = source, validate_entities(given_entities, source)
    elif parse_mode.lower() == "html":
        try:
            text, entities = parse_telegram_html(source, strict=api.strict_html)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif parse_mode == "":
        text, entities = source, []
    elif parse_mode.lower() in ("markdown", "markdownv2"):
        raise bad_request(
            "unsupported parse_mode: this fake server implements only HTML"  # wording: ours
        )
    else:
        raise bad_request("unsupported parse_mode")
    return trim_formatted_text(text, entities)


def visible_length(api: BotApiState, text: str) -> int:
    """A text's length in the unit the server counts (code points, or UTF-16 to be cautious)."""
    return utf16_length(text) if api.text_length_unit == "utf16" else len(text)


def store_bot_message(
    api: BotApiState, method: str, chat: ChatState, content: JsonDict, params: Params
) -> JsonDict:
    """Add the bot's message to the chat, with its keyboard, reply target and forum topic."""
    markup = validate_reply_markup(params.json("reply_markup"))
    replied = _reply_target(chat, params)
    topic = choose_topic(chat, params.integer("message_thread_id"), replied)
    if topic is not None and topic.closed and not bot_has_right(chat, "can_manage_topics"):
        raise bad_request("TOPIC_CLOSED")
    api.group_flood.admit(chat.id, api.now())
    message: JsonDict = {
        "message_id": chat.next_message_id(),
        "from": dict(api.bot_user),
        "chat": chat.as_api(),
        "date": api.now(),
        **content,
    }
    if replied is not None:
        target = copy.deepcopy(replied.message)
        target.pop("reply_to_message", None)  # Telegram nests one level only
        message["reply_to_message"] = target
    place_in_topic(chat, message, topic)
    if markup is not None and "inline_keyboard" in markup:
        message["reply_markup"] = markup
    elif markup is not None and "keyboard" in markup:
        chat.reply_keyboard = markup
    elif markup is not None and "remove_keyboard" in markup:
        chat.reply_keyboard = None
    chat.messages[message["message_id"]] = StoredMessage(message=message, from_bot=True)
    api.record_action("sent", method, chat.id, message["message_id"], message, params)
    return copy.deepcopy(message)


def _reply_target(chat: ChatState, params: Params) -> StoredMessage | None:
    """The message being replied to, if the call names one that still exists."""
    reply_parameters = params.json("reply_parameters")
    if isinstance(reply_parameters, dict):
        message_id = reply_parameters.get("message_id")
        allow_missing = bool(reply_parameters.get("allow_sending_without_reply"))
    else:
        message_id = params.integer("reply_to_message_id")
        allow_missing = params.flag("allow_sending_without_reply")
    if message_id is None:
        return None
    stored = chat.messages.get(int(message_id))
    if stored is None or stored.deleted:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return stored


def _location_from(params: Params) -> JsonDict:
    latitude = params.number("latitude")
    longitude = params.number("longitude")
    if latitude is None or longitude is None:
        raise bad_request("location is not specified")  # wording: ours
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong latitude or longitude specified")  # wording: ours
    location: JsonDict = {"latitude": latitude, "longitude": longitude}
    accuracy = params.number("horizontal_accuracy")
    if accuracy is not None:
        if not 0 <= accuracy <= 1500:
            raise bad_request("wrong horizontal accuracy specified")  # wording: ours
        location["horizontal_accuracy"] = accuracy
    return location


async def send_message(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat = writable_chat(api, params)
    text, entities = formatted_text(api, params)
    content: JsonDict = {"text": text}
    if entities:
        content["entities"] = entities
    return store_bot_message(api, "sendMessage", chat, content, params)


async def send_location(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat = writable_chat(api, params)
    location = _location_from(params)
    live_period = params.integer("live_period")
    if live_period is not None:
        if not (60 <= live_period <= 86400 or live_period == 0x7FFFFFFF):
            raise bad_request("wrong live period specified")  # wording: ours
        location["live_period"] = live_period
    return store_bot_message(api, "sendLocation", chat, {"location": location}, params)


async def send_venue(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat = writable_chat(api, params)
    location = _location_from(params)
    venue: JsonDict = {"location": location}
    for name in ("title", "address"):
        value = params.text(name)
        if not value:
            raise bad_request(f"venue {name} is empty")  # wording: ours
        venue[name] = value
    for name in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
        if params.present(name):
            venue[name] = params.text(name)
    content = {"venue": venue, "location": dict(location)}
    return store_bot_message(api, "sendVenue", chat, content, params)


HANDLERS: dict[str, MethodHandler] = {
    "sendmessage": send_message,
    "sendlocation": send_location,
    "sendvenue": send_venue,
}
