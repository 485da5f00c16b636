"""A grid of degree cells over the services' places: the nearest services to a point, and the
services within a radius, without measuring the distance to every service.

Cells are :data:`GRID_DEG` degrees square; a lookup reads only the cells around the point, so
a shared location costs the same in a city of 100 offers as in one of 10,000.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from bot.geo import Coordinates, degrees_spanned

GRID_DEG = 0.01
"""Grid cell for the nearest-service lookup: about 1.1 km × 0.7 km in Hannover."""
MAX_GRID_RINGS = 60
"""Rings of cells walked at most for the nearest services (40-65 km around Hannover): beyond
that a service is no longer "near", and the walk from a point far outside the city stays short."""


class PlaceGrid:
    """The indices of the placed services, by grid cell."""

    def __init__(self, places: Sequence[Coordinates | None]) -> None:
        self._cells: dict[tuple[int, int], list[int]] = {}
        for index, place in enumerate(places):
            if place is not None:
                self._cells.setdefault(_cell(place), []).append(index)
        self.placed = sum(p is not None for p in places)
        """How many services have a place."""

    def within(self, near: Coordinates, radius_m: float) -> list[list[int]]:
        """The services of every cell that a circle of ``radius_m`` around ``near`` may reach
        (cell by cell; the caller measures the real distances)."""
        row, column = _cell(near)
        north, east = degrees_spanned(near, radius_m)
        rows = math.ceil(north / GRID_DEG)
        columns = math.ceil(east / GRID_DEG)
        if (2 * rows + 1) * (2 * columns + 1) > len(self._cells):
            return [
                services
                for (cell_row, cell_column), services in self._cells.items()
                if abs(cell_row - row) <= rows and abs(cell_column - column) <= columns
            ]
        return [
            self._cells.get((row + r, column + c), [])
            for r in range(-rows, rows + 1)
            for c in range(-columns, columns + 1)
        ]

    def nearest(self, near: Coordinates, count: int) -> list[int]:
        """About ``count`` services around ``near``, ring by ring of the grid (whole cells, so
        the first of them are not sorted by distance), at most ``count``.

        Where the city is dense, the first rings hold enough services and walking them is
        cheapest. Where it is not (a small catalogue, a person at the edge of town), the walk
        would visit thousands of empty cells (ring 27 alone has 216); as soon as a ring has more
        cells than the grid has occupied ones, the remaining rings are read from the occupied
        cells instead, in the same order, so the answer is the same.
        """
        row, column = _cell(near)
        wanted = min(count, self.placed)
        found: list[int] = list(self._cells.get((row, column), ()))
        ring = 0
        while len(found) < wanted and ring < MAX_GRID_RINGS:
            ring += 1
            if _ring_size(ring) > len(self._cells):
                found.extend(self._occupied_from(row, column, ring, wanted - len(found)))
                break
            for cell in _ring(row, column, ring):
                found.extend(self._cells.get(cell, ()))
        return found[:count]

    def _occupied_from(self, row: int, column: int, first_ring: int, wanted: int) -> list[int]:
        """The services in rings ``first_ring`` to :data:`MAX_GRID_RINGS` around (row, column),
        in :func:`_ring`'s order, stopping after the ring that brings ``wanted`` of them."""
        cells: list[tuple[tuple[int, int, int, int], list[int]]] = []
        for (cell_row, cell_column), services in self._cells.items():
            ring = max(abs(cell_row - row), abs(cell_column - column))
            if first_ring <= ring <= MAX_GRID_RINGS:
                cells.append((_ring_position(cell_row - row, cell_column - column, ring), services))
        cells.sort()
        found: list[int] = []
        for position, (key, services) in enumerate(cells):
            found.extend(services)
            last_of_ring = position + 1 == len(cells) or cells[position + 1][0][0] != key[0]
            if last_of_ring and len(found) >= wanted:
                break
        return found


def _ring(row: int, column: int, ring: int) -> Iterator[tuple[int, int]]:
    """The grid cells at Chebyshev distance ``ring`` from (row, column): the square's border."""
    for offset in range(-ring, ring + 1):
        yield row - ring, column + offset
        yield row + ring, column + offset
    for offset in range(-ring + 1, ring):
        yield row + offset, column - ring
        yield row + offset, column + ring


def _ring_size(ring: int) -> int:
    """How many grid cells :func:`_ring` visits at Chebyshev distance ``ring`` (ring ≥ 1)."""
    return 8 * ring


def _ring_position(row_offset: int, column_offset: int, ring: int) -> tuple[int, int, int, int]:
    """A sort key that puts the cells of rings in :func:`_ring`'s order: ring by ring, in each
    the top and bottom rows column by column (top first), then the sides row by row (left
    first)."""
    if abs(row_offset) == ring:
        return ring, 0, column_offset, int(row_offset > 0)
    return ring, 1, row_offset, int(column_offset > 0)


def _cell(place: Coordinates) -> tuple[int, int]:
    return math.floor(place[0] / GRID_DEG), math.floor(place[1] / GRID_DEG)
