"""Places: gazetteer forms of the language (`places.tsv`: exonyms, inflected forms, coordinates)."""

from __future__ import annotations

from bisect import bisect_right

from lagebild.lexicons.loader import LanguageData
from lagebild.model import Doc, Place, Provenance


class PlaceTagger:
    name = "places"
    needs = ("sentences",)
    adds = ("places",)

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        automaton = self.lang.place_automaton
        if automaton is None:
            return doc
        text = doc.text
        starts = [s.start for s in doc.sentences]
        hits = []
        for end_index, form in automaton.iter(text):
            start, end = end_index - len(form) + 1, end_index + 1
            if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
                continue
            hits.append((start, end, form))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        last_end = -1
        for start, end, form in hits:
            if start < last_end:
                continue
            last_end = end
            entry = self.lang.places[form]
            sentence = max(0, bisect_right(starts, start) - 1)
            doc.places.append(
                Place(f"{doc.doc_id}#p{len(doc.places) + 1}", start, end, text[start:end], sentence, entry.name, entry.country,
                      entry.lat, entry.lon, Provenance(self.name, entry.file, entry.line, entry.name))
            )
        return doc
