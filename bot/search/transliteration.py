"""Latin letters for Cyrillic words: "pomosh" finds помощь, "kvartira" finds квартира.

Phones without a Cyrillic keyboard, and people who learnt to write their language in Latin
letters, spell the same word in several schemes; :func:`transliteration_key` maps them all onto
one key that the index compares with the keys of its Cyrillic words.
"""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN_WORD = re.compile(r"[a-z]+")

_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
"""A plain scholarly scheme over the letters left after :func:`clean` (і, ы, й → и etc.)."""

_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shch|shh|sch|sh|ŝ", "S"),  # щ/ш: pomoshch, pomoshh, pomosch, pomosh
        (r"tsch|tch|ch|ts|tz|c", "C"),  # ч/ц: vrach, vratsch, vrac; tsentr, centr
        (r"zh", "Z"),  # ж: yizha, izha
        (r"kh|x|h|g", "H"),  # х/г: khleb, xleb, hleb; dopomoga, dopomoha
        (r"w", "v"),
        (r"q", "k"),
        (r"[yj]", "i"),  # й/ы/и and the iotation of я, ю, є, ї
        (r"i([aeiou])", r"\1"),  # ya/ia/ja → a, yu/iu → u, ye/ie → e, yi → i
        (r"(.)\1+", r"\1"),
    )
)


def cyrillic_to_latin(word: str) -> str:
    """The Latin spelling of a normalised Cyrillic word ("помощ" → "pomoshch")."""
    return word.translate(_CYRILLIC_TO_LATIN)


def transliteration_key(latin: str) -> str:
    """A spelling-scheme-free key for a Latin-letter word, so that "pomosh", "pomoshch" and
    "pomosch" (помощь), "yizha" and "izha" (їжа), "dopomoga" and "dopomoha" (допомога) give one
    key. Lossy on purpose: the key is only compared with keys of Cyrillic catalogue words."""
    key = latin
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    return key


def has_cyrillic(word: str) -> bool:
    """Whether the word is (partly) Cyrillic, i.e. worth a transliterated index entry."""
    return _CYRILLIC.search(word) is not None


def has_arabic(word: str) -> bool:
    """Whether the word is (partly) in Arabic or Persian letters."""
    return _ARABIC.search(word) is not None


def is_latin(word: str) -> bool:
    """Whether the word is plain a-z after normalisation (a candidate for transliteration)."""
    return _LATIN_WORD.fullmatch(word) is not None


# -- Place names as they sound, in any script ----------------------------------------------
# People write the region's places in their own letters: "لانغنهاغن", "شبرينغه", "Лангенхаген"
# (Langenhagen, Springe). Cyrillic and Arabic have no German "h" after a vowel, Arabic no "p"
# (ب) and no short vowels, and each script has its own letters for s, sch and z. So a place name
# is compared by its sounds in a few classes that the scripts confuse: s/z/sch/ts are one
# sibilant, b/p one, g/k/h/ch one, d/t one, f/v/w one, and every vowel is one vowel.

VOWEL = "V"
"""The key's letter for a run of vowels."""

_SOUND_CLASSES = {
    **dict.fromkeys("sz\u00dfcçşšжзсцчшщسثشزذژچ", "S"),
    **dict.fromkeys("bpбпبپ", "B"),
    **dict.fromkeys("gkhqxгкхغقكگخهج", "G"),
    **dict.fromkeys("dtдтدتط", "D"),
    **dict.fromkeys("fvwфвفڤ", "F"),
    **dict.fromkeys("lлل", "L"),
    **dict.fromkeys("mмم", "M"),
    **dict.fromkeys("nнن", "N"),
    **dict.fromkeys("rрر", "R"),
    **dict.fromkeys("aeiouyjаеиоуяюйاويىءئؤآ", VOWEL),
    **dict.fromkeys("صضظحع", "X"),
}
"""Letters of the three scripts (as normalised) by the sound class they write; other letters
are left out of the key. Arabic's emphatic letters and ح, ع write no German sound (X matches
nothing): "تمريض" (nursing) is not Detmerode."""

_LATIN_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"sch|sh", "s"),  # one sound: Schwarzwald, Shop
        (r"ch|ck", "k"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"(?<=[aeiouy])h(?![aeiouy])", ""),  # a lengthening h is silent: Sehnde, Ahlem
    )
)
"""German spellings of one sound, before the letters are classed."""


def sound_key(word: str) -> str:
    """The sound classes of a normalised word in Latin, Cyrillic or Arabic letters, a repeated
    class counted once: "langenhagen" and "лангенхаген" give "LVNGVNGVGVN", "لانغنهاغن"
    (short vowels unwritten) "LVNGNGVGN". A final ه writes the vowel e ("شبرينغه", Springe).
    Lossy on purpose: only compared with the keys of the region's place names."""
    if is_latin(word):
        for pattern, replacement in _LATIN_SPELLINGS:
            word = pattern.sub(replacement, word)
    elif word.endswith("ه"):
        word = word[:-1] + "ا"
    key = "".join(_SOUND_CLASSES.get(letter, "") for letter in word)
    # German z is "ts", written ц, تس or ز: a t before an s is not told apart (Laatzen, Seelze).
    return re.sub(r"(.)\1+", r"\1", key.replace("DS", "S"))
