"""Voice, stickers, photos and files get a hint; groups get one sentence, then silence."""

from __future__ import annotations

import pytest
from conftest import USER, Person, plain

from bot.answers import replies
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

GROUP = -100555


@pytest.mark.parametrize("kind", ["voice", "sticker", "photo", "document"])
@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_media_gets_a_friendly_hint(
    server: FakeBotApi, app: object, translators: TranslatorRegistry, kind: str, code: str
) -> None:
    user = {"language_code": code}
    if kind == "voice":
        turn = await server.user_sends_voice(USER, **user)
    elif kind == "sticker":
        turn = await server.user_sends_sticker(USER, **user)
    elif kind == "photo":
        turn = await server.user_sends_photo(USER, caption="<b>hallo</b>", **user)
    else:
        document = {"file_id": "F1", "file_unique_id": "u1", "file_name": "brief.pdf"}
        turn = await server.user_sends(USER, {"document": document}, **user)
    (answer,) = await turn.replies()
    assert answer["text"] == plain(replies.media_hint(translators[code]).text)


async def test_added_to_a_group_says_once_that_it_only_talks_privately(
    server: FakeBotApi, app: object, translators: TranslatorRegistry
) -> None:
    turn = await server.bot_added_to_group(GROUP, language_code="uk")
    (notice,) = await turn.replies()
    assert notice["text"] == plain(replies.private_only(translators["uk"]).text)
    for text in ["/start", "Lebensmittel", "/start@wegweiser_test_bot"]:
        said = await server.user_sends_text(GROUP, text, chat_type="group", user_id=77)
        assert await said.replies(0) == []
    sticker = await server.user_sends_sticker(GROUP, chat_type="group", user_id=77)
    assert await sticker.replies(0) == []


async def test_blocking_the_bot_is_no_error(server: FakeBotApi, app: object) -> None:
    person = Person(server)
    await person.says("/start", count=2)
    blocked = await server.user_blocks_bot(USER)
    assert await blocked.replies(0) == []
    unblocked = await server.user_unblocks_bot(USER)
    assert await unblocked.replies(0) == []
    assert len(await person.says("/help")) == 1
