"""The component protocol and the pipeline runner.

A component is a callable taking and returning the `Doc`; it declares what it needs and what it adds
(names of `Doc` attributes), so that `Pipeline` can check the order once when it is built.
"""

from __future__ import annotations

from typing import Protocol

from lagebild.errors import ConfigError
from lagebild.lexicons.loader import LanguageData
from lagebild.model import Doc


class Component(Protocol):
    name: str
    needs: tuple[str, ...]
    adds: tuple[str, ...]

    def __call__(self, doc: Doc) -> Doc: ...


class Pipeline:
    """Named components run in order over one `Doc` per article."""

    def __init__(self, lang: LanguageData, components: list[Component]) -> None:
        available: set[str] = {"text", "published"}
        for component in components:
            missing = [need for need in component.needs if need not in available]
            if missing:
                raise ConfigError(
                    f"component '{component.name}' needs {missing}, which no earlier component adds; "
                    f"order the pipeline so that it runs after the components that add them"
                )
            available.update(component.adds)
        self.lang = lang
        self.components = components

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, doc: Doc) -> Doc:
        for component in self.components:
            doc = component(doc)
        return doc
