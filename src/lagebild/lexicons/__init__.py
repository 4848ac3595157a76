"""Language knowledge as data: the lexicon files and their loader (see docs/LEXICONS.md)."""
