"""People sending files: voice notes, stickers, photos and documents (a PDF of a letter ...).

Each file is stored so that ``getFile``, the file URL, ``sendPhoto``/``sendDocument`` by
file_id and ``copyMessage`` find it. Captions follow the apps: at most 1024 characters.
"""

from __future__ import annotations

from typing import Any

from fakebotapi.entities import JsonDict
from fakebotapi.errors import UserActionError
from fakebotapi.methods.media import MAX_CAPTION_LENGTH
from fakebotapi.turn import Turn
from fakebotapi.user import UserSide


def _with_caption(content: JsonDict, caption: str | None) -> JsonDict:
    if caption is not None:
        if len(caption.strip()) > MAX_CAPTION_LENGTH:
            raise UserActionError("Telegram apps do not send captions over 1024 characters")
        if caption.strip():
            content["caption"] = caption.strip()
    return content


class MediaSide(UserSide):
    """What people send besides text; ``**user`` takes the sender keywords of ``user_sends``."""

    async def user_sends_voice(
        self,
        chat_id: int,
        *,
        duration: int = 3,
        content: bytes = b"OggS fake voice note",
        **user: Any,
    ) -> Turn:
        """A user records a voice note; ``getFile`` and the file URL serve ``content``."""
        voice = self.register_file(
            "voice", "oga", content, {"duration": duration, "mime_type": "audio/ogg"}
        )
        return await self.user_sends(chat_id, {"voice": voice}, **user)

    async def user_sends_sticker(self, chat_id: int, *, emoji: str = "👍", **user: Any) -> Turn:
        """A user sends a plain (non-animated) sticker."""
        fields = {
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        sticker = self.register_file("stickers", "webp", b"RIFF fake sticker", fields)
        return await self.user_sends(chat_id, {"sticker": sticker}, **user)

    async def user_sends_photo(
        self,
        chat_id: int,
        *,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff fake jpeg",
        **user: Any,
    ) -> Turn:
        """A user sends a photo; Telegram delivers it in two sizes (PhotoSize list)."""
        message = _with_caption({"photo": self.register_photo(content)}, caption)
        return await self.user_sends(chat_id, message, **user)

    async def user_sends_document(
        self,
        chat_id: int,
        *,
        file_name: str = "Bescheid.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        content: bytes = b"%PDF-1.4 fake letter",
        **user: Any,
    ) -> Turn:
        """A user sends a file as a document (a PDF by default), with an optional caption.

        ``file_size`` is the length of ``content``: pass over 20 MB to meet getFile's limit.
        """
        if not content:
            raise UserActionError("Telegram apps do not send empty files")
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        fields = {"file_name": file_name, "mime_type": mime_type}
        document = self.register_file("documents", extension, content, fields)
        message = _with_caption({"document": document}, caption)
        return await self.user_sends(chat_id, message, **user)
