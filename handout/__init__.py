"""handout: a static-site generator for plain-language patient education.

The pipeline runs in stages, one module each: ``config`` (load and validate config.yaml), ``reader`` (read every
content file and validate its front matter), ``markup`` (Markdown to HTML, recording headings and links),
``model`` (the cross-linked site: navigation, links, backlinks), ``render`` (Jinja2 templates to bytes) and
``write`` (atomic swap into the output folder). ``pipeline`` runs them in order; ``cli`` is the command line.
"""

__version__ = "0.1.0"
