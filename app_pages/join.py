"""Join a workshop: a participant's phone joins a live quiz room and answers."""

from teamroles import join_ui

join_ui.page()
