"""Home: the four roles in one view, What vs How, and the journey of a feature."""

from teamroles.ui import pages

pages.home()
