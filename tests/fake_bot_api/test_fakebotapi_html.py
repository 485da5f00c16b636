"""The fake server's text stages on their own: the HTML parser, entities and link checks.

``test_fakebotapi.py`` checks the same rules through python-telegram-bot over HTTP; these
tests pin each stage directly, so a failure names the stage that broke.
"""

from __future__ import annotations

import pytest

from fakebotapi.entities import JsonDict, bot_command_entities, trim_formatted_text
from fakebotapi.html import EntityParseError, parse_telegram_html
from fakebotapi.links import checked_link, is_valid_button_url


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        (  # code with a language inside pre becomes one pre entity with that language
            '<pre><code class="language-python">x=1</code></pre>',
            "x=1",
            [{"type": "pre", "offset": 0, "length": 3, "language": "python"}],
        ),
        (  # a language counts only inside pre
            '<code class="language-py">x</code>',
            "x",
            [{"type": "code", "offset": 0, "length": 1}],
        ),
        (  # same span: Telegram orders bold before italic
            "<i><b>ab</b></i>",
            "ab",
            [
                {"type": "bold", "offset": 0, "length": 2},
                {"type": "italic", "offset": 0, "length": 2},
            ],
        ),
        (  # offsets count UTF-16 code units: the emoji is two
            "😀<b>x</b>",
            "😀x",
            [{"type": "bold", "offset": 2, "length": 1}],
        ),
        (
            "<blockquote expandable>q</blockquote>",
            "q",
            [{"type": "expandable_blockquote", "offset": 0, "length": 1}],
        ),
        (
            '<span class="tg-spoiler">s</span>',
            "s",
            [{"type": "spoiler", "offset": 0, "length": 1}],
        ),
        (  # a link without a scheme gets http://
            '<a href="example.org">x</a>',
            "x",
            [{"type": "text_link", "offset": 0, "length": 1, "url": "http://example.org"}],
        ),
        ('<a href="foo">x</a>', "x", []),  # Telegram silently drops a link it cannot use
        ("A &amp; B &#65; &#x42;", "A & B A B", []),
    ],
)
def test_html_becomes_text_and_entities(html: str, text: str, entities: list[JsonDict]) -> None:
    assert parse_telegram_html(html) == (text, entities)


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<tg-emoji emoji-id="x">👍</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_html_errors_name_the_problem_as_telegram_does(html: str, message: str) -> None:
    with pytest.raises(EntityParseError, match=message.replace("(", r"\(")):
        parse_telegram_html(html)


def test_strict_mode_refuses_a_bare_ampersand_that_telegram_keeps() -> None:
    with pytest.raises(EntityParseError, match='Character "&" at byte offset 2'):
        parse_telegram_html("A & B")
    assert parse_telegram_html("A & B", strict=False) == ("A & B", [])


def test_trimming_clips_entities_to_the_visible_text() -> None:
    entities = [{"type": "bold", "offset": 1, "length": 4}]
    assert trim_formatted_text("  ab  ", entities) == (
        "ab",
        [{"type": "bold", "offset": 0, "length": 2}],
    )


def test_typed_commands_get_bot_command_entities_at_word_starts_only() -> None:
    assert bot_command_entities("/start und /help@wegweiser_bot, nicht a/b oder /x/y") == [
        {"type": "bot_command", "offset": 0, "length": 6},
        {"type": "bot_command", "offset": 11, "length": 19},
    ]


@pytest.mark.parametrize(
    ("url", "kept_as_link", "valid_on_a_button"),
    [
        ("example.org", "http://example.org", False),  # a button must name its scheme
        ("http://localhost", None, False),  # no dot, no real host
        ("http://münchen.de", "http://münchen.de", True),
        ("http://1.2.3.4", "http://1.2.3.4", True),
        ("tg://resolve?domain=x", "tg://resolve?domain=x", True),
        ("ftp://x.org", None, False),
        ("http://example.123", None, False),  # a TLD is never all digits
    ],
)
def test_links_and_button_urls(url: str, kept_as_link: str | None, valid_on_a_button: bool) -> None:
    assert checked_link(url) == kept_as_link
    assert is_valid_button_url(url) is valid_on_a_button
