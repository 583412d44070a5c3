"""Renderers: content -> a neutral page (page.py, built by reading_pages.py and tool_pages.py) -> HTML or PDF."""
