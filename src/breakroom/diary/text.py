"""Sentences the diary's engine says to people, put into words only when shown.

The rules engine and the CSV reader are plain Python with no Django (STYLE.md), but a
worker reads their results in English, Polish or Romanian. So they do not build
finished strings: they return `Text`, an English template marked for the
translation catalogues with `gettext_noop`, and the values to fill in it, typed so
that dates and times can be written the way the reader's language writes them.

`str(text)` is the English wording (the command line, the JSON API, the tests);
`text.render(voice)` is the wording in another language, with a `Voice` that knows
its catalogue and its date formats (the web pages pass one built on Django's
translations). Rendering late is also cheaper: a check of 100,000 worker-years
formats no sentence nobody reads.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

LONDON: Final = ZoneInfo("Europe/London")

_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def gettext_noop(message: str) -> str:
    """Mark `message` for the translation catalogues (the extractor finds this name)."""
    return message


def _english_day(value: date) -> str:
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"


def _english_weekday(value: date) -> str:
    return _WEEKDAYS[value.weekday()]


class Voice:
    """How a `Text` is worded: a catalogue (`gettext`), the way to write a day ("Mon 3
    Mar 2025") and a weekday ("Mon"), and a decimal number given as "47.06" (`number`:
    "47,06" in Polish). The default is English; another language passes its own."""

    __slots__ = ("day", "gettext", "number", "weekday")

    def __init__(
        self,
        gettext: Callable[[str], str] = gettext_noop,
        day: Callable[[date], str] = _english_day,
        weekday: Callable[[date], str] = _english_weekday,
        number: Callable[[str], str] = gettext_noop,
    ) -> None:
        self.gettext = gettext
        self.day = day
        self.weekday = weekday
        self.number = number


ENGLISH: Final = Voice()


class Value(ABC):
    """A typed value of a `Text`, written by `render` in the reader's language. Two
    values are equal when they are of one kind with the same `key`."""

    __slots__ = ()

    @abstractmethod
    def render(self, voice: Voice) -> str:
        """The value as the reader's language writes it."""

    @abstractmethod
    def key(self) -> object:
        """What makes two values of this kind equal."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, Value) and other.key() == self.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key()!r})"


class Day(Value):
    """A calendar day: "Mon 3 Mar 2025"."""

    __slots__ = ("value",)

    def __init__(self, value: date) -> None:
        self.value = value

    def render(self, voice: Voice) -> str:
        return voice.day(self.value)

    def key(self) -> object:
        return self.value


class Moment(Value):
    """An instant, in London time: "Mon 3 Mar 2025 22:00"."""

    __slots__ = ("instant",)

    def __init__(self, instant: float) -> None:
        self.instant = instant

    def render(self, voice: Voice) -> str:
        local = datetime.fromtimestamp(self.instant, LONDON)
        return f"{voice.day(local.date())} {local:%H:%M}"

    def key(self) -> object:
        return self.instant


class Span(Value):
    """From one instant to another: "Mon 3 Mar 2025 22:00 to Tue 07:30", naming the
    end's day only if it differs (by its weekday if it is the next day)."""

    __slots__ = ("end", "start")

    def __init__(self, start: float, end: float) -> None:
        self.start = start
        self.end = end

    def render(self, voice: Voice) -> str:
        first = datetime.fromtimestamp(self.start, LONDON)
        last = datetime.fromtimestamp(self.end, LONDON)
        start = Moment(self.start).render(voice)
        days = (last.date() - first.date()).days
        if days == 0:
            end = f"{last:%H:%M}"
        elif days == 1:
            end = f"{voice.weekday(last.date())} {last:%H:%M}"
        else:
            end = Moment(self.end).render(voice)
        return voice.gettext(gettext_noop("{start} to {end}")).format(start=start, end=end)

    def key(self) -> object:
        return (self.start, self.end)


class Duration(Value):
    """A length of time to the nearest minute: "13 h 05 min", "11 h", "20 min"."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def render(self, voice: Voice) -> str:
        hours, minutes = divmod(round(self.seconds / 60), 60)
        if hours and minutes:
            template = gettext_noop("{hours} h {minutes} min")
        elif hours:
            template = gettext_noop("{hours} h")
        else:
            template = gettext_noop("{minutes} min")
        return voice.gettext(template).format(
            hours=hours, minutes=f"{minutes:02d}" if hours else minutes
        )

    def key(self) -> object:
        return self.seconds


class Number(Value):
    """An operand of the arithmetic: at most two decimals, no trailing zeros ("680",
    "47.5"). Written only when shown."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value

    def render(self, voice: Voice) -> str:
        return voice.number(str(self))

    def key(self) -> object:
        return str(self)  # equal as shown: 47.999999999 and 48.0 read "48"

    def __str__(self) -> str:
        text = f"{self.value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text


class Figure(Value):
    """A decimal number already written with a point ("47.06"), in the reader's way."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def render(self, voice: Voice) -> str:
        return voice.number(self.text)

    def key(self) -> object:
        return self.text

    def __str__(self) -> str:
        return self.text


class Text:
    """An English template with named values; worded by `render` or `str`.

    Values are strings and whole numbers (written as they are), `Number` (an operand
    of the arithmetic), `Day`, `Moment`, `Span`, `Duration`, or another `Text` (a
    clause worded in the same language). A `Text`
    equals a string with its English wording, so a test can compare it with one.
    """

    __slots__ = ("template", "values")

    def __init__(self, template: str, **values: str | int | Value | Text) -> None:
        self.template = template
        self.values = values

    def render(self, voice: Voice = ENGLISH) -> str:
        worded = {
            name: value if isinstance(value, str | int) else value.render(voice)
            for name, value in self.values.items()
        }
        return voice.gettext(self.template).format(**worded)

    def __str__(self) -> str:
        return self.render(ENGLISH)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return other.template == self.template and other.values == self.values
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Text({str(self)!r})"

    def __add__(self, other: Text) -> Text:
        return Text("{first}{second}", first=self, second=other)


def join(parts: list[Text], separator: str = "; ") -> Text:
    """`parts` one after another with `separator` between them."""
    names = [f"p{index}" for index in range(len(parts))]
    template = separator.join("{" + name + "}" for name in names)
    return Text(template, **dict(zip(names, parts, strict=True)))
