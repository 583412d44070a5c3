"""Renderers: content -> page structure -> HTML (and, later, PDF)."""
