"""Synthetic documents for the EPUB and HTML writer tests: the awkward inputs a corpus holds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st
from lxml import etree

from convert import typography
from convert.model import (
    Block,
    Document,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Metadata,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    plain_text,
    text_paragraph,
    walk_blocks,
)

XHTML = "{http://www.w3.org/1999/xhtml}"
MARKUP_TEXT = "<script>alert(1)</script> R&D &amp; &nbsp; ]]> <![CDATA[x]]> <<条例>> A<B & C> \"引号\" 'x' <!-- c -->"
CONTROL_TEXT = "控制\x00字符\x01在\x08这\x0b里\x0c\x1f结束\ufffe\uffff。C1:\x85\x9f"
EXT_B_TEXT = "𠮷野家的𩸽鱼，还有㐀㑇（扩展A）与𪚥。"


def make_pictures(folder: Path) -> dict[str, Path]:
    """Small real pictures, and broken ones, under ``folder``."""
    from PIL import Image as PILImage

    folder.mkdir(parents=True, exist_ok=True)
    pictures: dict[str, Path] = {}
    img = PILImage.new("RGB", (64, 48), (200, 30, 30))
    for name, fmt in (("photo.jpg", "JPEG"), ("chart.png", "PNG"), ("anim.gif", "GIF"), ("scan.bmp", "BMP")):
        img.save(folder / name, fmt)
        pictures[name] = folder / name
    # A PNG saved under a .jpg name, as crawlers do: the type must come from the bytes.
    img.save(folder / "png_named.jpg", "PNG")
    pictures["png_named.jpg"] = folder / "png_named.jpg"
    data = (folder / "photo.jpg").read_bytes()
    (folder / "truncated.jpg").write_bytes(data[: len(data) // 2])
    pictures["truncated.jpg"] = folder / "truncated.jpg"
    (folder / "not_a_picture.jpg").write_bytes(b"<html>404 Not Found</html>")
    pictures["not_a_picture.jpg"] = folder / "not_a_picture.jpg"
    return pictures


def synthetic_documents(pictures: dict[str, Path]) -> dict[str, Document]:
    """name -> document; each exercises one kind of bad or rich input."""

    def meta(title: str, source: str, **kw: object) -> Metadata:
        return Metadata(title=title, source=source, **kw)  # type: ignore[arg-type]

    p = {k: str(v) for k, v in pictures.items()}
    deep_block: Block = text_paragraph("最深处的段落")
    for level in range(300):
        deep_block = Quote((deep_block,)) if level % 2 else ListBlock(False, ((deep_block,),))
    deep_inline: tuple[Inline, ...] = (Text("最深处的文字"),)
    for _ in range(300):
        deep_inline = (Strong(deep_inline),)
    return {
        "deep": Document(meta(title="嵌套很深", source="deep.txt"), (deep_block, Paragraph(deep_inline))),
        "empty_body": Document(meta(title="只有标题的文章", source="空/只有标题的文章.txt")),
        "empty_everything": Document(Metadata()),
        "markup_text": Document(
            meta(title="<b>标题</b> & ]]> <script>", source="markup.txt"),
            (text_paragraph(MARKUP_TEXT), text_paragraph("第二段：&lt;p&gt; 不是标签")),
        ),
        "control_chars": Document(
            meta(title="控制\x07字符", source="control.txt"),
            (text_paragraph(CONTROL_TEXT), Image("图片/\x01.jpg", None, "alt\x02")),
        ),
        "ext_b": Document(meta(title="生僻字𠮷", source="extb.txt"), (text_paragraph(EXT_B_TEXT),)),
        "pictures": Document(
            meta(title="有图片的文章", source="网络聚焦/本市新闻/2019-09-30/图片文章.txt",
                 category=("网络聚焦", "本市新闻"), date="2019-09-30"),
            (
                text_paragraph("第一段。"),
                Image("图片/0.jpg", p["photo.jpg"], "图1"),
                text_paragraph("第二段。"),
                Image("图片/1.jpg", p["png_named.jpg"]),
                Image("图片/2.jpg", p["chart.png"]),
                Image("图片/3.jpg", p["anim.gif"]),
                Image("图片/4.jpg", p["scan.bmp"]),
                text_paragraph("最后一段。"),
            ),
        ),
        "bad_pictures": Document(
            meta(title="图片缺失的文章", source="bad_pictures.txt", date="--08-29"),
            (
                text_paragraph("缺失的图片之前。"),
                Image("图片/0.jpg", None),
                Image("图片/1.jpg", p["truncated.jpg"]),
                Image("图片/2.jpg", p["not_a_picture.jpg"]),
                Image("图片/3.jpg", str(Path(p["photo.jpg"]).parent / "gone.jpg")),
                text_paragraph("之后。"),
            ),
        ),
        "rich": Document(
            meta(title="结构丰富的文章", source="rich.txt", category=("不忘初心牢记使命", "学习教育")),
            (
                Heading(1, (Text("一、小标题"),)),
                Paragraph((Text("这是"), Strong((Text("加粗"),)), Text("和"), Emphasis((Text("强调"),)),
                           Text("，链接"), Link((Text("新华网"),), "http://www.xinhuanet.com/a b?x=1&y=2"),
                           Text("，相对链接"), Link((Text("本地"),), "../other.html"),
                           Text("，邮件"), Link((Text("来信"),), "mailto:news@example.cn"), LineBreak(),
                           Text("换行之后。"))),
                ListBlock(False, ((text_paragraph("第一项"),), (text_paragraph("第二项"), text_paragraph("续")))),
                ListBlock(True, ((text_paragraph("甲"),), ())),
                Quote((text_paragraph("引用的一段话。"),)),
                Table(((( Text("项目"),), (Text("数值"),)), ((Text("GDP"),), (Text("5.6%"),)), ((Text("A<B"),),)), 1),
                Heading(9, (Text("很深的标题"),)),
                Paragraph(()),
            ),
        ),
    }


def expected_paragraphs(document: Document) -> list[str]:
    """The text of every paragraph in document order, as an XML output must hold it."""
    return [
        typography.strip_illegal(plain_text(b.content))[0]
        for b in walk_blocks(document.blocks)
        if isinstance(b, Paragraph)
    ]


def element_text(element: etree._Element, br: str) -> str:
    """Text of an element with ``<br>`` as a newline (the model's LineBreak)."""
    out = [element.text or ""]
    for child in element:
        if child.tag == br:
            out.append("\n")
        else:
            out.append(element_text(child, br))
        out.append(child.tail or "")
    return "".join(out)


def paragraphs_of(root: etree._Element, ns: str = XHTML) -> list[str]:
    return [element_text(p, ns + "br") for p in root.iter(ns + "p")]


#: Any text a document may hold (lone surrogates aside) for the property tests of both writers.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
