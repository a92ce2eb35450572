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
    fields JSON                   -- user metadata (manifest columns) and the source of each value
);

CREATE TABLE IF NOT EXISTS files (
    source_path VARCHAR PRIMARY KEY,
    doc_id VARCHAR,
    size BIGINT,
    mtime DOUBLE,
    file_hash VARCHAR             -- full SHA-256 of the file's bytes
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
    detail VARCHAR
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

-- One row per command that changed or read the corpus, for the provenance of exports.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR,
    command VARCHAR,
    params JSON,
    started VARCHAR,
    finished VARCHAR,
    summary JSON
);
