"""A learner's standing in one period: the recognition rule applied to points per indicator."""
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


def format_points(value):
    """Points for people: 7.5, 10, 0.25 (no trailing zeros, no exponent)."""
    text = f"{Decimal(value):.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class IndicatorStanding:
    code: str
    earned: Decimal        # credit recorded, before the cap (reversals already subtracted)
    points: Decimal        # what counts: earned capped at the indicator's maximum, never below 0
    max_points: Decimal
    min_points: Decimal

    @property
    def shortfall(self):
        """Points still needed to reach the indicator's minimum (0 when reached)."""
        return max(self.min_points - self.points, ZERO)


@dataclass(frozen=True)
class Standing:
    framework_id: str
    framework_version: str
    period: str
    indicators: tuple
    total: Decimal
    min_total: Decimal
    max_total: Decimal

    @property
    def short(self):
        """Codes of the indicators below their minimum, in framework order."""
        return [indicator.code for indicator in self.indicators if indicator.shortfall > 0]

    @property
    def recognised(self):
        return self.total >= self.min_total and not self.short

    def as_dict(self):
        """The public JSON shape of ``learning-citizen standing --json``."""
        return {
            "framework": {"id": self.framework_id, "version": self.framework_version},
            "period": self.period,
            "total": float(self.total),
            "threshold": float(self.min_total),
            "recognised": self.recognised,
            "indicators": {indicator.code: float(indicator.points) for indicator in self.indicators},
            "short": self.short,
        }


def compute_standing(framework, period, earned_by_indicator):
    """
    Apply ``framework``'s rule to credit recorded per indicator code.

    Points per indicator are capped at the indicator's maximum (extra credit in one indicator
    cannot make up for another) and floored at zero (a reversal never leaves a debt).
    Codes the framework does not know are ignored: they cannot count toward the title.
    """
    indicators = []
    for indicator in framework.indicators:
        earned = Decimal(earned_by_indicator.get(indicator.code, ZERO))
        points = min(max(earned, ZERO), indicator.max_points)
        indicators.append(IndicatorStanding(indicator.code, earned, points, indicator.max_points, indicator.min_points))
    return Standing(
        framework_id=framework.id,
        framework_version=framework.version,
        period=period,
        indicators=tuple(indicators),
        total=sum((indicator.points for indicator in indicators), ZERO),
        min_total=framework.min_total,
        max_total=framework.max_total,
    )
