"""Danger told by its signs, not its name (issue 15, the classes rounds 6-10 still missed).

A parent who took the children abroad and will not bring them back; hot oil or boiling water
over someone with the skin coming off; a trip "home" with talk of a wedding and gold that
"nobody asked me" about; a drunk man breaking the door; a knife downstairs; "they know where I
live"; chest pain into the left arm; a crooked mouth that cannot speak; sleeping and never
waking; "his last day" with the phone off. Each is a combination of shipped word groups, in
all seven languages, read by the shipped knowledge without the learned model (so a rule, not
the model, must catch it). The everyday messages beside them share one half of a sign and must
stay quiet: a last day at work with the phone off is a working day, not a farewell.
"""

from __future__ import annotations

import pytest

from bot.search.danger.detector import DangerDetector
from bot.search.danger.knowledge import shipped

SIGNS = [
    ("missing-child", "Babası çocukları Suriye'ye götürdü, geri getirmeyecek"),
    ("missing-child", "پدرش بچه‌ها رو برد ترکیه و برنمیگردونه"),
    ("missing-child", "abuva a5adhom 3a turkia w ma ra7 yerj3o"),
    ("medical", "zet s5en n2abb 3le ebni w jeldo 3am yensala5"),
    ("medical", "ребенок опрокинул на себя кипяток, кожа слезает"),
    (
        "forced-marriage",
        "Wir fahren in die Heimat, sie reden über Hochzeit und Gold, niemand hat mich gefragt",
    ),
    ("forced-marriage", "they bought a ticket to pakistan, i have to marry there"),
    ("forced-marriage", "Мене хочуть видати заміж, якщо відмовлюсь виженуть з дому"),
    ("forced-marriage", "mi bayad aghd konam, age ghabul nakonam birunam mikone"),
    ("violence", "sarhoş geldi kapıyı tekmeliyor"),
    ("violence", "on pyanyi lomaet dver"),
    ("violence", "ношу длинные рукава чтобы скрывать синяки"),
    ("stalking", "Er schreibt mir ständig, er weiß wo ich wohne, ich habe Angst"),
    ("stalking", "shoharam har shab jeloye khunamun payam mide"),
    ("medical", "Oma ist gestürzt, Mund ist schief, sie kann nicht richtig sprechen"),
    ("suicide", "kak usnut i bolshe ne prosnutsya"),
    ("suicide", "what is the easiest way to stop existing"),
    ("suicide", "en hızlı yok olmanın yolu ne"),
    ("suicide", "mein Bruder schrieb, es sei sein letzter Tag, und hat das Handy ausgeschaltet"),
    ("suicide", "skazhite mame chto ya ee lyubil"),
]

EVERYDAY = [
    "we fly to turkey in summer for my cousins wedding, need to buy gold",
    "Yazın memlekete gidiyoruz, kuzenimin düğünü var, altın almamız lazım",
    "رايحين عالبلد بالصيفية على عرس بنت خالتي، بدنا نشتري دهب",
    "تابستون بریم ایران عروسی دخترخاله، باید طلا بخریم",
    "Муж пришел пьяный, где есть консультация для зависимых",
    "بدي مكياج يغطي الحبوب بوجهي",
    "I want makeup to hide my dark circles",
    "Oğlum sıcak çay döktü masaya",
    "Bıçak almak istiyorum, aşağıda dükkan var mı",
    "Ich suche ein Messer für die Küche, unten im Laden gibt es keins",
    "it is my last day at work, my phone is off in the evening",
    "Последний день подачи документов, телефон выключен у секретаря",
    "Eski eşim çocukları tatile Türkiye'ye götürdü, ne zaman dönecekler bilmiyorum",
    "pedare bacheha onaro bord madrese",
]


@pytest.fixture(scope="module")
def detector() -> DangerDetector:
    return DangerDetector(shipped())


@pytest.mark.parametrize(("kind", "text"), SIGNS)
def test_a_sign_of_danger_is_read_as_its_kind(
    detector: DangerDetector, kind: str, text: str
) -> None:
    assert kind in detector.read(text).kinds, text


@pytest.mark.parametrize("text", EVERYDAY)
def test_half_a_sign_in_an_everyday_message_is_no_alarm(
    detector: DangerDetector, text: str
) -> None:
    assert not detector.read(text).found, detector.read(text).evidence
