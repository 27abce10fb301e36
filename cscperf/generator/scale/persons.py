"""Person ids of the scale profile: a share of each batch returning, the rest new."""

from __future__ import annotations

import numpy as np


class State:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.people = 0

    def persons(self, n: int, returning: float) -> np.ndarray:
        """Person ids: a share returning (an earlier child), the rest new."""
        is_new = (self.rng.random(n) >= returning) | (self.people == 0)
        new_ids = self.people + np.cumsum(is_new)
        old = self.rng.integers(1, max(self.people, 1) + 1, size=n)
        self.people = int(self.people + is_new.sum())
        return np.where(is_new, new_ids, old)
