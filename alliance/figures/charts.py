"""Small charts drawn on the server as SVG: bars, lines and a heat map. No script, no library.

Each chart is an <svg role="img"> with a <title> and a <desc>, labelled axes and a legend in
words; the page shows the same numbers in a table beside it, so that nothing is said by colour
or shape alone. Text is escaped here, so the result is safe to put in a template as it is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe-Ito: told apart with colour-vision deficiencies (the chamber accents use the same hues).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
INK, MUTED, LINE = "#1b2430", "#5b6675", "#e3e7ed"

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 40, 72
_ids = itertools.count(1)

Number = int | float


def _id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def nice_scale(largest: Number, ticks: int = 5) -> tuple[float, float]:
    """(top, step) for an axis from 0 that holds `largest`: steps of 1, 2 or 5 × 10ⁿ."""
    if largest <= 0:
        return 1.0, 1.0
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(largest / step), step


def _number(value: Number) -> str:
    """1.250 · 12,5: the Belgian way, as in the tables."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


def _text(x, y, content, *, anchor="middle", size=12, fill=INK, weight=None, extra="") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{bold}{extra}>{escape(content)}</text>'
    )


def _frame(chart_id: str, title: str, description: str, body: list[str], height: int) -> SafeString:
    # Every text in `body` went through escape(); the rest is our own markup.
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _axes(
    top_value: float,
    step: float,
    *,
    y_label: str,
    x_label: str,
    plot_height: int,
    fmt: Callable[[Number], str],
) -> list[str]:
    parts = []
    bottom = TOP + plot_height
    value = 0.0
    while value <= top_value + step / 1000:
        y = bottom - plot_height * value / top_value
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>'
        )
        parts.append(_text(LEFT - 6, y + 4, fmt(value), anchor="end", size=11, fill=MUTED))
        value += step
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    parts.append(
        _text(
            14,
            TOP + plot_height / 2,
            y_label,
            size=12,
            fill=MUTED,
            extra=f' transform="rotate(-90 14 {TOP + plot_height / 2:.1f})"',
        )
    )
    parts.append(_text(LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 8, x_label, fill=MUTED))
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    if len(names) < 2:
        return []
    parts, x = [], LEFT
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="12" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 16, 22, name, anchor="start", size=12))
        x += 28 + 7 * len(name)
    return parts


def _category_labels(categories: Sequence[str], band: float, plot_height: int) -> list[str]:
    bottom = TOP + plot_height
    # Many or long labels are turned, so that they do not run into each other on a phone.
    turn = band < 7 * max((len(c) for c in categories), default=0)
    parts = []
    for index, category in enumerate(categories):
        x = LEFT + band * (index + 0.5)
        label = category if len(category) <= 18 else category[:17] + "…"
        if turn:
            parts.append(
                _text(
                    x,
                    bottom + 14,
                    label,
                    anchor="end",
                    size=11,
                    extra=f' transform="rotate(-35 {x:.1f} {bottom + 14:.1f})"',
                )
            )
        else:
            parts.append(_text(x, bottom + 16, label, size=11))
    return parts


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    y_label: str,
    x_label: str,
    unit: str = "",
) -> SafeString:
    """Grouped vertical bars: one group per category, one bar per series."""
    chart_id = _id("bar")
    plot_height = HEIGHT - TOP - BOTTOM
    values = [value or 0 for _, numbers in series for value in numbers]
    top_value, step = nice_scale(max(values, default=0))

    def fmt(value: Number) -> str:
        return _number(value) + unit

    body = _axes(
        top_value, step, y_label=y_label, x_label=x_label, plot_height=plot_height, fmt=fmt
    )
    body += _legend([name for name, _ in series])
    band = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar = band * 0.8 / max(len(series), 1)
    bottom = TOP + plot_height
    for index, category in enumerate(categories):
        for position, (name, numbers) in enumerate(series):
            value = numbers[index] or 0
            height = plot_height * value / top_value
            x = LEFT + band * index + band * 0.1 + bar * position
            label = f"{category} · {name}: {fmt(value)}" if len(series) > 1 else fmt(value)
            body.append(
                f'<rect x="{x:.1f}" y="{bottom - height:.1f}" width="{max(bar - 1, 1):.1f}" '
                f'height="{height:.1f}" fill="{PALETTE[position % len(PALETTE)]}">'
                f"<title>{escape(label if len(series) > 1 else f'{category}: {label}')}</title>"
                "</rect>"
            )
    body += _category_labels(categories, band, plot_height)
    return _frame(chart_id, title, description, body, HEIGHT)


def line_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    y_label: str,
    x_label: str,
    unit: str = "",
    top: Number | None = None,
) -> SafeString:
    """Lines over categories (periods); a missing value (None) breaks the line there.

    Each series has its own marker shape as well as its colour.
    """
    chart_id = _id("line")
    plot_height = HEIGHT - TOP - BOTTOM
    values = [value for _, numbers in series for value in numbers if value is not None]
    top_value, step = nice_scale(top if top is not None else max(values, default=0))

    def fmt(value: Number) -> str:
        return _number(value) + unit

    body = _axes(
        top_value, step, y_label=y_label, x_label=x_label, plot_height=plot_height, fmt=fmt
    )
    body += _legend([name for name, _ in series])
    band = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bottom = TOP + plot_height
    for position, (name, numbers) in enumerate(series):
        colour = PALETTE[position % len(PALETTE)]
        points = []
        segments: list[list[str]] = [[]]
        for index, value in enumerate(numbers):
            if value is None:
                segments.append([])
                continue
            x = LEFT + band * (index + 0.5)
            y = bottom - plot_height * value / top_value
            segments[-1].append(f"{x:.1f},{y:.1f}")
            points.append((x, y, f"{categories[index]} · {name}: {fmt(value)}"))
        for segment in segments:
            if len(segment) > 1:
                body.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"/>'
                )
        for x, y, label in points:
            if position % 2:
                marker = (
                    f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
                )
                body.append(f"{marker}<title>{escape(label)}</title></rect>")
            else:
                body.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                    f"<title>{escape(label)}</title></circle>"
                )
    body += _category_labels(categories, band, plot_height)
    return _frame(chart_id, title, description, body, HEIGHT)


def heatmap(
    *,
    title: str,
    description: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[int]],
    row_label: str,
    column_label: str,
) -> SafeString:
    """A grid of counts, each cell shaded by its size and always showing its number."""
    chart_id = _id("heat")
    left, top = 180, 64
    cell_w = (WIDTH - left - RIGHT) / max(len(columns), 1)
    cell_h = 32
    height = top + cell_h * max(len(rows), 1) + 16
    largest = max((value for row in values for value in row), default=0) or 1
    body = [
        _text(left + (WIDTH - left - RIGHT) / 2, 16, column_label, fill=MUTED),
        _text(8, 16, row_label, anchor="start", fill=MUTED),
    ]
    for index, column in enumerate(columns):
        label = column if len(column) <= 14 else column[:13] + "…"
        body.append(_text(left + cell_w * (index + 0.5), top - 10, label, size=11, weight="600"))
    for row_index, row in enumerate(rows):
        y = top + cell_h * row_index
        label = row if len(row) <= 24 else row[:23] + "…"
        body.append(_text(left - 8, y + cell_h / 2 + 4, label, anchor="end", size=11, weight="600"))
        for column_index, column in enumerate(columns):
            value = values[row_index][column_index]
            share = value / largest
            x = left + cell_w * column_index
            body.append(
                f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell_w - 2:.1f}" '
                f'height="{cell_h - 2}" fill="{PALETTE[0]}" '
                f'fill-opacity="{0.04 + 0.56 * share:.2f}" '
                f'stroke="{LINE}"><title>{escape(f"{row} → {column}: {_number(value)}")}</title>'
                "</rect>"
            )
            body.append(
                # Dark text stays readable (contrast > 4.5:1) on the darkest shade, at 0.6.
                _text(x + cell_w / 2, y + cell_h / 2 + 4, _number(value), size=12)
            )
    return _frame(chart_id, title, description, body, height)
