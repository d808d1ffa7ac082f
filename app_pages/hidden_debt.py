"""The hidden technical debt figure (Sculley et al. 2015, Figure 1), box by box."""

from teamroles.ui import pages

pages.hidden_debt()
