"""Callouts: Python-Markdown admonitions ("!!! urgent") restyled, checked, and given who-to-call text.

Four callouts are levels of urgency, after the NHS care cards: each says, from the config's contact block, exactly
who to call and how soon, so that no writer has to (and no page can say "call your care team" when it means 911).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..config import Contact, tel_href
from ..problems import did_you_mean
from .findings import Findings


@dataclass(frozen=True)
class CalloutKind:
    name: str
    title: str  # shown when the writer gives none
    label: str | None = None  # the level, printed as a word so that it survives black-and-white print
    rank: int = 0  # how urgent: a page "has a red-flag box" when one callout ranks URGENT or higher


URGENT = 2
KINDS = {
    kind.name: kind
    for kind in (
        CalloutKind("emergency", "Call the emergency number now", "Emergency", 3),
        CalloutKind("urgent", "Get help now", "Urgent", URGENT),
        CalloutKind("crisis", "If you are thinking of ending your life", "Get help now", URGENT),
        CalloutKind("same-day", "Call your care team today", "Same day", 1),
        CalloutKind("warning", "Warning"),
        CalloutKind("tip", "Tip"),
        CalloutKind("note", "Note"),
        CalloutKind("ask", "Questions to ask"),
    )
}


class CalloutProcessor(Treeprocessor):
    def __init__(self, md: Markdown, contact: Contact, findings: Findings):
        super().__init__(md)
        self.contact = contact
        self.findings = findings
        self.kinds: list[str] = []  # every callout on the page, in order

    def run(self, root: ElementTree.Element) -> None:
        self.kinds = []
        for div in root.iter("div"):
            classes = div.get("class", "").split()
            if "admonition" in classes:
                self._restyle(div, [c for c in classes if c != "admonition"])

    def _restyle(self, div: ElementTree.Element, classes: list[str]) -> None:
        name = classes[0] if classes else "note"
        if name not in KINDS:
            message = f'unknown callout type "{name}".{did_you_mean(name, KINDS)} Use one of: {", ".join(KINDS)}.'
            self.findings.report("callout-type", div, message)
            name = "note"
        kind = KINDS[name]
        self.kinds.append(name)
        div.set("class", f"callout callout-{name}")
        div.set("role", "note")
        title = next((child for child in div if child.get("class") == "admonition-title"), None)
        if title is None:
            title = ElementTree.Element("p")
            div.insert(0, title)
        if not (title.text or "").strip() or title.text == name.capitalize():
            # Python-Markdown titles an untitled admonition with its capitalised type ("Urgent"); ours say more.
            title.text = kind.title
        title.set("class", "callout-title")
        if len(div) == 1:
            message = (
                f'the "{name}" box has no text, so it shows an empty box and its text below it. Indent each line '
                "of the box's text by four spaces."
            )
            self.findings.report("callout-empty", div, message)
        if kind.label:
            _prefix_label(title, kind.label)
            div.append(ACTIONS[name](self.contact))


def _prefix_label(title: ElementTree.Element, label: str) -> None:
    badge = ElementTree.Element("span", {"class": "callout-badge"})
    badge.text = label
    badge.tail = " " + (title.text or "")
    title.text = None
    title.insert(0, badge)


def _paragraph() -> tuple[ElementTree.Element, ElementTree.Element]:
    p = ElementTree.Element("p", {"class": "callout-contact"})
    return p, ElementTree.SubElement(p, "strong")


def _phone_link(parent: ElementTree.Element, number: str, tail: str) -> None:
    link = ElementTree.SubElement(parent, "a", {"href": tel_href(number)})
    link.text = number
    link.tail = tail


def _emergency_sentence(parent: ElementTree.Element, contact: Contact, before: str) -> None:
    """Append "... call 911." (or the local emergency number) to the paragraph's last text."""
    last = parent[-1] if len(parent) else None
    if contact.emergency_number:
        if last is None:
            parent.text = (parent.text or "") + before + "call "
        else:
            last.tail = (last.tail or "") + before + "call "
        _phone_link(parent, contact.emergency_number, ".")
    elif last is None:
        parent.text = (parent.text or "") + before + "call your local emergency number."
    else:
        last.tail = (last.tail or "") + before + "call your local emergency number."


def emergency_action(contact: Contact) -> ElementTree.Element:
    p, strong = _paragraph()
    if contact.emergency_number:
        strong.text = "Call "
        _phone_link(strong, contact.emergency_number, " now.")
    else:
        strong.text = "Call your local emergency number now."
    strong.tail = " Do not wait to reach your care team first. Tell them what happened afterwards."
    return p


def urgent_action(contact: Contact) -> ElementTree.Element:
    p, strong = _paragraph()
    if contact.urgent_phone:
        strong.text = f"Call {_whose(contact)}24-hour line now on "
        _phone_link(strong, contact.urgent_phone, ", day or night.")
    else:
        strong.text = "Call your care team's 24-hour number now, day or night."
    _emergency_sentence(p, contact, " If you cannot reach them, ")
    return p


def crisis_action(contact: Contact) -> ElementTree.Element:
    p, strong = _paragraph()
    if contact.crisis_number:
        strong.text = "Call or text "
        _phone_link(strong, contact.crisis_number, "")
        if contact.crisis_name:
            strong[-1].tail = f" ({contact.crisis_name})"
        strong[-1].tail = (strong[-1].tail or "") + " now, at any time."
    else:
        strong.text = "Call your care team now, or a crisis line."
    _emergency_sentence(p, contact, " If you might act on these thoughts, or you are not safe, ")
    return p


def same_day_action(contact: Contact) -> ElementTree.Element:
    p, strong = _paragraph()
    if contact.phone:
        strong.text = f"Call {contact.name or 'us'} today on "
        _phone_link(strong, contact.phone, f" ({contact.hours})." if contact.hours else ".")
    else:
        strong.text = "Call your care team today."
    strong.tail = " Do not wait for your next visit."
    if contact.urgent_phone:
        strong.tail += " Out of hours, call the 24-hour line on "
        _phone_link(p, contact.urgent_phone, ".")
    else:
        strong.tail += " Out of hours, use their 24-hour number."
    return p


def _whose(contact: Contact) -> str:
    return f"{contact.name}'s " if contact.name else "the "


ACTIONS: dict[str, Callable[[Contact], ElementTree.Element]] = {
    "emergency": emergency_action,
    "urgent": urgent_action,
    "crisis": crisis_action,
    "same-day": same_day_action,
}


class CalloutExtension(Extension):
    def __init__(self, contact: Contact, findings: Findings):
        super().__init__()
        self.contact = contact
        self.findings = findings
        self.processor: CalloutProcessor | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.processor = CalloutProcessor(md, self.contact, self.findings)
        # After the admonition block processor has built the divs, before inline patterns run.
        md.treeprocessors.register(self.processor, "callouts", 25)
