"""HTML writer: one standalone HTML5 page per article, for the web and for previewing.

The body and the CSS are the EPUB's (see :mod:`convert.writers.xhtml`); the CSS is inline
in a ``<style>``, pictures are copied beside the page into ``{stem}_files/`` and linked
relatively, as the Markdown writer does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from ..model import Document
from ..typography import LANGUAGE
from .base import Rendered, Resource, Writer, WriterOptions
from .xhtml import BodyBuilder, Picture, any_link, document_title, reading_css

#: A browser window is wider than a page: keep lines to a readable measure (an e-reader
#: sets its own, so this is the web page's only, not the EPUB's).
PAGE_CSS = "article {\n  max-width: 40em;\n  margin: 2em auto;\n  padding: 0 1em;\n}\n"


@dataclass(frozen=True)
class HtmlOptions(WriterOptions):
    cjk_font: str | None = None
    latin_font: str | None = None
    assets_suffix: str = "_files"


def html_page(document: Document, options: HtmlOptions, assets: str) -> tuple[bytes, list[Resource], BodyBuilder]:
    """The page's bytes, the pictures to put beside it, and the builder (its diagnostics)."""
    resources: list[Resource] = []

    def place(picture: Picture, number: int) -> str:
        relpath = f"{assets}/{number}{picture.extension}"
        resources.append(Resource(relpath, picture.data))
        return quote(relpath)

    builder = BodyBuilder(place, ns="", link_policy=any_link)
    language = document.meta.language or LANGUAGE
    html = etree.Element("html", {"lang": language})
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", {"charset": "utf-8"})
    etree.SubElement(head, "meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"})
    etree.SubElement(head, "title").text = document_title(document)
    for name, value in (("generator", "convert"), ("dcterms.source", document.meta.source),
                        ("dcterms.date", document.meta.date), ("keywords", "/".join(document.meta.category))):
        if value:
            etree.SubElement(head, "meta", {"name": name, "content": value})
    etree.SubElement(head, "style").text = "\n" + reading_css(options.cjk_font, options.latin_font, language=language) + PAGE_CSS
    body = etree.SubElement(html, "body")
    article = etree.SubElement(body, "article")
    builder.article(article, document)
    data = etree.tostring(etree.ElementTree(html), method="html", encoding="utf-8", doctype="<!DOCTYPE html>")
    return data + b"\n", resources, builder


class HtmlWriter(Writer[HtmlOptions]):
    name = "html"
    extension = ".html"
    description = "standalone HTML5 page (the EPUB's body and CSS); pictures copied beside it"
    options_type = HtmlOptions

    def render(self, document: Document, options: HtmlOptions, destination: Path | None = None) -> Rendered:
        stem = destination.stem if destination is not None else "article"
        data, resources, builder = html_page(document, options, stem + options.assets_suffix)
        return Rendered(data, tuple(resources), tuple(builder.finish()))


__all__ = ["HtmlOptions", "HtmlWriter", "html_page"]
