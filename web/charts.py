"""Small server-rendered SVG charts (no script, no inline style: CSP-clean); every label is
escaped by Markup.format."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from markupsafe import Markup

COLOURS = {"negative": "#c0392b", "neutral": "#95a5a6", "positive": "#27ae60", "total": "#2c3e50"}


def _figure(value: float) -> str:
    """A value on an axis or a bar, as English writes it (1,234): the default of `number`."""
    return f"{value:,.0f}"


def lines(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    width: int = 720,
    height: int = 220,
    marks: Sequence[tuple[int, int, str]] = (),
    names: Mapping[str, str] | None = None,
    number: Callable[[float], str] = _figure,
) -> Markup:
    """A line per series over the labels (days or hours), with the first and last label;
    `marks` (first and last position, text): the team's events, a dashed line each at its
    first, numbered from 1, and a light band to its last for one that lasts. A series' key
    picks its colour (COLOURS); `names` shows a key under another name (the person's
    language: "négatif" for "negative"), `number` writes the axis's figures (1 234 in
    French)."""
    shown = {key: (names or {}).get(key, key) for key in series}
    pad_l, pad_r, pad_t, pad_b = 44, 12, 24, 28
    top = max([max(v, default=0) for v in series.values()] + [1])
    bottom = min([min(v, default=0) for v in series.values()] + [0])  # net sentiment < 0
    n = max(len(labels), 2)
    inner_w, inner_h = width - pad_l - pad_r, height - pad_t - pad_b

    def x(i: int) -> float:
        return pad_l + inner_w * i / (n - 1)

    def y(v: float) -> float:
        return pad_t + inner_h * (top - v) / (top - bottom)

    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            'viewBox="0 0 {} {}" aria-label="{}">'
        ).format(width, height, title),
        Markup('<text x="{}" y="16" class="chart-title">{}</text>').format(pad_l, title),
        Markup('<line x1="{0}" y1="{1:.1f}" x2="{2}" y2="{1:.1f}" stroke="#ccc"/>').format(
            pad_l, y(0), width - pad_r
        ),
        Markup('<text x="4" y="{}" class="chart-axis">{}</text>').format(pad_t + 4, number(top)),
        Markup('<text x="4" y="{:.1f}" class="chart-axis">0</text>').format(y(0) + 4),
    ]
    if bottom < 0:
        parts.append(
            Markup('<text x="4" y="{}" class="chart-axis">{}</text>').format(
                pad_t + inner_h, number(bottom)
            )
        )
    for nth, (i, last, text) in enumerate(marks, 1):
        if last > i:
            parts.append(
                Markup(
                    '<rect class="chart-event-span" x="{:.1f}" y="{}" width="{:.1f}" height="{}" '
                    'fill="#009E73" fill-opacity="0.1"/>'
                ).format(x(i), pad_t, x(last) - x(i), inner_h)
            )
        parts.append(
            Markup(
                '<g class="chart-event"><title>{}</title><line x1="{x:.1f}" y1="{}" x2="{x:.1f}" '
                'y2="{}" stroke="#009E73" stroke-dasharray="3,3"/>'
                '<text x="{tx:.1f}" y="{}" class="chart-axis" fill="#009E73">{}</text></g>'
            ).format(text, pad_t, pad_t + inner_h, pad_t + 10, nth, x=x(i), tx=x(i) + 3)
        )
    for name, values in series.items():
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            Markup(
                '<polyline fill="none" stroke="{}" stroke-width="2" points="{}">'
                "<title>{}</title></polyline>"
            ).format(COLOURS.get(name, "#2980b9"), points, shown[name])
        )
    if labels:
        parts.append(
            Markup('<text x="{}" y="{}" class="chart-axis">{}</text>').format(
                pad_l, height - 8, labels[0]
            )
        )
        parts.append(
            Markup('<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>').format(
                width - pad_r, height - 8, labels[-1]
            )
        )
    legend_x = width - pad_r
    for name in reversed(list(series)):
        parts.append(
            Markup(
                '<text x="{}" y="16" class="chart-axis" text-anchor="end" fill="{}">{}</text>'
            ).format(legend_x, COLOURS.get(name, "#2980b9"), shown[name])
        )
        legend_x -= 8 * len(shown[name]) + 16
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def bars(
    items: Sequence[tuple[str, float]],
    title: str,
    width: int = 480,
    unit: str = "",
    number: Callable[[float], str] = _figure,
) -> Markup:
    """Horizontal bars, one per (label, value), largest first as given; `number` writes the
    values (1 234 in French)."""
    row, pad_l, pad_t = 22, 170, 26
    height = pad_t + row * max(len(items), 1) + 8
    top = max([v for _, v in items] + [1])
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            'viewBox="0 0 {} {}" aria-label="{}">'
        ).format(width, height, title),
        Markup('<text x="4" y="16" class="chart-title">{}</text>').format(title),
    ]
    for i, (label, value) in enumerate(items):
        y = pad_t + i * row
        w = (width - pad_l - 70) * value / top
        parts.append(
            Markup(
                '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{:.1f}" height="{}" fill="#2980b9"/>'
                '<text x="{:.1f}" y="{}" class="chart-axis">{}{}</text>'
            ).format(
                pad_l - 6,
                y + 14,
                label[:28],
                pad_l,
                y + 3,
                w,
                row - 6,
                pad_l + w + 4,
                y + 14,
                number(value),
                unit,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
