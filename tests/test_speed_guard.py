"""A guard against throughput regressions: the pipeline's words/s as a share of spaCy's blank German
tokenizer over the same text, measured in the same test (no absolute times: machines differ).

The benchmark (`make bench`) reports the real figures; this only fails when the coder becomes several
times slower relative to plain tokenisation.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

MIN_RATIO = 0.2  # measured 0.4 on the 2-core CI machine; see docs/PERFORMANCE.md

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def test_pipeline_keeps_pace_with_the_tokenizer(coder):
    spacy = pytest.importorskip("spacy")
    from corpus import generate

    from lagebild.model import Article

    texts = generate(300_000, seed=11)
    coder.pipeline("de")
    coder.code_article(Article(doc_id="warm", text=texts[0], published="2025-01-15", lang="de"))  # warm caches
    nlp = spacy.blank("de")
    list(nlp.tokenizer.pipe(texts[:5]))

    start = time.perf_counter()
    words = 0
    for n, text in enumerate(texts):
        doc = coder.code_article(Article(doc_id=f"g{n}", text=text, published="2025-01-15", lang="de"))
        words += sum(1 for t in doc.tokens if not t.is_punct)
    pipeline_rate = words / (time.perf_counter() - start)

    start = time.perf_counter()
    tokens = sum(sum(1 for t in d if not t.is_punct and not t.is_space) for d in nlp.tokenizer.pipe(texts))
    tokenizer_rate = tokens / (time.perf_counter() - start)

    ratio = pipeline_rate / tokenizer_rate
    assert ratio >= MIN_RATIO, f"pipeline {pipeline_rate:.0f} words/s is {ratio:.2f} of the tokenizer's {tokenizer_rate:.0f}"
