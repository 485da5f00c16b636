"""Bot API methods for files: sendPhoto, sendDocument, copyMessage, getFile.

Telegram's rules mirrored here: a file is sent by the file_id of a file the server knows (or
uploaded); an unknown file_id is "wrong file identifier/HTTP URL specified", one of another
type "type of file mismatch". A caption is 0-1024 characters after entity parsing.
copyMessage sends the content again without a link to the original (no ``forward_origin``),
keeps or replaces the caption, refuses service messages, and returns only a MessageId.
getFile serves files up to 20 MB.
"""

from __future__ import annotations

import copy

from fakebotapi.chats import ChatState, is_service_message
from fakebotapi.entities import JsonDict
from fakebotapi.errors import bad_request
from fakebotapi.methods.chat import chat_from, writable_chat
from fakebotapi.methods.sending import parse_formatted, store_bot_message, visible_length
from fakebotapi.params import Params
from fakebotapi.state import BotApiState, MethodHandler, StoredFile

MAX_CAPTION_LENGTH = 1024  # Bot API: caption "0-1024 characters after entities parsing".
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # Bot API, getFile: "files of up to 20MB in size".
# The fields of a message that are its content, which copyMessage sends again.
MEDIA_KEYS = ("photo", "document", "voice", "audio", "video", "animation", "sticker")
NOT_COPIED = frozenset(
    {
        "message_id",
        "from",
        "sender_chat",
        "chat",
        "date",
        "edit_date",
        "message_thread_id",
        "is_topic_message",
        "reply_to_message",
        "reply_markup",
        "forward_origin",
        "is_automatic_forward",
        "author_signature",
        "via_bot",
        "media_group_id",
    }
)


def caption_content(api: BotApiState, params: Params) -> JsonDict | None:
    """``{"caption": ..., "caption_entities": ...}`` from the call; ``{}`` removes a caption;
    ``None`` when the call has no caption parameter."""
    source = params.text("caption")
    if source is None:
        return None
    caption, entities = parse_formatted(api, params, source, "caption_entities")
    if visible_length(api, caption) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    content: JsonDict = {}
    if caption:
        content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
    return content


def _file_argument(
    api: BotApiState, params: Params, files: dict[str, bytes], name: str, kind: str
) -> tuple[str, StoredFile] | bytes:
    """The stored file a call names by file_id, or the bytes it uploads."""
    value = params.text(name) or ""
    if name in files:
        return files[name]
    if value.startswith("attach://") and value[len("attach://") :] in files:
        return files[value[len("attach://") :]]
    if not value:
        raise bad_request(f"there is no {name} in the request")
    stored = api.stored_files.get(value)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != kind:
        raise bad_request("type of file mismatch")
    return value, stored


async def send_photo(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat = writable_chat(api, params)
    argument = _file_argument(api, params, files, "photo", "photos")
    if isinstance(argument, bytes):
        photo = api.register_photo(argument)
    else:
        file_id, stored = argument
        sizes = stored.sizes or (file_id,)
        photo = [api.stored_files[size].as_api(size) for size in sizes]
    return _send_media(api, "sendPhoto", chat, {"photo": photo}, params)


async def send_document(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat = writable_chat(api, params)
    argument = _file_argument(api, params, files, "document", "documents")
    if isinstance(argument, bytes):
        # The multipart file name is not kept by this server; Telegram would show it.
        document = api.register_file("documents", "bin", argument)
    else:
        file_id, stored = argument
        document = stored.as_api(file_id)
    return _send_media(api, "sendDocument", chat, {"document": document}, params)


def _send_media(
    api: BotApiState, method: str, chat: ChatState, content: JsonDict, params: Params
) -> JsonDict:
    content.update(caption_content(api, params) or {})
    return store_bot_message(api, method, chat, content, params)


async def copy_message(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    """The message's content again, by the bot, without a link to where it came from."""
    chat = writable_chat(api, params)
    source_chat = chat_from(api, params, "from_chat_id")
    message_id = params.integer("message_id")
    stored = source_chat.messages.get(message_id) if message_id is not None else None
    if stored is None or stored.deleted:
        raise bad_request("message to copy not found")
    original = stored.message
    if is_service_message(original):
        raise bad_request("message can't be copied")
    content = {
        key: copy.deepcopy(value) for key, value in original.items() if key not in NOT_COPIED
    }
    new_caption = caption_content(api, params)
    if new_caption is not None and any(key in content for key in MEDIA_KEYS):
        content.pop("caption", None)
        content.pop("caption_entities", None)
        content.update(new_caption)
    sent = store_bot_message(api, "copyMessage", chat, content, params)
    return {"message_id": sent["message_id"]}


async def get_file(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    file_id = params.text("file_id") or ""
    stored = api.stored_files.get(file_id)
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.content) > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return {
        "file_id": file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


HANDLERS: dict[str, MethodHandler] = {
    "sendphoto": send_photo,
    "senddocument": send_document,
    "copymessage": copy_message,
    "getfile": get_file,
}
