"""What each partner has committed to, across all current agreements of its plan.

A partner is a party registered in a plan.yaml (free-text names cannot be followed across
agreements). Commitments come from the current version of every delaftale: membership in its
parties list, and roles in its activities (directly or in a sub-activity group); and, for a
master plan written as one document (2013), from the plan's own sections on the plan page
(its organisation's bodies and its areas of responsibility).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.corpus import Agreement, Corpus, PlanEntry
from generator.model.fields import suggest_id
from generator.model.parties import Kontaktperson, Part, Rolle


@dataclass
class Duty:
    """One role of the partner in one activity."""

    agreement: Agreement
    activity_id: str
    activity_name: str
    group: str | None
    role: Rolle


@dataclass
class PlanDuty:
    """One role of the partner in the plan's own sections (a body of its organisation, an area
    of responsibility): on the plan page, not in an agreement."""

    section: str  # the plan page's heading, e.g. 'Organisering'
    section_anchor: str
    anchor: str  # the role's own heading on the plan page
    role: Rolle


def plan_sections(entry: PlanEntry) -> list[tuple[str, str, str, list[Rolle]]]:
    """The plan's own sections that hold roles: (heading, anchor, prefix of each role's anchor,
    roles), with the headings and anchors templates/plan.md.j2 gives them."""
    document = entry.plan.dokument
    if document is None:
        return []
    sections = []
    if document.organisering:
        sections.append(("Organisering", "organisering", "organisering", document.organisering.organer))
    if document.ansvarsomraader:
        sections.append(("Ansvarsområder", "ansvarsomraader", "ansvar", document.ansvarsomraader.roller))
    return sections


def role_anchor(prefix: str, role: Rolle) -> str:
    """The id of a role's heading (templates/plan.md.j2 and komponenter/roller.md.j2)."""
    return f"{prefix}--{role.part or suggest_id(role.navn or '')}"


@dataclass
class Partner:
    plan: PlanEntry
    part: Part
    memberships: list[tuple[Agreement, str | None]] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    plan_duties: list[PlanDuty] = field(default_factory=list)
    contacts: list[Kontaktperson] = field(default_factory=list)

    @property
    def src_uri(self) -> str:
        return f"parter/{self.plan.plan.id}/{self.part.id}/index.md"

    @property
    def agreements(self) -> list[Agreement]:
        """Agreements the partner is party to or has duties in, in the plan's order."""
        involved = {id(a) for a, _ in self.memberships} | {id(d.agreement) for d in self.duties}
        return [a for a in self.plan.agreements if id(a) in involved]

    def duties_in(self, agreement: Agreement) -> list[Duty]:
        return [d for d in self.duties if d.agreement is agreement]

    def groups_in(self, agreement: Agreement) -> list[str | None]:
        """The parties-list groups the partner belongs to in the agreement (None: no group name)."""
        return [group for a, group in self.memberships if a is agreement]

    def activity_count(self, agreement: Agreement) -> int:
        return len({d.activity_id for d in self.duties if d.agreement is agreement})

    def _add_contacts(self, people: list[Kontaktperson]) -> None:
        for person in people:
            if person not in self.contacts:
                self.contacts.append(person)


def collect_partners(corpus: Corpus) -> list[Partner]:
    """Every registered party that appears in at least one current agreement or has a duty in
    its plan's own sections."""
    result: list[Partner] = []
    for entry in corpus.plans:
        partners = {p.id: Partner(entry, p) for p in entry.plan.parter}
        for partner in partners.values():
            partner._add_contacts(partner.part.kontaktpersoner)
        for section, section_anchor, prefix, roles in plan_sections(entry):
            for role in roles:
                if role.part in partners:
                    partners[role.part].plan_duties.append(
                        PlanDuty(section, section_anchor, role_anchor(prefix, role), role)
                    )
                    partners[role.part]._add_contacts(role.kontaktpersoner)
        for agreement in entry.agreements:
            model = agreement.current.model
            for group in model.parter:
                for member in group.deltagere:
                    if member.part in partners:
                        partners[member.part].memberships.append((agreement, group.gruppe))
                        partners[member.part]._add_contacts(member.kontaktpersoner)
            for activity in model.aktiviteter:
                for group in getattr(activity, "alle_rollegrupper", []):
                    for role in group.roller:
                        if role.part in partners:
                            partners[role.part].duties.append(
                                Duty(agreement, activity.id, activity.navn, group.titel, role)
                            )
                            partners[role.part]._add_contacts(role.kontaktpersoner)
        result += [p for p in partners.values() if p.memberships or p.duties or p.plan_duties]
    return result
