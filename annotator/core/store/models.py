"""The suggestion models kept in the project file: their rows in, their rows out, and the lead's settings.

What the rows mean -- which dtypes are allowed, how arrays are rebuilt, when a model is
refused -- is ``core/model/storage.py``'s; here is only how they are kept. Nothing here
ever unpickles: an array is a dtype string, a JSON shape and raw bytes.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from annotator.core.records import now
from annotator.core.store.part import Part

SETTINGS_KEY = "model_settings"


class ArrayRow(NamedTuple):
    """One stored array: its name, dtype string, shape (JSON text) and raw bytes."""

    name: str
    dtype: str
    shape: str
    data: bytes


class ModelRow(NamedTuple):
    """One scheme's stored model: the feature space it reads, its JSON meta, when it was trained."""

    scheme: str
    features: str
    meta: str
    trained_at: str


class Models(Part):
    """``store.models``: the trained models of the project and the lead's model settings."""

    def write(self, features_id: str, features_meta: str, features_arrays: list[ArrayRow],
              heads: dict[str, tuple[str, list[ArrayRow]]]) -> None:
        """Put a trained feature space and the models of ``heads`` ({scheme: (meta JSON, arrays)})
        in place of those schemes' earlier models, in one transaction; a feature space no model
        reads any longer goes."""
        at = now()
        with self._store.transaction():
            self._conn.execute(
                "INSERT INTO model_features(id, meta) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET meta = excluded.meta",
                [features_id, features_meta],
            )
            self._put_arrays(f"features:{features_id}", features_arrays)
            for scheme, (meta, arrays) in heads.items():
                self._conn.execute(
                    """INSERT INTO models(scheme, features, meta, trained_at) VALUES (?, ?, ?, ?)
                       ON CONFLICT(scheme) DO UPDATE SET features = excluded.features, meta = excluded.meta,
                       trained_at = excluded.trained_at""",
                    [scheme, features_id, meta, at],
                )
                self._put_arrays(f"scheme:{scheme}", arrays)
            self._drop_unread_features()

    def remove(self, scheme: str) -> bool:
        """Forget one scheme's model; True when there was one."""
        with self._store.transaction():
            gone = self._conn.execute("DELETE FROM models WHERE scheme = ?", [scheme]).rowcount
            self._conn.execute("DELETE FROM model_arrays WHERE owner = ?", [f"scheme:{scheme}"])
            self._drop_unread_features()
        return bool(gone)

    def rows(self) -> list[ModelRow]:
        """Every scheme's stored model, by scheme name."""
        return [ModelRow(*r) for r in self._conn.execute(
            "SELECT scheme, features, meta, trained_at FROM models ORDER BY scheme")]

    def features_meta(self, features_id: str) -> str | None:
        row = self._conn.execute("SELECT meta FROM model_features WHERE id = ?", [features_id]).fetchone()
        return row[0] if row else None

    def arrays(self, owner: str) -> list[ArrayRow]:
        """The arrays of ``features:<id>`` or ``scheme:<name>``, by name."""
        return [ArrayRow(*r) for r in self._conn.execute(
            "SELECT name, dtype, shape, data FROM model_arrays WHERE owner = ? ORDER BY name", [owner])]

    def size(self) -> int:
        """Bytes the stored models take (their JSON and their arrays)."""
        return self._conn.execute(
            """SELECT coalesce((SELECT sum(length(meta)) FROM model_features), 0)
                    + coalesce((SELECT sum(length(meta)) FROM models), 0)
                    + coalesce((SELECT sum(length(data)) FROM model_arrays), 0)"""
        ).fetchone()[0]

    def settings(self) -> dict[str, Any]:
        """The lead's model settings (JSON in ``meta``; ``core/model/settings.py`` says what they mean)."""
        text = self._store.meta(SETTINGS_KEY)
        return json.loads(text) if text else {}

    def set_settings(self, settings: dict[str, Any]) -> None:
        with self._store.transaction():
            self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                               [SETTINGS_KEY, json.dumps(settings, ensure_ascii=False, sort_keys=True)])

    def _put_arrays(self, owner: str, arrays: list[ArrayRow]) -> None:
        self._conn.execute("DELETE FROM model_arrays WHERE owner = ?", [owner])
        self._conn.executemany(
            "INSERT INTO model_arrays(owner, name, dtype, shape, data) VALUES (?, ?, ?, ?, ?)",
            [(owner, a.name, a.dtype, a.shape, a.data) for a in arrays],
        )

    def _drop_unread_features(self) -> None:
        self._conn.execute(
            "DELETE FROM model_arrays WHERE owner LIKE 'features:%' AND substr(owner, 10) NOT IN (SELECT features FROM models)")
        self._conn.execute("DELETE FROM model_features WHERE id NOT IN (SELECT features FROM models)")
