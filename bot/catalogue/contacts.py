"""Contact without a voice: chat, messenger, text message, e-mail counselling, an app.

Someone who cannot speak aloud (the abuser is in the room, a deaf person, no German on the
phone) needs these first; the crisis answer and the cards show them with their hours.
"""

from __future__ import annotations

from pydantic import ValidationInfo, field_validator, model_validator

from bot.catalogue.fields import (
    EMAIL_ADDRESS,
    HTTPS_ADDRESS,
    OnlineKind,
    phone_is_valid,
    staff_error,
)
from bot.catalogue.localized import Frozen, LocalizedText
from bot.hours.syntax import opening_hours_error

ADDRESS_BY_KIND = {
    "chat": "an https:// address of the chat page",
    "messenger": "an https:// link (wa.me/…, signal.me/…) or a mobile number",
    "sms": "the number to text",
    "email": "the e-mail address or the https:// address of the mail counselling form",
    "app": "an https:// address where the app is described",
    "video": "an https:// address of the video counselling page",
}
"""What ``address`` holds for each kind, in the words the validator uses."""


class OnlineContact(Frozen):
    """One way to reach a service in writing or on screen, with its hours."""

    kind: OnlineKind
    address: str
    hours: str | None = None
    note: LocalizedText | None = None

    @field_validator("hours")
    @classmethod
    def _osm_syntax(cls, value: str | None) -> str | None:
        problem = opening_hours_error(value) if value is not None else None
        if problem:
            raise staff_error(f'"{value}" is {problem}. Example: "24/7" or "Mo-Fr 14:00-20:00"')
        return value

    @model_validator(mode="after")
    def _address_fits_kind(self, info: ValidationInfo) -> OnlineContact:
        country = str((info.context or {}).get("country", "DE"))
        address = self.address.strip()
        fits = {
            "chat": HTTPS_ADDRESS.match(address) is not None,
            "app": HTTPS_ADDRESS.match(address) is not None,
            "video": HTTPS_ADDRESS.match(address) is not None,
            "messenger": HTTPS_ADDRESS.match(address) is not None
            or phone_is_valid(address, country),
            "sms": phone_is_valid(address, country),
            "email": EMAIL_ADDRESS.match(address) is not None
            or HTTPS_ADDRESS.match(address) is not None,
        }[self.kind]
        if not fits:
            raise staff_error(
                f"`address: {address}` does not fit `kind: {self.kind}`; write "
                f"{ADDRESS_BY_KIND[self.kind]}"
            )
        return self
