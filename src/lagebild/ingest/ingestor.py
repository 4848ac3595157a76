"""The ingest run: read inputs, skip what is stored, find near-duplicates, code, store.

Each article is coded and then stored in one transaction with all its records, so a run that is
killed and started again continues where it stopped: stored articles are skipped by their
content hash before they are coded, and a half-written article was never committed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from lagebild._clock import Clocked
from lagebild.errors import ConfigError, LagebildError
from lagebild.ingest.dates import parse_published
from lagebild.ingest.dedup import NearDuplicateIndex, to_signature
from lagebild.ingest.fetch import Fetcher
from lagebild.ingest.model import IngestedArticle, Published, ReadFailure
from lagebild.ingest.sources import ReadOptions, SourceReader, expand
from lagebild.store import AddResult, PendingArticle, Store

Coder = Callable[..., Any]

@dataclass(slots=True)
class _Pending:
    article: IngestedArticle
    signature: Any
    duplicate_of: str | None
    similarity: float | None


def _code_job(job: tuple) -> Any:
    """Code one article (in a worker process, or in this one); failures come back as ReadFailure."""
    coder, text, published, lang, article_id, source = job
    try:
        doc = coder(text, published=published, lang=lang, doc_id=article_id)
        records = doc.to_records() if hasattr(doc, "to_records") else doc
        if not isinstance(records, Mapping):
            raise TypeError(f"the coder returned {type(records).__name__}, not records")
        return records
    except LagebildError as exc:
        return ReadFailure(source, f"the coder refused the text: {exc}", "coder")
    except Exception as exc:  # noqa: BLE001 - one article crashing the coder must not end the batch
        return ReadFailure(source, f"the coder failed: {type(exc).__name__}: {exc}", "coder")


NO_DATE_NOTE = "no publication date found (metadata or dateline); events are dated from the text only"


def load_coder(spec: str | None = None) -> Coder:
    """The coder named by `module:function` (e.g. for tests), or `lagebild.code` by default."""
    if not spec:
        try:
            from lagebild import code
        except ImportError as exc:
            raise ConfigError(f"the coder lagebild.code is not available ({exc})") from exc
        return code
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ConfigError(f"a coder is given as module:function, got {spec!r}")
    try:
        module = importlib.import_module(module_name)
        coder = getattr(module, attribute)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"cannot load the coder {spec!r}: {exc}") from exc
    if not callable(coder):
        raise ConfigError(f"the coder {spec!r} is not callable")
    return coder


def normalise_lang(lang: str | None) -> str | None:
    """`de-DE` → `de`, `EN` → `en`."""
    if not lang:
        return None
    return lang.strip().replace("_", "-").split("-")[0].lower() or None


@dataclass(slots=True)
class IngestStats(Clocked):
    """Running totals of an ingest run (what the progress bar shows)."""

    sources_total: int = 0
    sources: int = 0
    articles: int = 0  # read from the inputs
    stored: int = 0
    skipped: int = 0  # already in the store
    duplicates: int = 0  # stored, and linked to an earlier near-duplicate
    mentions: int = 0
    failures: int = 0

    @property
    def rate(self) -> float:
        """Articles read per second."""
        return self.per_second(self.articles)


@dataclass(slots=True)
class IngestReport:
    stats: IngestStats
    failures: list[ReadFailure]


class Ingestor:
    """Ingests inputs into a store.

    coder            `coder(text, published=..., lang=..., doc_id=...)` returning a Doc (or its
                     records); default `lagebild.code`
    options          how inputs are read (`ReadOptions`)
    force_date       a publication date for every article (`--date`)
    lang             a language for every article (`--lang`)
    near_duplicates  look for near-duplicates of stored articles (MinHash/LSH)
    refetch          fetch feed entries again even when their URL is stored
    on_progress      called with the `IngestStats` after every article and every input
    """

    def __init__(
        self,
        store: Store,
        coder: Coder | None = None,
        *,
        options: ReadOptions | None = None,
        fetcher: Fetcher | None = None,
        stdin: BinaryIO | None = None,
        force_date: str | None = None,
        lang: str | None = None,
        near_duplicates: bool = True,
        threshold: float = 0.8,
        refetch: bool = False,
        on_progress: Callable[[IngestStats], None] | None = None,
        batch_size: int = 64,
        workers: int = 1,
    ) -> None:
        self.store = store
        self._coder = coder
        self.options = options or ReadOptions()
        self._fetcher = fetcher
        self._stdin = stdin
        self._force_date: Published | None = None
        if force_date:
            self._force_date = parse_published(force_date, basis="forced")
            if self._force_date is None:
                raise ConfigError(f"--date: not a date: {force_date!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
        self._lang = normalise_lang(lang)
        self._index = NearDuplicateIndex(threshold=threshold) if near_duplicates else None
        self._index_loaded = False
        self._refetch = refetch
        self._on_progress = on_progress
        self.batch_size = max(1, batch_size)
        self.workers = max(1, workers)
        self._pending: list[_Pending] = []
        self._pending_ids: set[str] = set()
        self._pool = None
        self.stats = IngestStats()
        self.failures: list[ReadFailure] = []

    @property
    def coder(self) -> Coder:
        if self._coder is None:
            self._coder = load_coder(None)
        return self._coder

    def run(self, inputs: Sequence[str]) -> IngestReport:
        """Ingest every input (paths, directories, URLs, `-`); bad inputs are recorded and skipped."""
        self.stats = IngestStats()
        self.failures = []
        sources, missing = expand(inputs)
        self.stats.sources_total = len(sources) + len(missing)
        for failure in missing:
            self._fail(failure)
            self.stats.sources += 1
        reader = SourceReader(
            self.options,
            fetcher=self._fetcher,
            stdin=self._stdin,
            skip_url=None if self._refetch else self.store.has_url,
        )
        try:
            for source in sources:
                for item in reader.read(source):
                    if isinstance(item, ReadFailure):
                        self._fail(item)
                    else:
                        self._enqueue(item)
                    self._notify()
                self.stats.sources += 1
                self._notify()
            self._flush()
        finally:
            if self._fetcher is None:
                reader.close()
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
        self._notify()
        return IngestReport(self.stats, self.failures)

    # -- batched path (run): articles are coded in batches, in worker processes when asked, and each
    #    batch is stored in one transaction; a killed run loses at most the batch it was writing,
    #    which the next run codes again (stored articles are skipped by their content hash).
    def _enqueue(self, article: IngestedArticle) -> None:
        pending = self._prepare(article)
        if pending is None:
            return
        if pending.duplicate_of in self._pending_ids:
            self._flush()  # the original must be written before its near-duplicate is linked to it
        self._pending.append(pending)
        self._pending_ids.add(pending.article.article_id)
        if self._index is not None and pending.signature is not None:
            self._index.add(pending.article.article_id, pending.signature)
        if len(self._pending) >= self.batch_size * self.workers:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending, self._pending_ids = self._pending, [], set()
        outcomes = self._code_batch(batch)
        ready = []
        failed: set[str] = set()
        for pending, outcome in zip(batch, outcomes):
            if isinstance(outcome, ReadFailure):
                self._fail(outcome)
                failed.add(pending.article.article_id)
                if self._index is not None:
                    self._index.discard(pending.article.article_id)
            else:
                if pending.duplicate_of in failed:  # its original could not be coded: it stands alone
                    pending.duplicate_of, pending.similarity = None, None
                ready.append(PendingArticle(pending.article, outcome, pending.duplicate_of, pending.similarity,
                                            to_signature(pending.signature) if pending.signature is not None else None,
                                            pending.article.article_id))
        try:
            results = self.store.add_articles(ready)
        except LagebildError as exc:
            for item in ready:
                self._fail(ReadFailure(item.article.input, f"cannot store the article: {exc}", "store"))
            return
        for result in results:
            self._count(result)

    def _code_batch(self, batch: list[_Pending]) -> list:
        if self.workers == 1 or len(batch) < 2:
            return [self._code_safely(p.article) for p in batch]
        if self._pool is None:
            import concurrent.futures
            import multiprocessing

            context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
            self._pool = concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context)
        jobs = [(self.coder, p.article.text, p.article.published_for_coder, p.article.lang, p.article.article_id, p.article.input) for p in batch]
        chunk = max(1, len(jobs) // (self.workers * 4))
        return list(self._pool.map(_code_job, jobs, chunksize=chunk))

    def _code_safely(self, article: IngestedArticle):
        return _code_job((self.coder, article.text, article.published_for_coder, article.lang, article.article_id, article.input))

    def _count(self, result: AddResult) -> None:
        if result.inserted:
            self.stats.stored += 1
            self.stats.mentions += result.mentions
            if result.duplicate_of:
                self.stats.duplicates += 1
        else:
            self.stats.skipped += 1

    def _prepare(self, article: IngestedArticle) -> _Pending | None:
        """Normalise an article and find its near-duplicate; None when it is stored already."""
        self.stats.articles += 1
        if self._lang:
            article.lang = self._lang
        article.lang = normalise_lang(article.lang)
        if self._force_date is not None:
            article.set_published(self._force_date)
        elif article.published is None and not any("no year" in n for n in article.notes):
            article.notes.append(NO_DATE_NOTE)
        article_id = article.article_id
        if article_id in self._pending_ids or self.store.has_article(article_id):
            self.stats.skipped += 1
            return None
        signature = duplicate = None
        if self._index is not None:
            if not self._index_loaded:
                self._index.load(self.store)
                self._index_loaded = True
            signature = self._index.signature(article.text)
            duplicate = self._index.find(signature, self.store)
        return _Pending(article, signature, duplicate.article_id if duplicate else None, duplicate.similarity if duplicate else None)

    def add(self, article: IngestedArticle) -> AddResult | None:
        """Code and store one article now unless it is stored already; None if skipped or failed.

        The single-article counterpart of `run` (used by the HTTP API): same preparation, same coder
        call, same write path.
        """
        pending = self._prepare(article)
        if pending is None:
            return None
        records = self._code_safely(article)
        if isinstance(records, ReadFailure):
            self._fail(records)
            return None
        try:
            result = self.store.add_article(
                article,
                records,
                duplicate_of=pending.duplicate_of,
                similarity=pending.similarity,
                signature=to_signature(pending.signature) if pending.signature is not None else None,
            )
        except LagebildError as exc:
            self._fail(ReadFailure(article.input, f"cannot store the article: {exc}", "store"))
            return None
        self._count(result)
        if result.inserted and pending.signature is not None and self._index is not None:
            self._index.add(article.article_id, pending.signature)
        return result

    def _fail(self, failure: ReadFailure) -> None:
        self.store.record_failure(failure.input, failure.reason, failure.kind)
        self.failures.append(failure)
        self.stats.failures += 1

    def _notify(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.stats)
