"""Make the demo PDF: a two-page policy notice with a running header and page numbers.

Run once by the developers (``python scripts/make_demo_pdf.py``); the PDF is committed so
users need neither reportlab nor a CJK font. It needs the WenQuanYi Micro Hei font
(Debian: fonts-wqy-microhei).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
OUT = Path(__file__).resolve().parents[1] / "corpora" / "demo" / "2023_示例省关于推进数实融合的通知.pdf"
HEADER = "示例省人民政府办公厅文件"
TITLE = "示例省人民政府办公厅关于推进数实融合的通知"
PARAGRAPHS = [
    ("meta", "示政办发〔2023〕8号"),
    ("body", "各市、县人民政府，省政府各部门："),
    ("body", "为推动数字经济和实体经济深度融合，加快建设现代化产业体系，经省政府同意，现就有关事项通知如下。"),
    ("heading", "一、推进制造业数字化转型"),
    ("body", "支持规模以上工业企业开展智能化改造和数字化转型，推广工业互联网平台，到2025年建成智能工厂100家、"
             "数字化车间500个。鼓励龙头企业带动上下游中小企业协同转型，形成一批可复制可推广的典型场景。"),
    ("heading", "二、培育数据要素市场"),
    ("body", "健全数据资源开放共享机制，依法有序推进公共数据授权运营，探索数据资产入表，培育数据经纪、数据评估等"
             "新业态。加强数据安全保护，守住个人信息保护底线。"),
    ("heading", "三、加强组织保障"),
    ("body", "各地区各部门要高度重视，加强统筹协调，细化工作措施，确保各项任务落到实处。省发展改革委、省工业和信息化厅"
             "要会同有关部门加强跟踪评估，重大问题及时报告省政府。"),
    ("body", "示例省人民政府办公厅"),
    ("body", "2023年6月20日"),
]


def wrap(text: str, width: float, size: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(line + ch, "wqy", size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def main() -> None:
    pdfmetrics.registerFont(TTFont("wqy", FONT, subfontIndex=0))
    c = canvas.Canvas(str(OUT), pagesize=A4, invariant=1)
    c.setTitle(TITLE)
    w, h = A4
    left, right, top, bottom, size, pitch = 72, w - 72, h - 90, 430, 12, 22
    page = 1

    def furniture() -> None:
        c.setFont("wqy", 9)
        c.drawCentredString(w / 2, h - 50, HEADER)
        c.drawCentredString(w / 2, 40, f"- {page} -")

    furniture()
    y = top
    c.setFont("wqy", 18)
    c.drawCentredString(w / 2, y, TITLE)
    y -= 40
    for kind, text in PARAGRAPHS:
        indent = 2 * size if kind == "body" else 0
        font_size = 14 if kind == "heading" else size
        for i, line in enumerate(wrap(text, right - left - indent, font_size)):
            if y < bottom:
                c.showPage()
                page += 1
                furniture()
                y = top
            c.setFont("wqy", font_size)
            x = left + (indent if i == 0 else 0)
            if kind == "meta":
                c.drawCentredString(w / 2, y, line)
            else:
                c.drawString(x, y, line)
            y -= pitch
        y -= 6
    c.save()


if __name__ == "__main__":
    main()
