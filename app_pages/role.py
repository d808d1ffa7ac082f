"""A role page, drawn from one file in the roles folder (this script serves them all)."""

from teamroles.ui import pages

pages.role()
