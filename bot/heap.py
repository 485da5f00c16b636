"""Keep Python's cyclic garbage collector away from the objects that live until the next reload.

The catalogue, its search index and the translations are a few hundred thousand objects. Left
in the collector's oldest generation, every full collection walks all of them, although they
cannot be garbage while they are in use: about 0.1 s of pause per thousand answered updates
(measured with ``bench/bench_bot.py``). ``gc.freeze()`` moves everything alive into a
permanent generation that collections skip; reference counting still frees frozen objects as
soon as nothing refers to them, so an old catalogue goes away after a reload as before.

Only garbage *cycles* among frozen objects wait: they are handed back to the collector at the
next :func:`settle`, so at most one catalogue's worth of cycles is ever held back.
"""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect what is garbage now, then freeze everything that is left; returns how many
    objects are frozen. Call it when the long-lived state changes: after start-up and after
    a reload. It pauses the process for one full collection (tens of milliseconds)."""
    gc.unfreeze()  # the objects frozen last time, the previous catalogue among them
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
