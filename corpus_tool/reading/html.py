"""HTML pages (gov.cn style): keep the article, drop navigation, scripts, styles and widgets.

The article is the page's content container when a known one is present (gov.cn's
``UCAP-CONTENT``, ``pages_content``, TRS editors, ``<article>``), else the element holding
the most paragraph text. gov.cn's metadata table (发文机关, 成文日期, 发文字号 ...) is read
into ``Extracted.meta["page_fields"]`` for the metadata step.
"""

from __future__ import annotations

import re
from pathlib import Path

from corpus_tool.reading.model import HEADING, PARA, TITLE, Block, Extracted, LogEntry
from corpus_tool.reading.textfile import DEFAULT_MAX_CHARS, TooLongError, decode_text

_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "form", "button", "input",
              "select", "textarea", "nav", "header", "footer", "aside", "canvas", "svg", "template",
              "head", "img", "video", "audio", "map")
# class/id words of page furniture: navigation, share/print widgets, QR codes, related links.
_FURNITURE_RE = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|breadcrumb|crumb|share|bdshare|print|qr|qrcode|erweima|toolbar|tools"
    r"|sidebar|footer|header|banner|related|xgxw|pagination|pager|search|login|copyright|fontsize|zihao)"
    r"($|[-_ \d])",
    re.IGNORECASE,
)
_CONTENT_SELECTORS = ("#UCAP-CONTENT", ".pages_content", "#zoom", ".TRS_Editor", ".TRS_UEDITOR",
                      "#Zoom", ".article-content", ".article_content", "article", "#content", ".content",
                      "main")
# Short lines of widget text that survive in some pages.
_WIDGET_TEXT_RE = re.compile(
    r"^(扫一扫在手机打开当前页|打印本页|关闭窗口|【?字体：?[大中小 ]+】?|分享到[:：]?.*|【(?:打印|关闭)】|"
    r"下载|打印|全屏|收藏|加大|还原|减小|【字号：|】|返回顶部|保存本页|相关链接)$"
)
_PAGE_FIELD_RE = re.compile(r"^(索\s*引\s*号|主题分类|发文机关|成文日期|标\s*题|发文字号|发布日期|主\s*题\s*词)[:：]?$")
_BLOCK_TAGS = {"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "blockquote",
               "pre", "dd", "dt", "center", "tr", "table", "ul", "ol", "article", "caption"}
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _decode_html(data: bytes) -> tuple[str, str]:
    """Decode by BOM, then the page's declared charset, then detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _CHARSET_RE.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            name = "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass  # the declaration lies: detect instead
    return decode_text(data)


def _is_furniture(tag) -> bool:  # type: ignore[no-untyped-def]
    attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(attrs.strip()) and bool(_FURNITURE_RE.search(attrs))


def _page_fields(soup) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """gov.cn's table of 发文机关 / 成文日期 / 发文字号 ...: a label cell followed by a value cell."""
    fields: dict[str, str] = {}
    for cell in soup.find_all(["td", "th"]):
        label = re.sub(r"[\s\u3000\xa0]+", "", cell.get_text())
        if not _PAGE_FIELD_RE.match(label):
            continue
        value_cell = cell.find_next_sibling(["td", "th"])
        if value_cell is None:
            continue
        value = re.sub(r"[\s\xa0]+", " ", value_cell.get_text()).strip()
        key = re.sub(r"[\s:：]+", "", label)
        if value and key not in fields:
            fields[key] = value
    for meta in soup.find_all("meta"):
        name = (meta.get("name") or "").strip()
        if name in ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Description") and meta.get("content"):
            fields.setdefault(f"meta:{name}", meta["content"].strip())
    return fields


def _content_root(soup):  # type: ignore[no-untyped-def]
    for selector in _CONTENT_SELECTORS:
        found = soup.select_one(selector)
        if found is not None and len(found.get_text(strip=True)) >= 50:
            return found
    # The element whose own <p> children hold the most text.
    best, best_len = None, 0
    for el in soup.find_all(["div", "td", "section", "article", "main"]):
        n = sum(len(p.get_text(strip=True)) for p in el.find_all("p", recursive=False))
        if n > best_len:
            best, best_len = el, n
    return best if best is not None else (soup.body or soup)


def _blocks(root) -> list[Block]:  # type: ignore[no-untyped-def]
    """Walk the article in document order; every block element ends a block, <br> ends a line."""
    from bs4 import NavigableString, Tag

    blocks: list[Block] = []
    current: list[str] = []
    kind = [PARA]
    level: list[int | None] = [None]

    def flush() -> None:
        text = "".join(current)
        lines = [line.strip(" \t\r\xa0") for line in text.split("\n")]
        text = "\n".join(line for line in lines if line.strip(" \u3000"))
        if text.strip():
            blocks.append(Block(kind[0], text, level=level[0]))
        current.clear()
        kind[0], level[0] = PARA, None

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "CData", "ProcessingInstruction"):
                    continue
                current.append(re.sub(r"[ \t\r\n]+", " ", str(child)).replace("\xa0", " "))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name == "br":
                    current.append("\n")
                elif name == "tr" and child.find("table") is None:
                    # A data row: its cells on one line (a layout row holding a table is walked).
                    flush()
                    cells = [re.sub(r"[ \t\r\n\xa0]+", " ", c.get_text(" ")).strip()
                             for c in child.find_all(["td", "th"], recursive=False)]
                    current.append(" | ".join(c for c in cells if c))
                    flush()
                elif name in ("td", "th"):
                    if current and "".join(current).strip():
                        current.append(" | ")  # cells of one row stay on one line
                    walk(child)
                elif name in _BLOCK_TAGS:
                    flush()
                    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                        kind[0], level[0] = HEADING, int(name[1])
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(root)
    flush()
    return blocks


def extract_html(path: str | Path, max_chars: int | None = DEFAULT_MAX_CHARS) -> Extracted:
    """Read an HTML page: the article's paragraphs, headings and tables as text blocks."""
    from bs4 import BeautifulSoup, Comment

    path = Path(path)
    data = path.read_bytes()
    text, encoding = _decode_html(data)
    if max_chars is not None and len(text) > 4 * max_chars:  # markup counts, but not without bound
        raise TooLongError(f"page longer than the --max-chars limit (网页超过长度上限): {len(text):,} characters")
    soup = BeautifulSoup(text, "lxml")
    log: list[LogEntry] = []
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    fields = _page_fields(soup)

    removed: dict[str, int] = {}
    for tag in soup.find_all(_DROP_TAGS):
        removed[tag.name] = removed.get(tag.name, 0) + 1
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    furniture = [tag for tag in soup.find_all(True) if tag.attrs is not None and _is_furniture(tag)]
    for tag in furniture:
        if not tag.decomposed:
            removed["widgets"] = removed.get("widgets", 0) + 1
            tag.decompose()
    # gov.cn's metadata table is read above; its cells are not article text.
    for cell in soup.find_all(["td", "th"]):
        if _PAGE_FIELD_RE.match(re.sub(r"[\s\u3000\xa0]+", "", cell.get_text())):
            table = cell.find_parent("table")
            if table is not None and not table.decomposed:
                table.decompose()
                removed["metadata table"] = removed.get("metadata table", 0) + 1
    if removed:
        detail = ", ".join(f"{k} ×{v}" for k, v in sorted(removed.items()))
        log.append(LogEntry("html_removed", sum(removed.values()), detail))

    blocks = _blocks(_content_root(soup))
    n_widgets = 0
    kept: list[Block] = []
    for b in blocks:
        if _WIDGET_TEXT_RE.match(b.text.strip()):
            n_widgets += 1
            continue
        kept.append(Block(b.kind, b.text.strip(" |"), b.page, b.level))
    if n_widgets:
        log.append(LogEntry("html_widget_text_removed", n_widgets))
    blocks = _mark_title(kept, fields.get("标题") or fields.get("meta:ArticleTitle") or page_title)
    meta = {"page_title": page_title, "page_fields": fields}
    if encoding not in ("utf-8", "utf-8-sig"):
        log.insert(0, LogEntry("decoded", len(text), f"encoding {encoding}"))
    return Extracted(blocks=blocks, encoding=encoding, log=log, meta=meta, fmt="html")


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", text)


def _mark_title(blocks: list[Block], known_title: str) -> list[Block]:
    """The first block(s) that spell the page's known title (or the first <h1>) become the title.

    A long title is often set as two or three centred paragraphs; they are joined.
    """
    want = _squash(known_title)
    if want:
        for i in range(min(5, len(blocks))):
            joined = ""
            for j in range(i, min(i + 4, len(blocks))):
                joined += _squash(blocks[j].text)
                if joined == want:
                    text = "".join(b.text.replace("\n", "") for b in blocks[i:j + 1])
                    return [*blocks[:i], Block(TITLE, text, blocks[i].page), *blocks[j + 1:]]
                if not want.startswith(joined):
                    break
    for i, b in enumerate(blocks[:5]):
        if b.kind == HEADING and b.level == 1:
            return [*blocks[:i], Block(TITLE, b.text.replace("\n", ""), b.page), *blocks[i + 1:]]
    return blocks
