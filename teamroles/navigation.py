"""The app's pages in reading order, derived from content. No Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass

from teamroles.content.example import URL_PATH as EXAMPLE
from teamroles.content.site import Site

HOME = "home"
# Pages a phone opens first, in a workshop: they draw only what they show, so not the
# browser store of a reader's progress (its component's script and Arrow's, about
# 200 KB before compression, issue 20).
PHONE_PAGES = frozenset({"join"})
VISITED_MARK = "✓"
SECTIONS = ("Start", "Roles", "See", "Practise", "Workshop", "Reference")
# Short enough that "invitation: page title" fits one line of a 375 px phone.
SECTION_INVITATIONS = {
    "Roles": "Meet each role",
    "See": "See the diagrams",
    "Practise": "Test yourself",
    "Workshop": "Quiz a room live on phones",
    "Reference": "Look up a term",
}


@dataclass(frozen=True)
class PageSpec:
    """One page: its URL path (`/product-manager`), title and the script that draws it."""

    url_path: str
    title: str
    script: str
    section: str
    icon: str | None = None


# Pages that do not come from a content file, by section. Features add theirs here.
FEATURE_PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "journey", "The journey of a feature", "app_pages/journey.py", "See", ":material/route:"
    ),
    PageSpec(
        EXAMPLE,
        "One feature, start to finish",
        "app_pages/example.py",
        "See",
        ":material/receipt_long:",
    ),
    PageSpec(
        "hidden-technical-debt",
        "Hidden technical debt",
        "app_pages/hidden_debt.py",
        "See",
        ":material/grid_view:",
    ),
    PageSpec(
        "who-owns-what", "Who owns what", "app_pages/who_owns_what.py", "See", ":material/table:"
    ),
    PageSpec("quiz", "Quiz", "app_pages/quiz.py", "Practise", ":material/quiz:"),
    PageSpec(
        "workshop", "Run a workshop", "app_pages/workshop.py", "Workshop", ":material/co_present:"
    ),
    PageSpec("join", "Join a workshop", "app_pages/join.py", "Workshop", ":material/smartphone:"),
    PageSpec("present", "Present", "app_pages/present.py", "Workshop", ":material/slideshow:"),
)


def site_pages(site: Site) -> list[PageSpec]:
    """Every page in reading order: home, the roles by `order`, features, glossary."""
    pages = [PageSpec(HOME, "The Team", "app_pages/home.py", "Start", ":material/groups:")]
    pages += [
        PageSpec(role.id, role.title, "app_pages/role.py", "Roles", role.icon)
        for role in site.roles
    ]
    pages += list(FEATURE_PAGES)
    if site.glossary:
        pages.append(
            PageSpec(
                "glossary",
                site.glossary.title,
                "app_pages/glossary.py",
                "Reference",
                ":material/menu_book:",
            )
        )
    return sorted(pages, key=lambda page: SECTIONS.index(page.section))


def neighbours(pages: list[PageSpec], url_path: str) -> tuple[PageSpec | None, PageSpec | None]:
    """The previous and next page in reading order."""
    paths = [page.url_path for page in pages]
    i = paths.index(url_path)
    return (pages[i - 1] if i > 0 else None), (pages[i + 1] if i + 1 < len(pages) else None)


def first_page_of_each_section(pages: list[PageSpec]) -> list[PageSpec]:
    """Where a reader can go next from the home page: one entry per section."""
    firsts: dict[str, PageSpec] = {}
    for page in pages:
        firsts.setdefault(page.section, page)
    return [firsts[section] for section in SECTION_INVITATIONS if section in firsts]


def menu(pages: list[PageSpec], visited: set[str]) -> list[tuple[PageSpec, str]]:
    """The navigation menu in reading order: each page with its title, visited ones marked.

    One flat list: Streamlit 1.67 draws sections as a <div> inside its <ul>, which
    axe-core reports as a WCAG violation; the pages' icons and order group them.
    """
    return [
        (page, f"{page.title} {VISITED_MARK}" if page.url_path in visited else page.title)
        for page in pages
    ]


def read_count(pages: list[PageSpec], visited: set[str]) -> str:
    """How far this reader has got, shown under the menu."""
    read = sum(page.url_path in visited for page in pages)
    return f"Read {read} of {len(pages)} pages ({VISITED_MARK} = visited)."
