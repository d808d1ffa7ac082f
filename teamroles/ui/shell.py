"""Streamlit layout shared by every page: navigation, sidebar, reading links.

The rest of the package decides; this module only draws. Page scripts in
`app_pages/` call `current_page()` to know which page they draw (one script,
`role.py`, serves every role).
"""

from __future__ import annotations

import base64
import copy
import functools
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from teamroles.content.site import APP_MAX_AGE_SECONDS, Site, load_site
from teamroles.navigation import (
    HOME,
    PHONE_PAGES,
    SECTION_INVITATIONS,
    PageSpec,
    first_page_of_each_section,
    menu,
    neighbours,
    read_count,
    site_pages,
)
from teamroles.ui import progress as progress_ui

CARD_WIDTH = 340  # px: two cards side by side in the centred column (704 px), one on a phone
MAX_PROBLEMS_SHOWN = 10  # on every page; the check command lists them all
# A local file: a Material icon as page_icon makes the browser fetch it from Google.
FAVICON = Path(__file__).resolve().parents[2] / "assets" / "favicon.png"
# Encoded once: given a file path, set_page_config would read and register the file on
# every run of every session.
FAVICON_URL = "data:image/png;base64," + base64.b64encode(FAVICON.read_bytes()).decode()


@dataclass
class Nav:
    """This run's pages: their specs in reading order and Streamlit's page objects."""

    site: Site
    specs: list[PageSpec]
    pages: dict[str, st.Page]
    current: PageSpec

    def page(self, url_path: str) -> st.Page | None:
        return self.pages.get(url_path)


def run_app() -> None:
    """The entrypoint: build the navigation from content and run the chosen page.

    The menu is Streamlit's own (`st.navigation`): one message per run, where a
    sidebar of `st.page_link`s costs one element per page, and on a phone choosing
    a page closes it. Pages this reader has visited carry a mark in their title.
    """
    site = load_site(max_age=APP_MAX_AGE_SECONDS)
    specs = site_pages(site)
    visited = progress_ui.visited()
    pages = {
        spec.url_path: _page(spec.script, title, spec.icon, spec.url_path)
        for spec, title in menu(specs, visited)
    }
    # The favicon before the menu: given after it, the browser first fetches the current
    # page's Material icon from Google as the favicon.
    st.set_page_config(page_icon=FAVICON_URL, layout="centered")
    # expanded: every page in the menu, not the first ten and "View more".
    chosen = st.navigation(list(pages.values()), expanded=True)
    current = next(spec for spec in specs if pages[spec.url_path] is chosen)
    st.set_page_config(page_title=page_title(current))
    nav = Nav(site, specs, pages, current)
    st.session_state["nav"] = nav
    visited.add(current.url_path)
    with st.sidebar:
        st.caption(read_count(specs, visited))
        if current.url_path not in PHONE_PAGES:
            progress_ui.sidebar({spec.url_path for spec in specs})
    _problems_banner(site)
    chosen.run()


def page_title(spec: PageSpec) -> str:
    """The browser tab's title: the page first, so that tabs and history read well."""
    return "The Team" if spec.url_path == HOME else f"{spec.title} · The Team"


def _page(script: str, title: str, icon: str | None, url_path: str) -> st.Page:
    """A fresh page object per run, copied from one built once.

    Building `st.Page` from a path resolves the path on disk each time; a copy
    does not, and each run still gets its own object (st.navigation marks it).
    """
    return copy.copy(_page_template(script, title, icon, url_path))


@functools.lru_cache(maxsize=512)
def _page_template(script: str, title: str, icon: str | None, url_path: str) -> st.Page:
    return st.Page(
        script,
        title=title,
        icon=icon,
        url_path=None if url_path == HOME else url_path,
        default=url_path == HOME,
    )


def current_page() -> PageSpec:
    return nav().current


def nav() -> Nav:
    return st.session_state["nav"]


def site() -> Site:
    """The content this run's navigation was built from."""
    return nav().site


def _problems_banner(site: Site) -> None:
    """Authors see what is broken; readers still get every page that is fine."""
    if not site.problems:
        return
    files = len({problem.path for problem in site.problems})
    st.warning(
        f"{len(site.problems)} content problem(s) in {files} file(s): what they describe is "
        "left out or shown in part. `python -m teamroles check` lists them too.",
        icon=":material/warning:",
    )
    lines = [str(problem) for problem in site.problems[:MAX_PROBLEMS_SHOWN]]
    if len(site.problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"... and {len(site.problems) - MAX_PROBLEMS_SHOWN} more")
    st.code("\n".join(lines), language=None, wrap_lines=True)


def reading_links() -> None:
    """Previous and next page in reading order, at the end of a page."""
    here = nav()
    previous, following = neighbours(here.specs, here.current.url_path)
    st.divider()
    # One row, not st.columns: a row is one container where columns are three.
    align = "distribute" if previous and following else "right" if following else "left"
    with st.container(horizontal=True, horizontal_alignment=align):
        if previous:
            st.page_link(
                here.pages[previous.url_path],
                label=f"Previous: {previous.title}",
                icon=":material/arrow_back:",
            )
        if following:
            st.page_link(
                here.pages[following.url_path],
                label=f"Next: {following.title}",
                icon=":material/arrow_forward:",
            )


def link(url_path: str, label: str | None = None, icon: str | None = None) -> None:
    """A link to another page of the app, drawn only if that page exists."""
    page = nav().page(url_path)
    if page is not None:
        st.page_link(page, label=label, icon=icon)


def where_next() -> None:
    """One link per section: the roles, the diagrams, the quiz, the glossary."""
    for spec in first_page_of_each_section(nav().specs):
        st.page_link(
            nav().pages[spec.url_path],
            label=f"{SECTION_INVITATIONS[spec.section]}: {spec.title}",
            icon=spec.icon,
        )
