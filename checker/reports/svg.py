"""Bar chart geometry for the HTML report; the template draws it as inline SVG.

Python decides sizes and positions (logic), the template writes the elements
(presentation), so labels from the data are escaped like any other text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

BAR = 18
GAP = 6
LABEL_WIDTH = 220
PLOT_WIDTH = 320
MAX_BARS = 25
MAX_LABEL = 32


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: int
    width: float
    shown: str  # the value as written beside the bar (a count, or a percentage)


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    width: int = LABEL_WIDTH + PLOT_WIDTH + 60
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * (BAR + GAP) + GAP


def bar_chart(
    title: str, items: Sequence[tuple[str, float]], top: float | None = None, shown: Callable[[float], str] = str
) -> Chart:
    """Horizontal bars, in the given order, scaled to ``top`` (default: the largest value); the first MAX_BARS only."""
    items = list(items)[:MAX_BARS]
    top = top or max((n for _, n in items), default=0) or 1
    bars = tuple(
        Bar(
            label=label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…",
            value=n,
            y=GAP + i * (BAR + GAP),
            width=round(PLOT_WIDTH * n / top, 1),
            shown=shown(n),
        )
        for i, (label, n) in enumerate(items)
    )
    return Chart(title=title, bars=bars)
