"""Callouts: Python-Markdown admonitions ("!!! urgent") restyled, checked, and given who-to-call text."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..config import Contact, tel_href

DEFAULT_TITLES = {
    "urgent": "Get help now",
    "warning": "Warning",
    "tip": "Tip",
    "note": "Note",
    "ask": "Questions to ask",
}


@dataclass(frozen=True)
class UnknownCallout:
    kind: str


class CalloutProcessor(Treeprocessor):
    def __init__(self, md: Markdown, contact: Contact):
        super().__init__(md)
        self.contact = contact
        self.unknown: list[UnknownCallout] = []

    def run(self, root: ElementTree.Element) -> None:
        self.unknown = []
        for div in root.iter("div"):
            classes = div.get("class", "").split()
            if "admonition" in classes:
                self._restyle(div, [c for c in classes if c != "admonition"])

    def _restyle(self, div: ElementTree.Element, classes: list[str]) -> None:
        kind = classes[0] if classes else "note"
        if kind not in DEFAULT_TITLES:
            self.unknown.append(UnknownCallout(kind))
            kind = "note"
        div.set("class", f"callout callout-{kind}")
        div.set("role", "note")
        title = next((child for child in div if child.get("class") == "admonition-title"), None)
        if title is None:
            title = ElementTree.Element("p")
            div.insert(0, title)
        if not (title.text or "").strip() or title.text == kind.capitalize():
            # Python-Markdown titles an untitled admonition with its capitalised type ("Urgent"); ours say more.
            title.text = DEFAULT_TITLES[kind]
        title.set("class", "callout-title")
        if kind == "urgent":
            div.append(contact_paragraph(self.contact))


def contact_paragraph(contact: Contact) -> ElementTree.Element:
    """Who to call, from the site's contact block. With no organisation set, the reader's own care team."""
    p = ElementTree.Element("p", {"class": "callout-contact"})
    strong = ElementTree.SubElement(p, "strong")
    if contact.phone:
        who = contact.name or "us"
        strong.text = f"Call {who} on "
        phone = ElementTree.SubElement(strong, "a", {"href": tel_href(contact.phone)})
        phone.text = contact.phone
        phone.tail = f" ({contact.hours})." if contact.hours else "."
    else:
        strong.text = "Call your care team now."
    if contact.emergency_number:
        strong.tail = " If you cannot reach them, or it is an emergency, call "
        emergency = ElementTree.SubElement(p, "a", {"href": tel_href(contact.emergency_number)})
        emergency.text = contact.emergency_number
        emergency.tail = "."
    else:
        strong.tail = " If you cannot reach them, or it is an emergency, call your local emergency number."
    return p


class CalloutExtension(Extension):
    def __init__(self, contact: Contact):
        super().__init__()
        self.contact = contact
        self.processor: CalloutProcessor | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.processor = CalloutProcessor(md, self.contact)
        # After the admonition block processor has built the divs, before inline patterns run.
        md.treeprocessors.register(self.processor, "callouts", 25)
