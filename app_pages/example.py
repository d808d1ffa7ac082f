"""The worked example: one feature followed from the customer's problem to monitoring."""

from teamroles.ui import pages

pages.example()
