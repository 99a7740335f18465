"""The indicator catalogue shipped as data (catalogue.toml): canonical names, synonyms, units, dimensions.

Loaded once per process; click-free. Used by ``extract`` (names, units, dimensions, plan ids) and by
statistics matching (a row named by a synonym of a target's indicator matches it).
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from ipreport.util.numbers import fold_name


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry."""

    name: str
    synonyms: tuple[str, ...]
    unit: str
    dimension: str
    measure: str  # "stock" or "flow"
    decimals: int

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    regions: dict[str, str]  # region name -> romanised form for plan ids
    by_name: dict[str, Indicator]  # folded name or synonym -> entry

    def lookup(self, name: str) -> Indicator | None:
        """The entry ``name`` is the canonical name or a synonym of (after folding), or None."""
        return self.by_name.get(fold_name(name))

    def of_target(self, indicator: str, name: str) -> Indicator | None:
        """The entry of a target: by its indicator, else by its own name."""
        return self.lookup(indicator) or self.lookup(name)

    def within(self, text: str) -> Indicator | None:
        """The entry whose longest name or synonym occurs in ``text`` ("全省每万人口…拥有量"), or None."""
        folded = fold_name(text)
        best: tuple[int, Indicator] | None = None
        for key, entry in self.by_name.items():
            if key in folded and (best is None or len(key) > best[0]):
                best = (len(key), entry)
        return best[1] if best else None

    def romanised(self, region: str) -> str | None:
        return self.regions.get(region)


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogue, read once."""
    # Beside this module, as util/resources finds the bundled files: importlib.resources (with its
    # zip readers and tempfile) cost a twentieth of a `gaps` run to find the same file.
    data = tomllib.loads(Path(__file__).with_name("catalogue.toml").read_text(encoding="utf-8"))
    indicators = tuple(
        Indicator(item["name"], tuple(item.get("synonyms", ())), item["unit"], item["dimension"],
                  item["measure"], int(item["decimals"]))
        for item in data["indicator"]
    )
    by_name: dict[str, Indicator] = {}
    for entry in indicators:
        for name in entry.names:
            by_name.setdefault(fold_name(name), entry)
    return Catalogue(indicators, dict(data.get("regions", {})), by_name)
