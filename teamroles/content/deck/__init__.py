"""Presentation decks: `content/decks/<id>.yaml` files naming existing content, slide by slide.

- `model`: `Deck`, `Slide`, `slide_at`, `parse_slide_param` (no content, no Streamlit);
- `load`: `load_decks`, reading and checking the deck files (one Problem per bad entry);
- `slides`: how each kind of entry becomes a slide's words, notes and figure;
- `export`: `export_html`, one standalone HTML file per deck (imports Plotly).

The format, for authors: docs/presenting.md.
"""

from teamroles.content.deck.load import load_decks
from teamroles.content.deck.model import FIGURES, KINDS, Deck, Slide, parse_slide_param, slide_at

__all__ = ["FIGURES", "KINDS", "Deck", "Slide", "load_decks", "parse_slide_param", "slide_at"]
