"""Names and submodules of a package, loaded when first used (a module ``__getattr__``),
so that importing the package stays cheap."""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # not typing's: the command's start-up does not pay for it
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any


def lazy_attributes(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A ``__getattr__`` for ``package``: a public name in ``names`` (name -> the
    submodule that defines it) or a submodule (``pacer.plan``) loads when first used,
    and is kept."""

    def __getattr__(name: str) -> Any:
        from importlib.util import find_spec

        if name in names:
            value = getattr(importlib.import_module(f"{package}.{names[name]}"), name)
        elif not name.startswith("_") and find_spec(f"{package}.{name}"):
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
