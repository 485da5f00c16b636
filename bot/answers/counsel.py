"""What the person reads about talking to the counsellors: before, during and after.

Before anything is sent the intro says, short: who answers, when (and when next, if the team is
not there now), in which languages, that this is not for emergencies, what is kept and for how
long, and that the team never sees a name, username or phone number. One tap starts, one ends.
The team's own words reach the person through :func:`team_header`, under the team's name.
"""

from __future__ import annotations

from datetime import datetime

from bot import callbackdata as cb
from bot.answers.replies import Button, Reply
from bot.answers.texts import esc
from bot.callbackdata import Action
from bot.counsel.rules import team_is_open
from bot.counsel.settings import CounselSettings
from bot.directory import Directory
from bot.hours.describe import describe_hours, describe_state
from bot.hours.schedule import OpeningSchedule
from bot.i18n.localized import format_date, format_list
from bot.i18n.translators import Translator


def talk_label(tr: Translator) -> str:
    # I18N: A button that starts a chat with real people of a counselling team.
    return "💬 " + tr.gettext("Write to a person")


def talk_row(tr: Translator) -> tuple[Button, ...]:
    """The one button that leads to the intro (menu, help, nothing found, "a person please")."""
    return (Button(talk_label(tr), cb.encode(Action.TALK)),)


def stop_row(tr: Translator) -> tuple[Button, ...]:
    # I18N: A button that ends the chat with the counselling team.
    return (Button("✋ " + tr.gettext("End the conversation"), cb.encode(Action.TALK_STOP)),)


def _schedule(counsel: CounselSettings, directory: Directory) -> OpeningSchedule:
    region = directory.catalogue.region
    return counsel.schedule(region.timezone, region.country, region.state)


def _language_names(counsel: CounselSettings, tr: Translator) -> str:
    """The team's languages, named in the reader's language ("Arabisch, Deutsch und Englisch")."""
    names = tr.locale.languages
    return format_list([names.get(code, code) for code in counsel.languages], tr)


def emergency_line(directory: Directory, tr: Translator) -> str:
    """One line: not for emergencies; 112, 110 and the crisis lines one can write to."""
    chat_lines = [
        directory.catalogue.text(s.name, tr.code)
        for s in directory.catalogue.emergency_services
        if any(contact.kind == "chat" for contact in s.online)
    ]
    if not chat_lines:
        return esc(tr.gettext("Not for emergencies: in danger, call 112 or 110."))
    return esc(
        # I18N: {lines} names crisis services one can chat with, e.g. "krisenchat".
        tr.gettext("Not for emergencies: in danger, call 112 or 110, or write to {lines}.").format(
            lines=format_list(chat_lines, tr)
        )
    )


def intro(counsel: CounselSettings, directory: Directory, tr: Translator, now: datetime) -> Reply:
    """Before the first message: who, when, languages, not for emergencies, privacy; start."""
    _ = tr.gettext
    schedule = _schedule(counsel, directory)
    days = counsel.retention.days
    lines = [
        "<b>" + esc(_("Write to a person")) + "</b>",
        esc(_("People from {team} answer you here in this chat.").format(team=counsel.name)),
        esc(_("When: {hours}").format(hours=describe_hours(schedule, tr, now))),
    ]
    if not team_is_open(schedule, now):
        lines.append(
            esc(_("Right now: {state}").format(state=describe_state_of(schedule, tr, now)))
        )
    lines += [
        esc(_("Languages: {languages}").format(languages=_language_names(counsel, tr))),
        emergency_line(directory, tr),
        esc(_("The team does not see your name, your username or your phone number.")),
        esc(
            tr.ngettext(
                "I do not keep your messages. I keep only a code for the conversation and "
                "delete it {count} day after the end, or at once with /delete.",
                "I do not keep your messages. I keep only a code for the conversation and "
                "delete it {count} days after the end, or at once with /delete.",
                days,
            ).format(count=days)
        ),
    ]
    # I18N: A button under the explanation; tapping it opens the chat with the team.
    start = (Button("✅ " + _("Start the conversation"), cb.encode(Action.TALK_START)),)
    return Reply("\n".join(lines), (start,))


def describe_state_of(schedule: OpeningSchedule, tr: Translator, now: datetime) -> str:
    """ "Opens tomorrow at 09:00": when the team is there next."""
    return describe_state(schedule.state_at(now), tr, now)


def started(counsel: CounselSettings, directory: Directory, tr: Translator, now: datetime) -> Reply:
    """The conversation is open: write, a photo or PDF of a letter is fine too."""
    _ = tr.gettext
    lines = [
        esc(_("You are connected with {team}.").format(team=counsel.name)),
        esc(_("Write your question here. You can also send a photo or a PDF of a letter.")),
    ]
    schedule = _schedule(counsel, directory)
    if not team_is_open(schedule, now):
        lines.append(
            esc(_("Right now: {state}").format(state=describe_state_of(schedule, tr, now)))
        )
    return Reply("\n".join(lines), (stop_row(tr),))


def outside_hours(
    counsel: CounselSettings, directory: Directory, tr: Translator, now: datetime
) -> Reply:
    """A message outside the hours: it arrived, when the team answers, help that is there now."""
    _ = tr.gettext
    schedule = _schedule(counsel, directory)
    lines = [
        esc(_("Your message has arrived. The team is not there right now.")),
        esc(_("Right now: {state}").format(state=describe_state_of(schedule, tr, now))),
        emergency_line(directory, tr),
    ]
    return Reply("\n".join(lines))


def team_header(counsel: CounselSettings, tr: Translator, *, waited: bool) -> str:
    """The line above every answer of the team (HTML); after a long wait it says so."""
    header = f"💬 <b>{esc(counsel.name)}</b>"
    if waited:
        header += "\n" + esc(tr.gettext("Sorry that you had to wait."))
    return header


def closed_by_team(counsel: CounselSettings, tr: Translator) -> Reply:
    """The team ended the conversation; a new one is one tap away."""
    text = tr.gettext("{team} has ended the conversation. You can start a new one at any time.")
    return Reply(esc(text.format(team=counsel.name)), (talk_row(tr),))


def closed_idle(counsel: CounselSettings, tr: Translator) -> Reply:
    """Nobody wrote for a long time: the bot ended it; a new one is one tap away."""
    days = counsel.idle.days
    text = tr.ngettext(
        # I18N: {team} is the counselling team's name; {count} a number of days.
        "Your conversation with {team} has ended: nobody wrote for {count} day. "
        "You can start a new one at any time.",
        "Your conversation with {team} has ended: nobody wrote for {count} days. "
        "You can start a new one at any time.",
        days,
    )
    return Reply(esc(text.format(team=counsel.name, count=days)), (talk_row(tr),))


def stopped(tr: Translator) -> Reply:
    """The person ended it."""
    _ = tr.gettext
    text = _("You ended the conversation. The team cannot write to you any more.")
    return Reply(esc(text + " " + _("You can start a new one at any time.")), (talk_row(tr),))


def already_open(counsel: CounselSettings, tr: Translator) -> Reply:
    text = tr.gettext("You are already connected with {team}. Just write here.")
    return Reply(esc(text.format(team=counsel.name)), (stop_row(tr),))


def not_open(tr: Translator) -> Reply:
    """ "End" tapped when nothing is open (an old button)."""
    return Reply(esc(tr.gettext("There is no open conversation.")), (talk_row(tr),))


def blocked(tr: Translator, until: datetime) -> Reply:
    """The team blocked this chat (for abuse) until a day."""
    # I18N: {date} is a full date, e.g. "14 December 2026".
    text = tr.gettext("You cannot write to the team until {date}.")
    return Reply(esc(text.format(date=format_date(until.date(), tr))))


def rate_limited(tr: Translator) -> Reply:
    text = tr.gettext("You have sent many messages. This one did not reach the team. Please wait.")
    return Reply(esc(text))


def not_relayed(tr: Translator) -> Reply:
    """A sticker, voice note or the like inside a conversation."""
    return Reply(esc(tr.gettext("The team can read text, photos and documents.")))


def edit_not_relayed(tr: Translator) -> Reply:
    """A message changed after it was sent: the team keeps the first version."""
    text = tr.gettext("The team does not see changes to a sent message. Please send it again.")
    return Reply(esc(text))


def unreachable(tr: Translator) -> Reply:
    """The counsellors' group refused the message (removed bot, missing rights)."""
    text = tr.gettext("Sorry, the team cannot be reached right now. Please try again later.")
    return Reply(esc(text), (talk_row(tr),))


def nothing_fits(counsel: CounselSettings, tr: Translator) -> Reply:
    """Under "nothing found", and for "I want to talk to a person"."""
    text = tr.gettext("Nothing fits? People from {team} can help you.")
    return Reply(esc(text.format(team=counsel.name)), (talk_row(tr),))
