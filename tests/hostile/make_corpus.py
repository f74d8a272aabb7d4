"""Make the hostile corpus: files that real dirty corpora and attackers bring.

    python tests/hostile/make_corpus.py OUTDIR [--large]

Each file's name says what it tries. ``EXPECT`` maps each relative path to "fail"
(a one-line error is right) or "ok" (a faithful document, perhaps with warnings).
--large adds the 30 MB file (refused above the default --max-size).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

STYLE = "font-size:16px;margin-top:15px;line-height:25px;text-indent:30px"
MARKER = "---------------------------------------- \n-------------------这里有图片------------ \n---------------------------------------- \n"
TEXT = "6月6日，山西省“不忘初心、牢记使命”主题教育工作会议在太原召开。省委书记骆惠宁出席会议并讲话。"


def unit(text: str) -> str:
    return f"<div><span style='{STYLE}'> \u3000\u3000{text}</span></div><div>&nbsp;</div>"


def seed(title: str, *paragraphs: str) -> str:
    return title + "\n" + "".join(unit(p) for p in paragraphs)


LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))

# relative path -> (bytes, expectation)
def corpus(large: bool = False) -> dict[str, tuple[bytes, str]]:
    files: dict[str, tuple[bytes, str]] = {
        # 1. not a seed document
        "not-seed/empty.txt": (b"", "fail"),
        "not-seed/blank-lines.txt": (b"\r\n \n\t\n", "fail"),
        "not-seed/binary.txt": (bytes(range(256)) * 8, "fail"),
        "not-seed/jpeg-renamed.txt": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + os.urandom(0) + bytes(200), "fail"),
        "not-seed/zip-renamed.txt": (b"PK\x03\x04" + bytes(100), "fail"),
        "not-seed/shift-jis.txt": (("日本語のニュース記事です。" * 5 + "\n" + "東京都で会議が開かれました。" * 10).encode("shift_jis"), "fail"),
        "not-seed/big5.txt": (("中華人民共和國國務院關於進一步加強新聞報導工作的通知" * 3).encode("big5"), "fail"),
        "not-seed/utf16-no-bom.txt": (seed("标题", TEXT).encode("utf-16-le"), "fail"),
        "not-seed/euc-kr.txt": (("대한민국 정부는 오늘 국무회의를 열고 새로운 경제 정책을 발표했다. 관계 부처는 실행 계획을 마련할 예정이다.\n" * 4).encode("euc-kr"), "fail"),
        "not-seed/cp1252.txt": ("Caf\u00e9 r\u00e9forme \u201cquoted\u201d \u00e9conomique annonc\u00e9e\n".encode("cp1252") * 3, "fail"),
        "not-seed/invalid-utf8-middle.txt": (seed("标题标题", TEXT).encode() + b"\xc3\x28" + unit(TEXT).encode(), "fail"),
        # 2. broken HTML
        "html/truncated-in-tag.txt": (("标题\n" + unit(TEXT) + "<div><span style='font-size:16").encode(), "ok"),
        "html/nested-100000.txt": (("深层嵌套\n" + "<div>" * 100_000 + TEXT + "</div>" * 100_000).encode(), "ok"),
        "html/unclosed-100000.txt": (("未闭合\n<p>" + "<b>" * 100_000 + TEXT).encode(), "ok"),
        "html/billion-laughs.txt": (f'实体炸弹\n<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">{LAUGHS}]><p>&l9;{TEXT}</p>'.encode(), "ok"),
        "html/script-style-events.txt": (
            ("脚本\n<p onclick=\"steal()\">" + TEXT + "<script>alert(document.cookie)</script><style>body{display:none}</style>"
             "<a href=\"javascript:alert(1)\">链接</a><a href=\" JAVASCRIPT:alert(2)\">大写</a><img src=x onerror=alert(3)></p>").encode(),
            "ok",
        ),
        # 3. text that is markup in an output format
        "markup/xml-specials.txt": (seed("<script>alert(1)</script>标题&amp;]]>", "a<b & c>d ]]> &amp; &lt; <![CDATA[x]]> <?php ?>", "<!-- 注释 -->正文").encode(), "ok"),
        "markup/markdown-specials.txt": (seed("# 井号 *星* _下划线_", "*强调* _下划线_ # 标题 [x](javascript:alert(1)) <div>块</div> `代码` \\ 1. 列表", "---", "> 引用", "    缩进代码").encode(), "ok"),
        "markup/control-chars.txt": (seed("控制\x07字符", "前\x00\x01\x08\x0b\x0c\x1b\x7f后", TEXT).encode(), "ok"),
        "markup/bidi-and-zero-width.txt": (seed("方向\u202e字符", "\u202eabc\u202c 零宽\u200b\u200d字符 \ufeff BOM 中间", TEXT).encode(), "ok"),
        "markup/beyond-bmp.txt": (seed("𠮷野家与𩸽", "𠮷𩸽𪚥😀🇨🇳 \U000f0000 私用区 \U0010fffd", TEXT).encode(), "ok"),
        # 4. size
        "size/first-line-100000.txt": (("长" * 100_000 + "\n" + unit(TEXT)).encode(), "ok"),
        "size/paragraph-500000.txt": (seed("超长段落", "超" * 500_000).encode(), "ok"),
        "size/paragraph-50000-no-punctuation.txt": (seed("无标点", "字" * 50_000).encode(), "ok"),
        "size/many-paragraphs.txt": (seed("很多段落", *([TEXT] * 3000)).encode(), "ok"),
        "size/empty-body.txt": ("只有标题.txt\n".encode(), "ok"),
        # 5. paths
        "paths/dotdot-title.txt": (seed("../../../../etc/passwd.txt", TEXT).encode(), "ok"),
        "paths/absolute-title.txt": (seed("/etc/passwd", TEXT).encode(), "ok"),
        # pictures: a marker whose picture is missing, and a truncated JPEG
        "pictures/12图片损坏/12图片损坏.txt": (("12图片损坏.txt\n" + unit(TEXT) + MARKER + unit(" ") + unit(TEXT) + MARKER + unit(TEXT)).encode(), "ok"),
        "pictures/12图片损坏/图片/0.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00" + bytes(40), "picture"),
        "pictures/13不是图片/13不是图片.txt": (("13不是图片.txt\n" + unit(TEXT) + MARKER + unit(TEXT)).encode(), "ok"),
        "pictures/13不是图片/图片/0.jpg": (b"this is not a picture at all", "picture"),
    }
    if large:
        body = unit(TEXT) * (30_000_000 // len(unit(TEXT).encode()) + 1)
        files["size/thirty-megabytes.txt"] = (("三十兆\n" + body).encode(), "fail")
    return files


def make(outdir: Path, large: bool = False) -> dict[str, str]:
    """Write the corpus below ``outdir``; return the expectation of every .txt input."""
    expect = {}
    for rel, (data, expectation) in corpus(large).items():
        path = outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if expectation != "picture":
            expect[rel] = expectation
    # A name that is not valid UTF-8 (Linux allows any bytes but / and NUL).
    raw_dir = os.fsencode(outdir / "paths")
    with open(os.path.join(raw_dir, b"bad-name-\xff\xfe.txt"), "wb") as handle:
        handle.write(seed("非UTF-8文件名", TEXT).encode())
    expect[os.fsdecode(b"paths/bad-name-\xff\xfe.txt")] = "ok"
    # A symbolic link that points outside the corpus: followed for reading, never for writing.
    outside = outdir.parent / (outdir.name + "-outside")
    outside.mkdir(exist_ok=True)
    (outside / "outside.txt").write_text(seed("外部文件", TEXT), "utf-8")
    link = outdir / "paths" / "link-outside"
    if not link.exists():
        link.symlink_to(outside, target_is_directory=True)
    return expect


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    expectations = make(target, large="--large" in sys.argv)
    print(f"wrote {len(expectations)} inputs below {target}")
