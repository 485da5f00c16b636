"""Where to go, as buttons: a pin and a route only for coordinates that staff gave; for a service
placed at its district's centre, a map search for its street address instead.

A district's centre is where the bot files a service that has no coordinates, not where the
service is: a pin or a route there would send a person to the wrong street without saying so.
A map search for the address lets the map app find the building itself; a service with neither
coordinates nor an address gets no map button, and its card names the district.
"""

from __future__ import annotations

from urllib.parse import urlencode

from bot import callbackdata as cb
from bot.answers.replies import Button, Reply, Venue
from bot.answers.texts import place_of
from bot.callbackdata import Action, service_token
from bot.catalogue.model import Catalogue, Service
from bot.i18n.translators import Translator

OSM = "https://www.openstreetmap.org"
"""OpenStreetMap's own site: no account, no tracking cookie, and every phone opens it."""


def address_query(catalogue: Catalogue, address: str) -> str:
    """The address as a map search, with the city when staff left it out ("Hauptstr. 5")."""
    city = catalogue.region.name
    return address if city.casefold() in address.casefold() else f"{address}, {city}"


def map_buttons(catalogue: Catalogue, service: Service, tr: Translator) -> tuple[Button, ...]:
    """ "Show on map" and "Route" for the details: a pin and a route to the coordinates that
    staff gave, else a map search and a route to the street address, else none."""
    place = place_of(catalogue, service)
    if place is None:
        return ()
    show, route = "🗺 " + tr.gettext("Show on map"), "🧭 " + tr.gettext("Route")
    if place.coordinates is not None and not place.approximate:
        lat, lon = place.coordinates
        return (
            Button(show, cb.encode(Action.VENUE, service_token(service.id))),
            Button(route, url=f"{OSM}/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"),
        )
    if place.address:
        query = address_query(catalogue, place.address)
        return (
            Button(show, url=f"{OSM}/search?{urlencode({'query': query})}"),
            Button(route, url=f"{OSM}/directions?{urlencode({'to': query})}"),
        )
    return ()


def venue(catalogue: Catalogue, service: Service, tr: Translator) -> Reply | None:
    """The service's place as a Telegram venue, or None unless staff gave its coordinates
    (a button from before a service lost them, or a forged one)."""
    place = place_of(catalogue, service)
    if place is None or place.coordinates is None or place.approximate:
        return None
    address = place.address or place.district or catalogue.region.name
    lat, lon = place.coordinates
    return Reply(
        "",
        venue=Venue(lat, lon, catalogue.text(service.name, tr.code)[:100], address[:100]),
    )
