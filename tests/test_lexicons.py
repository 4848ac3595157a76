"""Lexicon loading: every bundled file validates, and a broken file is named with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagebild.errors import LexiconError
from lagebild.lexicons import loader
from lagebild.lexicons.loader import compile_language, supported_languages


def test_bundled_languages_compile():
    for lang in supported_languages():
        data = compile_language(lang)
        assert data.triggers, lang
        assert len(data.countries) >= 197


def test_german_lexicon_sizes():
    data = compile_language("de")
    roots = {rule.code[:2] for rule in data.triggers}
    assert roots == {f"{n:02d}" for n in range(1, 21)}
    assert len(data.triggers) >= 800
    assert len({rule.code for rule in data.triggers}) >= 150


def _copy_tree(tmp_path: Path) -> Path:
    target = tmp_path / "lexicons"
    shutil.copytree(loader.PACKAGE_ROOT, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


@pytest.mark.parametrize(
    "file,line,expected",
    [
        ("de/triggers.tsv", "de.99.broken\t999\tverb\tkaputtmachen\tobj\t\t\t\n", "unknown CAMEO code '999'"),
        ("de/triggers.tsv", "de.99.badtarget\t111\tverb\tkritisieren\tnirgendwo\t\t\t\n", "target ['nirgendwo']"),
        ("de/agents.tsv", "Oberzauberer\tWIZ\t\t\t\n", "'WIZ' is not a CAMEO role"),
        ("common/persons/europe.tsv", "nobody_x\tNiemand\tDEU\tking_of_cats\tGOV\t2020\t\t\n", "office 'king_of_cats'"),
        ("de/modality.tsv", "vielleicht\tmaybe\tclause\t\n", "effect 'maybe'"),
    ],
)
def test_broken_row_is_named_with_file_and_line(tmp_path, monkeypatch, file, line, expected):
    root = _copy_tree(tmp_path)
    path = root / file
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n" + line)
    number = len(path.read_text(encoding="utf-8").splitlines())
    monkeypatch.setattr(loader, "ROOT", root)
    with pytest.raises(LexiconError) as info:
        compile_language("de")
    message = str(info.value)
    assert f"{file}:{number}" in message.replace("\\", "/"), message
    assert expected in message


def test_wrong_header_is_reported(tmp_path, monkeypatch):
    root = _copy_tree(tmp_path)
    path = root / "de" / "discard.tsv"
    path.write_text("phrases\tnote\nUS-Dollar\tcurrency\n", encoding="utf-8")
    monkeypatch.setattr(loader, "ROOT", root)
    with pytest.raises(LexiconError, match="header must be"):
        compile_language("de")


def test_cache_is_rebuilt_when_a_lexicon_changes(tmp_path, monkeypatch):
    root = _copy_tree(tmp_path)
    monkeypatch.setattr(loader, "ROOT", root)
    monkeypatch.setenv("LAGEBILD_CACHE", str(tmp_path / "cache"))
    loader.load_language.cache_clear()
    try:
        first = loader.load_language("de")
        assert list((tmp_path / "cache").glob("lexicon-de-*.pickle"))
        with (root / "de" / "discard.tsv").open("a", encoding="utf-8") as fh:
            fh.write("\nLagebild-Testwurst\tinvented for the cache test\n")
        loader.load_language.cache_clear()
        second = loader.load_language("de")
        assert "lagebild-testwurst" in second.discard and "lagebild-testwurst" not in first.discard
        assert len(list((tmp_path / "cache").glob("lexicon-de-*.pickle"))) == 2
    finally:
        loader.load_language.cache_clear()
