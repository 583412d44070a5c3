"""Source numbers on a page: each source gets a number at its first citation (1, 2, 3 ...)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from backpain_edu.catalog import Catalog
from backpain_edu.models import Reference, Statement
from backpain_edu.render.page import Block, Page, Section


@dataclass
class Citations:
    """Numbers sources in order of first citation on a page (1, 2, 3 ...)."""

    catalog: Catalog
    keys: list[str] = field(default_factory=list)

    def block(self, text: str, refs: Iterable[str]) -> Block:
        """The text with its sources' numbers, each once (joined statements may share a source)."""
        numbers = []
        for key in dict.fromkeys(refs):
            if key not in self.keys:
                self.keys.append(key)
            numbers.append(self.keys.index(key) + 1)
        return Block(text, tuple(numbers))

    def statement(self, statement: Statement) -> Block:
        return self.block(statement.text, statement.refs)

    def statements(self, statements: Iterable[Statement]) -> tuple[Block, ...]:
        return tuple(self.statement(s) for s in statements)

    def joined(self, *statements: Statement) -> Block:
        """Several statements read as one paragraph, citing all their sources."""
        return self.block(" ".join(s.text for s in statements), [key for s in statements for key in s.refs])

    def sources(self) -> tuple[Reference, ...]:
        return tuple(self.catalog.references[key] for key in self.keys)

    def page(self, title: str, slug: str, sections: Iterable[Section], **more: object) -> Page:
        """The finished page: the site's notice and page words, and the sources cited so far, in order."""
        catalog = self.catalog
        return Page(
            title=title,
            slug=slug,
            notice=catalog.notice,
            words=catalog.labels.page,
            sections=tuple(sections),
            sources=self.sources(),
            language=catalog.language,
            **more,  # type: ignore[arg-type]
        )
