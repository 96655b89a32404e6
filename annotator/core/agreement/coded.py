"""CodedScheme: one scheme's labels as the metrics take them, a matrix of category codes.

Its own module because both ``project.py`` (which builds it from a project) and the readers
of it -- ``assisted.py``, the report -- need it, and ``project.py`` in turn calls ``assisted.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class CodedScheme:
    """One scheme's labels coded for the metrics: ``R`` units x ``coders``, a unit per item
    with a value (``item_ids``, ascending), -1 where a coder gave none, else an index into
    ``categories``; ``empty`` marks the values that are the empty set ("none of these")."""

    R: np.ndarray
    categories: list
    coders: list[str]
    item_ids: np.ndarray
    empty: np.ndarray
