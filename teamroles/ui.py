"""Streamlit layout shared by every page: navigation, sidebar, reading links.

The rest of the package decides; this module only draws. Page scripts in
`app_pages/` call `current_page()` to know which page they draw (one script,
`role.py`, serves every role).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from teamroles.navigation import (
    HOME,
    SECTION_INVITATIONS,
    SECTIONS,
    PageSpec,
    first_page_of_each_section,
    neighbours,
    site_pages,
)
from teamroles.site import Site, load_site

VISITED_MARK = "✓"
MAX_PROBLEMS_SHOWN = 10  # on every page; the check command lists them all
# A local file: a Material icon as page_icon makes the browser fetch it from Google.
FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"


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
    """The entrypoint: build the navigation from content and run the chosen page."""
    st.set_page_config(page_title="The Team", page_icon=str(FAVICON), layout="centered")
    site = load_site()
    specs = site_pages(site)
    pages = {
        spec.url_path: st.Page(
            spec.script,
            title=spec.title,
            icon=spec.icon,
            url_path=None if spec.url_path == HOME else spec.url_path,
            default=spec.url_path == HOME,
        )
        for spec in specs
    }
    chosen = st.navigation(list(pages.values()), position="hidden")
    current = next(spec for spec in specs if pages[spec.url_path] is chosen)
    nav = Nav(site, specs, pages, current)
    st.session_state["nav"] = nav
    visited = st.session_state.setdefault("visited_pages", set())
    visited.add(current.url_path)
    _sidebar(nav, visited)
    _problems_banner(site)
    chosen.run()


def current_page() -> PageSpec:
    return nav().current


def nav() -> Nav:
    return st.session_state["nav"]


def site() -> Site:
    """The content this run's navigation was built from."""
    return nav().site


def _sidebar(nav: Nav, visited: set[str]) -> None:
    with st.sidebar:
        st.markdown("**The Team**")
        read = sum(spec.url_path in visited for spec in nav.specs)
        st.caption(f"Read {read} of {len(nav.specs)} pages ({VISITED_MARK} = visited).")
        for section in SECTIONS:
            specs = [spec for spec in nav.specs if spec.section == section]
            if not specs:
                continue
            st.caption(section)
            for spec in specs:
                seen = spec.url_path in visited
                st.page_link(
                    nav.pages[spec.url_path],
                    label=f"{spec.title} {VISITED_MARK}" if seen else spec.title,
                    icon=spec.icon,
                    help="Visited in this session" if seen else None,
                )


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
    left, right = st.columns(2)
    if previous:
        with left:
            st.page_link(
                here.pages[previous.url_path],
                label=f"Previous: {previous.title}",
                icon=":material/arrow_back:",
            )
    if following:
        with right:
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
