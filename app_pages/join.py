"""Join a workshop: a participant's phone joins a live quiz room and answers."""

from teamroles.ui import join as join_ui

join_ui.page()
