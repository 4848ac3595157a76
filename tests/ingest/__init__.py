"""Tests of lagebild.ingest and the database CLI (a package so that its conftest does not shadow tests/conftest.py)."""
