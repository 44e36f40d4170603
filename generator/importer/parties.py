"""The parties of a plan as an agreement names them: the list of parties with their contact
persons, and the roles (``Ansvars- og rollefordeling``) that give each party its duties."""

from __future__ import annotations

import re

from generator.importer.document import Block
from generator.importer.text import markdown, short_id
from generator.importer.yamlwrite import Tjek
from generator.model.fields import suggest_id

PARTY_TYPES = [
    ("boligsocial_indsats", r"sekretariat|helhedsplan|boligsocial"),
    ("politi", r"politi"),
    ("kommune", r"kommune|forvaltning|ssp|jobcenter|skole|bibliotek|\b(sof|buf|økf|tmf|kff|bif)\b"),
    (
        "boligorganisation",
        r"boligselskab|boligforening|boligorganisation|bolig|ejendomskontor|afdelingsbestyrelse|lejerbo|\b3b\b|fsb|kab\b",
    ),
    ("forening", r"forening|frivillig|klub"),
]


def guess_type(name: str) -> str:
    low = name.lower()
    return next((kind for kind, pattern in PARTY_TYPES if re.search(pattern, low)), "andet")


class Parties:
    """The plan's parties: those of an existing plan.yaml, and those the import registers."""

    def __init__(self, existing: list[dict], can_add: bool = True):
        self.known = list(existing)
        self.new: list[dict] = []
        self.can_add = can_add  # False for a plan that exists: its plan.yaml is not changed

    def find(self, name: str) -> str | None:
        wanted = suggest_id(name)
        for party in self.known + self.new:
            if party["id"] == wanted or suggest_id(party["navn"]) == wanted:
                return party["id"]
        return None

    def register(self, name: str) -> str | None:
        found = self.find(name)
        if found or not self.can_add:
            return found
        party_id = short_id(name)
        kind = guess_type(name)
        self.new.append({"id": party_id, "navn": name, "type": Tjek(kind, f"typen er gættet ud fra navnet '{name}'")})
        return party_id


_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
TITLE_WORD = re.compile(
    r"(chef|leder|formand|fører|direktør|koordinator|konsulent|medarbejder|rådgiver|sekretær|"
    r"inspektør|mester|vejleder|ansvarlig)$",
    re.I,
)


def contact(text: str) -> dict | None:
    """'SSP-Fagchef Jens Ansbjerg' -> title and name (the name: the last capitalised words)."""
    email = re.search(_EMAIL, text)
    rest = re.sub(_EMAIL, "", text).strip(" ,-–")
    words = rest.split()
    cut = len(words)
    while cut > 0 and re.match(r"^[A-ZÆØÅ][\w.-]*$", words[cut - 1]) and len(words) - cut < 3:
        cut -= 1
    while cut < len(words) - 1 and TITLE_WORD.search(words[cut].rstrip(",")):
        cut += 1  # "SSP-Fagchef Jens Ansbjerg": a capitalised title is still a title
    if cut == len(words):
        return None
    person: dict = {"navn": " ".join(words[cut:])}
    if cut:
        person["titel"] = " ".join(words[:cut]).rstrip(",")
    if email:
        person["email"] = email.group(0)
    return person


def participant(text: str) -> dict | str:
    """One line of the parties list: a free name, with contact persons in brackets or after commas."""
    found = re.match(r"^(.*?)\s*\((.+)\)\s*$", text)
    if found:
        persons = [contact(p) for p in re.split(r"(?<!-)\s+og\s+", found.group(2))]  # not "Borgerservice- og …"
        if all(persons):
            return {
                "navn": found.group(1).strip(" ,"),
                "kontaktpersoner": [Tjek(p, "titel og navn er delt automatisk") for p in persons],
            }
    if re.search(_EMAIL, text):
        parts = [p.strip() for p in text.split(",") if p.strip()]
        person = contact(", ".join(p for p in parts if re.search(_EMAIL, p) or p == parts[0]))
        organisation = ", ".join(p for p in parts[1:] if not re.search(_EMAIL, p))
        if person and organisation:
            return {"navn": organisation, "kontaktpersoner": [Tjek(person, "titel, navn og e-mail er delt automatisk")]}
    return text


def party_groups(blocks: list[Block]) -> list[dict]:
    groups: list[dict] = []
    for block in blocks:
        if block.kind == "heading" or (block.kind == "para" and block.text.endswith(":")):
            groups.append({"gruppe": block.text.rstrip(":").strip(), "deltagere": []})
            continue
        if not groups:
            groups.append({"deltagere": []})
        lines = [block.text] if block.kind != "table" else [" ".join(r) for r in block.rows]
        groups[-1]["deltagere"].extend(participant(line) for line in lines if line)
    for group in groups:
        if not group["deltagere"]:
            group["deltagere"] = [Tjek(group.pop("gruppe"), "en overskrift uden parter under sig: tjek gruppen")]
    return [g for g in groups if g["deltagere"]]


def roles(blocks: list[Block], parties: Parties, notes: dict[str, str]) -> dict:
    """'Ansvars- og rollefordeling': a heading per party ('Det Boligsociale Sekretariat:') with its
    duties as items or a text; text before the first party is the introduction."""
    intro: list[Block] = []
    found: list[dict] = []
    by_party: dict[str, dict] = {}
    for block in blocks:
        holder = (
            block.text.rstrip(":").strip()
            if block.kind in ("heading", "para")
            and (block.text.endswith(":") or block.kind == "heading")
            and len(block.text) < 120
            else None
        )
        if holder and not re.match(r"^(roller og ansvar|kontakt)", holder.lower()):
            name = re.sub(r"(s)?\s+(rolle|ansvar|opgaver)( er)?$", "", holder).split("/")[0].strip() or holder
            party_id = parties.register(name)
            role = by_party.get(party_id or name)
            if role is None:
                role = {"part": party_id} if party_id else {"navn": Tjek(name, "ikke en part i plan.yaml")}
                if name != holder:
                    role["betegnelse"] = holder
                by_party[party_id or name] = role
                found.append(role)
            continue
        if not found:
            intro.append(block)
            continue
        role = found[-1]
        if block.kind == "item":
            role.setdefault("opgaver", []).append(markdown([Block("para", block.text)], notes))
        else:
            role["tekst"] = (role.get("tekst", "") + "\n\n" + markdown([block], notes)).strip()
    for role in found:
        if not role.get("opgaver") and not role.get("tekst"):
            role["tekst"] = Tjek("(ingen opgaver angivet)", "rollen har ingen tekst i aftalen")
    result: dict = {}
    if intro:
        result["roller_indledning"] = markdown(intro, notes)
    if found:
        result["roller"] = found
    if not result:
        result["roller_indledning"] = Tjek(
            "(ingen rollefordeling angivet)", "aktiviteten har ingen rollefordeling i aftalen"
        )
    return result
