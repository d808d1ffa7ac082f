"""Who owns what: the responsibility matrix of activities against roles."""

from teamroles.ui import pages

pages.who_owns_what()
