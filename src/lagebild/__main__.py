"""`python -m lagebild` runs the command line."""

from lagebild.cli.main import app

app()
