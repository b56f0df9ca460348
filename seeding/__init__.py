"""Seeding: sheet imports of developers, the shipped demo portal and synthetic data.

The top layer: it may import every app (see ARCHITECTURE.md); no app imports it.
"""
