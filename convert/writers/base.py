"""The one writer interface every output format implements.

A writer *renders* a document to bytes plus the resources that go beside it (pictures
for Markdown and HTML). Rendering to bytes keeps writers free of file handling: the
shared :func:`write_rendered` puts results in place (temporary file, then
rename), the batch layer can ship bytes across processes or a Dask cluster, and tests
can inspect output without touching the disk.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, Generic, TypeVar, cast

from ..errors import ConvertError, WriteError
from ..fsutil import check_relative, display_path, write_beneath
from ..model import Book, Diagnostic, Document
from ..typography import LANGUAGE

PAGE_SIZES = ("A4", "A5", "B5", "Letter")
#: Page layouts (``--style``): the toolkit's own, and GB/T 9704 official documents (DOCX;
#: writers without the option ignore it).
STYLES = ("normal", "gongwen")


@dataclass(frozen=True)
class WriterOptions:
    """Options every writer understands. Each writer extends this with a frozen dataclass."""

    language: str = LANGUAGE
    #: The edition's script (``zh-Hans``: as read; ``zh-Hant``, ``zh-TW``, ``zh-HK``,
    #: ``zh-TW-phrases``). Writers do not read it: the transform stage converts the document
    #: before any writer (see convert.transforms). It is a writer option so that the
    #: manifest keys every output by it and switching editions rebuilds.
    script: str = "zh-Hans"


@dataclass(frozen=True)
class Resource:
    """A file that goes beside the main output: ``relpath`` relative to the output's folder."""

    relpath: str
    data: bytes


@dataclass(frozen=True)
class Rendered:
    """A writer's result: the main file's bytes, the resources that go beside it, and warnings."""

    data: bytes
    resources: tuple[Resource, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


OptionsT = TypeVar("OptionsT", bound=WriterOptions)


def _with_own_options(method: Callable[..., Any]) -> Callable[..., Rendered]:
    """``method`` (a writer's ``render`` or ``render_book``) called with the caller's options
    converted to the writer's own type first: the one place options are converted."""

    @functools.wraps(method)
    def converting(self: Writer[Any], subject: object, options: WriterOptions | None = None,
                   *args: Any, **kwargs: Any) -> Rendered:
        rendered: Rendered = method(self, subject, self.own_options(options), *args, **kwargs)
        return rendered

    return converting


class Writer(Generic[OptionsT]):
    """Base class: subclass ``Writer[MyOptions]``, set ``name``, ``extension``, ``options_type``
    (``MyOptions``, a frozen dataclass extending :class:`WriterOptions`) and implement ``render``.

    ``render`` and ``render_book`` always receive an ``OptionsT``: whatever a caller passes (the
    common :class:`WriterOptions`, another writer's options, or None) is converted once, by
    the base class, before a subclass's method runs, so no writer converts or checks it again.
    """

    name: ClassVar[str]
    extension: ClassVar[str]  # with the dot: ".md"
    description: ClassVar[str] = ""
    options_type: type[OptionsT]  # a writer that sets none takes the common WriterOptions

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not hasattr(cls, "options_type"):
            cls.options_type = cast("type[OptionsT]", WriterOptions)
        for method_name in ("render", "render_book"):
            method = cls.__dict__.get(method_name)
            if callable(method):  # a class's own methods only, each wrapped once when it is defined
                setattr(cls, method_name, _with_own_options(method))

    def render(self, document: Document, options: OptionsT, destination: Path | None = None) -> Rendered:
        """Return the output's bytes. ``destination`` is where it will be written, for writers
        that link resources by a path relative to it; it is never written to here."""
        raise NotImplementedError

    def render_book(self, book: Book, options: OptionsT, destination: Path | None = None) -> Rendered:
        """Render many articles as one volume (``convert --book``). Writers that can, override this;
        walk ``book.walk()`` once (or twice, for page numbers) and keep no more documents than needed."""
        raise ConvertError(f"format {self.name!r} has no book mode; books are made as epub, pdf, ofd or docx")

    @property
    def supports_book(self) -> bool:
        return type(self).render_book is not Writer.render_book

    def own_options(self, options: WriterOptions | None) -> OptionsT:
        """``options`` as this writer's own type: a caller holding only the common options
        (or another writer's, or none) gets this writer's defaults with the common values kept."""
        if isinstance(options, self.options_type):
            return options
        if options is None:
            return self.options_type()
        if not isinstance(options, WriterOptions):
            raise ConvertError(f"writer {self.name!r} takes WriterOptions, not {type(options).__name__}")
        common: dict[str, Any] = {f.name: getattr(options, f.name) for f in dataclasses.fields(WriterOptions)}
        return self.options_type(**common)

    def make_options(self, **values: Any) -> OptionsT:
        """Build this writer's options from keyword values, ignoring none: unknown keys are an error."""
        known = {f.name for f in dataclasses.fields(self.options_type)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConvertError(
                f"writer {self.name!r} has no option {', '.join(unknown)}; it has: {', '.join(sorted(known))}"
            )
        return self.options_type(**values)

    def options_from(self, values: dict[str, Any]) -> OptionsT:
        """Build options from a shared pool of values (the command line), taking the ones this writer knows."""
        known = {f.name for f in dataclasses.fields(self.options_type)}
        chosen: dict[str, Any] = {k: v for k, v in values.items() if k in known and v is not None}
        return self.options_type(**chosen)

    def write(self, document: Document, destination: str | Path, options: WriterOptions | None = None) -> list[Diagnostic]:
        """Render and write atomically to ``destination`` (resources beside it); return the warnings."""
        destination = Path(destination)
        rendered = self.render(document, self.own_options(options), destination)
        write_rendered(rendered, destination)
        return list(rendered.diagnostics)


def write_rendered(
    rendered: Rendered, destination: str | Path, outdir: str | Path | None = None, durable: bool = True
) -> list[Path]:
    """Write ``rendered`` to ``destination`` below ``outdir`` (default: its own folder): the one
    write path of the batch, :func:`convert.write`, books and plugins.

    Resources first, the main file last, so a present main file means a complete output.
    Nothing is written outside ``outdir``: a resource path that climbs out of it (``../x``)
    is refused, and no symbolic link below it is followed (:func:`convert.fsutil.write_beneath`).
    """
    destination = Path(destination)
    base = Path(outdir) if outdir is not None else destination.parent
    try:
        relative = PurePosixPath(*destination.relative_to(base).parts)
    except ValueError:
        raise WriteError("refusing to write outside the output folder", display_path(destination)) from None
    written = []
    for resource in rendered.resources:
        target = PurePosixPath(resource.relpath)
        if check_relative(target):
            raise WriteError(f"the writer named a resource outside the output folder: {resource.relpath!r}",
                             display_path(destination), hint="please report this as a bug")
        write_beneath(base, relative.parent / target, resource.data, durable)
        written.append(base.joinpath(*(relative.parent / target).parts))
    write_beneath(base, relative, rendered.data, durable)
    written.append(destination)
    return written
