"""Present a deck on the projector (`?deck=the-team&slide=7`), or its speaker view
(`&view=speaker`)."""

from teamroles.ui import present as present_ui

present_ui.page()
