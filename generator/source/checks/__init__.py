"""The checks across fields and files: small named passes over the validated models.

Each file is first read and validated on its own (:mod:`generator.source.loading`); what one model
cannot know by itself (ids unique in a list, footnotes that exist, names that agree with the
file's place, periods that do not overlap, references to other agreements, a published version
left as it was) is checked here. Every pass takes the :class:`~generator.source.sourcefiles.Sources`
and returns problems; all passes run, so an author sees every problem in one run. A pass only
looks at files that validated: a file with errors is reported once, by itself, and what refers
to it says so instead of calling it missing.

The passes live in modules named for what they check: ``layout`` (names and places),
``documents`` (within one document), ``versions`` (periods, amounts of approved versions),
``references`` (links and images), ``published`` (the published record), ``indicators``
(indicators and measurements) and ``notes`` (notes, not errors); ``passes`` is how a pass runs.
"""

from __future__ import annotations

from generator.source.checks.documents import (
    check_footnotes,
    check_one_role_per_party,
    check_outlines,
    check_unique_ids,
)
from generator.source.checks.indicators import (
    check_baseline_numbers,
    check_indicator_ids,
    check_measurement_dates,
    check_measurements,
)
from generator.source.checks.layout import check_focus_areas, check_names, check_placement
from generator.source.checks.notes import (
    note_contact_data,
    note_html_images,
    note_invisible_characters,
    note_known_party_names,
)
from generator.source.checks.passes import Pass
from generator.source.checks.published import check_published_versions
from generator.source.checks.references import check_cross_references, check_figures
from generator.source.checks.versions import check_periods, check_unknown_amounts

__all__ = ["NOTES", "PASSES"]

#: Every check, in the order its problems are most useful; each is ``Sources -> problems``.
PASSES: list[Pass] = [
    check_placement,
    check_names,
    check_unique_ids,
    check_footnotes,
    check_one_role_per_party,
    check_outlines,
    check_focus_areas,
    check_periods,
    check_cross_references,
    check_published_versions,
    check_indicator_ids,
    check_measurements,
    check_unknown_amounts,
    check_figures,
    check_measurement_dates,
    check_baseline_numbers,
]

#: Every note (not an error: the build goes on), in the order they are most useful.
NOTES: list[Pass] = [note_known_party_names, note_html_images, note_contact_data, note_invisible_characters]
