"""Run a workshop: create a live quiz room, then run it from the projected host view."""

from teamroles.ui import host as workshop_ui

workshop_ui.page()
