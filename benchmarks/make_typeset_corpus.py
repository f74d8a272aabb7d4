"""Write a corpus of seed-format articles that stress Chinese typesetting (issue 11).

    python benchmarks/make_typeset_corpus.py /tmp/corpus [--count 124] [--seed 1998]

Each article follows FORMAT.md: line 1 ``{index}{title}.txt``, the body as
``<div><span style='…'> 　　TEXT</span></div><div>&nbsp;</div>`` units; articles with
pictures sit in an ``{index}{title}/`` folder with ``图片/{n}.jpg`` beside the ``.txt`` and
the three-line ``这里有图片`` marker where each picture stood (followed by the empty unit
the crawler writes). The text is built from news phrases in the manner of People's Daily
1998: full-width digits (``１９９８年`` ``４０６７名`` ``１１．６％`` ``１／３`` ``３：２``
``１，２００``), full-width Latin (``ＷＴＯ``), ASCII Latin and digits among Han
(``GDP增长6.1%`` ``5G网络`` ``iPhone 11``), quotes and book titles that put full-width
punctuation side by side (``。”`` ``”，`` ``）、`` ``》（`` ``：“`` ``“《`` ``』」`` …),
``——`` and ``……``, long numbers, URLs, emoji and symbols (😀 ☆ ① ℃), CJK Ext A/B
characters (㐀 𠮷), and paragraphs of one character, of 2–40 characters and of several
hundred. The same ``--count`` and ``--seed`` always write the same bytes, so defect counts
from ``check_typesetting.py`` are reproducible.
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

STYLE = "font-size:16px;margin-top:15px;line-height:25px;text-indent:30px"
RULE = "-" * 40 + " \n"
MARKER = RULE + "-" * 19 + "这里有图片" + "-" * 12 + " \n" + RULE
CATEGORIES = [("要闻", "国内新闻"), ("要闻", "国际新闻"), ("经济", "财经综述"), ("经济", "农业农村"), ("社会", "科教文卫"),
              ("地方", "各地传真"), ("理论", "学习园地"), ("体育", "综合消息")]

# ASCII digits, number punctuation and capitals to their full-width forms (U+FF01..U+FF5E)
FW = {c: c + 0xFEE0 for c in b"0123456789.,/:%ABCDEFGHIJKLMNOPQRSTUVWXYZ"}

SUBJECTS = [
    "国务院", "国家统计局", "全国人大常委会", "国家计委", "财政部", "中国人民银行", "外交部发言人", "新华社记者", "本报记者",
    "国家经贸委", "农业部", "水利部", "铁道部", "交通部", "教育部", "卫生部", "科技部", "民政部", "劳动和社会保障部",
    "国家环保总局", "海关总署", "国家税务总局", "中国科学院", "中国社会科学院", "全国总工会", "共青团中央", "全国妇联",
    "上海市政府", "北京市委", "广东省", "四川省", "黑龙江省", "新疆维吾尔自治区", "香港特别行政区政府", "澳门各界人士",
    "联合国秘书长", "世界银行", "国际货币基金组织", "亚洲开发银行", "欧洲联盟", "东盟各国", "与会代表", "专家学者",
    "广大干部群众", "解放军某部官兵", "抗洪抢险部队", "下岗职工", "乡镇企业", "国有大中型企业", "外商投资企业",
]
PREDICATES = [
    "召开会议研究部署", "发表重要讲话指出", "在新闻发布会上宣布", "近日联合发出通知要求", "认真贯彻落实", "总结交流经验",
    "积极推进", "进一步深化", "大力发展", "切实加强", "稳步实施", "广泛开展", "全面落实", "统筹安排", "认真研究",
    "高度评价", "表示热烈祝贺", "提出明确要求", "作出重要部署", "取得显著成效", "完成全年任务", "超额完成计划",
]
OBJECTS = [
    "国有企业改革", "再就业工程", "抗洪救灾工作", "粮食流通体制改革", "住房制度改革", "医疗保险制度改革",
    "西部大开发战略", "科教兴国战略", "可持续发展战略", "精神文明建设", "社会主义民主法制建设", "党风廉政建设",
    "农村基层组织建设", "扶贫开发工作", "对外开放", "金融风险防范", "财税体制改革", "基础设施建设",
    "环境保护和生态建设", "计划生育工作", "安全生产工作", "社会治安综合治理", "两个文明建设", "技术改造",
    "信息产业", "高新技术产业化", "农业产业化经营", "小城镇建设", "城市居民最低生活保障制度", "国企三年脱困目标",
]
CLAUSES = [
    "各项工作取得了新的进展", "经济保持了持续快速健康发展", "人民生活水平进一步提高", "社会大局保持稳定",
    "会议开得很成功", "这是一件具有深远意义的大事", "形势总体是好的", "任务仍然十分艰巨", "要增强紧迫感和责任感",
    "必须坚持实事求是的思想路线", "要把握好改革、发展、稳定的关系", "关键在于抓好落实", "群众普遍感到满意",
    "取得了令人瞩目的成就", "受到了社会各界的广泛好评", "为今后的工作打下了良好基础", "这些经验值得认真总结",
    "各地区各部门要密切配合", "要坚持两手抓、两手都要硬", "要切实转变工作作风", "广大党员干部要带头",
    "市场供应充足", "物价保持基本稳定", "外贸出口继续增长", "国家外汇储备稳步增加", "财政收入较快增长",
    "粮食生产再获丰收", "农民收入稳步增加", "城乡市场活跃", "固定资产投资增长较快", "金融运行总体平稳",
    "开创了工作的新局面", "迈出了坚实的步伐", "为全国提供了有益的经验", "赢得了国际社会的普遍赞誉",
]
PEOPLE = ["江泽民", "李鹏", "朱镕基", "李瑞环", "胡锦涛", "尉健行", "李岚清", "钱其琛", "吴邦国", "温家宝", "张三", "李四",
          "王五", "赵六", "陈七", "刘志强", "孙丽华", "周建国", "吴晓明", "郑海燕"]
BOOKS = ["人民日报", "求是", "邓小平文选", "中华人民共和国宪法", "中华人民共和国合同法", "政府工作报告", "光明日报",
         "经济日报", "中国共产党章程", "关于国有企业改革和发展若干重大问题的决定", "红楼梦", "走进新时代", "春天的故事"]
FW_ACRONYMS = ["ＷＴＯ", "ＳＯＳ", "ＡＰＥＣ", "ＩＭＦ", "ＧＤＰ", "ＣＰＩ", "ＮＢＡ", "ＦＩＦＡ", "ＵＮＥＳＣＯ", "ＯＰＥＣ",
               "ＣＤ", "ＶＣＤ"]
ASCII_MIXED = ["GDP增长6.1%", "5G网络", "iPhone 11", "Windows 98", "CPU主频达450MHz", "IT产业", "B2B电子商务", "MP3播放器",
               "PM2.5浓度", "4G用户", "APEC会议", "CEO论坛", "Internet用户", "Pentium II处理器", "ISO9000认证", "A股市场",
               "WTO谈判", "DVD影碟机", "3D打印", "VR技术", "New York", "Microsoft Office 2000", "BP机", "IC卡", "e时代"]
URLS = ["http://www.people.com.cn/GB/channel1/10/20000913/230893.html", "www.xinhuanet.com", "http://www.gov.cn/",
        "https://example.org/news/1998/06/12/article_4067.html?from=rss&id=12345", "mailto:editor@peopledaily.com.cn"]
SYMBOLS = ["😀", "☆", "①", "②", "③", "℃", "★", "№", "※", "×", "÷", "±", "°", "→", "♪", "👍", "🇨🇳", "㎡", "㎞", "Ⅲ", "Ⅳ"]
RARE = ["㐀", "𠮷", "𩸽", "㑇", "㑊", "䶮", "𡈽", "𤋮", "𪚥", "㵘"]
UNITS = ["名", "人", "万元", "亿元", "公斤", "吨", "公里", "个", "家", "项", "户", "台", "万千瓦", "平方米", "所", "件"]
SMALL_PARAGRAPHS = ["完", "好", "是。", "（完）", "对！", "新华社北京６月１２日电", "本报讯", "（本报记者 张三）",
                    "——编者", "图为会议现场。", "据新华社电", "（新华社发）"]


class Text:
    """Sentences and paragraphs drawn from the phrase lists with one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def pick(self, items: list[str]) -> str:
        return self.r.choice(items)

    def fw(self, text: str) -> str:
        return text.translate(FW)

    def number(self) -> str:
        r = self.r
        kind = r.randrange(14)
        if kind == 0:
            return self.fw(f"{r.randrange(1949, 2001)}年")
        if kind == 1:
            return self.fw(f"{r.randrange(2, 99999)}") + self.pick(UNITS)
        if kind == 2:
            return self.fw(f"{r.randrange(0, 40)}.{r.randrange(1, 10)}%")
        if kind == 3:
            return self.fw(f"{r.randrange(1, 5)}/{r.randrange(2, 10)}")
        if kind == 4:
            return "比分为" + self.fw(f"{r.randrange(0, 6)}:{r.randrange(0, 6)}")
        if kind == 5:
            return self.fw(f"{r.randrange(1, 999)},{r.randrange(0, 1000):03d}") + self.pick(UNITS)
        if kind == 6:
            return self.fw(f"{r.randrange(1, 13)}月{r.randrange(1, 29)}日")
        if kind == 7:
            return self.fw(str(r.randrange(10 ** 11, 10 ** 15)))
        if kind == 8:
            return f"增长{r.randrange(1, 20)}.{r.randrange(0, 10)}%"
        if kind == 9:
            return f"{r.randrange(1990, 2021)}年{r.randrange(1, 13)}月"
        if kind == 10:
            return self.fw(f"{r.randrange(1, 24):02d}:{r.randrange(0, 60):02d}")
        if kind == 11:
            return "第" + self.fw(str(r.randrange(1, 200))) + "届"
        if kind == 12:
            return self.fw(f"{r.randrange(100, 9999)}.{r.randrange(10, 99)}") + self.pick(["亿元", "万吨", "公里"])
        return f"{r.randrange(1, 100)}.{r.randrange(0, 10)}亿美元"

    def quote(self) -> str:
        r = self.r
        inner = self.pick(CLAUSES)
        shape = r.randrange(9)
        if shape == 0:
            return f"{self.pick(PEOPLE)}说：“{inner}。”"
        if shape == 1:
            return f"“{inner}，”{self.pick(PEOPLE)}说，“{self.pick(CLAUSES)}！”"
        if shape == 2:
            return f"他问道：“{inner}吗？”"
        if shape == 3:
            return f"「{self.pick(PEOPLE)}说：『{inner}』」"
        if shape == 4:
            return f"“《{self.pick(BOOKS)}》”发表评论员文章，题为“{inner}”。"
        if shape == 5:
            return f"《{self.pick(BOOKS)}》（{self.fw(str(r.randrange(1990, 2000)))}年版）、《{self.pick(BOOKS)}》"
        if shape == 6:
            return f"群众称之为“{self.pick(OBJECTS)}”、“{self.pick(OBJECTS)}”"
        if shape == 7:
            return f"（{self.pick(SUBJECTS)}供稿）"
        return f"“{inner}……”"

    def clause(self) -> str:
        r = self.r
        kind = r.randrange(20)
        if kind < 5:
            return f"{self.pick(SUBJECTS)}{self.pick(PREDICATES)}{self.pick(OBJECTS)}"
        if kind < 8:
            return f"{self.pick(OBJECTS)}{self.number()}，{self.pick(CLAUSES)}"
        if kind < 10:
            return self.quote()
        if kind == 10:
            return f"{self.pick(CLAUSES)}——{self.pick(CLAUSES)}"
        if kind == 11:
            return f"{self.pick(OBJECTS)}、{self.pick(OBJECTS)}……"
        if kind == 12:
            return f"{self.pick(ASCII_MIXED)}，{self.pick(CLAUSES)}"
        if kind == 13:
            speaker = self.pick(FW_ACRONYMS) + self.pick(["成员", "组织", "会议", "官员", "代表"])
            return f"{speaker}介绍，{self.pick(OBJECTS)}{self.number()}"
        if kind == 14:
            return f"详见网址{self.pick(URLS)}"
        if kind == 15:
            return f"气温{r.randrange(-20, 40)}℃{self.pick(SYMBOLS)}{self.pick(CLAUSES)}"
        if kind == 16:
            return f"{self.pick(RARE)}{self.pick(['姓村民', '字古籍', '家饭店'])}{self.pick(PEOPLE)}{self.pick(CLAUSES)}"
        if kind == 17:
            date = self.fw(f"{r.randrange(1990, 2000)}年{r.randrange(1, 13)}月底")
            return f"截至{date}，共有{self.fw(str(r.randrange(2, 99999)))}{self.pick(UNITS)}参加，占{self.number()}"
        return f"{self.pick(PEOPLE)}同志{self.pick(PREDICATES)}{self.pick(OBJECTS)}"

    def sentence(self) -> str:
        parts = [self.clause() for _ in range(self.r.randrange(1, 4))]
        text = "，".join(parts)
        if text[-1] in "。！？”』」）》…":
            return text
        return text + self.pick(["。", "。", "。", "！", "？", "；"])

    def paragraph(self) -> str:
        r = self.r
        kind = r.random()
        if kind < 0.05:
            return self.pick(SMALL_PARAGRAPHS)
        if kind < 0.30:
            text = self.sentence()
            return text[: r.randrange(2, 41)] if len(text) > 40 else text
        if kind < 0.85:
            return "".join(self.sentence() for _ in range(r.randrange(2, 6)))
        return "".join(self.sentence() for _ in range(r.randrange(8, 16)))

    def title(self) -> str:
        r = self.r
        shape = r.randrange(4)
        if shape == 0:
            return f"{self.pick(SUBJECTS)}{self.pick(PREDICATES)}{self.pick(OBJECTS)}"
        if shape == 1:
            return f"{self.fw(str(r.randrange(1990, 2000)))}年{self.pick(OBJECTS)}{self.pick(CLAUSES)}"
        if shape == 2:
            return f"{self.pick(PEOPLE)}会见{self.pick(FW_ACRONYMS)}代表团"
        return f"“{self.pick(OBJECTS)}”座谈会在京举行"


def unit(text: str) -> str:
    return f"<div><span style='{STYLE}'> 　　{text}</span></div><div>&nbsp;</div>"


def jpeg(rng: random.Random, width: int, height: int) -> bytes:
    """A deterministic picture: a colour gradient with a few rectangles."""
    from PIL import Image, ImageDraw

    base = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.blend(image, Image.new("RGB", (width, height), base), 0.5)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.rectangle((x, y, x + width // 5, y + height // 5), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def make_article(rng: random.Random, index: int) -> tuple[str, str, list[tuple[int, int]]]:
    """(title, body, picture sizes) of one article."""
    text = Text(rng)
    title = text.title() + text.fw(f"（{index}）")
    paragraphs = [text.paragraph() for _ in range(rng.randrange(3, 18))]
    pictures: list[tuple[int, int]] = []
    if rng.random() < 0.2:
        for _ in range(rng.randrange(1, 4)):
            pictures.append(rng.choice([(320, 200), (320, 200), (1600, 1000), (2400, 1200), (640, 480)]))
    body = []
    slots = sorted(rng.sample(range(len(paragraphs) + 1), len(pictures))) if pictures else []
    for position, paragraph in enumerate(paragraphs):
        while slots and slots[0] == position:
            slots.pop(0)
            body.append(MARKER + f"<div><span style='{STYLE}'> 　　</span></div><div>&nbsp;</div>")
        body.append(unit(paragraph))
    for _ in slots:
        body.append(MARKER + f"<div><span style='{STYLE}'> </span></div><div>&nbsp;</div>")
    return title, "".join(body), pictures


def make_typeset_corpus(target: Path, count: int = 124, seed: int = 1998) -> list[Path]:
    """Write ``count`` articles below ``target``; return the ``.txt`` paths."""
    rng = random.Random(seed)
    written = []
    for index in range(count):
        title, body, pictures = make_article(rng, index)
        category, sub = CATEGORIES[index % len(CATEGORIES)]
        name = f"{index}{title}"
        folder = target / category / sub
        if pictures:
            folder = folder / name
            (folder / "图片").mkdir(parents=True, exist_ok=True)
            for n, (width, height) in enumerate(pictures):
                (folder / "图片" / f"{n}.jpg").write_bytes(jpeg(rng, width, height))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.txt"
        path.write_text(f"{name}.txt\n{body}", "utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--count", type=int, default=124, help="articles [124]")
    parser.add_argument("--seed", type=int, default=1998, help="random seed [1998]")
    args = parser.parse_args()
    written = make_typeset_corpus(args.target, args.count, args.seed)
    print(f"{len(written)} articles -> {args.target}")


if __name__ == "__main__":
    main()
