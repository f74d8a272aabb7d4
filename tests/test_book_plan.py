"""Book planning: order and structure from the tree, streaming, failures left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.book import plan_book
from convert.errors import ConvertError
from convert.model import Book, Chapter, Section


@pytest.fixture
def corpus(tmp_path: Path, unit) -> Path:
    """A book's folder: two sections, dated articles, one article that cannot be read."""
    root = tmp_path / "学习教育"
    files = {
        "要闻/2019-09-02/乙新闻.txt": "乙新闻\n" + unit("乙。"),
        "要闻/2019-08-29/甲新闻.txt": "甲新闻\n" + unit("甲。"),
        "专题/20第二篇.txt": "20第二篇.txt\n" + unit("二。"),
        "专题/3第一篇.txt": "3第一篇.txt\n" + unit("一。"),
        "专题/坏文件.txt": "",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def outline(book: Book) -> list[str]:
    return [("  " * item.depth) + (item.section.title if item.section else "* " + item.chapter.title) for item in book.walk()]


def test_folders_become_nested_sections_and_articles_follow_their_index(corpus):
    failures = []
    book = plan_book([corpus], on_failure=lambda source, message: failures.append(source))
    assert book.meta.title == "学习教育"
    assert outline(book) == [
        "专题", "  * 第一篇", "  * 第二篇",
        "要闻", "  2019-08-29", "    * 甲新闻", "  2019-09-02", "    * 乙新闻",
    ]
    assert [Path(f).name for f in failures] == ["坏文件.txt"]


def test_title_order_and_date_order_override_the_tree(corpus):
    root = corpus
    assert outline(plan_book([root], order="title"))[1:3] == ["  * 第一篇", "  * 第二篇"]
    by_date = outline(plan_book([root], order="date", title="按日期"))
    assert by_date[:4] == ["2019-08-29", "  * 甲新闻", "2019-09-02", "  * 乙新闻"]
    assert by_date[4] == "未注明日期"


def test_walking_reads_one_article_at_a_time(corpus):
    book = plan_book([corpus])
    loaded = []
    counting = Book(book.meta, book.contents, lambda chapter: loaded.append(chapter.key) or book.loader(chapter))
    walker = counting.walk()
    next(walker), next(walker)
    assert len(loaded) == 1


def test_an_article_that_fails_while_walking_is_skipped_and_reported(corpus):
    failed = []

    def loader(chapter: Chapter):
        raise ConvertError("gone", chapter.key)

    book = Book(plan_book([corpus]).meta, (Section("s", (Chapter("a.txt", "a"),)),), loader, lambda c, e: failed.append(c.key))
    assert [item.section.title for item in book.walk()] == ["s"]
    assert failed == ["a.txt"]


def test_the_identifier_is_stable_across_rebuilds(corpus):
    root = corpus
    assert plan_book([root]).meta.identifier == plan_book([root]).meta.identifier


def test_an_unknown_order_is_an_error(corpus):
    with pytest.raises(ConvertError, match="orders: tree, title, date"):
        plan_book([corpus], order="size")


def test_the_book_report_carries_each_articles_reader_warnings(tmp_path, unit, corpus):
    from convert.book import write_book

    root = corpus
    (root / "专题" / "控制字符.txt").write_text("控制字符\n" + unit("前\x07后"), "utf-8")
    report = write_book([root], tmp_path / "b.epub")
    notes = [d.message for d in report.diagnostics if d.code == "dropped-control-chars"]
    assert notes == ["专题/控制字符.txt: dropped 1 control character(s) no output format can hold"]


def test_an_article_nested_too_deeply_is_a_one_line_error_naming_it_not_a_lost_chapter(corpus, monkeypatch):
    import convert.book

    def too_deep(path, root=None, max_size=None):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(convert.book, "read", too_deep)
    failures = []
    plan_book([corpus], on_failure=lambda source, message: failures.append(message))
    assert failures and all("nested too deeply" in m and "\n" not in m and ".txt" in m for m in failures)


def test_a_bug_while_reading_an_article_is_not_swallowed(corpus, monkeypatch):
    import convert.book

    book = plan_book([corpus])
    monkeypatch.setattr(convert.book, "read", lambda *args, **kwargs: {}["a bug"])
    with pytest.raises(KeyError):
        list(book.walk())
