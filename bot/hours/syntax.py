"""The opening-hours syntax as staff write it: what is valid, and a hint when a line is not.

The catalogue holds OpenStreetMap `opening_hours` expressions ("Mo-Fr 09:00-17:00; PH off").
This module is the only part of `bot/hours/` the catalogue imports: it checks a line at load
time and explains a mistake in words a staff member can act on (the position and the usual
fix), without pulling in evaluation, holidays or the translated wording.
"""

from __future__ import annotations

import re

import opening_hours

WEEKDAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
"""The syntax's weekday names, Monday first (the order of `date.weekday()`)."""

MONTH_CODES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""The syntax's month names, January first."""

_COMMENT_RE = re.compile(r'("[^"]*")')


class OpeningHoursError(ValueError):
    """An opening_hours expression is not valid OpenStreetMap syntax."""


def split_comments(expression: str) -> list[str]:
    """The expression cut into pieces; a piece that starts with '"' is a quoted comment.

    Rewrites of an expression (such as replacing `PH`) must leave comments alone, since a
    comment may say anything, "PH" included.
    """
    return _COMMENT_RE.split(expression)


def without_comments(expression: str) -> str:
    """The expression with its quoted comments removed."""
    return "".join(part for part in split_comments(expression) if not part.startswith('"'))


_EXPECTED_WORDS = {
    "timespan": "a time range like 09:00-17:00",
    "wday": "a weekday: Mo Tu We Th Fr Sa Su",
    "holiday": "PH (public holiday)",
    "EOI": "the end of the text",
    "any_rule_separator": "';' between two rules",
    "rules_modifier": "off, closed, open or unknown",
    "monthday_range": "a date range like Nov 01-Mar 31",
    "month": "a month: Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "always_open": "24/7",
    "comment": 'a comment in "double quotes"',
}
_GERMAN_DAY_RE = re.compile(r"\b(Di|Mi|Do|So)\b")
_HOUR_WITHOUT_MINUTES_RE = re.compile(r"(?<![:\d])\d{1,2}\s*-\s*\d{1,2}(?![:\d])")


def opening_hours_error(expression: str) -> str | None:
    """A short explanation of why an expression is not valid, or None if it is.

    Meant for the catalogue validator: it names the position and the usual fix.
    """
    if not expression.strip():
        return "is empty: write hours like Mo-Fr 09:00-17:00, or leave the field out"
    try:
        opening_hours.OpeningHours(expression)
    except opening_hours.ParserError as error:
        return _explain_parser_error(expression, str(error))
    if "||" in without_comments(expression):
        # opening-hours-py 2.1 evaluates fallback rules wrongly (a later "open" day
        # is reported closed for good), so users would be told a wrong state.
        return "fallback rules with '||' are not supported: write the hours without '||'"
    return None


def _explain_parser_error(expression: str, message: str) -> str:
    position = re.search(r"-->\s*\d+:(\d+)", message)
    column = int(position.group(1)) if position else None
    hints = []
    if "–" in expression or "—" in expression:
        hints.append("use a plain hyphen '-' instead of a dash '–'")
    if _GERMAN_DAY_RE.search(expression):
        hints.append("weekdays are English: Mo Tu We Th Fr Sa Su (not Di, Mi, Do, So)")
    if _HOUR_WITHOUT_MINUTES_RE.search(expression):
        hints.append("write times with minutes, like 09:00-17:00")
    expected = re.search(r"= expected (.+)$", message, flags=re.MULTILINE)
    if expected and not hints:
        names = [name.strip() for name in re.split(r",\s*(?:or\s+)?|\s+or\s+", expected.group(1))]
        words = [_EXPECTED_WORDS[name] for name in names if name in _EXPECTED_WORDS]
        if words:
            hints.append("expected " + " or ".join(dict.fromkeys(words)))
    where = ""
    if column is not None:
        fragment = expression[column - 1 : column + 9]
        where = f" at character {column} ({fragment!r})" if fragment else " at the end"
    hint = ": " + "; ".join(hints) if hints else ""
    return f"not valid opening_hours syntax{where}{hint}"
