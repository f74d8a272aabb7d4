"""The OFD package (GB/T 33190-2016) from a recorded layout: XML parts and a zip.

Layout of the package (as ofdrw writes it)::

    OFD.xml                          DocBody: DocInfo (DocID, Title, dates), DocRoot
    Doc_0/Document.xml               CommonData (MaxUnitID, PageArea, PublicRes, DocumentRes),
                                     Pages, Outlines
    Doc_0/PublicRes.xml              Fonts -> Doc_0/Res/font_N.ttf (TrueType subsets, Unicode cmap)
    Doc_0/DocumentRes.xml            MultiMedias -> Doc_0/Res/image_N.jpg|png
    Doc_0/Pages/Page_N/Content.xml   Layer: TextObject, PathObject, ImageObject; Actions (links)

Units are millimetres with y growing downwards; the recording is in points with y up.
Every ID is unique in the document and ``MaxUnitID`` is the largest. The zip's entries have
fixed timestamps and a fixed order, so the same layout gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree
from PIL import Image as PILImage

from ..pdf.draw import pdf_number
from ..pdf.reportlab_compat import ZLIB_LEVEL
from .canvas import Link, Path, Picture, Recording, Run
from .fonts import unicode_subset

NS = "http://www.ofdspec.org/2016"
_E = f"{{{NS}}}"
MM = 25.4 / 72.0  # millimetres per point
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
# characters XML 1.0 cannot hold: what a TextCode shows instead
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold shown as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


#: A number for the XML: three decimals at most (a micrometre), no trailing zeros, as in a PDF content stream.
num = pdf_number


def _deltas(values: list[float]) -> str:
    """A DeltaX list in millimetres from advances in points, runs of one value written
    ``g count value`` (a justified line of Han characters is one run)."""
    out: list[str] = []
    at, n = 0, len(values)
    while at < n:
        value = values[at]
        end = at + 1
        while end < n and values[end] == value:
            end += 1
        count = end - at
        text = num(value * MM)
        out.append(f"g {count} {text}" if count > 2 else " ".join([text] * count))
        at = end
    return " ".join(out)


def _color(color: tuple[float, float, float], tag: str) -> str:
    return f'<ofd:{tag} Value="{round(color[0] * 255)} {round(color[1] * 255)} {round(color[2] * 255)}"/>'


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


@dataclass
class DocumentMeta:
    title: str
    author: str
    date: str | None  # ISO date (YYYY-MM-DD) or None
    creator: str
    version: str
    keywords: tuple[str, ...] = ()


class _Ids:
    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def _xml(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


class OfdBuilder:
    """Turns a :class:`Recording` into the package's files: each page's Content.xml as soon
    as the page is finished (:meth:`page_done`, so the recording never holds more than one
    page), the resources and the document at the end (:meth:`finish`). IDs are handed out
    in drawing order, fonts on first use, so the same layout gives the same IDs."""

    def __init__(self, recording: Recording, page_size: tuple[float, float]) -> None:
        self.recording = recording
        self.width, self.height = page_size
        self.ids = _Ids()
        self.files: dict[str, bytes] = {}
        self.pages: dict[int, bytes] = {}  # drawn page number -> Content.xml
        self.font_ids: dict[int, int] = {}  # id(face) -> resource ID
        self.font_chars: dict[int, tuple[Any, set[str]]] = {}  # resource ID -> (face, characters drawn)
        self.media_ids: dict[bytes, tuple[int, str]] = {}  # image digest -> (resource ID, file)
        self.page_ids: dict[int, int] = {}  # drawn page number -> page ID

    def page_id(self, number: int) -> int:
        found = self.page_ids.get(number)
        if found is None:
            found = self.page_ids[number] = self.ids.next()
        return found

    def page_done(self, number: int) -> None:
        """Page ``number`` is finished: write its Content.xml and drop its recording."""
        self.pages[number] = self._page(number)
        self.recording.pages.pop(number, None)

    # -- coordinates

    def x(self, value: float) -> float:
        return value * MM

    def y(self, value: float) -> float:
        return (self.height - value) * MM

    # -- resources

    def _font(self, face: Any, text: str) -> int:
        """The resource ID of ``face``, noting the characters drawn with it."""
        font_id = self.font_ids.get(id(face))
        if font_id is None:
            font_id = self.font_ids[id(face)] = self.ids.next()
            self.font_chars[font_id] = (face, set())
        self.font_chars[font_id][1].update(text)
        return font_id

    def _fonts(self) -> Any:
        res = etree.Element(_E + "Res", nsmap={"ofd": NS}, BaseLoc="Res")
        if self.font_chars:
            fonts = etree.SubElement(res, _E + "Fonts")
            for font_id, (face, chars) in sorted(self.font_chars.items()):
                name = f"font_{font_id}.ttf"
                covered = sorted(c for c in chars if face.covers(c))
                self.files[f"Doc_0/Res/{name}"] = unicode_subset(face, covered)
                # the face's own names (a reader matches and shows fonts by them), never the
                # writer's internal key, which is made from the font file's path
                sfnt = face.font.sfnt
                font = etree.SubElement(fonts, _E + "Font", ID=str(font_id), FontName=sfnt.postscript_name,
                                        FamilyName=sfnt.names.get(1) or face.family)
                etree.SubElement(font, _E + "FontFile").text = name
        return res

    def _media(self, picture: Picture) -> int:
        reader = picture.reader
        handle = reader.jpeg_fh()
        if handle is not None:
            handle.seek(0)
            data, ext, fmt = handle.read(), "jpg", "JPEG"
        else:
            image = getattr(reader, "_image", None)
            out = io.BytesIO()
            if image is None:
                width, height = reader.getSize()
                image = PILImage.frombytes("RGB", (width, height), reader.getRGBData())
            image.save(out, "PNG", optimize=False)
            data, ext, fmt = out.getvalue(), "png", "PNG"
        digest = hashlib.sha1(data).digest()
        found = self.media_ids.get(digest)
        if found is None:
            media_id = self.ids.next()
            name = f"image_{media_id}.{ext}"
            self.files[f"Doc_0/Res/{name}"] = data
            found = self.media_ids[digest] = (media_id, fmt)
        return found[0]

    # -- pages

    def _run(self, run: Run) -> str:
        size = run.size
        x, y = run.x * MM, (self.height - run.y) * MM
        em = size * MM
        left, top = x - em * 0.1, y - em
        width = (sum(run.advances) + size * 0.2 + abs(run.shear) * size) * MM
        ctm = f' CTM="1 0 {num(-run.shear)} 1 {num(run.shear * em)} 0"' if run.shear else ""
        color = "" if run.color == (0.0, 0.0, 0.0) else _color(run.color, "FillColor")
        text = _xml_safe(run.text)
        delta = f' DeltaX="{_deltas(run.advances[: len(text) - 1])}"' if len(text) > 1 else ""
        return (f'<ofd:TextObject ID="{self.ids.next()}" Boundary="{num(left)} {num(top)} {num(width)} {num(em * 1.3)}"'
                f'{ctm} Font="{self._font(run.face, text)}" Size="{num(em)}">{color}'
                f'<ofd:TextCode X="{num(x - left)}" Y="{num(em)}"{delta}>{text.translate(_TEXT)}</ofd:TextCode>'
                "</ofd:TextObject>")

    def _path(self, path: Path) -> str:
        width = path.line_width if path.line_width is not None else 1.0
        pad = width * MM
        x0, x1 = sorted((self.x(path.x), self.x(path.x + path.width)))
        y0, y1 = sorted((self.y(path.y), self.y(path.y + path.height)))
        left, top = x0 - pad, y0 - pad
        attrs = f' Boundary="{num(left)} {num(top)} {num(x1 - x0 + 2 * pad)} {num(y1 - y0 + 2 * pad)}"'
        attrs += f' LineWidth="{num(width * MM)}"'
        if path.dash:
            attrs += ' DashPattern="' + " ".join(num(v * MM) for v in path.dash) + '"'
        if path.round_cap:
            attrs += ' Cap="Round"'
        if path.stroke is None:
            attrs += ' Stroke="false"'
        if path.fill is not None:
            attrs += ' Fill="true"'
        colors = (_color(path.stroke, "StrokeColor") if path.stroke is not None else "") + (
            _color(path.fill, "FillColor") if path.fill is not None else "")
        if path.line:
            start = (self.x(path.x) - left, self.y(path.y) - top)
            end = (self.x(path.x + path.width) - left, self.y(path.y + path.height) - top)
            data = f"M {num(start[0])} {num(start[1])} L {num(end[0])} {num(end[1])}"
        else:
            a, b, c, d = pad, pad, x1 - x0 + pad, y1 - y0 + pad
            data = f"M {num(a)} {num(b)} L {num(c)} {num(b)} L {num(c)} {num(d)} L {num(a)} {num(d)} C"
        return (f'<ofd:PathObject ID="{self.ids.next()}"{attrs}>{colors}'
                f"<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>")

    def _picture(self, picture: Picture) -> str:
        media = self._media(picture)
        w, h = picture.width * MM, picture.height * MM
        box = (self.x(picture.x), self.y(picture.y + picture.height), w, h)
        return (f'<ofd:ImageObject ID="{self.ids.next()}" Boundary="{" ".join(num(v) for v in box)}"'
                f' CTM="{num(w)} 0 0 {num(h)} 0 0" ResourceID="{media}"/>')

    def _dest(self, parent: Any, key: str) -> bool:
        target = self.recording.bookmarks.get(key)
        if target is None:
            return False
        goto = etree.SubElement(parent, _E + "Goto")
        etree.SubElement(goto, _E + "Dest", Type="XYZ", PageID=str(self.page_id(target[0])), Left="0",
                         Top=num(max(self.y(target[1]), 0.0)))
        return True

    def _links(self, links: list[Link]) -> str:
        actions = etree.Element(_E + "Actions", nsmap={"ofd": NS})
        for link in links:
            if link.key and link.key not in self.recording.bookmarks:
                continue
            action = etree.SubElement(actions, _E + "Action", Event="CLICK")
            region = etree.SubElement(etree.SubElement(action, _E + "Region"), _E + "Area")
            x1, y1, x2, y2 = link.rect
            region.set("Start", f"{num(self.x(x1))} {num(self.y(y2))}")
            for px, py in ((x2, y2), (x2, y1), (x1, y1)):
                etree.SubElement(region, _E + "Line", Point1=f"{num(self.x(px))} {num(self.y(py))}")
            etree.SubElement(region, _E + "Close")
            if link.key:
                self._dest(action, link.key)
            else:
                etree.SubElement(action, _E + "URI", URI=_xml_safe(link.href))
        if not len(actions):
            return ""
        text: str = etree.tostring(actions, encoding="unicode")
        return text.replace(f' xmlns:ofd="{NS}"', "", 1)  # declared on the page already

    def _page(self, number: int) -> bytes:
        """A page's Content.xml, written as text: pages are most of an OFD's XML, and
        formatting it directly costs a third of building it as lxml elements."""
        record = self.recording.pages.get(number)
        parts = [f"<?xml version='1.0' encoding='UTF-8'?>\n<ofd:Page xmlns:ofd=\"{NS}\"><ofd:Content>"
                 f'<ofd:Layer ID="{self.ids.next()}" Type="Body">']
        links = ""
        if record is not None:
            for item in record.items:
                if isinstance(item, Run):
                    parts.append(self._run(item))
                elif isinstance(item, Path):
                    parts.append(self._path(item))
                else:
                    parts.append(self._picture(item))
            links = self._links(record.links)
        parts.append(f"</ofd:Layer></ofd:Content>{links}</ofd:Page>")
        return "".join(parts).encode("utf-8")

    # -- document

    def _outlines(self, document: Any) -> None:
        entries = [e for e in self.recording.outline if e[2] in self.recording.bookmarks]
        if not entries:
            return
        outlines = etree.SubElement(document, _E + "Outlines")
        stack: list[tuple[int, Any]] = [(-1, outlines)]
        for title, level, key in entries:
            while len(stack) > 1 and stack[-1][0] >= level:
                stack.pop()
            element = etree.SubElement(stack[-1][1], _E + "OutlineElem", Title=_xml_safe(title) or "—")
            actions = etree.SubElement(element, _E + "Actions")
            action = etree.SubElement(actions, _E + "Action", Event="CLICK")
            self._dest(action, key)
            stack.append((level, element))

    def finish(self, order: list[int], meta: DocumentMeta) -> bytes:
        """The package, with the pages in ``order`` (drawn page numbers)."""
        for number in order:
            if number not in self.pages:
                self.page_done(number)
        pages = [(number, self.pages[number]) for number in order]
        public = self._fonts()
        document_res = etree.Element(_E + "Res", nsmap={"ofd": NS}, BaseLoc="Res")
        if self.media_ids:
            medias = etree.SubElement(document_res, _E + "MultiMedias")
            for media_id, fmt in sorted(self.media_ids.values()):
                media = etree.SubElement(medias, _E + "MultiMedia", ID=str(media_id), Type="Image", Format=fmt)
                etree.SubElement(media, _E + "MediaFile").text = f"image_{media_id}.{'jpg' if fmt == 'JPEG' else 'png'}"
        document = etree.Element(_E + "Document", nsmap={"ofd": NS})
        common = etree.SubElement(document, _E + "CommonData")
        max_id = etree.SubElement(common, _E + "MaxUnitID")
        area = etree.SubElement(common, _E + "PageArea")
        etree.SubElement(area, _E + "PhysicalBox").text = f"0 0 {num(self.width * MM)} {num(self.height * MM)}"
        etree.SubElement(common, _E + "PublicRes").text = "PublicRes.xml"
        etree.SubElement(common, _E + "DocumentRes").text = "DocumentRes.xml"
        page_list = etree.SubElement(document, _E + "Pages")
        for index, (number, _) in enumerate(pages):
            etree.SubElement(page_list, _E + "Page", ID=str(self.page_id(number)), BaseLoc=f"Pages/Page_{index}/Content.xml")
        self._outlines(document)
        max_id.text = str(self.ids.last)

        files = {"Doc_0/Document.xml": _xml(document), "Doc_0/PublicRes.xml": _xml(public),
                 "Doc_0/DocumentRes.xml": _xml(document_res)}
        for index, (_, data) in enumerate(pages):
            files[f"Doc_0/Pages/Page_{index}/Content.xml"] = data
        files.update(self.files)
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + files[name])
        files["OFD.xml"] = self._ofd_xml(digest.hexdigest()[:32], meta)
        return _zip(files)

    def _ofd_xml(self, doc_id: str, meta: DocumentMeta) -> bytes:
        root = etree.Element(_E + "OFD", nsmap={"ofd": NS}, Version="1.0", DocType="OFD")
        body = etree.SubElement(root, _E + "DocBody")
        info = etree.SubElement(body, _E + "DocInfo")
        etree.SubElement(info, _E + "DocID").text = doc_id
        if meta.title:
            etree.SubElement(info, _E + "Title").text = _xml_safe(meta.title)
        if meta.author:
            etree.SubElement(info, _E + "Author").text = _xml_safe(meta.author)
        if meta.date:
            etree.SubElement(info, _E + "CreationDate").text = meta.date
            etree.SubElement(info, _E + "ModDate").text = meta.date
        if meta.keywords:
            keywords = etree.SubElement(info, _E + "Keywords")
            for word in meta.keywords:
                etree.SubElement(keywords, _E + "Keyword").text = _xml_safe(word)
        etree.SubElement(info, _E + "Creator").text = meta.creator
        etree.SubElement(info, _E + "CreatorVersion").text = meta.version
        etree.SubElement(body, _E + "DocRoot").text = "Doc_0/Document.xml"
        return _xml(root)


def _zip(files: dict[str, bytes]) -> bytes:
    """The package: OFD.xml first, then the rest in the order made (always the same), fixed
    timestamps; deflate at the PDF writer's level (fonts are most of the bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ["OFD.xml", *(n for n in files if n != "OFD.xml")]:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            stored = name.endswith((".jpg", ".png"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=None if stored else ZLIB_LEVEL)
    return out.getvalue()
