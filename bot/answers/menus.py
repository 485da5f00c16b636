"""The answers around the conversation: /start, /help, the topic menu, languages, /about,
/privacy and /delete.

None of them depends on what the reader searched; the topic menu (:func:`category_buttons`)
is also the way forward that every empty or outdated answer offers.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import callbackdata as cb
from bot.answers.counsel import talk_row
from bot.answers.replies import Button, Keyboard, Reply
from bot.answers.texts import esc
from bot.callbackdata import Action
from bot.catalogue.model import Catalogue, Category
from bot.catalogue.status import verified_range
from bot.directory import Directory
from bot.i18n.localized import format_date
from bot.i18n.translators import Translator, TranslatorRegistry


def category_label(catalogue: Catalogue, category: Category, tr: Translator) -> str:
    """A topic as its button and its list's heading show it: icon, then name."""
    name = catalogue.text(category.name, tr.code)
    return f"{category.icon} {name}" if category.icon else name


def open_now_button(tr: Translator, category_id: str = "") -> Button:
    """ "🟢 Open now": what is open now, in the topic (or in all of them)."""
    return Button("🟢 " + tr.gettext("Open now"), cb.encode(Action.OPEN, category_id, 0, "now"))


def category_buttons(catalogue: Catalogue, tr: Translator) -> Keyboard:
    """Two categories per row, then Open now, Emergency and Language: one thumb reaches
    everything."""
    buttons = [
        Button(category_label(catalogue, c, tr), cb.encode(Action.CATEGORY, c.id, 0))
        for c in catalogue.categories
    ]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append(
        (
            open_now_button(tr),
            Button("🆘 " + tr.gettext("Emergency"), cb.encode(Action.EMERGENCY)),
            Button("🌐 " + tr.gettext("Language"), cb.encode(Action.LANGUAGE_MENU)),
        )
    )
    return tuple(rows)


def expired_button(directory: Directory, tr: Translator) -> Reply:
    """A button from an older list: answer kindly and offer the menu."""
    return Reply(
        esc(tr.gettext("This button is out of date. Please choose again.")),
        category_buttons(directory.catalogue, tr),
    )


def welcome(directory: Directory, tr: Translator, *, talk: bool = False) -> list[Reply]:
    """/start: greeting, one line on privacy, the keyboard and the topic menu (with "Write to
    a person" when the counsellors are set up: ``talk``)."""
    _ = tr.gettext
    region = directory.catalogue.region.name
    greeting = "\n".join(
        [
            "<b>"
            + esc(_("Hello! I help you find support in {city}.").format(city=region))
            + "</b>",
            esc(_("Free and without registration. Choose a topic or just write what you need.")),
            "",
            "🔒 " + esc(_("I do not keep your messages or your name. More: /privacy")),
        ]
    )
    return [Reply(greeting, main_keyboard=True), topics_menu(directory, tr, talk=talk)]


def topics_menu(directory: Directory, tr: Translator, *, talk: bool = False) -> Reply:
    """The category menu as its own message; ``talk`` adds "Write to a person" at the end."""
    rows = category_buttons(directory.catalogue, tr)
    return Reply(
        esc(tr.gettext("What do you need help with?")),
        (*rows, talk_row(tr)) if talk else rows,
    )


def language_menu(translators: TranslatorRegistry, tr: Translator) -> Reply:
    """Every shipped language, named in its own language and script."""
    buttons = [
        Button(
            ("✓ " if t.code == tr.code else "") + t.native_name, cb.encode(Action.LANGUAGE, code)
        )
        for code, t in translators.items()
    ]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Reply(esc(tr.gettext("Choose your language:")), rows)


def language_set(directory: Directory, tr: Translator, *, talk: bool = False) -> list[Reply]:
    """Confirmation in the new language, with the keyboard and menu redrawn in it."""
    confirmation = Reply(
        esc(tr.gettext("OK, I will write in English from now on.")), main_keyboard=True
    )
    return [confirmation, topics_menu(directory, tr, talk=talk)]


def _bulleted(title: str, points: Sequence[str], after: Sequence[str] = ()) -> str:
    """A bold title, one bullet per sentence, then extra lines (already HTML) after a gap."""
    lines = ["<b>" + esc(title) + "</b>", *("• " + esc(point) for point in points)]
    if after:
        lines.extend(["", *after])
    return "\n".join(lines)


def help_text(tr: Translator, *, talk: bool = False) -> Reply:
    """/help: how to use the bot, in a few short lines, then the command menu."""
    _ = tr.gettext
    talking = [_("💬 Write to a person: people from a counselling team answer you.")]
    points = [
        _(
            "Write what you need, in your language. For example: “food”, “debt”, "
            "“doctor without insurance”."
        ),
        _("Or tap a topic."),
        _("📍 Near me: send your location to see offers close to you."),
        _("🆘 Emergency: numbers that help right now."),
        *(talking if talk else ()),
    ]
    listed = bot_commands(tr, talk=talk)
    commands = [f"/{name} – {esc(text)}" for name, text in listed if name != "help"]
    return Reply(_bulleted(_("How I can help"), points, commands), main_keyboard=True)


def bot_commands(tr: Translator, *, talk: bool = False) -> tuple[tuple[str, str], ...]:
    """The command menu Telegram shows beside the input field (set_my_commands), per language;
    /talk only when the counsellors are set up (``talk``).

    Reuses the /help wording, so translators translate each description once.
    """
    _ = tr.gettext
    # I18N: The /talk command in Telegram's command menu: chat with real people.
    talking = (("talk", _("write to a person")),) if talk else ()
    return (
        ("start", _("main menu")),
        *talking,
        ("emergency", _("emergency numbers")),
        # I18N: The /now command in Telegram's command menu.
        ("now", _("what is open now")),
        ("language", _("change language")),
        ("help", _("How I can help")),
        ("clear", _("delete our recent messages")),
        ("privacy", _("what I store")),
        ("delete", _("forget everything about me")),
        ("about", _("about this bot")),
    )


def about(directory: Directory, tr: Translator) -> Reply:
    """/about: city, number of services, and how old the entries are: the days staff checked
    them, never the file's modification time (a fresh clone would look "updated today")."""
    _ = tr.gettext
    catalogue = directory.catalogue
    count = len(catalogue.services)
    lines = [
        "<b>" + esc(_("Wegweiser {city}").format(city=catalogue.region.name)) + "</b>",
        esc(
            tr.ngettext(
                "I know {count} offer in {city}.", "I know {count} offers in {city}.", count
            ).format(count=count, city=catalogue.region.name)
        ),
        *(esc(line) for line in verified_sentences(catalogue, tr)),
        esc(_("The information comes from public pages of the city and welfare organisations.")),
    ]
    return Reply("\n".join(lines))


def verified_sentences(catalogue: Catalogue, tr: Translator) -> list[str]:
    """The oldest and newest check of the entries, and how many were never checked; /about
    and the printed directory say the same."""
    checked = verified_range(s.last_verified for s in catalogue.services)
    sentences = []
    if checked is not None:
        oldest, newest = checked
        sentences.append(
            # I18N: {oldest} and {newest} are full dates, e.g. "1 March 2024".
            tr.gettext("The entries were last checked between {oldest} and {newest}.").format(
                oldest=format_date(oldest, tr), newest=format_date(newest, tr)
            )
        )
    unchecked = sum(1 for s in catalogue.services if s.last_verified is None)
    if unchecked:
        sentences.append(
            tr.ngettext(
                "{count} entry has no date of its last check.",
                "{count} entries have no date of their last check.",
                unchecked,
            ).format(count=unchecked)
        )
    return sentences


def privacy(tr: Translator, *, talk_days: int | None = None) -> Reply:
    """/privacy: what is stored and for how long; ``talk_days``: the counsellors are set up
    and keep the link to a conversation that long after it ends."""
    _ = tr.gettext
    talking = []
    if talk_days is not None:
        talking.append(
            tr.ngettext(
                "When you write to a person, I keep a code that links your chat to the "
                "conversation, until {count} day after it ends. Never your messages.",
                "When you write to a person, I keep a code that links your chat to the "
                "conversation, until {count} days after it ends. Never your messages.",
                talk_days,
            ).format(count=talk_days)
        )
    points = [
        _(
            "I store your language choice and the last day you used me. "
            "After 180 days without use, this is deleted."
        ),
        _("I do not keep your messages, your name or your phone number."),
        _(
            "Until I have answered a message, it is stored briefly so that nothing is lost "
            "if I restart. Then it is deleted."
        ),
        _(
            "For statistics, I keep the day, the language and the topic of each search, "
            "without any link to you. Of searches that found nothing, I keep only words "
            "that at least 3 different people wrote, never numbers or addresses."
        ),
        _(
            "Your location is used only to sort offers by distance. I keep it for "
            "30 minutes, never in a database."
        ),
        _("For /clear I remember the numbers of our messages for 48 hours."),
        *talking,
    ]
    after = [
        esc(
            _(
                "/delete deletes everything about you. /clear deletes our messages from the "
                "last 48 hours. To remove the whole chat, also delete it in Telegram."
            )
        )
    ]
    return Reply(_bulleted(_("Your privacy"), points, after))


def delete_confirm(tr: Translator) -> Reply:
    """Ask before forgetting: the reader may have tapped by mistake."""
    return Reply(
        esc(tr.gettext("Delete everything I store about you (your language choice)?")),
        ((Button("🗑 " + tr.gettext("Yes, delete"), cb.encode(Action.DELETE_CONFIRM)),),),
    )


def deleted(tr: Translator) -> Reply:
    """After /delete."""
    return Reply(esc(tr.gettext("Done. I deleted everything I stored about you.")))


def cleared(tr: Translator) -> Reply:
    """After /clear; this message itself is harmless to leave on the phone."""
    return Reply(esc(tr.gettext("Chat cleared.")), main_keyboard=True)
