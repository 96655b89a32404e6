"""What the project's models are: per scheme, trained or not, on which labels, usable or why not,
whether the labels have changed since, and whether the lead shows its suggestions."""

from __future__ import annotations

from typing import Any

from annotator.core.model import settings as model_settings
from annotator.core.model.records import examples, fingerprint
from annotator.core.model.storage import ModelRefused, load_heads
from annotator.core.store import Store
from annotator.core.wording import plural


def status(store: Store) -> dict[str, Any]:
    """{"schemes": {scheme: {...}}, "settings": {...}, "size_bytes": n}."""
    settings = model_settings.read(store)
    heads = load_heads(store)
    texts = store.items.model_texts()
    ids = {t.uid: t.item_id for t in texts}
    uids = {t.item_id: t.uid for t in texts}
    out: dict[str, Any] = {}
    for scheme in store.codebook().schemes:
        entry: dict[str, Any] = {"suggestions": scheme.name in settings["suggest"]}
        loaded = heads.get(scheme.name)
        if loaded is None:
            entry["model"] = "none"
        elif isinstance(loaded, ModelRefused):
            entry["model"] = "refused"
            entry["why"] = str(loaded)
        else:
            meta = loaded.meta
            sources = tuple(meta.get("sources", []))
            now_labels = fingerprint(scheme, examples(store, scheme, sources, ids), sources, meta.get("seed", 0), uids)
            entry |= {"model": "ready", "version": loaded.version, "trained_at": loaded.trained_at,
                      "examples": meta.get("examples"), "origins": meta.get("origins"), "sources": list(sources),
                      "options": loaded.head.options, "left_out": meta.get("left_out", []),
                      "labels_changed": now_labels != meta.get("labels")}
        out[scheme.name] = entry
    return {"schemes": out, "settings": settings, "size_bytes": store.models.size()}


def status_lines(result: dict[str, Any]) -> str:
    """``status`` for the terminal: one line per scheme, then the settings."""
    lines = []
    for name, e in result["schemes"].items():
        shown = "suggestions on" if e["suggestions"] else "suggestions off"
        if e["model"] == "none":
            lines.append(f"{name}: no model ({shown})")
        elif e["model"] == "refused":
            lines.append(f"{name}: model not used ({shown}): {e['why']}")
        else:
            origins = ", ".join(f"{k} {n}" for k, n in (e["origins"] or {}).items())
            changed = "; labels have changed since" if e["labels_changed"] else ""
            left = f"; too few examples of {', '.join(e['left_out'])}" if e["left_out"] else ""
            lines.append(f"{name}: model {e['version']} trained {e['trained_at']} on {plural(e['examples'], 'item')} "
                         f"({origins}){changed}{left} ({shown})")
    s = result["settings"]
    lines.append(f"learns from {', '.join(s['sources'])}, seed {s['seed']}; next follows: {s['order']}; "
                 f"models take {result['size_bytes'] / 1e6:.1f} MB")
    return "\n".join(lines) + "\n"
