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


LINE_COLOURS = ("#0b4a6f", "#b44d12")


def lines_svg(series, *, x_label="days", width=640, height=260, title="Share over time"):
    """One polyline per named series of (x, y) points, y a share 0–1, with a
    legend and percentage gridlines. `series` is [(name, [(x, y), ...])]."""
    series = [(name, points) for name, points in series if points]
    if not series:
        return ""
    left, right, top, bottom = 48, 12, 30, 36
    xs = [x for _, points in series for x, _ in points]
    x0, x1 = min(xs), max(xs) or 1
    peak = max(y for _, points in series for _, y in points)
    y_top = max(0.05, min(1.0, -(-peak * 20 // 1) / 20))  # next 5 % step above the peak
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(x):
        return round(left + plot_w * (x - x0) / ((x1 - x0) or 1), 1)

    def sy(y):
        return round(top + plot_h * (1 - y / y_top), 1)

    steps = [y_top * i / 4 for i in range(5)]
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d7de"></line>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#1f2933">{}</text>',
        ((left, width - right, sy(y), sy(y), left - 6, sy(y) + 4, f"{y:.0%}") for y in steps),
    )
    axis = format_html(
        '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#1f2933">{}</text>'
        '<text x="{}" y="{}" font-size="12" fill="#1f2933">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#1f2933">{}</text>',
        left + plot_w / 2,
        height - 6,
        x_label,
        left,
        height - 20,
        f"{x0:g}",
        width - right,
        height - 20,
        f"{x1:g}",
    )
    lines = format_html_join(
        "",
        '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"></polyline>'
        '<rect x="{}" y="8" width="14" height="4" fill="{}"></rect>'
        '<text x="{}" y="14" font-size="12" fill="#1f2933">{}</text>',
        (
            (
                LINE_COLOURS[i % len(LINE_COLOURS)],
                " ".join(f"{sx(x)},{sy(y)}" for x, y in points),
                left + i * 220,
                LINE_COLOURS[i % len(LINE_COLOURS)],
                left + i * 220 + 20,
                name,
            )
            for i, (name, points) in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="impact-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}{}</svg>",
        title,
        width,
        height,
        title,
        grid,
        axis,
        lines,
    )


def simulation_svg(result):
    """Wrong-value share over the simulated days, Steward against re-import only
    (`result`: bench/results/simulate-latest.json as loaded)."""
    rows = result.get("series") or []
    return lines_svg(
        [
            ("Steward", [(r["day"], r["steward"]) for r in rows]),
            ("Yearly re-import only", [(r["day"], r["reimport_only"]) for r in rows]),
        ],
        x_label="simulated day",
        title="Share of public values that are wrong, by simulated day",
    )
