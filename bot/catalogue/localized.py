"""The base of every catalogue model, and texts in several languages.

Apart from :mod:`bot.catalogue.model` so that parts of a service defined in their own module
(:mod:`bot.catalogue.contacts`) share them without importing the whole model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, RootModel, ValidationInfo, model_validator

from bot.catalogue.fields import check_language_code, staff_error

FALLBACK_LANGUAGE = "en"
"""The contract's fallback after the reader's language, before the region's default."""


class Frozen(BaseModel):
    """Immutable, and an unknown field is an error (staff typos must not vanish)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class LocalizedText(RootModel[dict[str, str]]):
    """A text in several languages; a plain string counts as the region's default language."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_default_language(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            return {_default_language(info): value}
        return value

    @model_validator(mode="after")
    def _default_language_present(self, info: ValidationInfo) -> LocalizedText:
        default = _default_language(info)
        for code, text in self.root.items():
            check_language_code(code)
            if not text.strip():
                raise staff_error(f"the `{code}` text is empty; write the text or remove the line")
        if default not in self.root:
            present = ", ".join(self.root) or "none"
            raise staff_error(
                f"the text has no `{default}` version (the region's default language; "
                f"present: {present}). Add a line `{default}: …`"
            )
        return self

    def resolve(self, language: str, default_language: str) -> tuple[str, str]:
        """The text for ``language`` and the language it is really in (contract fallback)."""
        for code in (language, FALLBACK_LANGUAGE, default_language):
            if code in self.root:
                return self.root[code], code
        code, text = next(iter(self.root.items()))
        return text, code

    def all_texts(self) -> Iterator[tuple[str, str]]:
        """(language, text) pairs, for search indexing."""
        return iter(self.root.items())

    def __contains__(self, language: object) -> bool:
        return language in self.root


def _default_language(info: ValidationInfo) -> str:
    context = info.context or {}
    return str(context.get("default_language", "de"))
