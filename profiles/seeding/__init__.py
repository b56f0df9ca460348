"""Seeding the database with developers: sheet imports, the shipped demo data and synthetic data."""
