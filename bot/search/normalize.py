"""Text normalisation shared by the search index and the queries typed into the bot.

People write to the bot in seven languages, on old phones, in a hurry: without umlauts or
with "ae", with or without Arabic vowel marks, in Persian or Arabic letter forms, in Ukrainian or
Russian spelling, in Latin letters instead of Cyrillic. Every rule here maps such variants onto
one form, and the index and the queries go through exactly the same rules, so a rule can never
make a query miss a word it was meant to find.

Two forms of each word come out:

* the *surface* form: case-folded, accents and marks removed, scripts unified — readable, and
  what the anonymous search log is offered (the store decides what it keeps);
* the *term*: the surface form plus the lossy matching rules (``ae``/``ä``/``a`` meet, doubled
  letters count once, the Arabic article is dropped) — what the index compares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache

MAX_INPUT_CHARS = 4096
"""Telegram's own message limit; anything longer is cut, never refused."""

MAX_LOG_FORM_CHARS = 200
"""``log_form`` stops collecting words here, so a pasted life story costs no more work than a
question. What the search log may keep is not decided here: the store keeps only words that
several different chats typed (:mod:`bot.store.searchlog`)."""

MAX_TERM_CHARS = 32
"""The longest German compounds people type (Lebensmittelausgabestelle: 25) fit; longer tokens
are pasted links or key mashing and would only slow down fuzzy matching."""

MIN_ARABIC_STEM = 3
"""Arabic roots have three letters: the article is only dropped when that much is left."""

_APOSTROPHES = "'’‘ʼ`´ʹ′"
"""Inside Cyrillic words an apostrophe is a letter sign and is dropped ("сім'я" = "сімя");
elsewhere it separates ("Linden'de" → linden de, "women's" → women s, "geht's" → geht s)."""

_LETTER_MAP = {
    # Turkish dotless i: casefold keeps it apart from i, but people type both for the same word.
    "ı": "i",
    # Ukrainian and Russian spellings meet: і/ы/и, є/э/е, ґ/г; soft and hard signs vanish
    # (ё, й, ї lose their marks in NFKD and become е, и, і → и).
    "і": "и",
    "ы": "и",
    "є": "е",
    "э": "е",
    "ґ": "г",
    "ь": None,
    "ъ": None,
    # Arabic and Persian letter variants (hamza carriers lose their hamza in NFKD).
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ک": "ك",
    "ة": "ه",
    "ە": "ه",
    "ـ": None,  # tatweel: stretches a word, means nothing
}


def _build_table() -> dict[int, int | str | None]:
    """One ``str.translate`` table for every one-character rule, built once at import.

    Scans the code points where letters and marks live (planes 0-2 and the tag block) instead
    of listing marks by hand, so a mark from a script we did not think of is still removed.
    """
    table: dict[int, int | str | None] = {}
    for point in (*range(0x30000), *range(0xE0000, 0xE1000)):
        char = chr(point)
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf"):
            table[point] = None
        elif category == "Cc":
            table[point] = " "
        elif category == "Nd" and not ("0" <= char <= "9"):
            table[point] = str(unicodedata.decimal(char))
    for char, replacement in _LETTER_MAP.items():
        table[ord(char)] = replacement
    return table


_TABLE = _build_table()
_CYRILLIC_APOSTROPHE = re.compile(f"(?<=[\u0400-\u04ff])[{_APOSTROPHES}](?=[\u0400-\u04ff])")
_ANY_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
_APOSTROPHE_TABLE = dict.fromkeys(map(ord, _APOSTROPHES), " ")
_JOIN_APOSTROPHE_TABLE = dict.fromkeys(map(ord, _APOSTROPHES))
_WORD = re.compile(r"[^\W_]+")
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1+")
_GERMAN_DIGRAPH = re.compile(r"[aou]e")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d5]")
_ARABIC_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")


def clean(text: str, *, join_apostrophes: bool = False) -> str:
    """Truncate, decompose, case-fold and strip marks: the script-level rules for a whole text.

    NFKD comes first so that the table can drop the marks it splits off (Arabic harakat, the
    dot of Turkish İ, umlaut dots), which turns ä into a, أ into ا and ї into і in one pass.
    ``join_apostrophes`` keeps "don't" one word ("dont"), as crisis phrases need.
    """
    text = text[:MAX_INPUT_CHARS]
    if _ANY_APOSTROPHE.search(text):  # rare; translate costs as much as the main table
        if join_apostrophes:
            text = text.translate(_JOIN_APOSTROPHE_TABLE)
        else:
            text = _CYRILLIC_APOSTROPHE.sub("", text).translate(_APOSTROPHE_TABLE)
    return unicodedata.normalize("NFKD", text).casefold().translate(_TABLE)


@lru_cache(maxsize=200_000)
def term(surface: str) -> str:
    """The matching form of one surface word (see the module docstring); cached per word.

    German: ``ae``/``oe``/``ue`` become ``a``/``o``/``u``, so Schlägt, Schlaegt and Schlagt meet
    (the umlaut already lost its dots in :func:`clean`). Runs of a letter count once, so ß, ss
    and s meet and a dropped double letter is no typo. Arabic: the article and its proclitics
    (ال، وال، بال، …) are dropped.
    """
    word = surface
    if _ARABIC_LETTER.match(word):
        for article in _ARABIC_ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= MIN_ARABIC_STEM:
                word = word[len(article) :]
                break
    elif "e" in word:
        word = _GERMAN_DIGRAPH.sub(lambda m: m.group(0)[0], word)
    word = _REPEATED_LETTER.sub(r"\1", word)
    return word[:MAX_TERM_CHARS]


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: how it reads (``surface``) and how it is compared (``term``)."""

    surface: str
    term: str


@lru_cache(maxsize=200_000)
def token(surface: str) -> Token:
    """The token of one surface word; cached like :func:`term`, so a word typed again is the
    same (immutable) object, which the search's per-word caches find by identity."""
    return Token(surface, term(surface))


def words(text: str, *, join_apostrophes: bool = False) -> list[str]:
    """The surface forms of all words of ``text``, in order (the index's fast path).

    Cleaned piece by piece between white space, each distinct piece once: every rule of
    :func:`clean` works within a piece (a letter with its marks, an apostrophe between two
    letters), so the words are the same as from the whole text, and an index of 10,000
    services, whose texts share most of their words, cleans each of them once."""
    found: list[str] = []
    for piece in text[:MAX_INPUT_CHARS].split():
        found.extend(_piece_words(piece, join_apostrophes))
    return found


@lru_cache(maxsize=100_000)
def _piece_words(piece: str, join_apostrophes: bool) -> tuple[str, ...]:
    return tuple(_WORD.findall(clean(piece, join_apostrophes=join_apostrophes)))


def has_apostrophe(text: str) -> bool:
    """Whether ``join_apostrophes`` can change how ``text`` splits into words: without an
    apostrophe both readings are the same, and a caller can reuse one for the other."""
    return _ANY_APOSTROPHE.search(text) is not None


def tokens(text: str, *, join_apostrophes: bool = False) -> list[Token]:
    """All words of ``text`` in order, stop words included (crisis phrases need them)."""
    return [token(s) for s in words(text, join_apostrophes=join_apostrophes)]


def terms(text: str) -> list[str]:
    """The matching forms of all words of ``text``, in order."""
    return [term(s) for s in words(text)]


# -- stop words ---------------------------------------------------------------------------------

_STOP_WORDS_BY_LANGUAGE = {
    "de": """
        ich du er sie es wir ihr mich mir dich dir uns euch ihm ihn man sich jemand jemanden
        mein meine meinen meinem meiner dein deine sein seine unser unsere
        der die das den dem des ein eine einen einem einer eines ne nen
        und oder aber als dass wenn weil denn ob also
        in im ins an am auf aus bei beim mit nach von vom zu zum zur für fürs um bis durch
        neben hier da dort wo wohin woher wie was wer wann warum welche welcher welches
        kann kannst können könnte könnten muss musst müssen will willst wollen möchte möchten
        darf dürfen soll sollte habe hab hast hat haben hatte bin bist ist sind war wurde
        wurden werden wird sei brauche brauchst braucht brauchen suche suchst suchen
        finde finden gibt gib gibts geben geht gehts mache machen tun weiß weiss wissen weiter
        bitte danke dank hallo hi hey moin servus tschüss ok okay ja nein nicht nich net nichts
        sehr auch noch schon so nur mal jetzt gerade heute morgen gestern gern gerne
        irgendwo irgendwie etwas viel viele mehr gut gute guten tag abend
        nähe frage fragen info infos problem probleme reicht reichen
        """,
    "en": """
        i me my mine myself we us our you your he him his she her it its they them their
        the a an and or but if so than that this these those
        in on at to for of from with by about near nearby into
        where what how who when which why there here
        can could may might must need needs needed want wanna would will shall should like
        looking look find get got give is are am was were be been being do does did doing
        have has had any some please thanks thank hello hi hey ok okay yes not dont
        im ive id someone somebody something somewhere anywhere today tonight tomorrow now
        right just very much many more good day problem problems
        """,
    "uk": """
        я мені мене мій моя моє мої ми нам нас наш ти тобі тебе ви вам вас він його йому
        вона її їй воно вони їх їм це цей ця ці той та те
        і й та або але а що щоб якщо бо
        в у на до з із зі від для про по біля через над під
        де куди звідки як що хто коли чому який яка яке які чи
        можна можу може можете треба потрібно потрібна потрібен потрібні хочу хочемо шукаю
        знайти є був була було бути маю має мати будь ласка дякую привіт добрий день так
        ні не тут там зараз сьогодні завтра десь щось хтось дуже ще вже справи
        проблема проблеми
        """,
    "ru": """
        я мне меня мой моя моё мои мы нам нас наш ты тебе тебя вы вам вас он его ему она её
        ей оно они их им это этот эта эти тот та то
        и или но а что чтобы если потому
        в во на к ко до с со из от для о об про по у около рядом через над под
        где куда откуда как кто когда почему какой какая какое какие ли
        можно могу может можете нужно нужен нужна нужны надо хочу хотим ищу найти
        был была было быть пожалуйста спасибо привет здравствуйте добрый день да не
        тут здесь там сейчас сегодня завтра где-то что-то кто-то очень ещё уже дела
        проблема проблемы
        """,
    "ar": """
        انا أنا نحن انت أنت هو هي هم لي لنا عندي عندنا
        أريد اريد بدي بدنا ابغى أبغى ابي أبي عايز عاوز محتاج محتاجة احتاج أحتاج نريد
        وين أين اين فين ايش شو هل ممكن كيف ماذا من متى لماذا
        في على الى إلى عن مع و او أو ل ب لا نعم هذا هذه ذلك هناك هنا
        يوجد فيه مرحبا شكرا سلام السلام عليكم اليوم الآن الان بكرة غدا
        شي شيء اي أي احد أحد حد يا قريب قريبة جنب لو سمحت من فضلك
        كيفك حالك حالكم شلونك كثير كتير جدا مشكلة مشكله
        """,
    "tr": """
        ben bana beni benim biz bize bizim sen sana seni senin siz size sizin o ona onu onun
        onlar bir bu şu ve veya ile ama için icin de da ki mi mı mu mü
        ne nerede nerde nereye nasıl kim hangi neden niye var
        lazım lazim gerek gerekiyor istiyorum arıyorum ariyorum bulabilirim bulurum bulmak
        lütfen lutfen teşekkürler tesekkurler teşekkür sağol merhaba selam evet hayır
        bugün bugun şimdi simdi yarın burada orada yakın yakında yakinda çok daha
        sorun sorunum
        """,
    "fa": """
        من تو شما او آنها ایشان
        می‌خواهم میخواهم میخوام می خواهم خوام لازم دارم داریم احتیاج نیاز
        کجا کجاست کجای چطور چطوره چطوری چگونه چه چی کی آیا ایا چرا
        در به از با برای بر را و یا که این آن اون اینجا آنجا اونجا
        هست است هستم هستند هم یک یه سلام مرسی ممنون متشکرم لطفا لطفاً بله نه
        امروز فردا الان جایی چیزی کسی نزدیک میتونم می‌توانم توانم بتوانم کنم میکنم
        کنید دنبال میگردم گردم حالت خوبی مشکل
        """,
}

_MODIFIERS_BY_LANGUAGE = {
    "de": "kostenlos kostenlose gratis umsonst günstig billig kein keine keinen ohne hilfe "
    "beratung",
    "en": "free cheap no without help advice",
    "uk": "безкоштовно безкоштовна безкоштовний безкоштовні без немає допомога консультація",
    "ru": "бесплатно бесплатная бесплатный бесплатные без нет помощь консультация",
    "ar": "مجاني مجانا مجانية ببلاش بدون بلا ما مساعدة استشارة",
    "tr": "ücretsiz bedava ucuz yok yardım danışmanlık",
    "fa": "رایگان مجانی ارزان بدون ندارم بی کمک مشاوره",
}
"""Words that shape a need but are not one: cost ("kostenlos essen"), negation ("ohne
Versicherung"), and the everywhere-words help and advice. They still match (and so prefer the
service whose keyword says "kostenlos essen"), but alone they find nothing."""


def _by_term(lists: dict[str, str]) -> dict[str, frozenset[str]]:
    languages: dict[str, set[str]] = {}
    for language, words in lists.items():
        for word in terms(words):
            languages.setdefault(word, set()).add(language)
    return {word: frozenset(langs) for word, langs in languages.items()}


STOP_WORD_LANGUAGES = _by_term(_STOP_WORDS_BY_LANGUAGE)
"""Stop word (matching form) → the languages it is filler in."""

STOP_WORDS = frozenset(STOP_WORD_LANGUAGES)
"""Words that never decide which service fits: greetings, pronouns, "I need", "where can I"."""

MODIFIERS = frozenset(_by_term(_MODIFIERS_BY_LANGUAGE))


def is_filler(term: str, extra: Container[str] = frozenset()) -> bool:
    """Whether a term carries no meaning for search: a stop word, a lone letter or a number.

    ``extra`` adds catalogue-specific filler (the city's own name is in every question).
    """
    return term in STOP_WORDS or len(term) < 2 or term.isdigit() or term in extra


def is_modifier(term: str) -> bool:
    """Whether a term only shapes a need (free, without, help): see ``_MODIFIERS_BY_LANGUAGE``."""
    return term in MODIFIERS


def log_form(words: Iterable[Token], extra_filler: Container[str] = frozenset()) -> str:
    """The query as the anonymous search log is offered it: meaningful words only, at most
    :data:`MAX_LOG_FORM_CHARS`, cut at a word boundary. Numbers are dropped: they are phone
    numbers and dates far more often than search words."""
    kept: list[str] = []
    length = 0
    for token in words:
        if is_filler(token.term, extra_filler):
            continue
        if length + len(token.surface) + bool(kept) > MAX_LOG_FORM_CHARS:
            break
        kept.append(token.surface)
        length += len(token.surface) + (len(kept) > 1)
    return " ".join(kept)


def typo_allowance(length: int) -> int:
    """Typos tolerated in a word of ``length`` letters: 0 up to 3, 1 up to 7, then 2.

    Short words have too many neighbours ("bus"/"bad"/"bar"); long words are where people
    slip twice ("Schuldnerberatung").
    """
    if length <= 3:
        return 0
    return 1 if length <= 7 else 2
