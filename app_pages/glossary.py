"""The glossary, from `content/glossary.md`, with a search box."""

from teamroles.ui import pages

pages.glossary()
