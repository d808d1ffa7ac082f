"""The Team: an interactive explainer of who does what on an ML product team.

Run with `streamlit run app.py`. The pages come from `content/`; see docs/.
"""

from teamroles.ui.shell import run_app

run_app()
