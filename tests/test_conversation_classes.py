"""Conversation, round 4's classes widened in every language (issue 16, item 5): what the bot
is, costs and who stands behind it; asking to be called back or for a person in two words;
starting over, going back, the main menu, "I understood nothing"; "am I writing to a person or a
program?"; slang, dialect and Latin-letter forms. None of these is a held-out message; each
class is written in all seven languages, and the searches that share its words stay searches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.search.conversation.reader import ConversationReader, Intent, shipped

CLASSES = {
    # What is this, who made it, is it free / official / anonymous: the answer to "who" says
    # what the bot is and that it is free and without registration.
    Intent.WHO: [
        "was is des?",
        "ist das kostenlos?",
        "seid ihr vom amt",
        "muss ich was bezahlen",
        "whats this",
        "is it free?",
        "are you from the government",
        "do you store my data",
        "bu ne ya",
        "bu ücretsiz mi",
        "bunu kim yaptı",
        "devlete mi ait",
        "шо это такое",
        "это бесплатно?",
        "вы от государства?",
        "kto eto sdelal",
        "це що?",
        "це безкоштовно?",
        "хто створив бота",
        "tse bezkoshtovno",
        "شو هاد الشي؟",
        "هل هذا مجاني",
        "انتو تبع الحكومة؟",
        "لازم ادفع؟",
        "این چیه دیگه",
        "رایگانه؟",
        "شما از طرف دولت هستید؟",
        "ki ino sakhte",
        # Am I writing to a person or a program?
        "mit nem menschen oder ner maschine, mit wem schreib ich",
        "am i talking to a human or a bot",
        "karşımda bot mu var yoksa insan mı",
        "я с ботом переписываюсь или с человеком?",
        "я пишу боту чи людині?",
        "عم احكي مع انسان ولا روبوت؟",
        "دارم با ربات حرف میزنم یا آدم؟",
        # Slang and Latin letters.
        "bist du n bot",
        "r u a bot",
        "bot musun lan",
        "ty zhivoy?",
        "ty zhyvyi?",
        "to adami ya robat?",
    ],
    # Call me back; a person, please, in two words; staff.
    Intent.PERSON: [
        "können sie mich anrufen?",
        "rückruf bitte",
        "einen menschen bitte",
        "can someone phone me",
        "a person please",
        "geri arayın lütfen",
        "personel lütfen",
        "перезвоните пожалуйста",
        "человека пожалуйста",
        "pozvonite mne",
        "передзвоніть будь ласка",
        "людину будь ласка",
        "zatelefonuyte meni",
        "انسان لو سمحت",
        "حدا يتصل فيي",
        "3ayez akalem 7ad bani adam mesh robot",
        "یکی بهم زنگ بزنه",
        "behem zang bezanid",
        # A counsellor "with whom" I can write: the relative words are polite.
        "nuzhen konsultant s kotorym mozhno perepisyvatsya",
        "потрібен консультант, з яким можна листуватися",
    ],
    # Start over, back, main menu, "I understood nothing", how does this app work.
    Intent.HELP: [
        "nochmal von vorne",
        "zurück",
        "ich checks nicht",
        "start over",
        "go back",
        "idk how this works",
        "baştan başla",
        "ana menü",
        "anlamadım ki",
        "начать заново",
        "главное меню",
        "ничего не понял",
        "ne ponyal nichego",
        "почати спочатку",
        "головне меню",
        "нічого не зрозумів",
        "من الأول",
        "القائمة الرئيسية",
        "مش فاهم شي",
        "كيف يشتغل هذا التطبيق",
        "ما فهمتش الأزرار كيفاش نخدم بيهم",
        "از اول",
        "منوی اصلی",
        "هیچی نفهمیدم",
        "az aval",
    ],
    Intent.GREETING: ["gm", "prvt", "доброго утречка", "pryvitulky", "salam alikom", "سلاام"],
    Intent.THANKS: ["thankyou", "eyw", "مشكور اخوي", "merci ktir ya 3ami", "mamnoon azizam"],
    Intent.BYE: ["cu later", "görüşürüzz", "pokeda", "buvaite", "yalla salam", "felan bye"],
}


# The same classes said once more: "are you ChatGPT?", the polite plural, "no bot", "is there a
# menu?", "which commands are there?", "what exactly do I write?".
MORE = {
    Intent.WHO: [
        "bist du chat gpt?",
        "are you chat gpt",
        "bot musunuz?",
        "insan mısınız",
        "ты чат гпт?",
        "ти chatgpt?",
        "انت شات جي بي تي؟",
        "تو چت جی پی تی هستی؟",
        "wer spricht da?",
    ],
    Intent.PERSON: [
        "ich will keinen bot",
        "ما بدي بوت",
        "في ناس حقيقيين هون؟",
    ],
    Intent.HELP: [
        "what kinds of things can i ask",
        "bu şeyi nasıl kullanıyorum",
        "hangi komutlar var",
        "что именно писать",
        "що саме писати",
        "есть меню?",
        "є меню?",
        "شو الأوامر",
        "چیا میتونم بپرسم",
        "چه دستوراتی هست؟",
        "منو داره؟",
    ],
}
for _intent, _texts in MORE.items():
    CLASSES[_intent] = [*CLASSES[_intent], *_texts]


@pytest.mark.parametrize(
    ("text", "intent"), [(text, intent) for intent, texts in CLASSES.items() for text in texts]
)
def test_round_4_classes_are_read_in_every_language(text: str, intent: Intent) -> None:
    talk = shipped().read(text)
    assert talk is not None and talk.intent is intent, (text, talk)


@pytest.mark.parametrize(
    "text",
    [
        # Free, official, anonymous and paying name a need beside a service or alone.
        "kostenlos",
        "hallo, kostenlos",
        "kostenlose rechtsberatung",
        "ist die tafel kostenlos",
        "is the food bank free",
        "free",
        "free lawyer",
        "ücretsiz avukat",
        "ücretsiz",
        "бесплатный юрист",
        "бесплатно",
        "безкоштовний юрист",
        "محامي مجاني",
        "وکیل رایگان",
        "anonyme beratung",
        "anonymous counselling",
        "официальный перевод",
        "muss ich die miete bezahlen",
        "was kostet ein deutschkurs",
        "сколько стоит курс",
        # Calling someone about a need is a search; so are going back home and starting a business.
        "can someone call the jobcenter for me",
        "ich brauche ein telefon",
        "i want to go back to my country",
        "zurück nach hause",
        "rückkehrberatung",
        "вернуться домой",
        "повернутися додому",
        "العودة الى الوطن",
        "بازگشت به کشور",
        "начать бизнес",
        "start a business",
        "menü der tafel",
        # How a service works, or who founded one, is a search.
        "wie funktioniert das jobcenter",
        "how does kindergeld work",
        "как работает жилищное пособие",
        "wer hat die tafel gegründet",
        "who runs the shelter",
        # A greeting beside a need.
        "hallo, wo gibt es essen",
        "hi, where can i sleep tonight",
        "привіт, потрібен лікар",
        "سلام دکتر میخوام",
        "wo finden menschen hilfe",
        # English "that was" is no German "was" + "this".
        "that was the jobcenter",
    ],
)
def test_round_4_classes_leave_searches_alone(text: str) -> None:
    assert shipped().read(text) is None, text


def test_thanks_with_that_was_is_still_thanks() -> None:
    """English "that" is not a "this" word: "that was useful" would read as German "was"
    (what) + "this" and ask who the bot is."""
    talk = shipped().read("cheers, that was useful")
    assert talk is not None and talk.intent is Intent.THANKS


def test_words_a_phrase_stands_apart_over_are_not_its_own(tmp_path: Path) -> None:
    """A phrase may stand a little apart ("muss ich … bezahlen"), but the words in between are
    not part of it: "muss ich die miete bezahlen" asks about the rent, not about the bot."""
    (tmp_path / "de.yaml").write_text(
        "language: de\nintents:\n  who: [muss ich bezahlen]\npolite: [bitte]\n"
    )
    (tmp_path / "emoji.yaml").write_text("emoji: {}\n")
    reader = ConversationReader(tmp_path)
    talk = reader.read("muss ich bitte bezahlen")
    assert talk is not None and talk.intent is Intent.WHO
    assert reader.read("muss ich die miete bezahlen") is None
