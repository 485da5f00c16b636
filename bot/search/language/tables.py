"""Build ``words.json``, the common words of each shipped language, from wordfreq (a dev step).

The detector reads which language a word belongs to from how common it is in each language of
the same script: "brauche" is German, "need" English, "lazım" Turkish, "нужно" Russian,
"потрібно" Ukrainian, while "хочу", common in both, says nothing. wordfreq costs seconds and
hundreds of MB to load, so the bot reads this small table instead; ``python -m bot
language-tables`` rebuilds it.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.search.language.folding import WORD, fold

TABLE = Path(__file__).resolve().parent / "words.json"

LANGUAGES = ("de", "en", "tr", "ru", "uk", "ar", "fa")

WORDS_PER_LANGUAGE = 4000
"""The 4,000 most common words reach Zipf 4.3-4.4 (about once in 40,000 words): everyday
words ("brauche", "essen", "need", "yemek") are in, while office words ("Jobcenter" 3.7,
"Wohngeld" 3.1) and Latin-letter Farsi or Russian ("komak", "privet") are not, so they never
make a message look German or English."""


def build_table() -> dict[str, dict[str, float]]:
    """Per language: folded word → its Zipf frequency, for its most common words."""
    from wordfreq import top_n_list, zipf_frequency

    table: dict[str, dict[str, float]] = {}
    for language in LANGUAGES:
        words: dict[str, float] = {}
        for word in top_n_list(language, WORDS_PER_LANGUAGE):
            if WORD.fullmatch(word):
                key = fold(word)
                words[key] = max(words.get(key, 0.0), round(zipf_frequency(word, language), 1))
        table[language] = dict(sorted(words.items()))
    return table


def write_table(path: Path = TABLE) -> int:
    """Rebuild the table; returns how many words it holds."""
    table = build_table()
    path.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n")
    return sum(len(words) for words in table.values())
