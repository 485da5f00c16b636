"""Button codes: a service's token finds it again, short ids as they are, long ones by hash."""

from __future__ import annotations

from bot.callbackdata import MAX_BYTES, Action, encode, find_service, service_token

LONG = "a-very-long-service-id-" + "x" * 40


def test_a_short_id_is_its_own_token_and_a_long_one_is_hashed() -> None:
    assert service_token("tafel-linden") == "tafel-linden"
    assert service_token(LONG).startswith("#") and len(service_token(LONG)) == 13
    assert len(encode(Action.REPORT, service_token(LONG), "wrong-address").encode()) <= MAX_BYTES


def test_a_token_finds_its_service_or_nothing() -> None:
    services = {"tafel-linden": "Tafel", LONG: "Long"}
    assert find_service("tafel-linden", services) == "Tafel"
    assert find_service(service_token(LONG), services) == "Long"
    assert find_service("gone", services) is None
    assert find_service("#000000000000", services) is None
