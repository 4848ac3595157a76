"""Cut a text into segments for highlighting: each segment knows which spans cover it.

Spans may overlap or nest (an actor inside a quote inside the event's sentence); the text is cut at
every span boundary and each piece carries the kinds of all spans over it, so the page can render
flat `<mark>` elements with several classes. The text itself is never changed: escaping happens
in the template.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Kinds in the order their class names are listed (the strongest last wins in CSS).
KINDS = ("sentence", "actor", "quote", "time", "place", "source", "target", "trigger")


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int
    kind: str
    label: str | None = None


@dataclass(slots=True, frozen=True)
class Segment:
    text: str
    kinds: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def css(self) -> str:
        return " ".join(f"hl-{k}" for k in self.kinds)

    @property
    def title(self) -> str:
        return "; ".join(self.labels)


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """The text cut at every boundary of the (clipped, non-empty) spans."""
    n = len(text)
    valid = [s for s in spans if s.start is not None and s.end is not None
             and 0 <= s.start < s.end and s.start < n]
    valid = [Span(s.start, min(s.end, n), s.kind, s.label) for s in valid]
    cuts = sorted({0, n, *(s.start for s in valid), *(s.end for s in valid)})
    order = {k: i for i, k in enumerate(KINDS)}
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        over = [s for s in valid if s.start <= a and b <= s.end]
        kinds = tuple(sorted({s.kind for s in over}, key=lambda k: (order.get(k, -1), k)))
        labels = tuple(dict.fromkeys(s.label for s in over if s.label))
        out.append(Segment(text[a:b], kinds, labels))
    return out
