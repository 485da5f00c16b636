"""The answers to conversation (hello, thanks, bye, who are you, a person please, how does this
work) and the offer to go on in the language a message was written in.

A greeting or a thanks that got "nothing found" would read like being turned away: each is
answered as what it is, short, with the topics as the way forward.
"""

from __future__ import annotations

from bot import callbackdata as cb
from bot.answers.menus import category_buttons, help_text, topics_menu
from bot.answers.replies import Button, Reply
from bot.answers.texts import esc
from bot.callbackdata import Action
from bot.directory import Directory
from bot.i18n.translators import Translator, TranslatorRegistry
from bot.search.conversation.reader import Intent
from bot.search.conversation.reader import shipped as shipped_conversation
from bot.search.language.detector import language_of
from bot.search.outcome import SearchOutcome


def conversation(text: str, outcome: SearchOutcome) -> Intent | None:
    """What ``text`` says when it is conversation; never when it speaks of danger: the crisis
    stage runs first and wins ("hilfe", "помогите" get emergency help, not the help menu)."""
    if outcome.crisis:
        return None
    said = shipped_conversation().read(text)
    return said.intent if said is not None else None


def conversation_answer(
    intent: Intent, directory: Directory, tr: Translator, *, talk: bool = False
) -> list[Reply]:
    """What the bot says to a message that is conversation, not a search; ``talk``: the
    counsellors are set up (the chat layer answers "a person, please" with their intro)."""
    _ = tr.gettext
    city = directory.catalogue.region.name
    menu = category_buttons(directory.catalogue, tr)
    if intent is Intent.GREETING:
        lines = [
            _("Hello! I help you find support in {city}.").format(city=city),
            _("Free and without registration. Choose a topic or just write what you need."),
        ]
    elif intent is Intent.THANKS:
        lines = [_("You are welcome."), _("What do you need help with?")]
    elif intent is Intent.BYE:
        return [Reply(esc(_("Goodbye, take care! You can write to me at any time.")))]
    elif intent is Intent.WHO:
        lines = [
            _("I am a bot, not a person. I help you find support services in {city}.").format(
                city=city
            ),
            _("Free and without registration. Choose a topic or just write what you need."),
        ]
    elif intent is Intent.PERSON:
        return [person_answer(directory, tr)]
    else:
        return [help_text(tr, talk=talk), topics_menu(directory, tr, talk=talk)]
    return [Reply("\n".join(esc(line) for line in lines), menu)]


def person_answer(directory: Directory, tr: Translator) -> Reply:
    """ "I want to talk to a person" when no counsellors are set up: honestly what exists. The
    bot cannot hand over a chat; the advice services of the catalogue are people one can call
    or visit. (With counsellors, :func:`bot.answers.counsel.intro` answers instead.)"""
    _ = tr.gettext
    lines = [
        _("I am a bot, so I cannot connect you with a person here."),
        _("The advice services in these topics are people: you can call them or go there."),
        _("If you are in danger, tap 🆘 Emergency."),
    ]
    return Reply("\n".join(esc(line) for line in lines), category_buttons(directory.catalogue, tr))


def language_offer(written: Translator, setting: Translator) -> Reply:
    """After answering in the language a message was written in: keep it (saved as the
    setting), or go back to the setting. Each button speaks its own language."""
    return Reply(
        # I18N: name your own language, as in "OK, I will write in English from now on."
        esc(written.gettext("You wrote in English, so I answered in English.")),
        (
            (
                Button(
                    # I18N: a button; name your own language ("Auf Deutsch weiter").
                    "🌐 " + written.gettext("Continue in English"),
                    cb.encode(Action.LANGUAGE, written.code),
                ),
                Button(
                    setting.gettext("Continue in English"), cb.encode(Action.LANGUAGE, setting.code)
                ),
            ),
        ),
    )


def written_language(
    text: str, setting: Translator, translators: TranslatorRegistry
) -> Translator | None:
    """The shipped language ``text`` is clearly written in, when it is not the setting."""
    code = language_of(text, setting.code)
    if code is None or code == setting.code:
        return None
    return translators.get(code)
