#!/usr/bin/env python3
"""How the build scales: generate a realistic site of N articles, build it in a child process, and measure it.

    .venv/bin/python benchmarks/scale.py [--articles 10000] [--keep DIR] [--strict] [--check-bound MB]

The generated site is meant to pass ``check --strict`` untouched, so the build exercises every stage a real site
does (registers, cross-links with anchors, citations, statistics, glossary links, callouts, the content rules and
the reading grade) instead of taking an early exit on errors. It prints one JSON line, then a summary for people.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = 20261130  # fixed, so that two runs (or two commits) build byte-identical input
MIB = 1024 * 1024
SUMMARY = re.compile(r"^Built (\d+) pages into .* in ([\d.]+) s: (\d+) errors?, (\d+) warnings?\.$", re.MULTILINE)
FAILED = re.compile(r"^Build failed in ([\d.]+) s: (\d+) errors?, (\d+) warnings?", re.MULTILINE)
PROBLEM = re.compile(r"^\S.*?:\d+: (error|warning) \[([a-z0-9-]+)\] ", re.MULTILINE)

# The vocabulary. Short, common words keep the Flesch-Kincaid grade near 5, well under the rule's 8, and no
# sentence holds a digit or a number word next to "in", which the statistics rule would take for a figure.

# One entry a line, as the formatter would have it, would make these lists ten times as long to read.
# fmt: off
SECTIONS = (
    ("understanding", "Understanding the illness", "What the illness is, and what the words mean."),
    ("tests-and-scans", "Tests and scans", "The tests you may have, and what happens at each one."),
    ("treatments", "Treatments", "How treatment is planned, and the main kinds of treatment."),
    ("side-effects", "Side effects", "Side effects of treatment, and what can help."),
    ("symptoms", "Symptoms", "Symptoms to know about, and when to get help."),
    ("daily-life", "Daily life", "Sleep, work, travel and the small things of each day."),
    ("food-and-drink", "Food and drink", "Eating and drinking well when you do not feel like it."),
    ("feelings", "Feelings", "Worry, low mood and the ups and downs of a long illness."),
    ("family-and-caregivers", "Family and caregivers", "Help for the people who care for you, and for you."),
    ("planning-ahead", "Planning ahead", "Money, work, wishes and plans for the months ahead."),
)

TOPICS = (
    "sleep", "rest", "tiredness", "pain", "appetite", "mouth care", "skin care", "hair loss", "walking", "exercise",
    "work", "money", "travel", "driving", "school", "friends", "sex and closeness", "low mood", "worry", "anger",
    "blood tests", "scans", "visits to the clinic", "your medicines", "the hospital", "home care", "nausea",
    "bowel habits", "breathing", "swelling", "feeling cold", "weight change", "taste change", "fluids", "hobbies",
    "pets", "faith", "telling children", "telling friends", "support groups", "nurses", "your records",
    "second opinions", "care at night", "time off", "bills", "insurance", "wills", "wishes for care", "holidays",
)

ANGLES = (
    "what to expect", "first steps", "day by day", "at home", "at night", "in the hospital", "for caregivers",
    "when it changes", "small changes that help", "talking about it", "after a visit", "before a visit", "on a bad day",
    "on a good day", "when you live alone", "with young children", "at work", "on the road", "in the first weeks",
    "over the long term",
)

HEADINGS = (
    "What it means", "What to expect", "What you can do", "Getting help", "At home", "Talking to others",
    "Looking after yourself", "Planning your week", "Changes to watch for", "Finding support", "Your care team",
    "Making a plan", "Things that help", "When plans change",
)

SENTENCES = (
    "Many people find that {topic} changes from week to week.",
    "Your care team can help you plan for {topic}.",
    "It is fine to ask the same question more than once.",
    "Write down what you notice, and when it happens.",
    "Small steps often help more than big changes.",
    "Tell your nurse if something new worries you.",
    "Some days will be better than others.",
    "A friend or family member can come with you to visits.",
    "You do not have to face this alone.",
    "Rest when you need to, and do not push too hard.",
    "Keep a list of your medicines and bring it to each visit.",
    "Try to drink water through the day.",
    "Ask what each test is for and when you will get the results.",
    "There is no right or wrong way to feel.",
    "Your team will check how things are going at each visit.",
    "If a plan does not work for you, say so.",
    "Some help is free, and your team can tell you where to find it.",
    "Bring a notebook, or ask if you can record the talk.",
    "Gentle walks can help with sleep and mood.",
    "Many people share the news with a few close friends first.",
    "It can help to talk about {topic} with someone you trust.",
    "Your needs may change, and your plan can change with them.",
    "Ask your team what is normal for you and what is not.",
    "Plan the things you enjoy for the times you feel best.",
    "Some people like to read a lot, and some like to read a little.",
    "You can stop and come back to this page at any time.",
    "Let people know how they can help, such as with meals or lifts.",
    "A short list of questions makes a visit easier.",
    "Most people need some time to take in new facts.",
    "Check with your team before you try a new remedy.",
    "Keep the phone numbers of your team close to hand.",
    "If you feel worse, do not wait for your next visit to say so.",
    "People around you may not know what to say, and that is fine.",
    "Good days are a chance to do what matters to you.",
    "Ask for a copy of your plan, so you can read it at home.",
    "It is your right to ask for help with {topic}.",
)

LIST_ITEMS = (
    "a notebook for questions", "a list of your medicines", "the phone number of your team", "a bottle of water",
    "a snack for the wait", "a friend to take notes", "your glasses", "a warm layer", "something to read",
    "your insurance card", "a list of recent changes", "a charger for your phone",
)

QUESTIONS = (
    "What should I watch for with {topic}?",
    "Who do I call if {topic} gets worse?",
    "What can I do at home to help with {topic}?",
    "Is there a nurse I can talk to about {topic}?",
    "Will my treatment change {topic}?",
    "Where can my family find help with {topic}?",
)

KEY_POINTS = (
    "You can ask your care team about {topic} at any visit.",
    "Small changes can make {topic} easier to live with.",
    "Write down what you notice and bring it to your next visit.",
    "Tell your team straight away if something new worries you.",
    "Help is there for you and for the people who care for you.",
    "Your plan can change when your needs change.",
)

# (term, definition) pairs: plain words, so a glossary link lands in ordinary sentences.
TERMS = (
    ("Biopsy", "Taking a small piece of tissue to look at under a microscope."),
    ("Blood count", "A blood test that counts the main kinds of cells in your blood."),
    ("Care plan", "A written plan of your care that you and your team agree on."),
    ("Catheter", "A thin, soft tube put into the body to let fluid in or out."),
    ("Clinical trial", "A study that tests a new treatment, or a new way to use an old one, in people."),
    ("Dietitian", "An expert in food and drink who can help you eat well during treatment."),
    ("Dose", "How much of a medicine you take, and how often."),
    ("Fatigue", "Tiredness that does not go away with rest. It is common during treatment."),
    ("Hospice", "Care that helps people feel as well as they can near the end of life."),
    ("Infusion", "A medicine given slowly through a tube into a vein."),
    ("Lymph node", "A small bean-shaped gland that is part of the body's defense against germs."),
    ("Nurse navigator", "A nurse who helps you find your way through tests, visits and treatment."),
    ("Oncologist", "A doctor who treats cancer."),
    ("Palliative care", "Care that eases symptoms and stress, at any stage of an illness."),
    ("Port", "A small device under the skin that makes it easier to give medicines into a vein."),
    ("Prognosis", "What is likely to happen with an illness over time."),
    ("Radiation therapy", "Treatment that uses strong beams of energy to kill cancer cells."),
    ("Remission", "A time when the signs of cancer get smaller or go away."),
    ("Scan", "A test that takes pictures of the inside of the body."),
    ("Side effect", "An unwanted effect of a treatment, such as feeling sick or tired."),
    ("Social worker", "A person who helps with money, housing, work and other practical worries."),
    ("Steroid", "A medicine that calms swelling and can help with sickness and appetite."),
    ("Symptom", "A change in your body or mind that you notice, such as pain."),
    ("Tumor", "A lump of cells that grow when they should not."),
    ("Vein", "A blood vessel that carries blood back to the heart."),
    ("Antibiotic", "A medicine that kills germs called bacteria."),
    ("Chemotherapy", "Medicine that kills cancer cells or stops them from growing."),
    ("Counselor", "A trained person you can talk to about your feelings and worries."),
    ("Diarrhea", "Loose, watery stools more often than is normal for you."),
    ("Fever", "A body temperature higher than normal, often a sign of infection."),
    ("Hormone", "A chemical the body makes that tells some cells what to do."),
    ("Infection", "When germs get into the body and make you ill."),
    ("Lymphedema", "Swelling, often of an arm or a leg, when lymph fluid cannot drain away."),
    ("Pharmacist", "An expert in medicines who can answer questions about how to take them."),
    ("Platelet", "A tiny part of the blood that helps it clot."),
    ("Primary care doctor", "The doctor you see for most of your health needs, outside of cancer care."),
    ("Referral", "When one member of your team asks another expert to see you."),
    ("Stool", "The waste that comes out when you move your bowels."),
    ("Telehealth", "A visit with your care team by phone or video call."),
    ("White blood cell", "A blood cell that helps the body fight germs."),
)

SIGNS = (
    "a new pain that does not go away", "a fever", "feeling much more tired than usual", "new swelling",
    "being sick more than once",
)

TERM_SENTENCES = (
    "You may hear the word {term}.", "Ask your team about {term} if it comes up.",
    "Some people want to know more about {term}.", "Your nurse can explain {term} in plain words.",
    "It is fine to ask what {term} means for you.",
)
TERMS_PER_PAGE = 5

STATS = (
    ("3 in 4", "people who said a written list of questions helped them at a visit"),
    ("1 in 3", "people who said tiredness was the side effect that bothered them most"),
    ("2 in 5", "caregivers who said they needed more help with daily tasks"),
    ("45%", "people who said a short walk most days helped them sleep"),
    ("62%", "people who said talking to a nurse helped them feel more in control"),
    ("1 in 5", "people who said they had money worries because of their illness"),
    ("30%", "people who said they did not know who to call out of hours"),
    ("4 in 5", "people who said they wanted to be part of choices about their care"),
    ("18%", "people who said they had stopped a medicine without telling their team"),
    ("55%", "people who said a support group helped them"),
    ("9 in 10", "people who said they liked to get written facts to take home"),
    ("12%", "people who said they had missed a meal most days in the past week"),
)

PUBLISHERS = (
    "Plain Health Press", "The Patient Help Trust", "Care at Home Network", "Clinic Guide Project", "Open Health Notes",
    "Family Care Council",
)
# fmt: on


@dataclass(frozen=True)
class Article:
    index: int
    section: str
    slug: str
    title: str
    topic: str
    angle: str
    headings: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"{self.section}/{self.slug}.md"


def anchor(heading: str) -> str:
    """The id Python-Markdown's toc gives a heading made of plain words: lowercase, hyphens for spaces."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def quoted(text: str) -> str:
    """A YAML scalar that means exactly ``text``: JSON strings are valid YAML, so no colon can change it."""
    return json.dumps(text, ensure_ascii=False)


def plan_articles(count: int, rng: random.Random) -> list[Article]:
    combos = [(t, a) for t in TOPICS for a in ANGLES]
    rng.shuffle(combos)
    articles = []
    for i in range(count):
        topic, angle = combos[i % len(combos)]
        part = i // len(combos) + 1
        title = f"{topic[0].upper()}{topic[1:]}, {angle}" + (f", part {part}" if part > 1 else "")
        slug = anchor(title)
        section = SECTIONS[i % len(SECTIONS)][0]
        articles.append(Article(i, section, slug, title, topic, angle, tuple(rng.sample(HEADINGS, 4))))
    return articles


@dataclass(frozen=True)
class Registers:
    terms: list[tuple[str, str]]
    sources: list[str]
    stats: list[tuple[str, str, str]]  # id, value, measures


def write_registers(content: Path, count: int, today: dt.date, rng: random.Random) -> Registers:
    """Registers no bigger than the site, so every entry is used and no *-unused warning appears."""
    sources = [f"source-{i + 1:02d}" for i in range(min(20, count))]
    terms = list(TERMS[: min(len(TERMS), count)])
    stats = [(f"stat-{i + 1:02d}", value, measures) for i, (value, measures) in enumerate(STATS[: min(12, count)])]

    lines = ["# Generated by benchmarks/scale.py: every source is cited by at least one article.", ""]
    for i, key in enumerate(sources):
        accessed = today - dt.timedelta(days=rng.randrange(0, 60))
        lines.append(f"{key}:")
        if i % 3 == 2:  # a study, as the real register mixes web pages and journal articles
            lines += [
                f"  title: {quoted(f'A survey of patients and caregivers, report {i + 1}')}",
                f"  authors: {quoted('Smith A, Jones B, Lee C')}",
                f"  publication: {quoted('Journal of Plain Care')}",
                "  type: article",
                f"  year: {2018 + i % 7}",
                f"  url: https://example.org/studies/{key}",
            ]
        else:
            lines += [
                f"  title: {quoted(f'Living well with a long illness, part {i + 1}')}",
                f"  publisher: {quoted(PUBLISHERS[i % len(PUBLISHERS)])}",
                "  type: web",
                f"  url: https://example.org/guides/{key}",
            ]
        lines += [f"  accessed: {accessed.isoformat()}", ""]
    (content / "sources.yaml").write_text("\n".join(lines), encoding="utf-8")

    names = [name for name, _ in terms]
    lines = ["# Generated by benchmarks/scale.py: every term appears in at least one article.", ""]
    for i, (name, definition) in enumerate(terms):
        lines += [f"{name}:", f"  definition: {quoted(definition)}"]
        others = [n for n in rng.sample(names, min(3, len(names))) if n != name][:2]
        if others:
            lines.append(f"  see_also: [{', '.join(others)}]")
        if i % 4 == 0:
            lines.append(f"  source: {sources[i % len(sources)]}")
        lines.append("")
    (content / "glossary.yaml").write_text("\n".join(lines), encoding="utf-8")

    lines = ["# Generated by benchmarks/scale.py: made-up figures, each used by at least one article.", ""]
    for i, (key, value, measures) in enumerate(stats):
        lines += [
            f"{key}:",
            f"  value: {quoted(value)}",
            f"  measures: {quoted(measures)}",
            f"  population: {quoted('adults in a made-up survey written for this benchmark')}",
            f"  period: {quoted(f'asked in {2019 + i % 6}')}",
            f"  source: {sources[(i * 3 + 2) % len(sources)]}",
            "",
        ]
    (content / "stats.yaml").write_text("\n".join(lines), encoding="utf-8")
    return Registers(terms, sources, stats)


def paragraph(rng: random.Random, topic: str, extra: list[str]) -> str:
    """Three to five short sentences, with any special ones mixed in: about 50 words, far from the 120-word limit."""
    sentences = [s.format(topic=topic) for s in rng.sample(SENTENCES, rng.randint(3, 5))]
    for sentence in extra:
        sentences.insert(rng.randrange(len(sentences) + 1), sentence)
    return " ".join(sentences)


def others(articles: list[Article], i: int, count: int, rng: random.Random) -> list[Article]:
    """``count`` different articles other than article ``i``, at random."""
    picked: dict[int, None] = {}
    while len(picked) < count:
        j = rng.randrange(len(articles))
        if j != i:
            picked[j] = None
    return [articles[j] for j in picked]


def link_from(article: Article, target: Article) -> str:
    """A link as an editor writes it: the bare file name within a section, ../section/file.md across sections."""
    return f"{target.slug}.md" if target.section == article.section else f"../{target.path}"


def article_text(
    article: Article,
    articles: list[Article],
    registers: Registers,
    today: dt.date,
    rng: random.Random,
    extra_paragraphs: int = 0,
) -> str:
    i, topic = article.index, article.topic
    # The next article of the same section (article i is in section i mod 10) and two anywhere, picked by index:
    # a list of "every other article" per article would make generating 10,000 of them quadratic.
    near = articles[i + len(SECTIONS) if i + len(SECTIONS) < len(articles) else i % len(SECTIONS)]
    targets = list(dict.fromkeys(a for a in [near, *others(articles, i, 2, rng)] if a.index != i))

    terms = [registers.terms[(i * TERMS_PER_PAGE + k) % len(registers.terms)][0] for k in range(TERMS_PER_PAGE)]
    said = [sentence.format(term=term.lower()) for sentence, term in zip(TERM_SENTENCES, terms, strict=True)]
    source = registers.sources[i % len(registers.sources)]
    stat_id, stat_value, _ = registers.stats[i % len(registers.stats)]
    second_source = registers.sources[(i * 7 + 3) % len(registers.sources)]
    cited = "; ".join(f"@{key}" for key in dict.fromkeys([second_source, source]))

    specials = [
        [f"This page draws on advice written for patients [@{source}].", said[0]],
        [said[1], said[2]],
        [
            f"In one survey, [{stat_value}](stat:{stat_id}) said this was true for them.",
            said[3],
            f"For more, read [{targets[0].title}]({link_from(article, targets[0])}).",
        ],
        [
            f"People often say the same [{cited}].",
            said[4],
            f"See [{targets[-1].headings[1].lower()}]({link_from(article, targets[-1])}"
            f"#{anchor(targets[-1].headings[1])}).",
        ],
    ]
    if len(targets) > 2:
        specials[1].append(f"You may also like [{targets[1].title}]({link_from(article, targets[1])}).")

    body = [paragraph(rng, topic, [])]
    for n, heading in enumerate(article.headings):
        body += [f"## {heading}", paragraph(rng, topic, specials[n]), paragraph(rng, topic, [])]
        # Longer articles (compare.py's, about 900 words) draw more random numbers only when asked for, so the
        # default site stays byte-identical to earlier runs.
        body += [paragraph(rng, topic, []) for _ in range(extra_paragraphs)]
        if n == 1:
            items = rng.sample(LIST_ITEMS, rng.randint(3, 5))
            body += ["Things to bring to a visit:", "\n".join(f"- {item[0].upper()}{item[1:]}" for item in items)]
    if i % 3 == 0:
        body.insert(2, '!!! tip "A tip from other readers"\n    ' + paragraph(rng, topic, []))
    if i % 5 == 1:
        signs = rng.sample(SIGNS, 3)
        body.insert(len(body) - 1, '!!! same-day "Call today if you notice"\n' + "\n".join(f"    - {s}" for s in signs))

    reviewed = today - dt.timedelta(days=rng.randrange(0, 30))
    key_points = [k.format(topic=topic) for k in rng.sample(KEY_POINTS, rng.randint(3, 5))]
    questions = [q.format(topic=topic) for q in rng.sample(QUESTIONS, rng.randint(3, 4))]
    related = [a.path for a in others(articles, i, 2, rng)]
    front = [
        f"title: {quoted(article.title)}",
        f"summary: {quoted(f'What to know about {topic}, {article.angle}, and where to find help.')}",
        "key_points:",
        *(f"  - {quoted(k)}" for k in key_points),
        f"order: {i // len(SECTIONS) + 1}",
        f"reviewed: {reviewed.isoformat()}",
        "related:",
        *(f"  - {r}" for r in related),
        "questions:",
        *(f"  - {quoted(q)}" for q in questions),
    ]
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"


CONFIG = """\
# Generated by benchmarks/scale.py. Every content rule is at its default level: the site is meant to pass them.
title: Scale test guide
tagline: A generated site of {count} articles, for measuring the build.
language: en-US
{base_url}review_interval_months: 12
reading_grade: 8
condition: A long illness
contact:
  emergency_number: "911"
  crisis_number: "988"
  crisis_name: the 988 Suicide & Crisis Lifeline
sections:
{sections}"""


def generate(root: Path, count: int, seed: int, base_url: bool, repo: Path, extra_paragraphs: int = 0) -> None:
    """Write the site into ``root``; ``extra_paragraphs`` plain paragraphs (about 50 words each) are added under
    each of an article's four headings."""
    rng = random.Random(seed)
    today = dt.date.today()  # review dates must be recent whenever it runs, or review-overdue fires
    shutil.copytree(repo / "templates", root / "templates")
    shutil.copytree(repo / "static", root / "static")
    content = root / "content"
    content.mkdir()
    sections = "".join(f"  - slug: {s}\n    title: {t}\n    intro: {quoted(i)}\n" for s, t, i in SECTIONS)
    address = "base_url: https://example.org/guide/\n" if base_url else ""
    config = CONFIG.format(count=count, base_url=address, sections=sections)
    (root / "config.yaml").write_text(config, encoding="utf-8")

    registers = write_registers(content, count, today, rng)
    articles = plan_articles(count, rng)
    firsts: dict[str, Article] = {}
    for article in articles:
        folder = content / article.section
        folder.mkdir(exist_ok=True)
        (folder / f"{article.slug}.md").write_text(
            article_text(article, articles, registers, today, rng, extra_paragraphs), encoding="utf-8"
        )
        firsts.setdefault(article.section, article)
    links = "\n".join(f"- [{a.title}]({a.path})" for a in firsts.values())
    home = (
        f"---\ntitle: Scale test guide\nsummary: A generated site for measuring the build.\n"
        f"reviewed: {today.isoformat()}\n---\n\nThis guide is made by a program. Start with one of these pages.\n\n"
        f"{links}\n"
    )
    (content / "index.md").write_text(home, encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def git_state(repo: Path) -> str:
    """The engine's commit, marked dirty when the working tree differs: results only compare on the same code."""
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "handout"], capture_output=True)
    except OSError:
        return "unknown"
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "") if head.returncode == 0 else "unknown"


def measure(root: Path, python: str, repo: Path, strict: bool) -> dict[str, Any]:
    command = [python, str(repo / "build.py"), "build", "--config", str(root / "config.yaml")]
    if strict:
        command.append("--strict")
    # Problems go to a file: a broken generator can make one line per article, too much to hold in a pipe.
    with open(root / "build.out", "wb") as out, open(root / "build.err", "wb") as err:
        started = time.perf_counter()
        status = subprocess.run(command, cwd=root, stdout=out, stderr=err).returncode
        wall = time.perf_counter() - started
    # RUSAGE_CHILDREN's ru_maxrss is the largest peak of any child waited for: the build's, since the other
    # children (git, and the Python asked its version) stay under 20 MB. Linux gives it in KiB.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    stdout = (root / "build.out").read_text(encoding="utf-8", errors="replace")
    stderr = (root / "build.err").read_text(encoding="utf-8", errors="replace")
    built, failed = SUMMARY.search(stdout), FAILED.search(stdout)
    files, size = folder_size(root / "_site") if (root / "_site").is_dir() else (0, 0)
    rules = Counter(m.group(2) for m in PROBLEM.finditer(stderr))
    errors = int(built.group(3)) if built else int(failed.group(2)) if failed else None
    warnings = int(built.group(4)) if built else int(failed.group(3)) if failed else None
    return {
        "exit": status,
        "pages": int(built.group(1)) if built else 0,
        "wall_s": round(wall, 2),
        "build_s": float(built.group(2)) if built else float(failed.group(1)) if failed else None,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "output_mb": round(size / MIB, 1),
        "output_files": files,
        "errors": errors,
        "warnings": warnings,
        "problems_by_rule": dict(rules.most_common()),
        "first_problems": stderr.splitlines()[:10],
        "summary_line": (built or failed).group(0) if (built or failed) else stdout.strip()[-300:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000, help="how many articles to generate (default 10000)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR (new or empty) and keep it afterwards")
    parser.add_argument("--strict", action="store_true", help="build with --strict: any warning fails the build")
    parser.add_argument(
        "--check-bound", type=float, metavar="MB", help="exit 1 if peak RSS exceeds MB or the build fails"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="the generator's seed (default: fixed)")
    parser.add_argument("--no-base-url", action="store_true", help="leave base_url unset (no QR codes, no canonicals)")
    parser.add_argument("--repo", default=str(REPO), help="the checkout whose build.py and templates to use")
    parser.add_argument(
        "--python", default=sys.executable, help="the Python that runs the build (default: this one; use the venv's)"
    )
    args = parser.parse_args(argv)
    if args.articles < len(SECTIONS):
        parser.error(f"--articles must be at least {len(SECTIONS)}: an empty section is a warning")
    repo = Path(args.repo).resolve()

    if args.keep:
        root = Path(args.keep).resolve()
        if root.exists() and any(root.iterdir()):
            parser.error(f"--keep {root}: the folder is not empty")
        root.mkdir(parents=True, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="handout-scale-")
        root = Path(cleanup.name)
    try:
        started = time.perf_counter()
        generate(root, args.articles, args.seed, not args.no_base_url, repo)
        generated = time.perf_counter() - started
        engine = git_state(repo)  # before the build: someone may commit while a long build runs
        version = subprocess.run(
            [args.python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True
        ).stdout.strip()
        result = measure(root, args.python, repo, args.strict)
    finally:
        if cleanup is not None:
            cleanup.cleanup()

    record = {
        "date": dt.date.today().isoformat(),
        "articles": args.articles,
        "strict": args.strict,
        "base_url": not args.no_base_url,
        "seed": args.seed,
        "generate_s": round(generated, 2),
        **result,
        "nproc": os.cpu_count(),
        "python": version,  # the build's Python, which may not be this one
        "engine": engine,
    }
    print(json.dumps(record), flush=True)

    bound_ok = args.check_bound is None or result["peak_rss_mb"] <= args.check_bound
    status = f"killed by signal {-result['exit']}" if result["exit"] < 0 else f"exit {result['exit']}"
    tally = (
        f"{result['errors']} errors, {result['warnings']} warnings"
        if result["errors"] is not None
        else "no summary line from the build"
    )
    print(
        f"\n{args.articles} articles -> {result['pages']} pages, {status}, {tally}\n"
        f"  wall {result['wall_s']} s (build's own figure {result['build_s']} s, CPU {result['cpu_s']} s; "
        f"generation {record['generate_s']} s, not counted)\n"
        f"  peak RSS {result['peak_rss_mb']} MB, output {result['output_mb']} MB in {result['output_files']} files\n"
        f"  {result['summary_line']}",
        file=sys.stderr,
    )
    for line in result["first_problems"]:
        print(f"  | {line}", file=sys.stderr)
    if result["problems_by_rule"]:
        print(f"  problems by rule: {result['problems_by_rule']}", file=sys.stderr)
    if args.keep:
        print(f"  site and build log kept in {root} (build.out, build.err)", file=sys.stderr)
    if args.check_bound is not None:
        print(
            f"  bound {args.check_bound} MB: {'within' if bound_ok else 'EXCEEDED'}"
            f"{'' if result['exit'] == 0 else '; the build failed'}",
            file=sys.stderr,
        )
        return 0 if bound_ok and result["exit"] == 0 else 1
    return 0 if result["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
