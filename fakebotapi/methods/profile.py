"""Bot API methods about the bot itself: getMe, its commands, descriptions and name.

Telegram keeps commands per (scope, language) and descriptions and names per language, and
falls back to the language-less value when a language has none.
"""

from __future__ import annotations

import copy
import json
import re

from fakebotapi.entities import JsonDict
from fakebotapi.errors import bad_request
from fakebotapi.params import Params
from fakebotapi.state import BotApiState, MethodHandler

MAX_BOT_COMMANDS = 100  # Bot API: setMyCommands takes at most 100 commands.
# The BotCommandScope types of the Bot API.
BOT_COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_BOT_COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE_PATTERN = re.compile(r"[a-z]{2}")
# Bot API limits: description 0-512, short description 0-120, name 0-64 characters.
_DESCRIPTION_LENGTH = 512
_SHORT_DESCRIPTION_LENGTH = 120
_NAME_LENGTH = 64


async def accept(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    """logOut and close: nothing to do for a local server, and Telegram answers true."""
    return True


async def get_me(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    return {
        **api.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _settings_key(params: Params, *, with_scope: bool = True) -> tuple[str, str]:
    """(scope, language_code): Telegram keeps commands and descriptions per both."""
    language = params.text("language_code") or ""
    if language and not _LANGUAGE_CODE_PATTERN.fullmatch(language):
        raise bad_request("invalid language code specified")  # wording: ours
    scope = params.json("scope") if with_scope else None
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in BOT_COMMAND_SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")  # wording: ours
    return json.dumps(scope, sort_keys=True), language


async def set_my_commands(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    commands = params.json("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")  # wording: ours
    if len(commands) > MAX_BOT_COMMANDS:
        raise bad_request("too many commands specified")  # wording: ours
    cleaned: list[JsonDict] = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("BotCommand must be an Object")  # wording: ours
        name = str(command.get("command", "")).removeprefix("/")
        description = str(command.get("description", ""))
        if not _BOT_COMMAND_PATTERN.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")  # wording: ours
        cleaned.append({"command": name, "description": description})
    api.commands[_settings_key(params)] = cleaned
    return True


async def get_my_commands(
    api: BotApiState, params: Params, files: dict[str, bytes]
) -> list[JsonDict]:
    return copy.deepcopy(api.commands.get(_settings_key(params), []))


async def delete_my_commands(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    api.commands.pop(_settings_key(params), None)
    return True


def _set_text_setting(api: BotApiState, params: Params, kind: str, limit: int) -> bool:
    value = params.text(kind) or ""
    if len(value) > limit:
        raise bad_request(f"{kind.upper()}_INVALID")  # wording: ours
    key = (kind, _settings_key(params, with_scope=False)[1])
    if value:
        api.descriptions[key] = value
    else:
        api.descriptions.pop(key, None)
    return True


def _get_text_setting(api: BotApiState, params: Params, kind: str) -> JsonDict:
    language = _settings_key(params, with_scope=False)[1]
    value = api.descriptions.get((kind, language)) or api.descriptions.get((kind, ""), "")
    return {kind: value}


async def set_my_description(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    return _set_text_setting(api, params, "description", _DESCRIPTION_LENGTH)


async def get_my_description(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    return _get_text_setting(api, params, "description")


async def set_my_short_description(
    api: BotApiState, params: Params, files: dict[str, bytes]
) -> bool:
    return _set_text_setting(api, params, "short_description", _SHORT_DESCRIPTION_LENGTH)


async def get_my_short_description(
    api: BotApiState, params: Params, files: dict[str, bytes]
) -> JsonDict:
    return _get_text_setting(api, params, "short_description")


async def set_my_name(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    return _set_text_setting(api, params, "name", _NAME_LENGTH)


async def get_my_name(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    result = _get_text_setting(api, params, "name")
    return {"name": result["name"] or api.bot_user["first_name"]}


HANDLERS: dict[str, MethodHandler] = {
    "getme": get_me,
    "logout": accept,
    "close": accept,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setmydescription": set_my_description,
    "getmydescription": get_my_description,
    "setmyshortdescription": set_my_short_description,
    "getmyshortdescription": get_my_short_description,
    "setmyname": set_my_name,
    "getmyname": get_my_name,
}
