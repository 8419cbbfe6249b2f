"""A measurement's result: a rate of the path measured, over a rate of its baseline."""

from dataclasses import dataclass, field


@dataclass
class Ratio:
    number: int
    title: str
    subject: str  # what was measured
    baseline: str  # what it is compared with
    subject_rate: float
    baseline_rate: float
    unit: str
    details: dict = field(default_factory=dict)

    @property
    def value(self) -> float:
        """1.0: as fast as the baseline; 0.5: half as many per second."""
        return self.subject_rate / self.baseline_rate if self.baseline_rate else 0.0

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "subject": self.subject,
            "baseline": self.baseline,
            "unit": self.unit,
            "subject_rate": round(self.subject_rate, 1),
            "baseline_rate": round(self.baseline_rate, 1),
            "ratio": round(self.value, 3),
            **self.details,
        }
