"""Sentence segmentation: paragraphs, headings and captions, sentence ends, direct-quote spans.

German specifics (abbreviations, ordinals such as "19. Juni", quote marks) come from the language's
`language.toml`; this module only knows the mechanics.
"""

from __future__ import annotations

import re

from lagebild.lexicons.loader import LanguageData
from lagebild.model import Doc, Provenance, Quote, Sentence

_TERMINAL = ".!?…"
_CLOSERS = "\"'»«“”’‘›‹)]"
_BOUNDARY = re.compile(r"[.!?…]+[\"'»«“”’‘›‹)\]]*(?=\s+)")
_OPENERS = "»„\"“(‚›«'["
_WORD = re.compile(r"\w+", re.UNICODE)


class Segmenter:
    name = "segment"
    needs = ("text",)
    adds = ("sentences", "quotes")

    def __init__(self, lang: LanguageData) -> None:
        seg = lang.config.get("segmentation", {})
        self.abbreviations = frozenset(seg.get("abbreviations", ()))
        months = {m.lower() for m in lang.time.get("words", {}).get("month", {})}
        self.ordinal_followers = frozenset(w.lower() for w in seg.get("ordinal_followers", ())) | months
        self.heading_max_words = int(seg.get("heading_max_words", 16))
        self.caption_markers = tuple(seg.get("caption_markers", ()))
        self.quote_pairs = [tuple(p) for p in lang.config.get("quotes", {}).get("pairs", ())]
        self.datelines = [re.compile(p, re.MULTILINE) for p in seg.get("dateline_patterns", ())]

    # -- quotes --------------------------------------------------------------------------
    def find_quote_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of direct quotes (marks included), outermost first, never overlapping."""
        spans: list[tuple[int, int]] = []
        taken = bytearray(len(text))
        for opener, closer in self.quote_pairs:
            start = text.find(opener)
            while start != -1:
                if taken[start]:
                    start = text.find(opener, start + 1)
                    continue
                end = text.find(closer, start + 1)
                paragraph_end = text.find("\n\n", start)
                if end == -1 or (paragraph_end != -1 and end > paragraph_end) or end - start > 2000:
                    start = text.find(opener, start + 1)
                    continue
                if opener == closer and (start > 0 and text[start - 1].isalnum()):
                    start = text.find(opener, start + 1)  # an apostrophe-like use, not an opening mark
                    continue
                if any(taken[start:end + 1]):
                    start = text.find(opener, end + 1)
                    continue
                for i in range(start, end + 1):
                    taken[i] = 1
                spans.append((start, end + 1))
                start = text.find(opener, end + 1)
        spans.sort()
        return spans

    # -- blocks and lines ----------------------------------------------------------------
    def _segments(self, text: str) -> list[tuple[int, int, int, bool]]:
        """(start, end, paragraph, is_heading) stretches to split into sentences."""
        lines: list[tuple[int, int]] = []
        pos = 0
        for line in text.split("\n"):
            lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        blocks: list[list[tuple[int, int]]] = [[]]
        for start, end in lines:
            if text[start:end].strip():
                blocks[-1].append((start, end))
            elif blocks[-1]:
                blocks.append([])
        out: list[tuple[int, int, int, bool]] = []
        for paragraph, block in enumerate(b for b in blocks if b):
            hard_wrapped = len(block) > 2 and all(e - s <= 100 for s, e in block)
            pending: tuple[int, int] | None = None
            for start, end in block:
                line = text[start:end].strip()
                words = len(_WORD.findall(line))
                is_heading = (
                    line[-1] not in _TERMINAL + _CLOSERS + ",;:–-"
                    and words <= self.heading_max_words
                    and not (hard_wrapped and pending is not None)
                )
                if is_heading and not hard_wrapped:
                    if pending:
                        out.append((pending[0], pending[1], paragraph, False))
                        pending = None
                    out.append((start, end, paragraph, True))
                else:
                    pending = (pending[0], end) if pending else (start, end)
            if pending:
                out.append((pending[0], pending[1], paragraph, False))
        return out

    def _is_boundary(self, text: str, dot: int, nxt: int, quotes: list[tuple[int, int]]) -> bool:
        if nxt >= len(text) or not (text[nxt].isupper() or text[nxt].isdigit() or text[nxt] in _OPENERS):
            return False
        if text[dot] == ".":
            word_start = dot
            while word_start > 0 and not text[word_start - 1].isspace():
                word_start -= 1
            word = text[word_start:dot].lstrip(_OPENERS)
            if word in self.abbreviations or (len(word) == 1 and word.isalpha()):
                return False
            if word.isdigit():
                follower = _WORD.match(text, nxt)
                if follower and follower.group(0).lower() in self.ordinal_followers:
                    return False
        for qs, qe in quotes:
            if qs < nxt < qe and qe - qs <= 400:
                return False  # keep a short multi-sentence quote in one sentence
        return True

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        quotes = self.find_quote_spans(text)
        sentences: list[Sentence] = []
        for start, end, paragraph, is_heading in self._segments(text):
            if not is_heading:
                dateline = next((m for m in (p.match(text, start, end) for p in self.datelines) if m), None)
                if dateline is not None:
                    stop = dateline.end()
                    while stop > start and text[stop - 1].isspace():
                        stop -= 1
                    sentences.append(Sentence(len(sentences), start, stop, paragraph=paragraph, is_heading=True, is_caption=True))
                    start = dateline.end()
            pieces = [start]
            if not is_heading:
                for match in _BOUNDARY.finditer(text, start, end):
                    nxt = match.end()
                    while nxt < end and text[nxt].isspace():
                        nxt += 1
                    if nxt < end and self._is_boundary(text, match.start(), nxt, quotes):
                        pieces.append(nxt)
            pieces.append(end)
            for s, e in zip(pieces, pieces[1:]):
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if s < e:
                    is_caption = is_heading and any(m in text[s:e] for m in self.caption_markers)
                    sentence = Sentence(len(sentences), s, e, paragraph=paragraph, is_heading=is_heading, is_caption=is_caption)
                    sentences.append(sentence)
        doc.sentences = sentences
        provenance = Provenance(self.name)
        sentence_starts = [s.start for s in sentences]
        for n, (qs, qe) in enumerate(quotes):
            index = _sentence_at(sentence_starts, qs)
            doc.quotes.append(Quote(f"{doc.doc_id}#q{n + 1}", qs, qe, text[qs + 1:qe - 1], index, "direct", provenance=provenance))
        return doc


def _sentence_at(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return max(0, bisect_right(starts, offset) - 1)
