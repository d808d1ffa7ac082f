"""The script Streamlit runs for every page: the menu, then the chosen page.

The pages come from `content/` (teamroles/navigation.py); see docs/architecture.md.
"""

from teamroles.ui.shell import run_app

run_app()
