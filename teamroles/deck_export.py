"""A deck as ONE standalone HTML file, to present offline: `export_html(deck, site, notes)`.

- Every slide is a full-window 16:9 section; sizes are in units of the slide's width, so
  body text is 1.75% of it (34 px on a 1920x1080 screen) on any screen.
- Keys: Right, Down, PageDown, Space (next); Left, Up, PageUp, Shift+Space (previous);
  Home, End; N shows or hides the speaker notes. Buttons do the same. The address ends in
  `#7` on slide 7, so a link or a reload opens that slide.
- Speaker notes are in the file only when `notes` is true; then they are hidden until N
  (or the Notes button) shows them over the bottom of the slide, and printed under each
  slide.
- The charts are the app's own (`teamroles.figures.slides`), interactive (hover), drawn by
  plotly.js, which is embedded once, inline. Nothing is loaded from anywhere: no font,
  image, script or style from the network, and a Content-Security-Policy says so too.
- Text is escaped; Markdown from the content is rendered by markdown-it-py with raw HTML
  shown as text, no images, and links drawn as their text (a web address in brackets
  after it), so that the file never leads the browser elsewhere.
- Accessible: `lang`, a title, one heading per slide, each chart an image with a short
  label and its full text alternative ("the chart in words") for screen readers.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

import plotly.io
from markdown_it import MarkdownIt
from plotly.offline import get_plotlyjs

from teamroles.content.deck.model import Deck, Slide
from teamroles.figures import debt as debt_fig
from teamroles.figures import style
from teamroles.figures.slides import slide_figure

if TYPE_CHECKING:
    from teamroles.content.site import Site

# The size each chart is drawn at before it is scaled to its place on the slide (px).
NATURAL_WIDTH = {"journey": 620, "debt": 940, "matrix": 720}
CHART_CONFIG = {
    **style.CHART_CONFIG,
    "responsive": False,  # the deck scales the chart itself, to fit the slide
    "doubleClick": False,
    "showTips": False,
    "topojsonURL": "",
}
# The slide's accent bar when no role gives it a colour.
DEFAULT_ACCENT = style.NEUTRAL


def export_html(deck: Deck, site: Site, notes: bool = False) -> str:
    """The whole deck as one HTML document (see the module's docstring)."""
    figures: dict[str, dict] = {}
    sections = [_section(deck, slide, site, notes, figures) for slide in deck.slides]
    return PAGE.format(
        title=_text(deck.title),
        summary=_text(deck.summary),
        style=STYLE + _debt_label_style(),
        sections="\n".join(sections),
        count=len(deck.slides),
        notes_button=NOTES_BUTTON if notes and any(s.notes for s in deck.slides) else "",
        plotly_js=_plotly_js(),
        figures=_script_json(figures),
        config=_script_json(CHART_CONFIG),
    )


# ---------------------------------------------------------------- one slide


def _section(deck: Deck, slide: Slide, site: Site, notes: bool, figures: dict) -> str:
    heading = f'<h2 class="slide-title">{_text(slide.title)}</h2>'
    label = f'<p class="label">{_text(slide.label)}</p>' if slide.label else ""
    body = markdown(slide.body) if slide.body else ""
    if slide.choices:
        items = "".join(f"<li>{_text(choice)}</li>" for choice in slide.choices)
        body += f'<ul class="choices" aria-label="Choices">{items}</ul>'
    if slide.is_live:
        body += (
            '<p class="live-note">In the app, this slide asks the room: people answer on '
            "their phones.</p>"
        )
    chart = _chart(slide, site, figures)
    content = f'<div class="body">{body}</div>{chart}'
    aside = ""
    if notes and slide.notes:
        aside = (
            f'<aside class="notes" aria-label="Speaker notes for slide {slide.number}">'
            f"<h3>Speaker notes</h3>{markdown(slide.notes)}</aside>"
        )
    kind = f"kind-{slide.kind} " + (f"figure-{slide.figure}" if chart else "text-only")
    return (
        f'<section class="slide {kind}" id="slide-{slide.number}" '
        f'data-number="{slide.number}" aria-roledescription="slide" '
        f'aria-label="{slide.number} of {len(deck.slides)}: {_text(slide.title)}">'
        f'<div class="frame" style="--accent: {_accent(slide, site)}">'
        f'<header>{label}{heading}</header><div class="content">{content}</div>'
        f'<footer class="print-only">{_text(deck.title)} · {slide.number} / {len(deck.slides)}'
        f"</footer>{aside}</div></section>"
    )


def _chart(slide: Slide, site: Site, figures: dict) -> str:
    if slide.figure is None:
        return ""
    key = f"{slide.figure}:{slide.stage_id or ''}"
    if key not in figures:
        figure = slide_figure(slide, site)
        if figure is None:
            return ""
        figures[key] = _sized(figure, NATURAL_WIDTH[slide.figure])
    width, height = figures[key]["layout"]["width"], figures[key]["layout"]["height"]
    words = (
        f'<div class="in-words visually-hidden"><h3>The chart in words</h3>'
        f"{markdown(slide.in_words)}</div>"
        if slide.in_words
        else ""
    )
    return (
        f'<figure class="chart chart-{slide.figure}"><div class="plot-box">'
        f'<div class="plot" role="img" aria-label="{_text(slide.alt)}" '
        f'data-figure="{_text(key)}" data-width="{width}" data-height="{height}" '
        f'style="width: {width}px; height: {height}px"></div></div>{words}</figure>'
    )


def _sized(figure, width: int) -> dict:
    """The figure as plotly.js takes it, at a fixed size, on the slide's background."""
    data = json.loads(plotly.io.to_json(figure, validate=False))
    layout = data.setdefault("layout", {})
    layout.update(
        width=width,
        height=int(layout.get("height") or 450),
        autosize=False,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        clickmode="none",  # hover explains a point; a click would select and dim the rest
    )
    layout.pop("template", None)  # plotly.js's defaults are what the app's charts look like
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis["automargin"] = True  # room for the tick labels (the app's theme does this)
    return {"data": data.get("data", []), "layout": layout}


def _accent(slide: Slide, site: Site) -> str:
    """The colour of the bar on top of the slide: the role's, or the stage lead's."""
    role = None
    if slide.role_id:
        role = site.roles.find(slide.role_id)
    elif slide.kind == "stage" and site.workflow is not None and slide.stage_id:
        role = site.roles.find(site.workflow.stage(slide.stage_id).lead)
    return style.role_color(role) if role else DEFAULT_ACCENT


# ---------------------------------------------------------------- text


def _markdown_renderer() -> MarkdownIt:
    """CommonMark with raw HTML shown as text, no images, and links as plain text."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    return md


def _link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    env.setdefault("links", []).append((str(token.attrGet("href") or ""), token.markup))
    return '<span class="link">'


def _link_close(self, tokens, idx, options, env) -> str:
    href, markup = env["links"].pop()
    if markup != "autolink" and href.startswith(("http://", "https://")):
        return f'</span> <span class="url">({html.escape(href)})</span>'
    return "</span>"


_MARKDOWN = _markdown_renderer()


def markdown(text: str) -> str:
    """Markdown as HTML for the deck: raw HTML in it is shown as text."""
    return _MARKDOWN.render(text, {})


def _text(text: str) -> str:
    return html.escape(text, quote=True)


def _script_json(value: object) -> str:
    """JSON to put inside a <script>: `<`, `>` and `&` escaped, so no text closes it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plotly_js() -> str:
    code = get_plotlyjs()
    if "</script" in code.lower():  # never true of plotly.js; checked, as it is inlined
        raise ValueError("plotly.js holds '</script': it cannot be inlined")
    return code


def _debt_label_style() -> str:
    """The debt figure draws its box labels twice, whole words for a wide chart and
    hyphenated lines for a phone (its builder's note); the deck's chart is always wide."""
    return (
        f".chart-debt .scatterlayer > .trace:nth-child({debt_fig.NARROW_LABELS_TRACE})"
        " { display: none; }\n"
    )


# ---------------------------------------------------------------- the page

NOTES_BUTTON = (
    '<button type="button" id="notes-button" aria-pressed="false" '
    'title="Speaker notes (N)">Notes</button>'
)

STYLE = """
:root {
  --u: min(1vw, calc(100vh * 16 / 900));
  --text: #1b1b1b; --muted: #555; --paper: #fff; --room: #1b1b1b;
  color-scheme: light;
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--room); }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--text); line-height: 1.35; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
.print-only { display: none; }
.slide { width: 100vw; height: 100vh; display: flex; align-items: center;
  justify-content: center; }
html.js .slide { display: none; }
html.js .slide.current { display: flex; }
.frame { position: relative; width: calc(var(--u) * 100); height: calc(var(--u) * 56.25);
  background: var(--paper); overflow: hidden; display: flex; flex-direction: column;
  padding: calc(var(--u) * 3) calc(var(--u) * 5) calc(var(--u) * 3.5);
  border-top: calc(var(--u) * 0.7) solid var(--accent); font-size: calc(var(--u) * 1.75); }
header { margin-bottom: calc(var(--u) * 1.2); }
.label { margin: 0 0 calc(var(--u) * 0.4); color: var(--muted); font-size: calc(var(--u) * 1.3);
  font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; }
.slide-title { margin: 0; font-size: calc(var(--u) * 3.4); line-height: 1.1; }
.content { flex: 1; min-height: 0; display: flex; gap: calc(var(--u) * 3); }
.body { flex: 1 1 0; min-width: 0; overflow: hidden; }
.body > :first-child { margin-top: 0; }
.text-only .body { font-size: calc(var(--u) * 2.1); }
.body p, .body ul, .body ol, .body blockquote { margin: 0 0 calc(var(--u) * 1.1); }
.body li { margin-bottom: calc(var(--u) * 0.5); }
.body h3 { margin: 0 0 calc(var(--u) * 0.3); font-size: calc(var(--u) * 2.2); }
.body blockquote { margin-left: 0; padding-left: calc(var(--u) * 1.5);
  border-left: calc(var(--u) * 0.4) solid var(--accent); }
.body code { font-size: 0.9em; }
.url { color: var(--muted); font-size: 0.7em; word-break: break-all; }
.chart { flex: 1.5 1 0; min-width: 0; margin: 0; display: flex; flex-direction: column; }
.plot-box { position: relative; flex: 1; min-height: 0; overflow: hidden; }
.plot { position: absolute; top: 0; left: 0; transform-origin: 0 0; }
.chart :is(.textpoint, .xtick, .ytick, .annotation-text-g, .legend) text {
  fill: currentColor !important; }
.figure-debt .content { flex-direction: column; gap: calc(var(--u) * 1); }
.figure-debt .body { flex: 0 0 auto; }
.figure-debt .chart { flex: 1 1 0; }
.figure-journey.kind-journey .body { flex: 0.8 1 0; }
.kind-what-vs-how .body { display: grid; grid-template-columns: 1fr 1fr;
  column-gap: calc(var(--u) * 4); grid-auto-flow: column; grid-template-rows: auto 1fr; }
.kind-title .frame { justify-content: center; }
.kind-title header { margin-bottom: calc(var(--u) * 2); }
.kind-title .slide-title { font-size: calc(var(--u) * 6); }
.kind-title .content { flex: 0 0 auto; font-size: calc(var(--u) * 2.6); color: var(--muted); }
.kind-question .body > p:first-child, .kind-live .body > p:first-child {
  font-size: calc(var(--u) * 3); line-height: 1.25; font-weight: 500; }
.kind-term .body { font-size: calc(var(--u) * 2.5); }
.choices { list-style: none; padding: 0; display: flex; flex-wrap: wrap;
  gap: calc(var(--u) * 1.5); margin-top: calc(var(--u) * 2) !important; }
.choices li { margin: 0; padding: calc(var(--u) * 0.6) calc(var(--u) * 2);
  border: calc(var(--u) * 0.2) solid var(--accent); border-radius: calc(var(--u) * 0.8);
  font-weight: 600; }
.live-note { color: var(--muted); font-size: calc(var(--u) * 1.3); }
.notes { display: none; }
body.show-notes .slide.current .notes { display: block; position: absolute; left: 0; right: 0;
  bottom: 0; max-height: 48%; overflow: auto; background: #fff8dc; color: var(--text);
  border-top: calc(var(--u) * 0.3) solid #8c6d00; padding: calc(var(--u) * 1.2)
  calc(var(--u) * 5) calc(var(--u) * 4); font-size: calc(var(--u) * 1.35); }
.notes h3 { margin: 0 0 calc(var(--u) * 0.5); font-size: 1em; }
.notes p, .notes ul { margin: 0 0 0.6em; }
.controls { position: fixed; right: calc(var(--u) * 1); bottom: calc(var(--u) * 0.8);
  display: flex; gap: calc(var(--u) * 0.5); align-items: center; opacity: 0.45; z-index: 2; }
.controls:hover, .controls:focus-within { opacity: 1; }
.controls button, .counter { font: inherit; font-size: max(14px, calc(var(--u) * 1));
  padding: 0.3em 0.8em; border-radius: 0.4em; border: 1px solid #666; background: #fff;
  color: var(--text); }
.controls button { cursor: pointer; }
.controls button:disabled { cursor: default; color: #767676; }
.controls button[aria-pressed="true"] { background: #1b1b1b; color: #fff; }
.controls button:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
html:not(.js) .controls { display: none; }
@media print {
  @page { size: 1920px 1080px; margin: 0; }
  html, body { background: #fff; }
  .slide, html.js .slide { display: block !important; width: 1920px; height: auto;
    break-after: page; --u: 19.2px; }
  .frame { height: 1080px; }
  .print-only { display: block; position: absolute; left: calc(var(--u) * 5);
    bottom: calc(var(--u) * 1); color: var(--muted); font-size: calc(var(--u) * 1); }
  .notes { display: block !important; position: static !important; padding: 24px 96px;
    font-size: 22px; }
  .controls { display: none; }
}
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; \
font-src data:">
<meta name="description" content="{summary}">
<title>{title}</title>
<script>document.documentElement.classList.add("js");</script>
<style>{style}</style>
</head>
<body>
<h1 class="visually-hidden">{title}</h1>
<main id="deck">
{sections}
</main>
<nav class="controls" aria-label="Slides">
<button type="button" id="previous" title="Previous slide (Left arrow)">Previous</button>
<span class="counter" id="counter" aria-hidden="true">1 / {count}</span>
<button type="button" id="next" title="Next slide (Right arrow)">Next</button>
{notes_button}
</nav>
<p class="visually-hidden" id="status" aria-live="polite"></p>
<script>{plotly_js}</script>
<script>
(() => {{
  const FIGURES = {figures};
  const CONFIG = {config};
  const slides = Array.from(document.querySelectorAll(".slide"));
  const counter = document.getElementById("counter");
  const status = document.getElementById("status");
  const previous = document.getElementById("previous");
  const next = document.getElementById("next");
  const notesButton = document.getElementById("notes-button");
  let current = -1;

  function fit(plot) {{
    const box = plot.parentElement;
    const width = Number(plot.dataset.width), height = Number(plot.dataset.height);
    const scale = Math.min(box.clientWidth / width, box.clientHeight / height);
    if (!(scale > 0)) return;
    plot.style.transform = `scale(${{scale}})`;
    plot.style.left = `${{Math.max(0, (box.clientWidth - width * scale) / 2)}}px`;
    plot.style.top = `${{Math.max(0, (box.clientHeight - height * scale) / 2)}}px`;
  }}

  function draw(slide) {{
    for (const plot of slide.querySelectorAll(".plot")) {{
      if (!plot.dataset.drawn) {{
        const figure = FIGURES[plot.dataset.figure];
        Plotly.newPlot(plot, figure.data, figure.layout, CONFIG);
        plot.dataset.drawn = "yes";
      }}
      fit(plot);
    }}
  }}

  function numberIn(hash) {{
    const found = /^#?\\s*(\\d{{1,9}})\\s*$/.exec(decodeURIComponent(hash || ""));
    return found ? Number(found[1]) : 1;
  }}

  function show(number) {{
    const index = Math.min(Math.max(Math.trunc(number) || 1, 1), slides.length) - 1;
    if (index !== current) {{
      if (current >= 0) slides[current].classList.remove("current");
      current = index;
      const slide = slides[current];
      slide.classList.add("current");
      counter.textContent = `${{current + 1}} / ${{slides.length}}`;
      status.textContent = `Slide ${{slide.getAttribute("aria-label")}}`;
      previous.disabled = current === 0;
      next.disabled = current === slides.length - 1;
      draw(slide);
    }}
    const hash = `#${{current + 1}}`;
    if (location.hash !== hash) {{
      try {{ history.replaceState(null, "", hash); }} catch (error) {{ location.hash = hash; }}
    }}
  }}

  function toggleNotes() {{
    if (!notesButton) return;
    const shown = document.body.classList.toggle("show-notes");
    notesButton.setAttribute("aria-pressed", String(shown));
  }}

  document.addEventListener("keydown", (event) => {{
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const onButton = event.target.closest && event.target.closest("button, summary, a");
    if (onButton && (event.key === " " || event.key === "Enter")) return;
    const forward = ["ArrowRight", "ArrowDown", "PageDown"];
    const back = ["ArrowLeft", "ArrowUp", "PageUp"];
    if (forward.includes(event.key) || (event.key === " " && !event.shiftKey)) show(current + 2);
    else if (back.includes(event.key) || (event.key === " " && event.shiftKey)) show(current);
    else if (event.key === "Home") show(1);
    else if (event.key === "End") show(slides.length);
    else if (event.key === "n" || event.key === "N") toggleNotes();
    else return;
    event.preventDefault();
  }});
  previous.addEventListener("click", () => show(current));
  next.addEventListener("click", () => show(current + 2));
  if (notesButton) notesButton.addEventListener("click", toggleNotes);
  window.addEventListener("hashchange", () => show(numberIn(location.hash)));
  window.addEventListener("resize", () => {{
    if (current >= 0) slides[current].querySelectorAll(".plot[data-drawn]").forEach(fit);
  }});
  window.addEventListener("beforeprint", () => {{
    document.documentElement.classList.remove("js");
    slides.forEach(draw);
  }});
  window.addEventListener("afterprint", () => {{
    document.documentElement.classList.add("js");
    slides[current].querySelectorAll(".plot[data-drawn]").forEach(fit);
  }});
  show(numberIn(location.hash));
}})();
</script>
</body>
</html>
"""
