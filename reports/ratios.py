"""Observed against expected: the one ratio alerts, e-mails and reports show ("×10 the usual").

The expected level of a quiet hour can be a fraction of a mention (0.14); dividing by it would
give ×986 for 138 mentions. The ratio divides by at least `FLOOR` (one mention) instead, and
whoever shows it says "fewer than 1 expected" in that case, so the two figures always agree:
138 observed against fewer than 1 expected is ×138.
"""

from __future__ import annotations

from dataclasses import dataclass

FLOOR = 1.0


@dataclass(frozen=True)
class Excess:
    """`observed` mentions against the `expected` level, and their ratio."""

    observed: float
    expected: float
    floor: float = FLOOR

    @property
    def baseline(self) -> float:
        """What the ratio divides by: the expected level, at least `floor`."""
        return max(self.expected, self.floor)

    @property
    def ratio(self) -> float:
        return self.observed / self.baseline

    @property
    def below_floor(self) -> bool:
        """True when fewer than `floor` were expected: say "fewer than 1", not "about 0.1"."""
        return self.expected < self.floor

    def as_dict(self) -> dict[str, float | bool]:
        return {
            "observed": self.observed,
            "expected": round(self.expected, 4),
            "baseline": self.baseline,
            "ratio": round(self.ratio, 4),
            "below_floor": self.below_floor,
        }


def observed_vs_expected(observed: float, expected: float | None, floor: float = FLOOR) -> Excess:
    """The comparison of an observed count with its expected level (None counts as 0)."""
    return Excess(float(observed), float(expected or 0.0), floor)
