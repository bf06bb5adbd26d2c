"""
JSON numbers kept exact. A JSON Schema ``multipleOf: 0.01`` checked in binary floating point
refuses 2.3, 1.15 or 0.07; JSON Schema defines it on the numbers as written. Every schema the
criteria core validates against (credit events, frameworks, targets, item banks…) is checked with
:data:`ExactValidator`.
"""
from decimal import Decimal
from fractions import Fraction

from jsonschema import Draft202012Validator, ValidationError, validators


class JSONNumber(Decimal):
    """
    A JSON number kept exactly as written (``json.loads(..., parse_float=JSONNumber)``). It prints as
    JSON writes it, so schema messages read ``2.345 is not a multiple of 0.01``.
    """

    __slots__ = ()

    def __repr__(self):
        return str(self)


def exact_number(value):
    """A JSON number as an exact :class:`JSONNumber`; a float is taken as its shortest repr (2.3, not 2.29999…)."""
    if isinstance(value, float):
        return JSONNumber(repr(value))
    return JSONNumber(value)


def is_multiple_of(value, step):
    """JSON Schema's ``multipleOf`` in exact arithmetic: 2.3 is a multiple of 0.01 (in binary floating point it is not)."""
    value, step = exact_number(value), exact_number(step)
    if not value.is_finite():
        return False
    if not value:
        return True
    if _places(value) > _places(step):
        return False
    if value.adjusted() > 1000:  # far past every maximum in the schemas, which report it; spare the big integers
        return True
    return (Fraction(value) / Fraction(step)).denominator == 1


def _places(number):
    """Decimal places of a finite number other than zero, trailing zeros not counted (2.30 has one, 1E+3 has -3)."""
    _sign, digits, exponent = number.as_tuple()
    text = "".join(map(str, digits))
    return -(exponent + len(text) - len(text.rstrip("0")))


def _exact_multiple_of(schema_validator, step, instance, _schema):
    if schema_validator.is_type(instance, "number") and not is_multiple_of(instance, step):
        yield ValidationError(f"{exact_number(instance)} is not a multiple of {exact_number(step)}")


# The published schema unchanged; only its multipleOf is checked in decimal, as JSON Schema defines it.
ExactValidator = validators.extend(Draft202012Validator, {"multipleOf": _exact_multiple_of})
