"""The suggestions the coding window shows for the item on screen, and what history keeps of them.

The window's session keeps one ``OnScreen``. It reads the lead's settings once (and again
after a retrain, ``reload``); with no scheme turned on it never loads a model or imports
scikit-learn, so a project without suggestions opens and steps as fast as before. For an item
it gives the suggestions of the schemes shown (``Suggester``: none at all on the reliability
sample), and ``record`` is what every change made while they are on screen carries into
``label_events.suggested`` -- NULL exactly when nothing was suggested on screen.

A model that cannot be used (refused, damaged) shows nothing rather than stopping a key:
suggestions are a help, the coding is the work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.model import settings as model_settings
from annotator.core.store import Store

if TYPE_CHECKING:
    from annotator.core.model.model import Suggester, Suggestion


class OnScreen:
    """The suggestions for the item on screen (``shown``) and their record for history."""

    def __init__(self, store: Store) -> None:
        self.shown: dict[str, Suggestion] = {}
        self.record: str | None = None
        self.problem = ""  # why no suggestion is shown although the lead turned some on
        self.order = "document"  # what "next" follows in a coder's assignment (``ordering``)
        self._store = store
        self._suggester: Suggester | None = None
        self._scorer: Suggester | None | bool = None  # every usable model, for the order; False: none
        self._trained = False
        self.reload(store)

    @property
    def trained(self) -> bool:
        """Whether the project has models at all (only then is retraining worth a look)."""
        return self._trained

    @property
    def turned_on(self) -> list[str]:
        """The schemes the lead turned suggestions on for, whose models are usable here."""
        return list(self._suggester.models) if self._suggester is not None else []

    def reload(self, store: Store | None = None) -> None:
        """Read the settings and the models again (the project was reopened, or retrained)."""
        self._store = store or self._store
        self._suggester = None
        self._scorer = None
        self.problem = ""
        try:
            settings = model_settings.read(self._store)
            self.order = settings["order"]
            wanted = settings["suggest"]
            self._trained = bool(self._store.models.rows())
            if wanted and self._trained:
                from annotator.core.model.model import Suggester  # scikit-learn only when it is used

                self._suggester = Suggester(self._store, schemes=wanted)
                self.problem = "; ".join(self._suggester.refused.values())
        except AnnotatorError as e:
            self.problem = str(e)

    def uncertainty(self) -> Callable[[list[int]], dict[int, float]] | None:
        """How unsure every usable model is of items (for an active order); None without one."""
        if self._scorer is None:
            self._scorer = False
            try:
                if self._store.models.rows():
                    from annotator.core.model.model import Suggester

                    names = [s.name for s in self._store.codebook().schemes]
                    self._scorer = Suggester(self._store, schemes=names)
            except AnnotatorError:
                pass
        if not self._scorer or not self._scorer.models:
            return None
        return self._scorer.uncertainty

    def versions(self) -> dict[str, str]:
        """{scheme: the version of the model its suggestions come from}."""
        return {name: m.version for name, m in self._suggester.models.items()} if self._suggester else {}

    def blind(self, item_id: int) -> bool:
        """Whether the item is in the reliability sample, where nothing is ever suggested."""
        return self._store.assignments.in_overlap(item_id)

    def show(self, item_id: int, schemes: list[str]) -> dict[str, Suggestion]:
        """The suggestions for ``item_id`` among ``schemes`` (those shown for it); kept as ``shown``."""
        found: dict[str, Suggestion] = {}
        if self._suggester is not None:
            try:
                found = self._suggester.suggestions_for(item_id)
            except AnnotatorError as e:
                self.problem = str(e)
        wanted = set(schemes)
        self.shown = {name: s for name, s in found.items() if name in wanted}
        self.record = _as_record(self.shown) if self.shown else None
        return self.shown

    def clear(self) -> None:
        self.shown, self.record = {}, None


def _as_record(shown: dict[str, Suggestion]) -> str | None:
    from annotator.core.model.model import as_record

    return as_record(shown)
