-- corpus-tool database schema (DuckDB). One file holds the whole corpus.
-- Documents are keyed by doc_id = first 16 hex digits of the SHA-256 of the source file's bytes.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,
    source_path VARCHAR,          -- first path this content was read from (see files for all)
    title VARCHAR,
    year INTEGER,
    date VARCHAR,                 -- ISO date YYYY-MM-DD, or YYYY-MM / YYYY when only that is known
    issuer VARCHAR,
    doc_number VARCHAR,           -- 发文字号, normalised: 国发〔2024〕1号
    doc_type VARCHAR,             -- 通知, 意见, 办法, 报告, article ...
    abstract VARCHAR,
    keywords VARCHAR,             -- joined with '；'
    n_chars INTEGER,
    authors VARCHAR,              -- joined with '；'
    format VARCHAR,               -- pdf, txt, md, html, docx ...
    encoding VARCHAR,
    script VARCHAR,               -- simplified | traditional | mixed
    n_pages INTEGER,
    scanned_pages VARCHAR,        -- comma-separated page numbers with no text layer
    canonical_id VARCHAR,         -- set when this document is a near duplicate of another
    similarity DOUBLE,            -- estimated similarity to canonical_id
    fields JSON,                  -- user metadata (manifest or table columns) and other labelled fields
    sources JSON,                 -- where each value came from: {"year": "content:成文日期", "issuer": "manifest"}
    classification VARCHAR,       -- 中图分类号 of a journal article
    doi VARCHAR
);

CREATE TABLE IF NOT EXISTS files (
    source_path VARCHAR PRIMARY KEY,  -- a file, or one row of a table file: data.csv#row=2
    doc_id VARCHAR,
    size BIGINT,
    mtime DOUBLE,
    file_hash VARCHAR,            -- full SHA-256 of the file's bytes
    file_path VARCHAR,            -- the file on disk (differs from source_path for table rows)
    settings VARCHAR              -- hash of the options and manifest row the file was read with
);

CREATE TABLE IF NOT EXISTS sections (
    doc_id VARCHAR,
    section_no INTEGER,
    level INTEGER,
    title VARCHAR,
    parent_no INTEGER,
    PRIMARY KEY (doc_id, section_no)
);

-- Every text unit of a document in reading order. field: title | abstract | keywords | heading | body
CREATE TABLE IF NOT EXISTS paragraphs (
    doc_id VARCHAR,
    para_no INTEGER,
    section_no INTEGER,
    section_title VARCHAR,
    text VARCHAR,
    field VARCHAR,
    page INTEGER,
    source VARCHAR,               -- 'text', 'ocr' (read by OCR: check it against the page) or 'mixed'
    ocr_confidence DOUBLE,        -- mean tesseract word confidence (0-100) of its OCR glyphs; NULL for text
    PRIMARY KEY (doc_id, para_no)
);

CREATE TABLE IF NOT EXISTS citations (
    doc_id VARCHAR,
    para_no INTEGER,
    number INTEGER,
    page VARCHAR,
    "offset" INTEGER
);

CREATE TABLE IF NOT EXISTS footnotes (
    doc_id VARCHAR,
    footnote_no INTEGER,
    page INTEGER,
    text VARCHAR
);

-- Tables read from the documents (PDF ruled tables), one row per cell; their text is not in paragraphs.
-- row/col are 1-based; a merged cell is stored once, at its top-left position, with its spans.
CREATE TABLE IF NOT EXISTS tables (
    doc_id VARCHAR,
    table_no INTEGER,             -- 1-based in document order
    page INTEGER,
    "row" INTEGER,
    col INTEGER,
    row_span INTEGER,
    col_span INTEGER,
    text VARCHAR,                 -- '' for an empty cell
    n_rows INTEGER,               -- the table's grid size
    n_cols INTEGER,
    source VARCHAR                -- 'text' (the PDF's text layer) or 'ocr' (read by OCR: check it against the page)
);

-- The cleaning log: what each step changed in each document.
CREATE TABLE IF NOT EXISTS log (
    doc_id VARCHAR,
    source_path VARCHAR,
    step VARCHAR,
    count INTEGER,
    detail VARCHAR
);

-- Files that could not be ingested, with the reason. Cleared for a path when it later succeeds.
CREATE TABLE IF NOT EXISTS errors (
    source_path VARCHAR PRIMARY KEY,
    error VARCHAR,
    detail VARCHAR,
    file_hash VARCHAR,            -- an unchanged failing file is not retried (ingest --retry-failed does)
    settings VARCHAR
);

-- Values where the user's metadata (a manifest row, a table's columns) and the text disagree. The
-- user's value is the one stored in documents; the text's value and where it was read are kept here.
CREATE TABLE IF NOT EXISTS metadata_conflicts (
    doc_id VARCHAR,
    source_path VARCHAR,
    field VARCHAR,                -- title | year | date | issuer | doc_number | authors
    manifest_value VARCHAR,       -- used
    manifest_source VARCHAR,      -- manifest.csv line 3, or table
    text_value VARCHAR,           -- not used
    text_source VARCHAR           -- content:成文日期, filename ...
);

-- MinHash signature of each document's normalised text, for near-duplicate detection.
CREATE TABLE IF NOT EXISTS signatures (
    doc_id VARCHAR PRIMARY KEY,
    minhash BLOB,                 -- 128 little-endian uint32 (datasketch, scheme affine32, seed 1)
    n_shingles INTEGER
);

-- Documents that forward (转发), issue (印发) or approve and forward (批转) another document.
CREATE TABLE IF NOT EXISTS relations (
    doc_id VARCHAR,               -- the forwarding notice
    relation VARCHAR,             -- 转发 | 印发 | 批转
    title VARCHAR,                -- the forwarded document's title
    issuer VARCHAR,
    doc_type VARCHAR,
    doc_number VARCHAR,
    target_doc_id VARCHAR         -- the forwarded document, when it is in the corpus too
);

-- Tokens of the current segmentation (see segmentations.current).
CREATE TABLE IF NOT EXISTS tokens (
    doc_id VARCHAR,
    para_no INTEGER,
    position INTEGER,             -- 0-based token index within the paragraph
    token VARCHAR,
    pos VARCHAR,
    start INTEGER,                -- character offset of the token in the paragraph text
    is_stop BOOLEAN
);

-- Segmentation settings; exactly one row is current.
CREATE TABLE IF NOT EXISTS segmentations (
    seg_id VARCHAR PRIMARY KEY,   -- hash of the settings and of every dictionary's content
    settings JSON,
    corpus_fingerprint VARCHAR,
    current BOOLEAN
);

-- The SHA-256 of each file on disk when it was last hashed, with its stat then: a re-ingest trusts the hash
-- without reading the file when size, mtime, ctime and inode are all the same (`ingest --rehash` reads every
-- file). Only stats older than two seconds are kept, so that a change within the same timestamp tick is not
-- missed. A cache: losing a row only costs hashing that file again.
CREATE TABLE IF NOT EXISTS file_stats (
    file_path VARCHAR PRIMARY KEY,
    stat VARCHAR,                 -- size:mtime_ns:ctime_ns:inode
    file_hash VARCHAR
);

-- One row per command that changed or read the corpus, for the provenance of exports.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR,
    command VARCHAR,
    params JSON,
    started VARCHAR,
    finished VARCHAR,
    summary JSON
);
