"""Workshop pack: the passages a trainer collected — reorder, annotate, download, reopen."""

import streamlit as st

from fieldguide.app.shared import pack
from fieldguide.export import PackError, pack_docx, pack_from_json, pack_markdown, pack_to_json
from fieldguide.present import escape_markdown, highlight_markdown


def set_title() -> None:
    pack().title = st.session_state.pack_title.strip() or "Workshop pack"


def set_note(item_id: str) -> None:
    pack().annotate(item_id, st.session_state[f"note-{item_id}"])


def open_saved() -> None:
    upload = st.session_state.get(f"saved-{st.session_state.get('saved', 0)}")
    if upload is None:
        return
    try:
        added = pack().merge(pack_from_json(upload.getvalue()))
        st.session_state.pack_notice = ("success", f"Added {added} passages from {upload.name}.")
    except PackError as exc:
        st.session_state.pack_notice = ("error", str(exc))
    st.session_state.saved = st.session_state.get("saved", 0) + 1


collected = pack()
st.title("Workshop pack")
st.caption(
    "Passages you collected with “Add to pack”, each with its citation. Put them in order, add "
    "notes, then download the pack for your workshop. It is kept only until you close this tab - "
    "download the pack file to keep it."
)
notice = st.session_state.pop("pack_notice", None)
if notice:
    getattr(st, notice[0])(escape_markdown(notice[1]))

st.session_state.setdefault("pack_title", collected.title)
st.text_input("Pack title", key="pack_title", on_change=set_title)

if not collected.items:
    st.info(
        "The pack is empty. On the Ask page, press “Add to pack” under a passage to collect it."
    )

for n, item in enumerate(collected.items, start=1):
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(f'{n}. {item.citation}')}**")
        if item.question:
            st.caption(escape_markdown(f"Found for: {item.question}"))
        st.markdown(highlight_markdown(item.text, item.highlights, bold=True))
        st.session_state.setdefault(f"note-{item.item_id}", item.note)
        st.text_area(
            "Your note",
            key=f"note-{item.item_id}",
            on_change=set_note,
            args=(item.item_id,),
            placeholder="e.g. Ask the group what they would say first.",
            height=68,
        )
        actions = st.container(horizontal=True)
        actions.button(
            "Move up",
            key=f"up-{item.item_id}",
            icon=":material/arrow_upward:",
            disabled=n == 1,
            on_click=collected.move,
            args=(item.item_id, -1),
        )
        actions.button(
            "Move down",
            key=f"down-{item.item_id}",
            icon=":material/arrow_downward:",
            disabled=n == len(collected.items),
            on_click=collected.move,
            args=(item.item_id, 1),
        )
        actions.button(
            "Remove",
            key=f"remove-{item.item_id}",
            icon=":material/delete:",
            on_click=collected.remove,
            args=(item.item_id,),
        )

if collected.items:
    st.subheader("Download")
    md, word, saved = st.columns(3)
    md.download_button(
        "Markdown (.md)",
        pack_markdown(collected),
        "workshop-pack.md",
        "text/markdown",
        icon=":material/download:",
        width="stretch",
    )
    word.download_button(
        "Word (.docx)",
        pack_docx(collected),
        "workshop-pack.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/download:",
        width="stretch",
    )
    saved.download_button(
        "Pack file to reopen later (.json)",
        pack_to_json(collected),
        "workshop-pack.json",
        "application/json",
        icon=":material/save:",
        width="stretch",
    )

st.subheader("Open a saved pack")
st.file_uploader(
    "A pack file (.json) downloaded from Field Guide; its passages are added to this pack",
    type=["json"],
    key=f"saved-{st.session_state.get('saved', 0)}",
    on_change=open_saved,
    max_upload_size=5,
)
