"""Which shipped language a message is written in, when that is clear.

The bot answers in the reader's setting; a message clearly written in another shipped language
("мені потрібна їжа" on a German phone) is answered in that language, with a one-tap switch.
Switching wrongly is worse than not switching, so the detector says a language only when the
evidence is plain, and None otherwise:

- The script narrows the choice: Cyrillic is Russian or Ukrainian, Arabic script Arabic or
  Farsi, Latin German, English or Turkish. Words of the other scripts in the message (a German
  office word in an Arabic message) are left out.
- Letters that only one language of the script uses count double: і ї є ґ (uk), ы э ъ ё (ru),
  پ چ ژ گ (fa), ة أ إ (ar), ğ ı ş (tr), ä ß (de).
- A word counts for a language when it is a common word there (wordfreq, ``words.json``) and
  clearly more common there than in the script's other languages: "brauche" for German, "die"
  for German over English, "da" for neither.
- Latin script needs two such words and one of them among the language's most common, function
  words. A German office word alone ("Jobcenter") or a short "ok" never switches.
- Where these rules stay silent on a message in Latin letters, the learned reader
  (:mod:`.learned`) is asked: it knows Arabic, Farsi, Russian and Ukrainian typed in Latin
  letters ("man komak mikham", "mne nuzhna pomosh"), which no list of common words holds, and
  speaks only when it is sure and the message has two words or more ("salam" alone is Arabic,
  Farsi and Turkish alike). Cyrillic and Arabic script stay with the rules: there the two
  languages of the script share most words, and a telling letter or word decides.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.search.language.folding import WORD, fold
from bot.search.language.learned import LanguageModel, shipped_model

TABLE = Path(__file__).resolve().parent / "words.json"

SCRIPTS: Mapping[str, tuple[str, ...]] = {
    "latin": ("de", "en", "tr"),
    "cyrillic": ("ru", "uk"),
    "arabic": ("ar", "fa"),
}

LETTERS: Mapping[str, str] = {
    "uk": "іїєґ",
    "ru": "ыэъё",
    "fa": "پچژگ",
    "ar": "ةأإؤ",
    "tr": "ğış",
    "de": "äß",
}
"""Letters only one shipped language of the script writes. ö, ü and ç are shared by German and
Turkish; ی and ک are left out as many Farsi speakers type on Arabic keyboards and back."""

LETTER_WEIGHT = 2
"""A telling letter weighs as much as two telling words: "привіт" is Ukrainian by its і."""

WORD_MARGIN = 1.0
"""A word counts for a language when its Zipf frequency there is at least this much above any
other language of the script: ten times as common. "die" (de 7.5, en 5.1) counts for German,
"ok" (de 5.2, en 5.1) and "da" (tr 6.8, de 6.4) for none."""

LATIN_MIN_SCORE = 2
"""Latin script is shared by all our readers (German office words, English loanwords): one
word is no evidence that a person writes German or English."""

FUNCTION_WORD_ZIPF = 5.5
"""Words at least this common are a language's function words ("ich", "the", "bir", "mir"):
a Latin-script message must hold one, so two German nouns do not switch an Arabic reader."""

MIN_WORD_CHARS = 2
"""Single letters ("a", "i", "b" of ``<b>``, و) are left out: markup, initials and list
letters would otherwise count as English or Arabic words."""

SISTER_MIN_SCORE = 2
"""Evidence needed to switch a reader to the other language of the same script: a telling
letter, or two telling words."""

LATIN_MIN_WORD_CHARS = 3
"""In Latin script, two-letter words tell nothing: "da", "ne", "bu", "mi", "ma" are common words
of German or Turkish and also Arabic, Farsi or Russian typed in Latin letters."""

ARABIZI = re.compile(r"[a-z][2-9]|[2-9][a-z]", re.IGNORECASE)
"""Digits written for Arabic letters ("ma3a", "7abibi", "ba2a"): Arabic in Latin letters,
whose words may look Turkish or German; such a message says no language."""

DOMINANT_SCRIPT_SHARE = 0.5
"""The message's script is the one of more than half its letters ("أحتاج موعد في Jobcenter" is
Arabic); a message split evenly between scripts says no language."""


@dataclass(frozen=True, slots=True)
class Guess:
    """The detector's reading: the language when clear, and the evidence per language."""

    language: str | None
    scores: Mapping[str, float]


NO_GUESS = Guess(None, {})


def script_of(word: str) -> str | None:
    """The script of a word by its first letter: latin, cyrillic, arabic, or None."""
    letter = word[0]
    if letter.isascii() or "\u00c0" <= letter <= "\u024f":
        return "latin"
    if "\u0400" <= letter <= "\u04ff":
        return "cyrillic"
    if "\u0600" <= letter <= "\u06ff" or "\ufb50" <= letter <= "\ufeff":
        return "arabic"
    return None


class LanguageDetector:
    """The common-word table, loaded once; :meth:`guess` is called for every message."""

    def __init__(
        self, table: Mapping[str, Mapping[str, float]], model: LanguageModel | None = None
    ) -> None:
        self._table = table
        self._model = model

    def guess(self, text: str, setting: str | None = None) -> Guess:
        """The language ``text`` is clearly written in, else a guess without a language.

        ``setting`` is the reader's language: against a sister language of the same script
        (Russian for a Ukrainian reader, Farsi for an Arabic one) one telling word is not
        enough, as the two share many words and a wrong switch costs more than none.

        Where the rules stay silent, the learned reader (:mod:`.learned`) is asked: it knows
        Arabic, Farsi, Russian and Ukrainian typed in Latin letters, which no common-word
        list holds, and speaks only when it is sure."""
        words = [w for w in WORD.findall(text.lower()) if len(w) >= MIN_WORD_CHARS]
        script = _dominant_script(words)
        found = self._guess_by_rules(text, words, script, setting)
        if found.language is not None or self._model is None:
            return found
        if script != "latin":
            return found  # Cyrillic and Arabic script: the telling letters and words decide
        learned = self._model.read(text)
        if learned.language is None:
            return found
        return Guess(learned.language, {learned.language: learned.probability})

    def _guess_by_rules(
        self, text: str, found: list[str], script: str | None, setting: str | None
    ) -> Guess:
        if ARABIZI.search(text) or script is None:
            return NO_GUESS
        languages = SCRIPTS[script]
        own = [w for w in found if script_of(w) == script]
        scores = dict.fromkeys(languages, 0.0)
        function_word = dict.fromkeys(languages, False)
        for word in own:
            for language in languages:
                scores[language] += LETTER_WEIGHT * any(
                    c in LETTERS.get(language, "") for c in word
                )
            telling = self._telling(fold(word), languages)
            if telling is not None and (script != "latin" or len(word) >= LATIN_MIN_WORD_CHARS):
                language, zipf = telling
                scores[language] += 1
                function_word[language] |= zipf >= FUNCTION_WORD_ZIPF
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        (best, top), (_, second) = ranked[0], ranked[1]
        if top <= 0 or top < 2 * second:
            return Guess(None, scores)
        if script == "latin" and (top < LATIN_MIN_SCORE or not function_word[best]):
            return Guess(None, scores)
        if setting in languages and setting != best and top < SISTER_MIN_SCORE:
            return Guess(None, scores)
        return Guess(best, scores)

    def _telling(self, word: str, languages: tuple[str, ...]) -> tuple[str, float] | None:
        """The language a word tells, with its Zipf frequency there, when it tells one."""
        zipfs = sorted(
            ((self._table[lang].get(word, 0.0), lang) for lang in languages), reverse=True
        )
        (best, language), (second, _) = zipfs[0], zipfs[1]
        return (language, best) if best > 0 and best - second >= WORD_MARGIN else None


def _dominant_script(words: list[str]) -> str | None:
    """The script of more than half the letters of ``words``, or None when none has that
    many ("أحتاج موعد في Jobcenter" is Arabic; a message split evenly says no language)."""
    by_script = Counter(s for w in words if (s := script_of(w)) is not None for _ in w)
    if not by_script:
        return None
    script, letters = by_script.most_common(1)[0]
    return script if letters > DOMINANT_SCRIPT_SHARE * sum(by_script.values()) else None


def load(path: Path = TABLE, model: LanguageModel | None = None) -> LanguageDetector:
    """A detector over the table at ``path`` (and the learned reader, when given)."""
    return LanguageDetector(json.loads(path.read_text(encoding="utf-8")), model)


@cache
def shipped() -> LanguageDetector:
    """The detector over the shipped table and the shipped learned reader, built once."""
    return load(model=shipped_model())


def language_of(text: str, setting: str | None = None) -> str | None:
    """The shipped language ``text`` is clearly written in, or None (see :meth:`guess`)."""
    return shipped().guess(text, setting).language
