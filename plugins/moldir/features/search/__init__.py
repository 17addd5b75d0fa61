"""Search: a static Pagefind index of the whole built portal, and the /search/ page.

Two handlers, connected by :func:`connect` (``"moldir.features.search"`` in ``FEATURES``),
and the page (``pages.py``, connected when pages are written):

- ``portal_loaded`` → :func:`add_search_terms`: the distinct names found in each
  dataset's text columns (bodies, regions, survey groups), so that searching for a body
  finds every dataset with rows about it, not only those whose preview shows it, and the
  years the dataset covers (the "year" filter).
- ``page_writers`` → ``pages.write_search_page``: ``search/index.html`` in every
  language run (template ``search.html``); ``template_helpers`` → the ``kazakh_folded``
  filter.
- ``site_built`` → :func:`index_built_site`: Pagefind indexes the staging folder once,
  after every language was built and before the swap, into ``<site>/pagefind/``.
  Pagefind writes one index per ``<html lang>``, so each language searches its own pages.

What is indexed is decided in the templates (``data-pagefind-body`` on the pages worth
finding; filters, metadata and sort keys in ``components/_search_box.html``); see
docs/search.md.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moldir.incremental.store import per_dataset
from moldir.model.safety import output_path, safe_name
from moldir.pipeline import labels, progress, signals
from moldir.pipeline.portal import Portal, PublishedDataset

logger = logging.getLogger(__name__)

# Folder of the search bundle inside the site (Pagefind's default; the page links to it).
BUNDLE_DIR = "pagefind"
# Key of the search feature's results in ``PublishedDataset.extras``.
SEARCH_EXTRAS = "search"
# Pages sent to Pagefind ahead of its answers (see write_index).
PAGES_IN_FLIGHT = 32
# A coverage longer than this lists its first years only (one filter value per year).
MAX_YEARS = 50
# Text columns with more distinct values than this hold free text or identifiers, not
# names people search for.
MAX_DISTINCT_PER_FIELD = 300
# Longer cells are sentences (notes, comments), which the preview already shows.
MAX_TERM_LENGTH = 120
# A cap per dataset keeps each page's share of the index small on large portals.
MAX_TERMS_PER_DATASET = 1000


class SearchIndexError(RuntimeError):
    """Pagefind failed or indexed nothing: the build stops and output/ is left as it was."""


@dataclass(frozen=True)
class IndexSummary:
    """What Pagefind wrote: the bundle folder and the pages indexed per language."""

    bundle: Path
    pages: dict[str, int]

    @property
    def total_pages(self) -> int:
        return sum(self.pages.values())


# --- search terms of datasets -------------------------------------------------------


def search_terms(published: PublishedDataset) -> list[str]:
    """Distinct short values of the dataset's text columns, in order of appearance, each
    followed by its labels in the dataset's languages (labels.py), so that a body is found
    by its name in Kazakh and Russian too."""
    terms: dict[str, None] = {}
    languages = labels.label_languages(labels.descriptor_of(published.dataset))
    for resource in published.dataset.resources:
        table = published.tables.get(resource.name)
        if table is None:
            continue
        for field in resource.fields:
            if field.type != "string" or field.name not in table.columns:
                continue
            values = table[field.name].dropna().astype(str).str.strip()
            distinct = [v for v in dict.fromkeys(values) if v and len(v) <= MAX_TERM_LENGTH]
            if len(distinct) > MAX_DISTINCT_PER_FIELD:
                continue
            names = [
                labels.value_labels(published.dataset, resource, field, lang) for lang in languages
            ]
            for value in distinct:
                for term in (value, *(found[value] for found in names if value in found)):
                    terms.setdefault(term, None)
                if len(terms) >= MAX_TERMS_PER_DATASET:
                    return list(terms)
    return list(terms)


def coverage_years(temporal: dict[str, Any]) -> list[int]:
    """Every year of a dataset's ``temporal`` coverage (the "year" filter), oldest first."""
    start = str(temporal.get("start") or "")[:4]
    end = str(temporal.get("end") or start)[:4]
    if not (start.isdigit() and end.isdigit()) or int(end) < int(start):
        return []
    return list(range(int(start), min(int(end), int(start) + MAX_YEARS - 1) + 1))


def add_search_terms(portal: Portal) -> None:
    """``portal_loaded`` receiver: ``extras["search"]`` of every dataset: the ``terms``
    to index and the ``years`` it covers (see ``search_index`` in _search_box.html)."""
    for published in progress.progress("search terms", portal.datasets):
        # Reading every text column is slow on big tables: cached with the dataset.
        terms = per_dataset(published.dataset, "search terms", lambda p=published: search_terms(p))
        published.extras[SEARCH_EXTRAS] = {
            "terms": terms,
            "years": coverage_years(published.temporal),
        }


# --- Kazakh typed without Kazakh letters -------------------------------------------

# People often type Kazakh on a Russian keyboard, with the nearest Cyrillic letter. Pagefind
# folds diacritics, but the Kazakh letters have no Unicode decomposition: "кала" would not
# find "қала". Pages therefore also index the folded spelling of their Kazakh words.
KAZAKH_FOLDING = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_WORD = re.compile(r"\w+")


def folded_kazakh_words(text: str) -> str:
    """The distinct words of ``text`` that contain Kazakh letters, spelled without them
    ("Әкімдіктердегі қабылдау" → "акимдиктердеги кабылдау"); "" when there are none."""
    words: dict[str, None] = {}
    for word in _WORD.findall(str(text or "")):
        folded = word.translate(KAZAKH_FOLDING)
        if folded != word:
            words.setdefault(folded.lower(), None)
    return " ".join(words)


# --- the index ----------------------------------------------------------------------

# Pagefind's command line (``--site``) numbers pages in the order its directory walk meets
# them, which is the file system's order (creation order on tmpfs, a hash order on ext4), so
# the same site gave other index files on another disk or after an incremental build. Pages
# are therefore given to Pagefind's service mode one by one, in the order of their paths.
# Pagefind then still writes filters from Rust hash maps seeded at random in each process:
# :func:`reproducible_bundle` puts those in order (docs/search.md, "Reproducible index").


def pagefind_binary() -> Path:
    """The Pagefind executable of the ``pagefind[bin]`` package (or ``PAGEFIND_BINARY_PATH``)."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise SearchIndexError(
            "the Pagefind binary is missing: install the project's dependencies "
            "(pagefind[bin]) or set PAGEFIND_BINARY_PATH"
        )
    return Path(binary)


def html_pages(site: Path, bundle_dir: str = BUNDLE_DIR) -> list[str]:
    """Every ``.html`` file of ``site`` outside the bundle folder, as relative POSIX paths
    in code-point order (the order Pagefind numbers them in)."""
    root = str(site)
    pages: list[str] = []
    for folder, subfolders, files in os.walk(root):
        if folder == root:
            subfolders[:] = [name for name in subfolders if name != bundle_dir]
            prefix = ""
        else:
            prefix = folder[len(root) + 1 :].replace(os.sep, "/") + "/"
        pages += [prefix + name for name in files if name.endswith(".html")]
    return sorted(pages)


_BODY_MARK = re.compile(rb"data-pagefind-body", re.IGNORECASE)


def pages_to_index(site: Path, pages: list[str]) -> list[str]:
    """The pages Pagefind would index: once one page has ``data-pagefind-body``, pages
    without it are skipped, so they are not even sent (on the example portal two pages in
    three are chart embeds, listings and other pages without it)."""
    marked = [page for page in pages if _BODY_MARK.search((site / page).read_bytes())]
    return marked or pages


# --- the text Pagefind is given ------------------------------------------------------

# Pagefind ends a sentence after a paragraph, list item, table data cell or div, but joins
# other elements' text without a space: a summary list read "Keywordscitizens' appeals"
# and table headers "202020212022-Q1" in result snippets. A form control's value is not
# page text: the embed code in a chart's <textarea> showed as "<iframe src=…>". The page
# is therefore given to Pagefind with terms and values separated and form controls left
# out; the published page itself is not changed.
_FORM_CONTROLS = re.compile(
    r"<(textarea|select|template)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
# A term of a description list ends with a colon, unless its text already does.
_TERM_END = re.compile(r"(?<![:：\s])(\s*)</dt\s*>", re.IGNORECASE)
# Other elements whose text stands apart from what follows it on the page; a value at the
# end of a row <div> is already ended by Pagefind (a full stop), which reads better.
_SEPARATE_END = re.compile(
    r"</(?:dd(?!\s*>\s*</div)|th|caption|figcaption|summary|legend|label|button)\s*>",
    re.IGNORECASE,
)


def indexable_html(html: str) -> str:
    """The page as Pagefind should read it: without form controls (an embed code in a
    ``<textarea>`` is markup, not text), each description-list term followed by a colon
    and a space ("Keywords: citizens' appeals"), and a space after header cells, captions
    and the like, whose text Pagefind would otherwise run into the next element's."""
    html = _FORM_CONTROLS.sub("", html)
    html = _TERM_END.sub(r"\1</dt>: ", html)
    return _SEPARATE_END.sub(lambda match: match.group(0) + " ", html)


class PagefindService:
    """The Pagefind binary in ``--service`` mode.

    The protocol of Pagefind's own Python and Node wrappers: each message is JSON in base64
    followed by a comma, answered in order. Not the ``pagefind`` package's client: it polls
    for answers every 0.1 s (minutes for a large portal's pages) and kills the process as
    soon as ``WriteFiles`` is answered, which once left ``pagefind-entry.json`` incomplete.
    Here the files are asked for instead (:func:`index_files`).
    """

    def __init__(self, binary: Path, cwd: Path):
        # Pagefind's messages, in a file so that a full pipe can never block it; closed
        # by close().
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                [str(binary), "--service"],
                cwd=cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
            )
        except OSError as error:
            self._errors.close()
            raise SearchIndexError(f"Pagefind could not run: {error}") from error
        self._last_id = 0
        self._buffer = bytearray()

    def send(self, payload: dict[str, Any]) -> int:
        """Send one request without waiting for its answer; returns its message id.

        Pagefind reads its input in a thread of its own, into a queue, so a write never
        waits for it to answer; see :meth:`answer`."""
        self._last_id += 1
        message = json.dumps({"message_id": self._last_id, "payload": payload})
        try:
            self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self._process.stdin.flush()
        except OSError as error:  # the process has ended
            raise SearchIndexError(self._failure()) from error
        return self._last_id

    def answer(self, message_id: int) -> dict[str, Any]:
        """The payload of the answer to ``message_id`` (answers come in the order the
        requests were sent); an ``Error`` answer or the end of the process raises
        :class:`SearchIndexError`."""
        while True:
            message = self._read_message()
            if message.get("message_id") == message_id:
                break
        result = message.get("payload") or {}
        if result.get("type") == "Error":
            raise SearchIndexError(f"Pagefind: {result.get('message')}")
        return result

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its answer."""
        return self.answer(self.send(payload))

    def _read_message(self) -> dict[str, Any]:
        searched = 0
        while (end := self._buffer.find(b",", searched)) < 0:
            searched = len(self._buffer)
            chunk = self._process.stdout.read1(1 << 20)
            if not chunk:
                raise SearchIndexError(self._failure())
            self._buffer += chunk
        token = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        try:
            return json.loads(base64.b64decode(token, validate=True))
        except ValueError:
            return {}  # not a message: something Pagefind printed

    def _failure(self) -> str:
        code = self._process.wait()
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip()[-2000:]
        return f"Pagefind stopped (exit {code})" + (f": {said}" if said else "")

    def close(self) -> None:
        """End the service (it exits when its input ends)."""
        with contextlib.suppress(OSError):  # already ended
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()
        self._errors.close()


def index_files(site: Path, pages: list[str]) -> dict[str, bytes]:
    """Pagefind's bundle for ``pages`` of ``site`` (added in the order given): file paths
    relative to the bundle folder → contents.

    The files are asked for with ``GetFiles`` and written by Moldir: Pagefind's
    ``WriteFiles`` answers before its writes are on disk (it leaves them to background
    threads without waiting), and the process exits as soon as its input ends, so a file
    such as ``pagefind-entry.json`` could be found empty."""
    service = PagefindService(pagefind_binary(), site)
    try:
        index_id = service.request({"type": "NewIndex", "config": None})["index_id"]
        # Requests go ahead of the answers (a few dozen at most, to bound what waits in
        # Pagefind's queue), so that Pagefind never waits for this process between pages.
        waiting: collections.deque[tuple[int, str]] = collections.deque()
        for number, page in enumerate(pages, start=1):
            content = indexable_html((site / page).read_text(encoding="utf-8", errors="replace"))
            request = {
                "type": "AddFile",
                "index_id": index_id,
                "file_path": page,
                "url": None,
                "file_contents": content,
            }
            waiting.append((service.send(request), page))
            while waiting and (len(waiting) >= PAGES_IN_FLIGHT or number == len(pages)):
                message_id, added = waiting.popleft()
                try:
                    service.answer(message_id)
                except SearchIndexError as error:
                    raise SearchIndexError(f"{site / added}: {error}") from error
        try:
            answer = service.request({"type": "GetFiles", "index_id": index_id})
        except SearchIndexError as error:
            # Pagefind exits when no page had anything to index.
            raise SearchIndexError(
                f"Pagefind indexed no page of {site} ({error}): no page, or no template "
                "marks its content with data-pagefind-body"
            ) from error
    finally:
        service.close()
    try:
        return {item["path"]: base64.b64decode(item["content"]) for item in answer["files"]}
    except (KeyError, TypeError, ValueError) as error:
        raise SearchIndexError(f"Pagefind answered GetFiles with {error!r}") from error


def build_index(site: Path, bundle_dir: str = BUNDLE_DIR) -> IndexSummary:
    """Index every HTML page of ``site`` with Pagefind into ``site/<bundle_dir>/``.

    Runs the Pagefind binary of the ``pagefind[bin]`` package (nothing is downloaded),
    adds the pages in path order, checks that every file the bundle refers to is there,
    makes its file names and bytes independent of the run (:func:`reproducible_bundle`)
    and only then replaces an older bundle. Raises :class:`SearchIndexError` when
    Pagefind fails, leaves the bundle incomplete or finds no page.
    """
    site = Path(site).resolve()
    pages = html_pages(site, bundle_dir)
    if not pages:
        raise SearchIndexError(f"Pagefind indexed no page of {site}: it has no HTML page")
    files = index_files(site, pages_to_index(site, pages))
    try:
        files = reproducible_bundle(files)
    except BundleFormatError as error:
        # The search still works; only the file names change from build to build.
        logger.warning("Moldir search: the index is kept as Pagefind made it: %s", error)
    bundle = output_path(site, bundle_dir)
    written = output_path(site, f".{bundle_dir}.building-{os.getpid()}")
    shutil.rmtree(written, ignore_errors=True)
    try:
        write_files(written, files)
        shutil.rmtree(bundle, ignore_errors=True)
        written.rename(bundle)
    finally:
        shutil.rmtree(written, ignore_errors=True)
    summary = read_summary(bundle)
    if summary.total_pages == 0:
        raise SearchIndexError(
            f"Pagefind indexed no page of {site}: no template marks its content with "
            "data-pagefind-body"
        )
    return summary


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative POSIX paths → contents) into ``folder``. Each folder is
    checked with ``output_path`` once and each name to be a plain file name, rather than
    resolving 9,000 paths one by one."""
    checked: dict[tuple[str, ...], Path] = {}
    for name in sorted(files):
        *parents, base = parts = name.split("/")
        if not all(safe_name(part) for part in parts):
            raise SearchIndexError(f"Pagefind named a file {name!r}")
        key = tuple(parents)
        if key not in checked:
            checked[key] = output_path(folder, *parents)
            checked[key].mkdir(parents=True, exist_ok=True)
        (checked[key] / base).write_bytes(files[name])


def read_summary(bundle: Path) -> IndexSummary:
    """Pages per language, from the bundle's ``pagefind-entry.json``."""
    entry = bundle / "pagefind-entry.json"
    if not entry.is_file():
        raise SearchIndexError(f"Pagefind wrote no {entry}")
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    return IndexSummary(
        bundle=bundle,
        pages={lang: int(info.get("page_count", 0)) for lang, info in languages.items()},
    )


# --- a reproducible bundle ------------------------------------------------------------

# What Pagefind puts before the CBOR of each index file, inside the gzip stream.
PAGEFIND_MARK = b"pagefind_dcd"


class BundleFormatError(ValueError):
    """A bundle file is not in the form Moldir knows (another Pagefind version)."""


def pagefind_hash(payload: bytes) -> str:
    """Pagefind's content hash (its ``full_hash``): SHA-1, each byte in hex without its
    leading zero. File names are ``<lang>_`` and the first characters of it."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(payload).digest())


def cbor_encode(value: Any) -> bytes:
    """The CBOR subset Pagefind's index files use (minicbor's shortest forms): unsigned and
    negative integers, text, byte strings, arrays, maps, null and booleans."""
    out = bytearray()

    def head(major: int, number: int) -> None:
        if number < 24:
            out.append(major << 5 | number)
        elif number < 1 << 8:
            out.extend((major << 5 | 24, number))
        elif number < 1 << 16:
            out.append(major << 5 | 25)
            out.extend(number.to_bytes(2, "big"))
        elif number < 1 << 32:
            out.append(major << 5 | 26)
            out.extend(number.to_bytes(4, "big"))
        else:
            out.append(major << 5 | 27)
            out.extend(number.to_bytes(8, "big"))

    def encode(item: Any) -> None:
        if item is None or isinstance(item, bool):
            out.append({None: 0xF6, False: 0xF4, True: 0xF5}[item])
        elif isinstance(item, int):
            head(0, item) if item >= 0 else head(1, -1 - item)
        elif isinstance(item, str):
            data = item.encode("utf-8")
            head(3, len(data))
            out.extend(data)
        elif isinstance(item, bytes):
            head(2, len(item))
            out.extend(item)
        elif isinstance(item, list):
            head(4, len(item))
            for element in item:
                encode(element)
        elif isinstance(item, dict):
            head(5, len(item))
            for key, element in item.items():
                encode(key)
                encode(element)
        else:
            raise BundleFormatError(f"cannot encode {type(item).__name__} as CBOR")

    encode(value)
    return bytes(out)


def cbor_decode(data: bytes) -> Any:
    """The value :func:`cbor_encode` writes; anything else raises BundleFormatError."""
    position = 0

    def take(count: int) -> bytes:
        nonlocal position
        if position + count > len(data):
            raise BundleFormatError("truncated CBOR")
        chunk = data[position : position + count]
        position += count
        return chunk

    def decode() -> Any:
        initial = take(1)[0]
        major, info = initial >> 5, initial & 0x1F
        if major == 7:
            simple = {20: False, 21: True, 22: None}
            if info not in simple:
                raise BundleFormatError(f"CBOR simple value or float {info}")
            return simple[info]
        if info < 24:
            number = info
        elif info <= 27:
            number = int.from_bytes(take(1 << (info - 24)), "big")
        else:
            raise BundleFormatError("indefinite-length CBOR")
        if major == 0:
            return number
        if major == 1:
            return -1 - number
        if major == 2:
            return take(number)
        if major == 3:
            return take(number).decode("utf-8")
        if major == 4:
            return [decode() for _ in range(number)]
        if major == 5:
            return {decode(): decode() for _ in range(number)}
        raise BundleFormatError(f"CBOR tag {number}")

    value = decode()
    if position != len(data):
        raise BundleFormatError("bytes after the CBOR value")
    return value


def unpack(data: bytes) -> Any:
    """The value of a gzipped index file, checked to encode back to the same bytes (so
    rewriting it changes only what Moldir reorders)."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise BundleFormatError(f"not gzip: {error}") from error
    if not raw.startswith(PAGEFIND_MARK):
        raise BundleFormatError("no pagefind_dcd mark")
    payload = raw[len(PAGEFIND_MARK) :]
    value = cbor_decode(payload)
    if cbor_encode(value) != payload:
        raise BundleFormatError("CBOR not in the shortest form Moldir writes")
    return value


def pack(value: Any) -> tuple[bytes, bytes]:
    """(CBOR payload, file bytes): gzip with no time stamp, as Pagefind writes."""
    payload = cbor_encode(value)
    return payload, gzip.compress(PAGEFIND_MARK + payload, compresslevel=9, mtime=0)


def _pairs(value: Any, second: type, what: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], str)
        and isinstance(item[1], second)
        for item in value
    ):
        raise BundleFormatError(f"unexpected {what}")
    return value


def referenced(files: dict[str, bytes], name: str, whole: bool = True) -> bytes:
    """A file the bundle refers to, checked to be there (and to decompress)."""
    data = files.get(name)
    if data is None:
        raise SearchIndexError(f"Pagefind's bundle is incomplete: there is no {name}")
    if whole:
        try:
            gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise SearchIndexError(
                f"Pagefind's bundle is incomplete: {name} is cut short"
            ) from error
    return data


def reproducible_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's bundle (file paths → contents), checked to be complete, with what its
    hash maps left in random order put in order.

    Pagefind writes each filter's values, the list of filters and of sort keys in its
    per-language ``pagefind.<hash>.pf_meta``, and the languages of
    ``pagefind-entry.json`` in the order of Rust hash maps, whose seed is random in each
    process; the filter and meta files are named by hashes of their content, so their
    names changed on every run. Here filter values are sorted by value, filters and sort
    keys by name, languages by code, and the rewritten files renamed by Pagefind's own
    hash. Words, fragments and page numbers are already stable (pages are added in path
    order). Raises :class:`SearchIndexError` if a file the bundle refers to (meta, page
    fragment, word index chunk, filter) is missing or cut short, and
    :class:`BundleFormatError` if a file is not in the form this expects.
    """
    files = dict(files)
    try:
        entry = json.loads(referenced(files, "pagefind-entry.json", whole=False))
        items = sorted(entry["languages"].items())
        meta_names = [f"pagefind.{info['hash']}.pf_meta" for _, info in items]
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise BundleFormatError(f"pagefind-entry.json: {error!r}") from error
    for (lang, info), meta_name in zip(items, meta_names, strict=True):
        meta = unpack(referenced(files, meta_name))
        del files[meta_name]
        if not isinstance(meta, list) or len(meta) < 5:
            raise BundleFormatError(f"{meta_name}: unexpected structure")
        for page, _ in _pairs(meta[1], int, f"{meta_name} pages"):
            referenced(files, f"fragment/{page}.pf_fragment", whole=False)
        if not isinstance(meta[2], list) or not all(
            isinstance(chunk, list) and len(chunk) == 3 for chunk in meta[2]
        ):
            raise BundleFormatError(f"{meta_name}: unexpected index chunks")
        for chunk in meta[2]:
            referenced(files, f"index/{chunk[2]}.pf_index", whole=False)
        filters = []
        used: set[str] = set()
        for name, old_hash in sorted(_pairs(meta[3], str, f"{meta_name} filters")):
            old_name = f"filter/{old_hash}.pf_filter"
            content = unpack(referenced(files, old_name))
            del files[old_name]
            if not (isinstance(content, list) and len(content) == 2):
                raise BundleFormatError(f"{old_name}: unexpected structure")
            content[1] = sorted(_pairs(content[1], list, f"{old_name} values"), key=lambda v: v[0])
            payload, packed = pack(content)
            full = f"{lang}_{pagefind_hash(payload)}"
            # As Pagefind does: a longer name when two files of a language share a prefix.
            length = len(lang) + 8
            while full[:length] in used and length < len(full):
                length += 1
            used.add(full[:length])
            files[f"filter/{full[:length]}.pf_filter"] = packed
            filters.append([name, full[:length]])
        meta[3] = filters
        meta[4] = sorted(_pairs(meta[4], list, f"{meta_name} sorts"), key=lambda s: s[0])
        payload, packed = pack(meta)
        info["hash"] = f"{lang}_{pagefind_hash(payload)[: len(lang) + 8]}"
        files[f"pagefind.{info['hash']}.pf_meta"] = packed
    entry["languages"] = dict(items)
    files["pagefind-entry.json"] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    return files


def index_built_site(staging: Path, settings: dict[str, Any] | None = None, **_: Any) -> None:
    """``site_built`` receiver: index the whole staging folder (every language)."""
    summary = build_index(Path(staging))
    logger.info(
        "Moldir search: %d pages indexed (%s)",
        summary.total_pages,
        ", ".join(f"{lang}: {count}" for lang, count in sorted(summary.pages.items())),
    )


def connect() -> None:
    """Connect the search feature (idempotent: blinker keeps one connection per receiver)."""
    signals.portal_loaded.connect(add_search_terms)
    signals.site_built.connect(index_built_site)
