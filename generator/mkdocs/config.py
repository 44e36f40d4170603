"""Options of the ``delaftaler`` MkDocs plugin (paths are relative to mkdocs.yml)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from generator.publish.opendata import DATA_PAGE
from generator.publish.search import PART_CHARS
from generator.publish.site import SiteOptions, reference_date
from generator.render.guide import GUIDE_URI
from generator.render.renderer import AREA_INDEX, MUNICIPALITY_INDEX, PARTNER_INDEX


class DelaftalerConfig(base.Config):
    #: Folder with plan.yaml files and delaftale versions.
    agreements_dir = c.Type(str, default="agreements")
    #: Folder with the Jinja templates that turn agreements into Markdown.
    templates_dir = c.Type(str, default="templates")
    #: Date (YYYY-MM-DD) that decides which version of a delaftale is current. Default: the
    #: date of SOURCE_DATE_EPOCH when set (reproducible builds), else today.
    reference_date = c.Optional(c.Type(str))
    #: Show contact persons (names, e-mail addresses) where agreements state them. They are
    #: never put into the search index; set to false to leave them out of the site entirely.
    show_contacts = c.Type(bool, default=True)
    #: Replace e-mail addresses and phone numbers typed into running text (not as contact persons)
    #: by "[e-mailadresse udeladt]" / "[telefonnummer udeladt]" in the open data (JSON, CSV) and
    #: the search index, as contact persons are left out of them. The pages show the text as the
    #: agreement writes it (a public document); ``validate`` notes each one. Set to false to
    #: publish them in the data and the search too.
    mask_contact_data = c.Type(bool, default=True)
    #: Put the landing page and the overviews (focus areas, municipalities, parties) first in the
    #: navigation, before the entries of ``nav``.
    nav = c.Type(bool, default=True)
    #: Build the Pagefind search index (``pagefind/``) of the generated pages. Without it the
    #: search page finds nothing; turn it off only for quick local previews.
    search_index = c.Type(bool, default=True)
    #: Build only this plan (its delaftaler, partners and overviews): a preview that reloads in
    #: a second or two while an author edits one plan of a large collection. Every file is
    #: still checked. mkdocs.yml sets it from the environment variable DELAFTALER_PLAN, which
    #: ``delaftale forhaandsvis <plan>`` sets.
    preview_plan = c.Optional(c.Type(str))
    #: Show drafts (versions with ``status: udkast``) with a banner "Udkast – ikke godkendt".
    #: Only for previews: a public build leaves them out. mkdocs.yml sets it from the environment
    #: variable DELAFTALER_UDKAST, which ``delaftale forhaandsvis`` sets.
    include_drafts = c.Type(bool, default=False)
    #: The address manifest as last published (relative to mkdocs.yml). Approved versions recorded
    #: in it may not change without a dated correction note; its addresses must not disappear.
    published_addresses = c.Type(str, default="publicerede-adresser.json")
    #: The licence of the open data (JSON and CSV files, see opendata.py): an SPDX id of
    #: ``opendata.LICENSES``. CC0: the agreements are public documents, and reuse should need
    #: no attribution bookkeeping (README, "Open data").
    data_license = c.Choice(("CC0-1.0", "CC-BY-4.0"), default="CC0-1.0")
    #: Build into a ``site_dir`` that is a symbolic link, replacing the whole folder it points to
    #: (e.g. a web server's folder that holds only the site). Off: a link is refused, since a
    #: ``site`` link to a folder with anything else in it (a home folder) would lose all of it.
    publish_through_link = c.Type(bool, default=False)
    #: At most this many characters of pages in one part of the search index. Pagefind's memory
    #: follows the text it indexes (about 15 bytes a character: 1.15 GB at 1,000 agreements), so
    #: a larger site is indexed in parts, one after another, which the search page merges.
    search_part_chars = c.Type(int, default=PART_CHARS)


def site_options(config: MkDocsConfig, options: DelaftalerConfig, *, serving: bool = False) -> SiteOptions:
    """What decides the site (publish/site.py), from mkdocs.yml: the plugin's options and MkDocs'
    own. ``serving``: the live builds of `mkdocs serve`, which make no PDFs. A wrong setting
    raises SiteOptionError."""
    root = Path(config.config_file_path).parent
    return SiteOptions(
        root=root,
        agreements_dir=root / options.agreements_dir,
        templates_dir=root / options.templates_dir,
        site_name=config.site_name,
        site_url=config.site_url,
        reference_date=reference_date(options.reference_date),
        show_contacts=options.show_contacts,
        mask_contacts=options.mask_contact_data,
        data_license=options.data_license,
        include_drafts=options.include_drafts,
        preview_plan=options.preview_plan,
        published_addresses=root / options.published_addresses,
        pdfs=not serving,
    )


def sources(config: MkDocsConfig, options: SiteOptions) -> list[Path]:
    """The folders a build reads: no symbolic link in them may lead out of the project."""
    folders = [options.agreements_dir, options.templates_dir, Path(config.docs_dir)]
    return folders + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])


def navigation() -> list:
    """The same few entries on every page, whatever the number of plans.

    Material writes the whole navigation into every page, so a nav listing every plan and
    delaftale grows every page with the corpus (626 KB a page and a quadratic build at 1,000
    pages). Plans -> delaftaler is walked in the pages instead: the landing page lists the plans
    by municipality, a plan page its delaftaler, and each delaftale shows its plan and siblings."""
    return [
        {"Forside": "index.md"},
        {"Indsatsområder": AREA_INDEX},
        {"Kommuner": MUNICIPALITY_INDEX},
        {"Parter": PARTNER_INDEX},
        {"Data": DATA_PAGE},
        {"Skrivevejledning": GUIDE_URI},
    ]
