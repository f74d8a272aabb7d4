"""Build ``ConvertSerifSC-Regular.ttf`` from Debian's Noto Serif CJK SC (run by hand, once).

Noto Serif CJK has CFF (PostScript) outlines; the PDF writer's fast subsetter embeds TrueType
(``glyf``) outlines. This script takes the SC face (index 2) of
``/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc`` (Debian ``fonts-noto-cjk``),
keeps the glyphs its character map reaches (no OpenType layout, no vertical metrics, no
variation sequences; ``·`` and ``—`` mapped to their full-width forms, as Chinese text sets them),
converts the cubic outlines to quadratic ones (fontTools ``cu2qu``, at most 1 unit of
1000 off) and renames the family. Under the SIL Open Font License 1.1 this is a Modified
Version: it must not carry the Reserved Font Name ("Source"), and "Noto" is a trademark,
so it is called "Convert Serif SC". The copyright, licence and trademark records of the
``name`` table are kept.

    python fonts/build_convert_serif.py [SOURCE.ttc] [OUTPUT.ttf]

The output is deterministic for a given source file and fontTools version.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
OUTPUT = Path(__file__).resolve().parent / "ConvertSerifSC-Regular.ttf"
FAMILY = "Convert Serif SC"
POSTSCRIPT = "ConvertSerifSC-Regular"
FULL_WIDTH = "\u00b7\u2014"  # · —
MAX_ERR = 1.0  # font units (of 1000 per em)
KEPT_NAME_IDS = (0, 5, 7, 8, 9, 11, 12, 13, 14)  # copyright, version, trademark, vendor, designer, URLs, licence


def main() -> None:
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else OUTPUT
    started = time.process_time()
    collection = TTCollection(source, lazy=True)
    font = next(f for f in collection.fonts if f["name"].getDebugName(6).endswith("sc-Regular"))
    version = font["name"].getDebugName(5)
    cmap = dict(font.getBestCmap())
    # Chinese text sets the middle dot and the em dash full width (间隔号, 破折号 as two ems);
    # Source Han's default glyphs for them are proportional, its ``fwid`` forms are not
    full_width = {}
    gsub = font["GSUB"].table
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "fwid":
            for index in record.Feature.LookupListIndex:
                for table in gsub.LookupList.Lookup[index].SubTable:
                    full_width.update(getattr(table, "mapping", {}))
    for char in FULL_WIDTH:
        cmap[ord(char)] = full_width.get(cmap[ord(char)], cmap[ord(char)])
    original_order = {name: i for i, name in enumerate(font.getGlyphOrder())}
    order = [".notdef"] + sorted(set(cmap.values()) - {".notdef"}, key=original_order.__getitem__)
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    print(f"converted {len(order)} glyphs: {time.process_time() - started:.0f} s", flush=True)

    head, hhea = font["head"], font["hhea"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    builder.setupHead(unitsPerEm=head.unitsPerEm, created=head.created, modified=head.modified,
                      fontRevision=head.fontRevision, macStyle=head.macStyle, lowestRecPPEM=head.lowestRecPPEM)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: font["hmtx"][name] for name in order})
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    builder.font["OS/2"] = font["OS/2"]
    builder.font["OS/2"].usMaxContext = 1
    builder.setupPost(keepGlyphNames=False, italicAngle=0, underlinePosition=font["post"].underlinePosition,
                      underlineThickness=font["post"].underlineThickness)

    names = {}
    for record in font["name"].names:
        if record.nameID in KEPT_NAME_IDS and record.platformID == 3 and record.langID == 0x409:
            names[record.nameID] = record.toUnicode()
    names.update({1: FAMILY, 2: "Regular", 3: f"{POSTSCRIPT};{version}", 4: FAMILY, 6: POSTSCRIPT,
                  10: f"Convert Serif SC is a Modified Version of Noto Serif CJK SC ({version}) under the SIL "
                      "Open Font License 1.1: TrueType outlines converted from CFF, OpenType layout and "
                      "vertical metrics removed, middle dot and em dash full width, renamed as the licence "
                      "requires."})
    builder.setupNameTable({_NAME_KEYS[k]: v for k, v in names.items()}, mac=False)
    builder.font.save(str(output))
    print(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB) in {time.process_time() - started:.0f} s CPU")


_NAME_KEYS = {0: "copyright", 1: "familyName", 2: "styleName", 3: "uniqueFontIdentifier", 4: "fullName",
              5: "version", 6: "psName", 7: "trademark", 8: "manufacturer", 9: "designer", 10: "description",
              11: "vendorURL", 12: "designerURL", 13: "licenseDescription", 14: "licenseInfoURL"}


if __name__ == "__main__":
    main()
