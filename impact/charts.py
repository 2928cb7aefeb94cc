"""Server-rendered SVG charts: no JavaScript, no library, readable when printed."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

BAR = "#0b4a6f"
WHISKER = "#1f2933"


def funnel_svg(steps, *, width=560, title="Funnel"):
    """Horizontal bars for [(label, value)], scaled to the largest."""
    row, label_w, pad = 34, 150, 8
    height = row * len(steps) + pad
    top = max((v for _, v in steps), default=0) or 1
    room = width - label_w - 90
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="14" fill="#1f2933">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="22" fill="{}" rx="3"></rect>'
        '<text x="{}" y="{}" font-size="14" fill="#1f2933">{}</text>',
        (
            (
                label_w - 8,
                pad + i * row + 16,
                label,
                label_w,
                pad + i * row,
                max(round(room * value / top), 1 if value else 0),
                BAR,
                label_w + max(round(room * value / top), 0) + 6,
                pad + i * row + 16,
                f"{value:,}",
            )
            for i, (label, value) in enumerate(steps)
        ),
    )
    return format_html(
        '<svg class="impact-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        title,
        width,
        height,
        title,
        bars,
    )


def rates_svg(groups, *, width=640, title="Success rate with 95% interval"):
    """A dot per group at its success rate, with a whisker for the Wilson interval."""
    rows = [g for g in groups if g.success_rate is not None]
    if not rows:
        return ""
    row, label_w, pad, axis = 28, 230, 24, 20
    plot = width - label_w - 30
    height = pad + row * len(rows) + axis

    def x(p):
        return label_w + round(plot * p, 1)

    grid = format_html_join(
        "",
        '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#d5dbe1"></line>'
        '<text x="{0}" y="{3}" font-size="12" text-anchor="middle" fill="#52606d">{4}%</text>',
        ((x(p / 100), pad - 6, height - axis, pad - 10, p) for p in (0, 25, 50, 75, 100)),
    )
    marks = []
    for i, group in enumerate(rows):
        y = pad + i * row + 12
        low, high = group.interval
        marks.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1f2933">{}</text>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"></line>'
                '<circle cx="{}" cy="{}" r="5" fill="{}"><title>{}: {}% (95% interval {}–{}%)'
                "</title></circle>",
                label_w - 8,
                y + 4,
                _short(group.label),
                x(low),
                y,
                x(high),
                y,
                WHISKER,
                x(group.success_rate),
                y,
                BAR,
                group.label,
                round(100 * group.success_rate),
                round(100 * low),
                round(100 * high),
            )
        )
    return format_html(
        '<svg class="impact-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}</svg>",
        title,
        width,
        height,
        title,
        grid,
        mark_safe("".join(str(m) for m in marks)),  # noqa: S308 - each part escaped above
    )


def _short(label, limit=30):
    return label if len(label) <= limit else label[: limit - 1] + "…"
