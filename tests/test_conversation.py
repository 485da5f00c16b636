"""The conversation stage alone: greetings, thanks and questions about the bot, in every
language, and never a search that happens to start with "hallo"."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.search.conversation.reader import (
    ConversationError,
    ConversationReader,
    Intent,
    shipped,
)


def _reader(tmp_path: Path, language: str, content: str) -> ConversationReader:
    """A reader of one small language file written here (and no emoji), for the mechanics."""
    (tmp_path / f"{language}.yaml").write_text(content)
    (tmp_path / "emoji.yaml").write_text("emoji: {}\n")
    return ConversationReader(tmp_path)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hallo", Intent.GREETING),
        ("Hallo!!", Intent.GREETING),
        ("halo", Intent.GREETING),
        ("merhaba", Intent.GREETING),
        ("mrhaba", Intent.GREETING),
        ("привет", Intent.GREETING),
        ("privet", Intent.GREETING),
        ("Привіт!", Intent.GREETING),
        ("مرحبا", Intent.GREETING),
        ("السلام عليكم", Intent.GREETING),
        ("salam", Intent.GREETING),
        ("سلام", Intent.GREETING),
        ("👋🏽", Intent.GREETING),
        ("danke", Intent.THANKS),
        ("Dankee schön", Intent.THANKS),
        ("thank you so much", Intent.THANKS),
        ("teşekkürler", Intent.THANKS),
        ("спасибо большое", Intent.THANKS),
        ("dyakuyu", Intent.THANKS),
        ("shukran", Intent.THANKS),
        ("mersi 🙏", Intent.THANKS),
        ("ممنون", Intent.THANKS),
        ("🙏", Intent.THANKS),
        ("tschüss", Intent.BYE),
        ("khodafez", Intent.BYE),
        ("до свидания", Intent.BYE),
        ("wer bist du?", Intent.WHO),
        ("hi, who are you?", Intent.WHO),
        ("bist du ein bot", Intent.WHO),
        ("sen kimsin", Intent.WHO),
        ("ты кто", Intent.WHO),
        ("ich will mit einem menschen sprechen", Intent.PERSON),
        ("talk to a human please", Intent.PERSON),
        ("поговорити з людиною", Intent.PERSON),
        ("wie funktioniert das?", Intent.HELP),
        ("what can i ask", Intent.HELP),
        ("как это работает", Intent.HELP),
        ("thanks, bye", Intent.BYE),
        ("bist du ein roboter?", Intent.WHO),
        ("kannst du mir helfen?", Intent.WHO),
        ("is this a bot?", Intent.WHO),
        ("kann ich mit einer echten person reden?", Intent.PERSON),
        ("biriyle konuşabilir miyim", Intent.PERSON),
        ("можно поговорить с живым человеком?", Intent.PERSON),
        ("أريد أن أتكلم مع موظف", Intent.PERSON),
        ("wie benutzt man das?", Intent.HELP),
        ("was kann ich hier fragen", Intent.HELP),
        ("danke für die hilfe!", Intent.THANKS),
        ("hi 😊", Intent.GREETING),
        # Colloquial, chat shorthand, several intents in one message.
        ("moin, wie gehts?", Intent.GREETING),
        ("alles klar, danke schön 🙏", Intent.THANKS),
        ("danke und tschüss", Intent.BYE),
        ("ok thanks bye", Intent.BYE),
        ("hi guys", Intent.GREETING),
        ("selam millet", Intent.GREETING),
        ("sağ ol abi", Intent.THANKS),
        ("tşk ederim", Intent.THANKS),
        ("شكرا، مع السلامة", Intent.BYE),
        ("سلام خسته نباشید", Intent.GREETING),
        ("понятно, спасибо", Intent.THANKS),
        ("спс", Intent.THANKS),
        ("дякс", Intent.THANKS),
        # Latin letters for Arabic (with digits), Farsi, Russian and Ukrainian.
        ("salam 3alaikum", Intent.GREETING),
        ("shukran ktir ya akhi", Intent.THANKS),
        ("mersi az komaketun", Intent.THANKS),
        ("merci kheili mamnoon", Intent.THANKS),
        ("privet, spasibo", Intent.THANKS),
        ("dyakuyu, buvai", Intent.BYE),
        ("min enta", Intent.WHO),
        # Who: short forms, "whom am I talking to", questions about the bot's nature.
        ("who r u", Intent.WHO),
        ("wer bist du eigentlich?", Intent.WHO),
        ("mit wem spreche ich", Intent.WHO),
        ("kiminle konuşuyorum", Intent.WHO),
        ("مع مين عم احكي", Intent.WHO),
        ("با کی دارم حرف میزنم", Intent.WHO),
        ("с кем я говорю", Intent.WHO),
        ("з ким я говорю", Intent.WHO),
        # Help: "I don't understand", "menu".
        ("ich verstehe nicht", Intent.HELP),
        ("i dont understand", Intent.HELP),
        ("anlamadım", Intent.HELP),
        ("ما فهمت", Intent.HELP),
        ("نفهمیدم", Intent.HELP),
        ("не понимаю", Intent.HELP),
        ("як цим ботом користуватися?", Intent.HELP),
        ("ne yazmam lazım", Intent.HELP),
        ("menü", Intent.HELP),
    ],
)
def test_conversation_is_read_in_every_language(text: str, intent: Intent) -> None:
    talk = shipped().read(text)
    assert talk is not None and talk.intent is intent


@pytest.mark.parametrize(
    "text",
    [
        # German
        "kann ich mit jemandem reden",
        "echter mensch?",
        "gibt es hier einen menschen",
        "ich will einen menschen",
        "kann mich jemand anrufen",
        "verbinden sie mich bitte mit einem mitarbeiter",
        "ich will nicht mit einem bot schreiben",
        "operator",
        # English
        "can i talk to someone",
        "real person?",
        "is there a real person i can talk to?",
        "get me a human",
        "connect me with a social worker",
        "can someone call me back",
        "human pls",
        # Turkish
        "gerçek insan var mı",
        "canlı destek lütfen",
        "beni bir yetkiliye bağlar mısınız",
        "birisi beni arayabilir mi",
        # Arabic, also in Latin letters
        "بدي احكي مع حدا",
        "في حدا حقيقي؟",
        "عايز اكلم حد",
        "موظف لو سمحت",
        "في حدا بيحكي معي؟",
        "bddi e7ki ma3 7ada",
        # Farsi, also in Latin letters
        "میخوام با یه آدم حرف بزنم",
        "آدم واقعی هست؟",
        "میشه با یکی صحبت کنم",
        "وصلم کن به اپراتور",
        "mikham ba ye adam harf bezanam",
        # Russian
        "есть живой человек",
        "кто-нибудь живой есть",
        "позовите оператора",
        "не хочу с ботом",
        "mozhno s chelovekom pogovorit",
        # Ukrainian
        "є жива людина?",
        "з'єднайте мене з консультантом",
        "хочу поговорити з кимось",
        "mozhna z lyudynoyu pohovoryty",
        # "Whom can I talk to?" (asker + talk) in several languages.
        "who can i talk to",
        "wer kann mit mir reden",
        "kiminle konuşabilirim",
        "مع مين بقدر احكي",
        "با کی میتونم صحبت کنم",
        "з ким можна поговорити",
    ],
)
def test_the_many_ways_to_ask_for_a_person(text: str) -> None:
    """The counselling handover is offered on this intent, so it matters most."""
    talk = shipped().read(text)
    assert talk is not None and talk.intent is Intent.PERSON, text


@pytest.mark.parametrize(
    "text",
    [
        "are you a real person or a bot?",
        "bist du ein mensch oder ein bot",
        "bot musun yoksa insan mı",
        "انت روبوت ولا انسان؟",
        "تو رباتی یا آدم؟",
        "ты бот или человек?",
        "ти бот чи людина?",
    ],
)
def test_asking_what_the_bot_is_is_not_asking_for_a_person(text: str) -> None:
    talk = shipped().read(text)
    assert talk is not None and talk.intent is Intent.WHO


@pytest.mark.parametrize(
    "text",
    [
        "bist du ein bot? ich will mit einem menschen reden",
        "are you a bot? i want to talk to a human",
        "ты бот? хочу поговорить с человеком",
    ],
)
def test_asking_for_a_person_after_asking_what_the_bot_is_is_asking_for_a_person(
    text: str,
) -> None:
    talk = shipped().read(text)
    assert talk is not None and talk.intent is Intent.PERSON


@pytest.mark.parametrize(
    "text",
    [
        "hallo, ich brauche essen",
        "merhaba yemek lazım",
        "привет, где найти врача",
        "danke, wo ist die tafel",
        "hilfe",
        "help",
        "помогите",
        "Jobcenter",
        "ok",
        "essen",
        "🍞",
        "🆘",
        "ich brauche einen berater für schulden",
        "wie funktioniert wohngeld",
        "mit wem kann ich über meine schulden reden",
        "hallo 🍞",
        # A greeting or a thanks beside a need, in every language.
        "danke, und wo gibt es kleidung",
        "guten morgen, ich suche eine wohnung",
        "hi bot, i need food",
        "thanks, and where can i get clothes",
        "merhaba, avukat lazım",
        "مرحبا بدي سكن",
        "مرحبا، شكرا! وين في ملابس",
        "سلام، غذای رایگان کجاست",
        "спасибо, где бесплатная еда",
        "привет, хочу есть",
        "дякую, де безкоштовна їжа",
        # Asking for someone about a need is a search for that service.
        "ich möchte mit jemandem vom jobcenter sprechen",
        "i want to talk to a lawyer",
        "i need to talk to someone about debt",
        "avukatla görüşmek istiyorum",
        "بدي احكي مع محامي",
        "میخوام با وکیل صحبت کنم",
        "хочу поговорить с юристом",
        "хочу поговорити з юристом",
        "wer hilft bei schulden",
        "who can help with debts",
        # Services one letter away from a person word; complaints that contain a thanks.
        "مشاوره",
        "مشاوره میخوام",
        "danışma",
        "sozialarbeit",
        "operation",
        "danke, das hat mir nicht geholfen",
        "thanks but that didnt help",
        "спасибо, но это не помогло",
        # Words that stay words: an Arabizi filler is not the English time "3am".
        "someone to talk to at 3am",
        "wo finden menschen hilfe",
        "человек без документов",
        "привет, ботинки",
        "hallo, reis",
        "<b>x</b> & *y* _z_ [a](b)",
        "hallo, bade",
    ],
)
def test_a_search_or_a_cry_is_not_conversation(text: str) -> None:
    assert shipped().read(text) is None


def test_a_group_in_no_combination_is_refused(tmp_path: Path) -> None:
    (tmp_path / "de.yaml").write_text("language: de\ngroups:\n  weather: [wetter]\n")
    (tmp_path / "emoji.yaml").write_text("emoji: {}\n")
    with pytest.raises(ConversationError, match="weather"):
        ConversationReader(tmp_path)


def test_a_file_with_an_unknown_intent_is_refused(tmp_path: Path) -> None:
    (tmp_path / "de.yaml").write_text("language: de\nintents:\n  smalltalk: [wetter]\n")
    (tmp_path / "emoji.yaml").write_text("emoji: {}\n")
    with pytest.raises(ConversationError, match="smalltalk"):
        ConversationReader(tmp_path)


@pytest.mark.parametrize(
    ("round_name", "floor"),
    [
        ("round 1", 1.00),
        ("round 2", 1.00),
        ("round 3", 1.00),
        ("round 4", 0.99),
        ("round 5", 0.85),
    ],
)
def test_held_out_conversation_stays_at_the_level_reached(round_name: str, floor: float) -> None:
    """A ratchet on each round of held-out conversation messages (7 December 2026: 84/84; round
    2 was 124/168 blind, then its misses were read for their classes and each class widened in
    every language: 168/168, a figure that flatters the reader; round 3, written blind before
    that widening, is the honest measure: 129/168 before it, 154/168 after; round 4, written
    blind after that: 158/168 before any further change; then round 3's misses were read for
    their classes and each class widened in every language: 168/168, flattering too, and round
    4, unread, is the honest measure: 160/168 after it; round 5, written blind after that:
    130/168 before any further change; then round 4's misses were read for their classes and
    each class widened in every language: 168/168, flattering, and round 5, unread, is the
    honest measure: 144/168 after it): raise it when the reader improves, never lower it to
    let a change through."""
    from bot.search.conversation_eval import (
        CONVERSATION_ROUNDS,
        conversation_messages,
        intent_tallies,
    )

    by_intent, _ = intent_tallies(conversation_messages(CONVERSATION_ROUNDS[round_name]), shipped())
    assert sum(by_intent.right.values()) / sum(by_intent.total.values()) >= floor


def test_a_search_word_makes_the_message_a_search(tmp_path: Path) -> None:
    """``search:`` words win over an intent beside them, and are never read as a typo of a
    conversation word ("beratung" is not "berater")."""
    reader = _reader(
        tmp_path,
        "de",
        "language: de\nintents:\n  person: [berater]\n  thanks: [danke]\nsearch: [beratung]\n",
    )
    talk = reader.read("berater")
    assert talk is not None and talk.intent is Intent.PERSON
    assert reader.read("danke, beratung") is None
    assert reader.read("beratung") is None


# The held-out figures reached on 7 December 2026 (issue 16, item 5): raise them when the
# reader improves, never lower them to let a change through. The misses of this set were read
# to find the classes that failed (before: greeting 13, thanks 10, bye 13, who 10, person 8,
# help 11), so these figures flatter the reader; a fresh round is the honest measure.
HELD_OUT_FLOORS = {
    "greeting": 14,
    "thanks": 14,
    "bye": 14,
    "who": 14,
    "person": 14,
    "help": 14,
}


def test_the_held_out_conversation_stays_at_the_level_reached() -> None:
    from bot.search.conversation_eval import conversation_messages, intent_tallies

    by_intent, _ = intent_tallies(conversation_messages(), shipped())
    assert all(by_intent.right[k] >= n for k, n in HELD_OUT_FLOORS.items()), dict(by_intent.right)


def test_no_held_out_search_message_is_taken_for_conversation() -> None:
    from bot.search.conversation_eval import false_conversation, search_messages

    queries = search_messages()
    assert len(queries) > 1000
    taken = false_conversation(queries, shipped())
    assert sum(taken.right.values()) == 0, dict(taken.right)


def test_no_entry_is_made_of_stray_letters_only() -> None:
    """An entry whose words all fold to one letter matches any stray letter: "bb" (bye bye)
    folds to "b" and read the markdown "<b>x</b>" as a goodbye. Only "u" (you) is allowed:
    it says something only beside another group's word ("who r u")."""
    import yaml

    from bot.search.conversation.reader import DATA, EMOJI_FILE
    from bot.search.normalize import term, words

    stray = []
    for path in sorted(DATA.glob("*.yaml")):
        if path.name == EMOJI_FILE:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lists = [*(data.get("intents") or {}).values(), *(data.get("groups") or {}).values()]
        for entry in (str(e) for texts in lists for e in texts):
            terms = [term(w) for w in words(entry.rstrip("*"), join_apostrophes=True)]
            if all(len(t) < 2 for t in terms) and entry not in ("u",):
                stray.append(f"{path.name}: {entry}")
    assert not stray


# Issue 16 item 5, round 2's classes, each in every language (none of these is a held-out
# message): who runs this / what can you do, said colloquially; not understanding the buttons
# or the menu, opening it, what to type; is anyone there + a real person; a counsellor to write
# with; good night and see you later; thanks + that helped; religious and slang greetings.
BY_CLASS = {
    Intent.WHO: [
        "wer betreibt diesen bot?",
        "wer ist eigentlich für diesen kanal verantwortlich",
        "who is behind this channel",
        "who manages this account?",
        "bu kanalı kim yönetiyor",
        "bu botu kim yaptı",
        "مين بيدير هالقناة؟",
        "من يدير هذا الحساب",
        "کی این کانال رو مدیریت میکنه",
        "پشت این ربات کیه",
        "кто управляет этим ботом",
        "кто создал этот канал",
        "хто керує цим каналом",
        "хто створив цього бота",
        "what exactly are u",
        "was genau bist du eigentlich",
        "was kannste so?",
        "what can u do for me",
        "neler yapabiliyon",
        "ne işe yararsın sen",
        "ايش تقدر تسوي",
        "شو بتقدر تسوي",
        "che kari mituni anjam bedi",
        "чё умеешь?",
        "chto ty umeesh delat",
        "шо ти вмієш робити",
    ],
    Intent.HELP: [
        "ich verstehe die knöpfe nicht",
        "öffne das hauptmenü",
        "was soll ich hier eingeben",
        "i dont understand the menu",
        "where are the buttons",
        "what should i type in here",
        "düğmeleri anlamıyorum",
        "menüyü nereden açarım",
        "buraya ne yazmalıyım",
        "ما فهمت الأزرار",
        "وين الازرار",
        "شو لازم اكتب هون",
        "دکمه‌ها رو متوجه نمیشم",
        "اینجا چی تایپ کنم",
        "منو رو باز کنید",
        "не понял эти кнопки",
        "где тут меню",
        "ne ponimayu knopki v menu",
        "не розумію ці кнопки",
        "де тут меню",
        "що сюди писати",
    ],
    Intent.PERSON: [
        "hallo, ist jemand da? ein echter mensch?",
        "anybody there? a real human?",
        "kimse var mı? gerçek bir insan?",
        "في حدا هون؟ انسان حقيقي؟",
        "کسی اینجاست؟ یه انسان واقعی؟",
        "здесь кто-нибудь есть? живой человек?",
        "є тут хтось? жива людина?",
        "ich suche einen berater zum chatten",
        "is there a counsellor i can chat with",
        "i need a counselor to text with",
        "mesajlaşabileceğim bir danışman var mı",
        "بدي مستشار احكي معه",
        "یه مشاور میخوام که باهاش حرف بزنم",
        "нужен консультант для переписки",
        "потрібен консультант для листування",
    ],
    Intent.BYE: [
        "schlaf gut 😴",
        "pass auf dich auf",
        "night night",
        "catch you later",
        "hadi görüşürüz",
        "iyi uykular",
        "يلا نشوفك بعدين",
        "ليلة سعيدة",
        "شبت بخیر",
        "مواظب خودت باش",
        "shab bekheyr",
        "споки ноки",
        "spokoynoy nochi",
        "бувай, бережи себе",
        "до завтра, бувай",
    ],
    Intent.THANKS: [
        "danke, das hat mir sehr geholfen",
        "thx, war echt hilfreich",
        "thanks, that really helped me",
        "teşekkürler, çok işime yaradı",
        "شكرا، أفادني كثير",
        "مرسی، خیلی کمکم کرد",
        "komakam kard, mersi",
        "спасибо, очень помогло",
        "spasibo, pomoglo",
        "дякую, дуже допомогло",
    ],
    Intent.GREETING: [
        "salam aleikum",
        "gelobt sei jesus christus",
        "assalamu alaikum",
        "peace be upon you",
        "selamünaleyküm",
        "hayırlı cumalar",
        "يا هلا والله",
        "حياك الله",
        "سلام و عرض ادب",
        "ку-ку",
        "здарова",
        "слава Ісусу Христу!",
        "slava isusu",
    ],
}


@pytest.mark.parametrize(
    ("text", "intent"), [(text, intent) for intent, texts in BY_CLASS.items() for text in texts]
)
def test_each_class_is_read_in_every_language(text: str, intent: Intent) -> None:
    talk = shipped().read(text)
    assert talk is not None and talk.intent is intent, (text, talk)


@pytest.mark.parametrize(
    "text",
    [
        # A counselling service is a search; only a counsellor to write with is a person.
        "ich brauche eine Schuldnerberatung",
        "I need counselling",
        "i need a counselor for debt",
        "berater für schulden",
        "danışmanlık hizmeti",
        "borç danışmanlığı istiyorum",
        "بدي استشارة",
        "مشاوره حقوقی میخوام",
        "нужна консультация юриста",
        "мне нужны консультации",
        "потрібні консультації",
        # Who runs / opens / where: a place or a service named beside them.
        "who runs the food bank in Linden",
        "wer leitet die tafel in linden",
        "кто ведет прием у врача",
        "хто веде прийом у лікаря",
        "من يدير الجمعية",
        "who owns my flat",
        "menu of the Tafel",
        "wo ist das menü der tafel",
        "where is the jobcenter",
        "wo ist die kleiderkammer",
        "open now",
        "ich verstehe den brief vom jobcenter nicht",
        "i dont understand my rent contract",
        # A thing word beside a greeting is a search: "konto" is a bank account.
        "hallo, konto",
        "mein konto ist gesperrt",
        "ich brauche einen account beim jobcenter",
        "bu hesabı kapatmak istiyorum",
        # "That did not help", in every language.
        "danke, das hat mir nicht weitergeholfen",
        "thanks but it didnt help me",
        "teşekkürler ama işime yaramadı",
        "شكرا بس ما فادني",
        "ممنون ولی کمکم نکرد",
        "спасибо, но ничего не помогло",
        "дякую, але не допомогло",
        # Not the help menu: a person who cannot cope, nobody understands them.
        "ich komme nicht klar",
        "kimse beni anlamıyor",
        "никто меня не понимает",
        # Poisoning, one letter from تسلم (thanks).
        "تسمم",
    ],
)
def test_a_widened_class_leaves_searches_alone(text: str) -> None:
    assert shipped().read(text) is None, text


def test_a_thing_word_covers_a_message_only_inside_its_combination(tmp_path: Path) -> None:
    """``outlet`` and ``controls`` words (an account, the menu) can name a need alone."""
    reader = _reader(
        tmp_path,
        "de",
        "language: de\nintents:\n  greeting: [hallo]\ngroups:\n  asker: [wer]\n"
        "  behind: [betreibt]\n  outlet: [konto]\n",
    )
    talk = reader.read("wer betreibt das konto")
    assert talk is not None and talk.intent is Intent.WHO
    assert reader.read("hallo, konto") is None
    assert reader.read("hallo, betreibt") is None


def test_a_search_word_does_not_win_over_words_typed_as_another_entry(tmp_path: Path) -> None:
    """A near spelling of a ``search`` entry is not one when the words are exactly another
    entry: "کمکم کرد" (it helped me) is one letter from "کمکم نکرد" (it did not)."""
    reader = _reader(
        tmp_path, "fa", "language: fa\nintents:\n  thanks: [ممنون, کمکم کرد]\nsearch: [کمکم نکرد]\n"
    )
    talk = reader.read("ممنون، کمکم کرد")
    assert talk is not None and talk.intent is Intent.THANKS
    assert reader.read("ممنون، کمکم نکرد") is None


@pytest.mark.parametrize("text", ["что делать", "что мне делать", "що робити", "شو بعمل"])
def test_what_shall_i_do_is_not_asking_what_the_bot_can_do(text: str) -> None:
    """``what`` + ``able`` asks what the bot can do; "what shall I do" is not that question."""
    talk = shipped().read(text)
    assert talk is None or talk.intent is not Intent.WHO, talk


# Issue 16 item 5, round 3's classes, each in every language (none of these is a held-out
# message): a counsellor who writes or chats with me; who runs this service, and "is a person
# answering or a program?"; taking leave with a wish or "that's all"; hello everyone; thanks +
# it worked.
ROUND_3_CLASSES = {
    Intent.PERSON: [
        "ich hätte gern eine Beraterin, die mit mir chattet",
        "can I get an advisor who chats with me",
        "I need someone from the counselling service who writes to me",
        "bana yazacak bir uzman istiyorum",
        "بدي مرشدة تحكي معي بالشات",
        "یه مشاور میخوام که باهام چت کنه",
        "хочу консультантку, чтобы с ней переписываться",
        "потрібен консультант, щоб з ним листуватися",
    ],
    Intent.WHO: [
        "wer ist für diesen Dienst zuständig?",
        "who is in charge of this service",
        "bu servisi kim yönetiyor",
        "مين المسؤول عن هالخدمة",
        "کی این سرویس رو میگردونه",
        "кто курирует этот сервис",
        "хто керує цим сервісом",
        "antwortet hier ein Mensch oder ein Programm?",
        "is a human answering or a program?",
        "cevap veren insan mı program mı",
        "اللي بيرد بني آدم ولا برنامج؟",
        "آدم جواب میده یا برنامه؟",
        "мне отвечает человек или программа?",
        "відповідає людина чи програма?",
    ],
    Intent.BYE: [
        "ok das wär's, schönen Tag noch",
        "that's all for now, have a lovely day",
        "şimdilik bu kadar, iyi çalışmalar",
        "نتلاقى من بعد إن شاء الله",
        "yalla, nshufak ba3dein",
        "فعلا خدافظ، روزتون خوش",
        "на этом всё, хорошего дня",
        "на цьому все, гарного дня",
    ],
    Intent.GREETING: [
        "hallo allerseits",
        "hey folks",
        "selam arkadaşlar",
        "marhaba ya shabab",
        "مرحبا يا شباب",
        "سلام به همه",
        "привет всем",
        "привіт усім",
    ],
    Intent.THANKS: [
        "danke, hat funktioniert",
        "thanks, that did the trick",
        "it worked, thanks!",
        "sağol, çalıştı",
        "شكرا زبطت معي",
        "مرسی، درست شد",
        "спасибо, всё получилось",
        "дякую, все вийшло",
    ],
}


@pytest.mark.parametrize(
    ("text", "intent"),
    [(text, intent) for intent, texts in ROUND_3_CLASSES.items() for text in texts],
)
def test_round_3_classes_are_read_in_every_language(text: str, intent: Intent) -> None:
    talk = shipped().read(text)
    assert talk is not None and talk.intent is intent, (text, talk)


@pytest.mark.parametrize(
    "text",
    [
        # Counselling alone, or a named counselling service, is a search.
        "ich brauche eine Schuldnerberatung",
        "ich brauche Beratung",
        "jemand von der Schuldnerberatung",
        "i need counselling",
        "مشاوره",
        "нужен психолог",
        # Who runs / who answers at a service in the city is a search.
        "who runs the food bank in Linden",
        "wer betreibt die Tafel in Linden",
        "кто руководит службой занятости",
        "who answers the phone at the jobcenter",
        "menu of the Tafel",
        # "it did not work" is a complaint; "I want to work" asks for work.
        "danke, hat nicht geklappt",
        "it didnt work",
        "не получилось",
        "не вийшло",
        "ما زبطت",
        "جواب نداد",
        "çalışmadı",
        "بدي اشتغل",
        "хочу работать",
        "bu kadar borç",
        # A bare cry for help belongs to the crisis stage.
        "помогите",
    ],
)
def test_round_3_classes_leave_searches_alone(text: str) -> None:
    assert shipped().read(text) is None, text


def test_a_search_word_inside_a_longer_phrase_naming_someone_is_part_of_it(
    tmp_path: Path,
) -> None:
    """A phrase such as "someone from counselling" names a person; "counselling" alone, or a
    near spelling of the longer phrase, is a search."""
    reader = _reader(
        tmp_path,
        "en",
        "language: en\nintents:\n  thanks: [thanks, that did it]\nsearch: [counselling,"
        " didnt help]\ngroups:\n  want: [need]\n  human: [someone from counselling]\n"
        "  talk: [chat]\n",
    )
    talk = reader.read("need someone from counselling to chat")
    assert talk is not None and talk.intent is Intent.PERSON
    assert reader.read("need counselling") is None
    assert reader.read("thanks, that didnt help") is None


def test_a_word_of_the_who_question_does_not_ask_for_someone(tmp_path: Path) -> None:
    """The question "is a person answering or a program?" asks who, though "answering" is
    also a word that could ask to talk; "I want a person" still asks for one."""
    reader = _reader(
        tmp_path,
        "en",
        "language: en\nintents:\n  person: [person]\ngroups:\n  being: [person, program]\n"
        "  answers: [answering]\n  talk: [answering]\n  want: [want]\n  human: [person]\n",
    )
    talk = reader.read("is a person answering or a program")
    assert talk is not None and talk.intent is Intent.WHO
    talk = reader.read("i want a person")
    assert talk is not None and talk.intent is Intent.PERSON
