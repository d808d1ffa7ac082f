"""The journey of a feature: the stages, who leads each, and the loops back."""

from teamroles.ui import pages

pages.journey()
