"""Server-rendered SVG line charts: no JavaScript, no CDN. Readable in
greyscale (the target is a dashed line, provisional values are hollow
squares, final values filled circles) and always shown beside a data table
and a text summary (WCAG 1.1.1); the SVG itself carries a title and a desc."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def line_chart(chart_id: str, title: str, desc: str, points, target=None, unit: str = ""):
    """`points`: [(x year as float, label, value, provisional)], `target`: (year, value)."""
    if not points:
        return Markup("")
    xs = [p[0] for p in points] + ([target[0]] if target else [])
    ys = [p[2] for p in points] + ([target[1]] if target else [])
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(0.0, min(ys)), max(ys) * 1.1 or 1.0
    if x1 == x0:
        x1 = x0 + 1

    def sx(x):
        return LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT)

    def sy(y):
        return HEIGHT - BOTTOM - (y - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line x1="{LEFT}" y1="{sy(y0):.1f}" x2="{WIDTH - RIGHT}" y2="{sy(y0):.1f}" '
        'stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>',
    ]
    for tick in (y0, (y0 + y1) / 2, y1):
        parts.append(
            f'<text x="{LEFT - 6}" y="{sy(tick) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#222">{escape(_fmt(tick))}{escape(unit)}</text>'
        )
    for x, label, _value, _provisional in (points[0], points[-1]):
        parts.append(
            f'<text x="{sx(x):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="12" fill="#222">{escape(label)}</text>'
        )
    if target:
        parts.append(
            f'<line x1="{LEFT}" y1="{sy(target[1]):.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{sy(target[1]):.1f}" stroke="#000" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT}" y="{sy(target[1]) - 6:.1f}" text-anchor="end" '
            f'font-size="12" fill="#000">{escape(_fmt(target[1]))}{escape(unit)} '
            f"({target[0]})</text>"
        )
    path = " ".join(f"{sx(x):.1f},{sy(v):.1f}" for x, _l, v, _p in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#1f4e79" stroke-width="2"/>')
    for x, _label, value, provisional in points:
        cx, cy = sx(x), sy(value)
        if provisional:
            parts.append(
                f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="#fff" '
                f'stroke="#1f4e79" stroke-width="2"/>'
            )
        else:
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="#1f4e79"/>')
    parts.append("</svg>")
    # Every text in `parts` went through escape(); the rest are numbers.
    return Markup("".join(parts))  # noqa: S704
