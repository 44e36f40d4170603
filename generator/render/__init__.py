"""The corpus as pages: Jinja templates, charts, differences, partners, Markdown to sanitised HTML, the writing guide. Imports ``base``, ``model``, ``source`` and ``corpus``."""
