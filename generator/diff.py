"""What changed between two versions of a delaftale, at the level people think in: delmål,
indicators, activities, roles and sections added, removed or changed, with the changed
wording marked word by word. Plain data in, plain data out; the history page renders it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from html import escape

from .models import DelaftaleBase

# Text sections compared as wholes, with the names readers know them by.
SECTIONS = {
    "medarbejderressourcer": "Medarbejderressourcer",
    "sammenhaeng_fysisk": "Sammenhæng med den fysiske indsats",
    "sammenhaeng_kommunal": "Sammenhæng med den kommunale indsats",
    "revision": "Revision af delaftalen",
    "problemkompleks": "Problemkompleks",
    "formaal_og_maal": "Formål og mål",
    "formaal": "Formål",
    "konflikthaandtering": "Konflikthåndtering og underretning",
}
ACTIVITY_FIELDS = {"navn": "navn", "formaal": "formål", "maalgrupper": "målgrupper", "indhold": "indhold og praksis",
                   "medarbejderressourcer": "medarbejderressourcer", "forankring": "forankring"}
INDICATOR_FIELDS = {"tekst": "indikator", "baseline": "baseline", "anden_baseline": "anden baseline",
                    "baseline_aar": "baseline år", "datakilde": "datakilde"}


SIMILAR = 0.6    # texts at least this similar are the same item, changed
REWRITTEN = 0.3  # texts sharing less than this are shown as replaced, not word by word


@dataclass(frozen=True)
class Change:
    kind: str       # "tilføjet", "fjernet" or "ændret"
    what: str       # e.g. "Aktivitet «Gårdfester»"
    detail: str = ""  # HTML: the changed wording, with <del> and <ins>


def wording(old: object, new: object) -> str:
    """Word-level difference as HTML: removed words in <del>, added in <ins>."""
    a, b = str(old or "").split(), str(new or "").split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    if a and b and matcher.quick_ratio() < REWRITTEN:
        # A rewritten text: a word diff would be noise (and costs len(a) * len(b)).
        return f"<del>{escape(' '.join(a))}</del> <ins>{escape(' '.join(b))}</ins>"
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            words = a[i1:i2]
            out.append(escape(" ".join(words if len(words) <= 12 else [*words[:5], "…", *words[-5:]])))
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def _similarity(a: str, b: str) -> float:
    """difflib's ratio, skipped (0) when its cheap upper bounds already say "too different"."""
    matcher = difflib.SequenceMatcher(a=a, b=b)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _pair(old: list, new: list, key) -> tuple[list, list, list]:
    """(pairs, removed, added): exact keys first, then the most similar remaining texts."""
    pairs, rest_new = [], list(new)
    rest_old = []
    for item in old:
        match = next((n for n in rest_new if key(n) == key(item)), None)
        if match is None:
            rest_old.append(item)
        else:
            pairs.append((item, match))
            rest_new.remove(match)
    removed = []
    for item in rest_old:
        scored = [(_similarity(key(item), key(n)), i) for i, n in enumerate(rest_new)]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR:
            pairs.append((item, rest_new.pop(best[1])))
        else:
            removed.append(item)
    return pairs, removed, rest_new


def _fields(old, new, fields: dict[str, str], what: str) -> list[Change]:
    changes = []
    for name, label in fields.items():
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after:
            changes.append(Change("ændret", f"{what}: {label}", wording(before, after)))
    return changes


def compare(old: DelaftaleBase, new: DelaftaleBase, party_names: dict[str, str] | None = None) -> list[Change]:
    """Changes from ``old`` to ``new``; ``party_names`` (id -> name) names roles of known parties."""
    changes: list[Change] = []

    old_goals, new_goals = getattr(old, "delmaal", []), getattr(new, "delmaal", [])
    pairs, removed, added = _pair(old_goals, new_goals, key=lambda g: g.tekst)
    changes += [Change("fjernet", f"Delmål «{g.tekst}»") for g in removed]
    changes += [Change("tilføjet", f"Delmål «{g.tekst}»") for g in added]
    for before, after in pairs:
        if before.tekst != after.tekst:
            changes.append(Change("ændret", f"Delmål «{after.tekst}»", wording(before.tekst, after.tekst)))
        ind_pairs, ind_removed, ind_added = _pair(before.indikatorer, after.indikatorer, key=lambda i: i.tekst)
        changes += [Change("fjernet", f"Indikator «{i.tekst}» under «{after.tekst}»") for i in ind_removed]
        changes += [Change("tilføjet", f"Indikator «{i.tekst}» under «{after.tekst}»") for i in ind_added]
        for b, a in ind_pairs:
            changes += _fields(b, a, INDICATOR_FIELDS, f"Indikator «{a.tekst}»")

    old_acts = {a.id: a for a in old.aktiviteter}
    new_acts = {a.id: a for a in new.aktiviteter}
    changes += [Change("fjernet", f"Aktivitet «{a.navn}»") for i, a in old_acts.items() if i not in new_acts]
    changes += [Change("tilføjet", f"Aktivitet «{a.navn}»") for i, a in new_acts.items() if i not in old_acts]
    for ident in [i for i in new_acts if i in old_acts]:  # the new version's order: reproducible output
        before, after = old_acts[ident], new_acts[ident]
        what = f"Aktivitet «{after.navn}»"
        changes += _fields(before, after, ACTIVITY_FIELDS, what)
        changes += _roles(before, after, what, party_names or {})

    for name, label in SECTIONS.items():
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after and (before or after):
            changes.append(Change("ændret", label, wording(before, after)))
    return changes


def _roles(before, after, what: str, party_names: dict[str, str]) -> list[Change]:
    def roles(activity) -> dict[str, object]:
        return {r.part or r.navn: r for g in getattr(activity, "alle_rollegrupper", []) for r in g.roller}

    def name(role) -> str:
        return role.betegnelse or role.navn or party_names.get(role.part, role.part)

    old_roles, new_roles = roles(before), roles(after)
    changes = [Change("fjernet", f"{what}: rollen «{name(r)}»") for k, r in old_roles.items() if k not in new_roles]
    changes += [Change("tilføjet", f"{what}: rollen «{name(r)}»") for k, r in new_roles.items() if k not in old_roles]
    for key in [k for k in new_roles if k in old_roles]:
        b, a = old_roles[key], new_roles[key]
        key = name(a)
        for duty in a.opgaver:
            if duty not in b.opgaver:
                changes.append(Change("tilføjet", f"{what}: opgave for «{key}»", escape(duty)))
        for duty in b.opgaver:
            if duty not in a.opgaver:
                changes.append(Change("fjernet", f"{what}: opgave for «{key}»", escape(duty)))
        if b.tekst != a.tekst:
            changes.append(Change("ændret", f"{what}: rollen «{key}»", wording(b.tekst, a.tekst)))
    return changes
