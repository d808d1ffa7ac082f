"""Present a deck on the projector (`?deck=the-team&slide=7`), or its speaker view
(`&view=speaker`)."""

from teamroles import present_ui

present_ui.page()
