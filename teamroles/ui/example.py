"""Streamlit drawing for the worked example; `teamroles.content.example` decides what it says.

One Markdown element per block of text (each element costs a message:
docs/performance.md): the introduction with its contents, one per stage, one per
hand-off document (in a bordered box, so it reads as a document), and the cases of
"when roles disagree".
"""

from __future__ import annotations

import streamlit as st

from teamroles.content import example as ex
from teamroles.content.site import Site
from teamroles.ui import shell as ui

DOCUMENT_ICON = ":material/description:"


def page(site: Site) -> None:
    """The whole example, stage by stage, each stage followed by what it hands on."""
    example = site.example
    if example is None or site.workflow is None:
        st.info(
            f"The worked example is not shown: `{site.path_of(f'{ex.FOLDER}/{ex.FILE_NAME}')}` "
            "or the journey is missing or has a problem (listed at the top of the page).",
            icon=":material/info:",
        )
        return
    st.markdown(
        f"**{example.summary}**\n\n"
        f"**The product:** {example.product}  \n**The feature:** {example.feature}\n\n"
        f"{example.intro}\n\n**On this page**\n\n{ex.contents_markdown(example)}"
    )
    ui.link("journey", "The journey in general, as a diagram", ":material/route:")
    for stage in example.stages:
        st.markdown(ex.stage_markdown(example, stage, site.workflow, site.roles))
        for doc_id in stage.hands_on:
            document = example.document(doc_id)
            with st.container(border=True, key=f"document-{document.id}"):
                st.markdown(ex.document_markdown(document, site.roles))
    if example.disagreements:
        st.markdown(ex.disagreements_markdown(example, site.roles))
    st.header("Practise", anchor="practise")
    ui.link("quiz", "Test yourself: who acts now, at each stage?", ":material/quiz:")


def role_section(site: Site, role_id: str) -> None:
    """On a role page: the stages of the example where this role has a part."""
    example = site.example
    if example is None:
        return
    parts = example.role_parts(role_id, site.roles)
    if not parts:
        return
    who = ex.the_role(site.roles, role_id)
    st.header("See it in a worked example", anchor="worked-example")
    items = "\n".join(
        f"- [{example.heading(stage)}](/{ex.URL_PATH}#{example.anchor(stage)}): {does}"
        for stage, does in parts
    )
    st.markdown(
        f"What {who} does in *{example.feature.rstrip('.')}*, stage by stage "
        f"(each link opens that stage in a new tab):\n\n{items}"
    )
    ui.link(ex.URL_PATH, f"Read the whole example: {example.title}", ":material/receipt_long:")
