"""Python-Markdown extensions for the site's own features. Each works on the parsed element tree."""
