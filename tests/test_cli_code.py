"""`lagebild code` end to end through the real CLI, bad inputs included."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

EVENT_FIELDS = {
    "doc_id", "event_id", "code", "root", "quad_class", "goldstein", "plover", "source", "target", "date", "status",
    "location", "sentence", "span", "trigger", "rule", "quote_ids", "confidence",
}


def run(*args, input=None):
    return subprocess.run([sys.executable, "-m", "lagebild.cli.main", *args], capture_output=True, text=True, input=input, timeout=120)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "artikel.txt"
    path.write_text(
        "Berlin verurteilt Angriff\n\nDie Bundesregierung verurteilte am Dienstag den Raketenangriff Russlands auf Kiew. "
        "»Das ist ein Verbrechen«, sagte Außenminister Johann Wadephul.\n",
        encoding="utf-8",
    )
    return path


def test_jsonl_records_follow_the_contract(article):
    result = run("code", str(article), "--date", "2025-07-10", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    events = [r for r in records if r["record"] == "event"]
    assert events
    for event in events:
        assert EVENT_FIELDS <= event.keys()
        assert event["doc_id"] == str(article)
        assert set(event["date"]) >= {"value", "granularity", "basis"}
        assert event["source"].keys() >= {"code", "role", "name", "actor_id", "span"}
    assert any(e["root"] == "11" and e["source"]["code"] == "DEU" and (e["target"] or {}).get("code") == "RUS" for e in events), events
    quotes = [r for r in records if r["record"] == "quote" and r["kind"] == "direct"]
    assert quotes and quotes[0]["speaker"]["code"] == "DEU"


def test_table_output_shows_the_rule(article):
    result = run("code", str(article), "--date", "2025-07-10")
    assert result.returncode == 0, result.stderr
    assert "de.11." in result.stdout


def test_empty_input_is_a_note_not_an_error(tmp_path):
    empty = tmp_path / "leer.txt"
    empty.write_text("  \n\n ", encoding="utf-8")
    result = run("code", str(empty), "--format", "jsonl")
    assert result.returncode == 0
    assert "empty text" in result.stderr
    assert [json.loads(l)["record"] for l in result.stdout.splitlines()] == ["article"]


def test_bad_files_are_named_and_others_go_on(tmp_path, article):
    binary = tmp_path / "bild.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Die Regierung in Paris kritisierte Moskau. Straße ÄÖÜ".encode("latin-1"))
    result = run("code", str(binary), str(latin), str(article), "--format", "jsonl")
    assert result.returncode == 1
    assert f"{binary}: looks binary" in result.stderr
    assert f"{latin}: not valid UTF-8" in result.stderr
    assert any(json.loads(l)["record"] == "event" for l in result.stdout.splitlines())


def test_other_language_is_named(tmp_path):
    french = tmp_path / "fr.txt"
    french.write_text("Le président de la République a reçu hier le Premier ministre italien à l'Élysée pour parler de l'Europe.", encoding="utf-8")
    result = run("code", str(french))
    assert result.returncode == 1
    assert "'fr'" in result.stderr and "--lang" in result.stderr


def test_stdin(tmp_path):
    result = run("code", "-", "--lang", "de", "--date", "2025-02-01", "--format", "jsonl", input="Polen wies zwei russische Diplomaten aus.")
    assert result.returncode == 0, result.stderr
    assert any(json.loads(l).get("record") == "event" for l in result.stdout.splitlines())
