"""The reading pages, laid out: one function per script in `app_pages/`.

Each script in `app_pages/` is one call: `pages.<name>()` for a page here, or the
`page()` of the module that draws a larger page on its own (`host`, `join`, `present`).
The pieces come from the other UI modules; what they say comes from `teamroles.content`.
Each block of text is one element: a page's cost grows with the number of elements it
sends (docs/performance.md).
"""

from __future__ import annotations

import streamlit as st

from teamroles.content import role_page
from teamroles.ui import diagrams as diagram_views
from teamroles.ui import example as example_ui
from teamroles.ui import quiz as quiz_ui
from teamroles.ui import shell as ui


def home() -> None:
    """The four roles in one view, What vs How, and the journey of a feature."""
    site = ui.site()
    home = site.home
    st.title(home.title if home else "The Team")
    if home:
        st.markdown(f"**{home.summary}**\n\n{home.body}")

    st.header("The roles", anchor="the-roles")
    # One row of cards that wraps: two side by side on a laptop, one under the other
    # on a phone, in reading order either way.
    with st.container(horizontal=True, key="role-cards"):
        for role in site.roles:
            # height="stretch": the cards of a row line up, however long their text.
            with st.container(border=True, width=ui.CARD_WIDTH, height="stretch"):
                question = f"\n\n*{role.key_question}*" if role.key_question else ""
                st.markdown(
                    f"#### {role.icon or ''} {role.title}".strip() + f"{question}\n\n{role.summary}"
                )
                ui.link(role.id, label=f"About the {role.title}", icon=":material/arrow_forward:")

    if site.workflow:
        st.header("The journey of a feature", anchor="journey")
        stages = []
        for number, stage in enumerate(site.workflow.stages, start=1):
            lead = site.roles.find(stage.lead)
            stages.append(
                f"{number}. **{stage.title}**: {stage.summary}  \n"
                f"Led by {lead.title if lead else stage.lead}; hands on: *{stage.artifact}*."
            )
        st.markdown(site.workflow.summary + "\n\n" + "\n".join(stages))
        if site.example:
            ui.link(
                "example",
                f"Follow one feature, stage by stage: {site.example.feature}",
                ":material/receipt_long:",
            )

    st.header("Where to go next", anchor="next")
    ui.where_next()
    ui.reading_links()


def role() -> None:
    """A role page, from its file in the roles folder (one script serves every role).
    Which sections there are, their headings and anchors: `teamroles.content.role_page`."""
    site = ui.site()
    role = site.roles.get(ui.current_page().url_path)

    st.title(f"{role.icon or ''} {role.title}".strip())
    st.markdown(f"**{role.summary}**")
    if role.key_question:
        st.info(f"The question this role answers: *{role.key_question}*", icon=":material/help:")
    st.markdown(role_page.text(role, site.roles))
    for section, items in role_page.sections(role):
        if section.kind == "related":
            st.header(section.heading, anchor=section.anchor)
            for other in map(site.roles.get, items):
                ui.link(other.id, label=other.title, icon=other.icon)

    diagram_views.role_diagrams(site, role)
    example_ui.role_section(site, role.id)

    st.header("Practise", anchor="practise")
    quizzes = len(site.quizzes)
    ui.link(
        "quiz",
        label=f"Test yourself: {quizzes} quizzes on who does what"
        if quizzes > 1
        else "Test yourself",
        icon=":material/quiz:",
    )

    ui.reading_links()


def example() -> None:
    """The worked example: one feature followed from the customer's problem to monitoring."""
    site = ui.site()
    st.title(site.example.title if site.example else ui.current_page().title)
    example_ui.page(site)
    ui.reading_links()


def journey() -> None:
    """The journey of a feature: the stages, who leads each, and the loops back."""
    site = ui.site()
    _heading(site.workflow)
    if site.example:
        ui.link(
            "example",
            f"Follow one feature through it: {site.example.title}",
            ":material/receipt_long:",
        )
    diagram_views.journey(site)
    ui.reading_links()


def hidden_debt() -> None:
    """The hidden technical debt figure (Sculley et al. 2015, Figure 1), box by box."""
    site = ui.site()
    _heading(site.debt_figure)
    diagram_views.hidden_debt(site)
    ui.reading_links()


def who_owns_what() -> None:
    """Who owns what: the responsibility matrix of activities against roles."""
    site = ui.site()
    _heading(site.responsibilities)
    diagram_views.who_owns_what(site)
    ui.reading_links()


def _heading(content) -> None:
    """A diagram page's title and summary, from its content file (the menu's title when
    the file is missing or broken: the diagram then says why it is not shown)."""
    st.title(content.title if content else ui.current_page().title)
    if content:
        st.markdown(content.summary)


def quiz() -> None:
    """The quizzes. Their introduction is drawn by the quiz's picker (`quiz_ui.INTRO`), so
    that during a quiz the question sits right under the title, on a phone's first screen."""
    st.title("Quiz")
    st.html(quiz_ui.SHARE_CSS)
    quiz_ui.quiz_panel()
    ui.reading_links()


def glossary() -> None:
    """The glossary, from `content/glossary.md`, with a search box."""
    glossary = ui.site().glossary
    st.title(glossary.title)
    st.markdown(glossary.summary)
    query = st.text_input("Search the glossary", placeholder="for example: acceptance")
    terms = glossary.search(query)
    if not terms:
        st.info(f"No term matches “{query}”.")
    # One element for all the terms; each Markdown heading gets the anchor `Term.anchor`
    # names, which the "See also" links point at.
    if terms:
        st.markdown(glossary.markdown(terms))
    ui.reading_links()
