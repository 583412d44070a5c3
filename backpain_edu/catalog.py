"""Load all content once, check that every cross-reference resolves, look things up by id."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from backpain_edu.deployment import DEFAULT_REGION, Deployment
from backpain_edu.models import (
    About,
    CareComponent,
    CareOptions,
    Changelog,
    Checklist,
    ContentError,
    Contraindications,
    Course,
    DiaryContent,
    EducatorGuide,
    EmergencyHelp,
    Finding,
    Findings,
    GlossaryTerm,
    Governance,
    Injection,
    Labels,
    Languages,
    NoInjection,
    Readiness,
    RedFlags,
    Reference,
    RegionHelp,
    Reviews,
    ScaleFinding,
    Site,
    SiteMap,
    WarningSigns,
)

CONTENT_DIR = Path(__file__).parent / "content"

CHANGELOG_FILE = "changelog.yaml"
"""Each language's change log: the one content file the content fingerprint leaves out (it records the fingerprint)."""

LANGUAGE_FILES = {
    "site": "site.yaml",
    "red_flags": "red_flags.yaml",
    "contraindications": "contraindications.yaml",
    "glossary": "glossary.yaml",
    "checklist": "checklist.yaml",
    "care_options": "care_options.yaml",
    "diary": "diary.yaml",
    "emergency_help": "emergency.yaml",
    "warning_signs": "warning_signs.yaml",
    "governance": "governance.yaml",
    "site_map": "pages.yaml",
    "labels": "labels.yaml",
    "findings": "findings.yaml",
    "no_injection": "no_injection.yaml",
    "readiness": "readiness.yaml",
    "about": "about.yaml",
    "changelog": CHANGELOG_FILE,
}
"""The one list of content files each language has (besides ``injections/*.yaml``), by the catalog field each
fills: the catalog, the reading-grade gate and the translation check all read the content through it, and a test
checks that no file in a content folder is missing from it."""
EDUCATOR_GUIDE_FILE = "educator_guide.yaml"
REVIEWS_FILE = "reviews.yaml"
"""Signed clinical reviews (optional; the repository carries none): each names its language and files."""
SHARED_FILES = frozenset({"references.yaml", EDUCATOR_GUIDE_FILE, "languages.yaml", REVIEWS_FILE})
"""Files every language shares, in the source language's folder only: the sources (cited as published), the
educators' session guide, and the list of languages."""

M = TypeVar("M", bound=BaseModel)

# libyaml's safe loader parses our content about 15x faster than the pure-Python one (measured:
# 0.28 s -> 0.02 s per full load); every Voila kernel pays this once, so use it where installed.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Catalog:
    """Every piece of content, validated, with lookups by id."""

    site: Site
    injections: tuple[Injection, ...]
    red_flags: RedFlags
    contraindications: Contraindications
    glossary: dict[str, GlossaryTerm]
    references: dict[str, Reference]
    checklist: Checklist
    care_options: CareOptions
    diary: DiaryContent
    educator_guide: EducatorGuide
    emergency_help: EmergencyHelp
    warning_signs: WarningSigns
    governance: Governance
    site_map: SiteMap
    labels: Labels
    findings: Findings
    no_injection: NoInjection
    readiness: Readiness
    about: About
    changelog: Changelog
    reviews: Reviews = Reviews()
    deployment: Deployment = Deployment()
    language: str = "en"
    """The code of the language this catalog's text is in (``languages.yaml``)."""

    @property
    def region(self) -> RegionHelp:
        """Where to get help for this deployment's region (all three numbers when it is unknown)."""
        regions = self.emergency_help.regions
        return regions.get(self.deployment.region, regions[DEFAULT_REGION])

    @property
    def notice(self) -> str:
        """The education-only notice on every page and PDF, ending with what to do in an emergency."""
        return f"{self.site.notice} {self.region.notice}"

    def documents(self) -> Iterator[tuple[str, Any]]:
        """Each of this language's content files (its name in the language's folder) and what it holds, injections
        first, in one order for every language; the glossary as its terms in file order."""
        for injection in self.injections:
            yield f"injections/{injection.id}.yaml", injection
        for field, file in LANGUAGE_FILES.items():
            value = getattr(self, field)
            yield file, tuple(value.values()) if isinstance(value, dict) else value

    def finding_for(self, injection_id: str, kind: str = "helps") -> Finding | None:
        """The count an injection's page shows as a picture of a benefit (beside "how big") or of a harm (beside the
        side effects), if our sources give one."""
        return next((f for f in self.findings.findings if f.injection == injection_id and f.kind == kind), None)

    def scale_for(self, injection_id: str) -> ScaleFinding | None:
        """The mean change on a pain scale an injection's page draws beside its benefits, if our sources give one."""
        return next((scale for scale in self.findings.scales if scale.injection == injection_id), None)

    def course_finding(self, course: Course) -> Finding | None:
        """The count of how a kind of pain went without an injection, shown with the "no injection" option."""
        return next((f for f in self.findings.findings if f.course == course), None)

    def injection(self, injection_id: str) -> Injection:
        for injection in self.injections:
            if injection.id == injection_id:
                return injection
        known = ", ".join(i.id for i in self.injections)
        raise KeyError(f"no injection with id '{injection_id}' (known: {known})")

    def component(self, component_id: str) -> CareComponent:
        for component in self.care_options.components:
            if component.id == component_id:
                return component
        raise KeyError(f"no part of care with id '{component_id}'")


def field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _name(path: Path, base: Path) -> str:
    """The file as an editor knows it: relative to the content folder when it is inside it."""
    path, base = path.resolve(), base.resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)


def _read_yaml(path: Path, base: Path) -> Any:
    name = _name(path, base)
    if not path.is_file():
        raise ContentError(name, "(file)", "the file is missing")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise ContentError(name, where, f"not valid YAML: {error}") from None


def _validate(name: str, data: Any, model: type[M], loc: tuple[int | str, ...] = ()) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        problems = {
            "missing": "this required field is missing",
            "string_too_short": "expected non-empty text",
        }
        problem = problems.get(first["type"], first["msg"])
        if first["type"] == "value_error":  # a model's own check: its message, without pydantic's "Value error, "
            problem = str(first["ctx"]["error"])
        raise ContentError(name, field_path((*loc, *first["loc"])), problem) from None


def load_model(path: Path, model: type[M], base: Path = CONTENT_DIR) -> M:
    """Parse one YAML file into ``model``; a mismatch raises ContentError naming the field."""
    return _validate(_name(path, base), _read_yaml(path, base), model)


def _load_list(path: Path, model: type[M], base: Path) -> list[M]:
    data = _read_yaml(path, base)
    name = _name(path, base)
    if not isinstance(data, list):
        raise ContentError(name, "(top level)", "expected a list of entries")
    return [_validate(name, entry, model, (index,)) for index, entry in enumerate(data)]


@dataclass(frozen=True)
class Leaf:
    """One value at the end of a walk through content: where it is, and the model fields on the way there."""

    loc: tuple[int | str, ...]
    value: Any
    fields: tuple[str, ...]
    """The names of the model fields on the way, outermost first (list indexes and mapping keys left out)."""
    info: FieldInfo | None
    """How the innermost of those fields is declared (its type says whether it holds prose)."""


def walk(value: Any, loc: tuple[int | str, ...] = (), fields: tuple[str, ...] = (), info: Any = None) -> Iterator[Leaf]:
    """Every leaf inside a model, list or mapping of content, in field order: the one walker over content (the
    sources cited, the reading-grade gate and the prose a translator translates all read it)."""
    if isinstance(value, BaseModel):
        for name, field_info in type(value).model_fields.items():
            yield from walk(getattr(value, name), (*loc, name), (*fields, name), field_info)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from walk(item, (*loc, index), fields, info)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*loc, key), fields, info)
    else:
        yield Leaf(loc, value, fields, info)


def iter_refs(value: Any) -> Iterator[tuple[str, str]]:
    """Yield (field path, reference key) for every ``refs`` entry inside a model."""
    for leaf in walk(value):
        if leaf.fields and leaf.fields[-1] == "refs":
            yield field_path(leaf.loc), leaf.value


def _check_refs(name: str, value: Any, references: dict[str, Reference]) -> None:
    for field, key in iter_refs(value):
        if key not in references:
            raise ContentError(name, field, f"unknown reference key '{key}' (not in references.yaml)")


def _check_unique(name: str, entries: Iterable[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for field, entry_id in entries:
        if entry_id in seen:
            raise ContentError(name, field, f"the id '{entry_id}' is used twice")
        seen.add(entry_id)


def _checklist_links(checklist: Checklist) -> Iterator[tuple[str, str, str]]:
    """(field, id, kind) for every injection or part of care the checklist points at."""
    for group in ("signals", "locations"):
        for index, item in enumerate(getattr(checklist, group)):
            for answer, topic in (("if_yes", item.if_yes), ("if_no", item.if_no)):
                for kind in ("injections", "care"):
                    for n, ref in enumerate(getattr(topic, kind) if topic else ()):
                        yield f"{group}[{index}].{answer}.{kind}[{n}]", ref, kind
    for n, ref in enumerate(checklist.tried_care.care):
        yield f"tried_care.care[{n}]", ref, "care"
    for n, ref in enumerate(checklist.always_care):
        yield f"always_care[{n}]", ref, "care"


def _check_checklist(checklist: Checklist, care: CareOptions, injections: set[str], flags: RedFlags) -> None:
    """Every topic points at real injections and parts of care; every answer id is unique."""
    name = "checklist.yaml"
    known = {"injections": injections, "care": {c.id for c in care.components}}
    labels = {"injections": "injection", "care": "part of care (care_options.yaml)"}
    for field, ref, kind in _checklist_links(checklist):
        if ref not in known[kind]:
            raise ContentError(name, field, f"unknown {labels[kind]} '{ref}'")
    if checklist.tried_care.follows not in {s.id for s in checklist.signals}:
        raise ContentError(name, "tried_care.follows", f"no signal with id '{checklist.tried_care.follows}'")
    answers = [(f"signals[{i}].id", s.id) for i, s in enumerate(checklist.signals)]
    answers += [(f"locations[{i}].id", s.id) for i, s in enumerate(checklist.locations)]
    answers += [(f"(red flag) {s.id}", s.id) for s in flags.signs]
    _check_unique(name, answers)


def _check_reasons_to_wait(reasons: Contraindications, flags: RedFlags) -> None:
    """A reason to wait may point at a red-flag sign (an infection at a fever); that sign must exist."""
    signs = {s.id for s in flags.signs}
    for index, item in enumerate(reasons.items):
        if item.red_flag is not None and item.red_flag not in signs:
            problem = f"no red-flag sign '{item.red_flag}'"
            raise ContentError("contraindications.yaml", f"items[{index}].red_flag", problem)


def _check_warning_signs(warnings: WarningSigns, injections: set[str], name: str) -> None:
    """A list that comes from one injection's advice names injections that exist."""
    for group in ("at_once", "call_doctor"):
        for index, injection in enumerate(getattr(warnings, group).source_for):
            if injection not in injections:
                problem = f"unknown injection '{injection}'"
                raise ContentError(name, f"{group}.source_for[{index}]", problem)


def _check_site_map(site_map: SiteMap, injections: set[str], guide: EducatorGuide) -> None:
    """Ids and notebooks are unique, every injection has one page, and the educator guide's pages exist."""
    name = "pages.yaml"
    _check_unique(name, ((f"pages[{i}].id", p.id) for i, p in enumerate(site_map.pages)))
    _check_unique(name, ((f"pages[{i}].notebook", p.notebook) for i, p in enumerate(site_map.pages)))
    presented = []
    for index, page in enumerate(site_map.pages):
        if page.injection is not None:
            if page.kind != "reading":
                raise ContentError(name, f"pages[{index}].injection", "only a reading page can present an injection")
            if page.injection not in injections:
                raise ContentError(name, f"pages[{index}].injection", f"unknown injection '{page.injection}'")
            presented.append((f"pages[{index}].injection", page.injection))
    _check_unique(name, presented)
    missing = sorted(injections - {i for _, i in presented})
    if missing:
        raise ContentError(name, "pages", f"no page presents the injection(s) {', '.join(missing)}")
    notebooks = {page.notebook for page in site_map.pages}
    for index, entry in enumerate(guide.notebooks):
        if entry.notebook not in notebooks:
            raise ContentError("educator_guide.yaml", f"notebooks[{index}].notebook", f"no page '{entry.notebook}'")


def _check_templates(value: Any) -> None:
    """Every label with {braces} must be a well-formed template, so a typo fails at load, not on a page."""
    for leaf in walk(value):
        if not isinstance(leaf.value, str):
            continue
        try:
            names = [name for _, name, _, _ in Formatter().parse(leaf.value) if name is not None]
        except ValueError as error:
            raise ContentError("labels.yaml", field_path(leaf.loc), f"not a valid template: {error}") from None
        if any(not name.isidentifier() for name in names):
            raise ContentError("labels.yaml", field_path(leaf.loc), "expected {name} placeholders with a plain name")


def _check_care_options(care: CareOptions) -> None:
    for group in ("goals", "components", "values"):
        _check_unique("care_options.yaml", ((f"{group}[{i}].id", e.id) for i, e in enumerate(getattr(care, group))))


def content_fingerprint(base: Path = CONTENT_DIR) -> str:
    """SHA-256 over every content file (its path and bytes) but the change logs: what a logged version records, so
    ``backpain-edu validate`` can tell content that changed without a new change-log entry."""
    digest = hashlib.sha256()
    for path in sorted(base.rglob("*.yaml")):
        if path.name in (CHANGELOG_FILE, REVIEWS_FILE):  # records about the content, not content
            continue
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_languages(base: Path = CONTENT_DIR) -> Languages:
    return load_model(base / "languages.yaml", Languages, base)


def content_folder(base: Path, language: str | None, languages: Languages | None = None) -> Path:
    """Where ``language``'s text files are: ``base`` for the source language, ``base/<code>`` for a translation.
    An unknown language fails naming the ones there are. ``languages``: base's, when already loaded."""
    languages = languages or load_languages(base)
    if language is None or language == languages.source.code:
        return base
    if language not in languages.codes:
        known = ", ".join(languages.codes)
        raise ContentError("languages.yaml", "languages", f"no language '{language}' (known: {known})")
    return base / language


def load_catalog_from(base: Path, deployment: Deployment | None = None, language: str | None = None) -> Catalog:
    """Load and cross-check every content file under ``base``, for ``deployment`` (default: none set), in
    ``language`` (default: the source language); a translation shares only :data:`SHARED_FILES`."""
    languages = load_languages(base)  # once per load: every kernel loads a catalog
    source = languages.source.code
    folder = content_folder(base, language, languages)
    references = {r.key: r for r in _load_list(base / "references.yaml", Reference, base)}
    glossary = {t.id: t for t in _load_list(folder / "glossary.yaml", GlossaryTerm, base)}
    injections = []
    for path in sorted((folder / "injections").glob("*.yaml")):
        injection = load_model(path, Injection, base)
        name = _name(path, base)
        if injection.id != path.stem:
            raise ContentError(name, "id", f"expected '{path.stem}' to match the file name")
        for index, term in enumerate(injection.glossary):
            if term not in glossary:
                raise ContentError(name, f"glossary[{index}]", f"unknown glossary term '{term}'")
        injections.append(injection)
    site = load_model(folder / "site.yaml", Site, base)
    red_flags = load_model(folder / "red_flags.yaml", RedFlags, base)
    contraindications = load_model(folder / "contraindications.yaml", Contraindications, base)
    checklist = load_model(folder / "checklist.yaml", Checklist, base)
    care_options = load_model(folder / "care_options.yaml", CareOptions, base)
    diary = load_model(folder / "diary.yaml", DiaryContent, base)
    educator_guide = load_model(base / EDUCATOR_GUIDE_FILE, EducatorGuide, base)
    emergency_help = load_model(folder / "emergency.yaml", EmergencyHelp, base)
    warning_signs = load_model(folder / "warning_signs.yaml", WarningSigns, base)
    governance = load_model(folder / "governance.yaml", Governance, base)
    site_map = load_model(folder / "pages.yaml", SiteMap, base)
    labels = load_model(folder / "labels.yaml", Labels, base)
    findings = load_model(folder / "findings.yaml", Findings, base)
    no_injection = load_model(folder / "no_injection.yaml", NoInjection, base)
    readiness = load_model(folder / "readiness.yaml", Readiness, base)
    about = load_model(folder / "about.yaml", About, base)
    reviews = load_model(base / REVIEWS_FILE, Reviews, base) if (base / REVIEWS_FILE).is_file() else Reviews()
    changelog = load_model(folder / CHANGELOG_FILE, Changelog, base)
    if changelog.entries[0].version != governance.content_version:
        name = _name(folder / CHANGELOG_FILE, base)
        problem = (
            f"the newest version is {changelog.entries[0].version}, governance.yaml says {governance.content_version}"
        )
        raise ContentError(name, "entries[0].version", problem)
    for index, question in enumerate(readiness.questions):
        if question.page not in {page.id for page in site_map.pages}:
            name = _name(folder / "readiness.yaml", base)
            raise ContentError(name, f"questions[{index}].page", f"no page '{question.page}' in pages.yaml")
    _check_findings(findings, {i.id for i in injections}, _name(folder / "findings.yaml", base))
    _check_templates(labels)
    _check_site_map(site_map, {i.id for i in injections}, educator_guide)
    if governance.next_review <= governance.last_reviewed:
        raise ContentError("governance.yaml", "next_review", "expected a date after last_reviewed")
    _check_care_options(care_options)
    _check_reasons_to_wait(contraindications, red_flags)
    _check_checklist(checklist, care_options, {i.id for i in injections}, red_flags)
    _check_warning_signs(warning_signs, {i.id for i in injections}, _name(folder / "warning_signs.yaml", base))
    if folder != base and governance.translated_from != source:
        name = _name(folder / "governance.yaml", base)
        raise ContentError(name, "translated_from", f"expected '{source}' in a translation")
    catalog = Catalog(
        site=site,
        injections=tuple(sorted(injections, key=lambda i: site_map.pages.index(site_map.injection_page(i.id)))),
        red_flags=red_flags,
        contraindications=contraindications,
        glossary=glossary,
        references=references,
        checklist=checklist,
        care_options=care_options,
        diary=diary,
        educator_guide=educator_guide,
        emergency_help=emergency_help,
        warning_signs=warning_signs,
        governance=governance,
        site_map=site_map,
        labels=labels,
        findings=findings,
        no_injection=no_injection,
        readiness=readiness,
        about=about,
        changelog=changelog,
        reviews=reviews,
        deployment=deployment or Deployment(),
        language=source if language is None else language,
    )
    for name, document in catalog.documents():
        _check_refs(_name(folder / name, base), document, references)
    _check_refs(EDUCATOR_GUIDE_FILE, educator_guide, references)
    return catalog


def _check_findings(findings: Findings, injection_ids: set[str], name: str) -> None:
    """Each finding belongs to a known injection or kind of pain, and each page shows at most one picture per
    option: one of the injection's benefit (beside "how big"), one of how the pain goes without it."""
    shown: set[tuple[str, str]] = set()
    for index, finding in enumerate(findings.findings):
        field, about = ("injection", finding.injection) if finding.injection else ("course", finding.course)
        if field == "injection" and about not in injection_ids:
            raise ContentError(name, f"findings[{index}].injection", f"unknown injection '{about}'")
        if field == "course" and finding.kind != "helps":
            raise ContentError(name, f"findings[{index}].kind", "a course without an injection counts who got better")
        if (about, finding.kind) in shown:
            problem = f"a second '{finding.kind}' finding for '{about}': its page shows one"
            raise ContentError(name, f"findings[{index}].{field}", problem)
        shown.add((str(about), finding.kind))
    drawn: set[str] = set()
    for index, scale in enumerate(findings.scales):
        if scale.injection not in injection_ids or scale.injection in drawn:
            problem = (
                f"unknown injection '{scale.injection}'" if scale.injection not in injection_ids else "a second scale"
            )
            raise ContentError(name, f"scales[{index}].injection", problem)
        drawn.add(scale.injection)


_page_language: str | None = None
"""The language :func:`load_catalog` shows; None: the source language."""


def use_language(code: str) -> None:
    """Show every page of this process (a kernel runs one page) in the language ``code``: a notebook in
    ``notebooks/<code>/`` calls it first, so Voila, nbval, JupyterLab and the finished reading pages all
    show the same language without any setting. An unknown code fails, naming the known ones."""
    global _page_language
    content_folder(CONTENT_DIR, code)
    _page_language = code


def load_catalog() -> Catalog:
    """The package's own content for this deployment (from the environment), in the page's language
    (:func:`use_language`), parsed once per process, language and deployment."""
    return _load_catalog(_page_language, Deployment.from_environ())


@cache
def _load_catalog(language: str | None, deployment: Deployment) -> Catalog:
    return load_catalog_from(CONTENT_DIR, deployment, language)


def content_state(base: Path = CONTENT_DIR) -> tuple[tuple[str, int, int], ...]:
    """Each content file's name, size and modification time: what changes when any file is edited (a millisecond
    to read, where parsing the content takes a tenth of a second)."""
    files = sorted(path for path in base.rglob("*") if path.is_file())
    return tuple((str(path.relative_to(base)), (stat := path.stat()).st_size, stat.st_mtime_ns) for path in files)


_preloaded_state: tuple[tuple[str, int, int], ...] | None = None


def preload_catalogs() -> None:
    """Parse every language's catalog for this environment's deployment now, once, for the processes forked from
    this one (the kernel zygote, app/zygote.py): each kernel then finds its catalog parsed. A forked kernel calls
    :func:`forget_catalogs_if_content_changed` first, so an edit made since is never hidden from it."""
    global _preloaded_state
    _preloaded_state = content_state()
    deployment, languages = Deployment.from_environ(), load_languages()
    for code in languages.codes:
        _load_catalog(None if code == languages.source.code else code, deployment)


def forget_catalogs_if_content_changed() -> bool:
    """In a process forked after :func:`preload_catalogs`: drop the parsed catalogs if any content file has changed
    since (each is then parsed afresh on first use). Returns whether they were dropped."""
    if _preloaded_state is None or content_state() == _preloaded_state:
        return False
    _load_catalog.cache_clear()
    return True
