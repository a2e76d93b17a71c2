"""The story page's coverage chart: articles per day of publication (per month for long stories),
laid out as SVG bars on a continuous time axis, so quiet days show as gaps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from newstrace.store.records import ArticleRef

MAX_DAILY_SPAN = 62  # days; longer stories are counted per month
WIDTH = 640  # the chart's width in pixels at most
HEIGHT = 90  # the tallest bar


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # the day or month, as ISO text
    count: int
    x: int
    height: int
    show_label: bool


@dataclass(frozen=True, slots=True)
class Coverage:
    bars: list[Bar]
    step: int  # pixels per bar
    undated: int  # articles without a publication date (not on the axis)
    by_month: bool

    @property
    def width(self) -> int:
        return max(len(self.bars), 1) * self.step


def coverage(articles: Iterable[ArticleRef]) -> Coverage:
    """Bars of articles per day (or month) from the first publication date to the last."""
    dated: list[date] = []
    undated = 0
    for article in articles:
        try:
            dated.append(date.fromisoformat(article.published or ""))
        except ValueError:
            undated += 1
    if not dated:
        return Coverage([], 40, undated, False)
    first, last = min(dated), max(dated)
    by_month = (last - first).days > MAX_DAILY_SPAN
    if by_month:
        counts = Counter(d.isoformat()[:7] for d in dated)
        labels = _months(first, last)
    else:
        counts = Counter(d.isoformat() for d in dated)
        labels = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    step = max(10, min(40, WIDTH // len(labels)))
    every = -(-40 // step)  # one label per 40 pixels at least
    peak = max(counts.values())
    bars = [
        Bar(label, counts.get(label, 0), n * step, round(counts.get(label, 0) / peak * HEIGHT), n % every == 0)
        for n, label in enumerate(labels)
    ]
    return Coverage(bars, step, undated, by_month)


def _months(first: date, last: date) -> list[str]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
