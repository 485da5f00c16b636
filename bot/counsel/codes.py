"""Short random codes that name a conversation for the counsellors ("K7F2").

The code is all the team ever sees of who wrote: never a name, a username or an id. It is
random (``secrets``), so it says nothing about when or in which order people came, and it
leaves out characters that are easy to misread or mistype (0/O, 1/I/L, 2/Z, 5/S, 8/B), so a
counsellor can say it on the phone to a colleague.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
"""25 characters that no font or voice mixes up."""

CODE_LENGTH = 4
"""25**4 = 390,625 codes: a few hundred open conversations collide once in about a thousand
draws, and a clash is simply drawn again."""

MAX_DRAWS = 100


def new_code(taken: Callable[[str], bool], draw: Callable[[str], str] = secrets.choice) -> str:
    """A code that ``taken`` says no open conversation uses.

    :raises RuntimeError: if ``MAX_DRAWS`` draws all clashed (hundreds of thousands open)
    """
    for _ in range(MAX_DRAWS):
        code = "".join(draw(ALPHABET) for _ in range(CODE_LENGTH))
        if not taken(code):
            return code
    raise RuntimeError("no free conversation code: too many open conversations")
