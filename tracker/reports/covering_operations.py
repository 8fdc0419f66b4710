"""Writing the covering report and the council's report settings: the texts of a draft's covering
report (carried forward from the last report), the authority's list of sections, its Word template.
Each records its change and only flushes (tracker/transactions.py)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import history
from ..extensions import db
from ..models import CommitteeReport, CoveringReport, CoveringSettings, Review, utcnow
from ..plan.operations import Conflict, check_version  # noqa: F401  (Conflict: for the views)
from ..refused import Refused
from .covering_sections import DEFAULT_SECTIONS, parse_sections, sections_text, text_keys

TEXT_MAX = 20000


def settings_for(authority_id: int) -> CoveringSettings | None:
    return db.session.scalar(select(CoveringSettings).where(CoveringSettings.authority_id == authority_id))


def sections_for(authority_id: int) -> list[dict]:
    settings = settings_for(authority_id)
    return (settings.sections if settings and settings.sections else None) or DEFAULT_SECTIONS


def _settings(authority_id: int) -> CoveringSettings:
    settings = settings_for(authority_id)
    if settings is None:
        settings = CoveringSettings(authority_id=authority_id)
        db.session.add(settings)
        db.session.flush()
    return settings


def save_sections(authority_id: int, text: str, *, by=None, expected_version=None) -> bool:
    sections = parse_sections(text)
    settings = _settings(authority_id)
    check_version(settings, expected_version)
    before = sections_text(settings.sections or DEFAULT_SECTIONS)
    after = sections_text(sections)
    if before == after:
        return False
    history.record(entity_type="covering_settings", entity_id=settings.id, field="sections", before=before,
                   after=after, by=by, label="Covering report sections")
    settings.sections = sections
    db.session.flush()
    return True


def save_word_template(authority_id: int, name: str, content: bytes | None, *, by=None) -> None:
    """Store (or with ``content`` None, remove) the council's Word template; checked by the caller."""
    settings = _settings(authority_id)
    user = history.actor(by)
    history.record(entity_type="covering_settings", entity_id=settings.id, field="word_template",
                   before=settings.word_template_name, after=name if content else None, by=by,
                   label="Council's Word template")
    settings.word_template = content
    settings.word_template_name = name if content else None
    settings.word_template_uploaded_at = utcnow() if content else None
    settings.word_template_uploaded_by = getattr(user, "name", None) if content else None
    db.session.flush()


def covering_of(report: CommitteeReport) -> CoveringReport | None:
    return db.session.scalar(select(CoveringReport).where(CoveringReport.report_id == report.id))


def _previous(report: CommitteeReport | None, review: Review) -> CoveringReport | None:
    """The covering report to carry forward: the last published report's, else the latest draft's."""
    query = (select(CoveringReport).join(CommitteeReport, CoveringReport.report_id == CommitteeReport.id)
             .where(CommitteeReport.review_id == review.id))
    if report is not None and report.id:
        query = query.where(CommitteeReport.id != report.id)
    return db.session.scalar(query.order_by((CommitteeReport.status == "published").desc(),
                                            CommitteeReport.published_at.desc(), CommitteeReport.meeting_on.desc(),
                                            CommitteeReport.id.desc()).limit(1))


def default_texts(review: Review, committee: str) -> dict:
    """First words for a council's first report: the seed paper's, filled in from the plan."""
    actions = [a for a in review.actions if not a.archived]
    approved = ""
    if review.approved_on:
        approved = (f"The {review.approved_by or 'council'} approved the {review.title} on "
                    f"{review.approved_on.strftime('%-d %B %Y')}; this report considers the progress in "
                    "implementing its recommendations.\n\n")
    return {
        "summary": f"This report details the progress in implementing the {review.title} Action Plan.",
        "recommendations": f"The {committee} is asked to note the report.",
        "background": approved + (
            f"The original report contained {len(review.recommendations)} key recommendations. Appendix A "
            "restates those recommendations and gives a commentary on their current status.\n\n"
            f"In addition to these main recommendations there were {len(actions)} individual actions. "
            "Appendix B details them and reports their current status."),
        "recommendations-2": f"The {committee} is asked to note the report and the progress in delivering the "
                             "Action Plan, and to endorse the amendments set out in this report.",
    }


def covering_values(report: CommitteeReport | None, review: Review) -> dict:
    """What the covering report says: its own saved values, else those carried forward from the last
    report, else the first words (implications default to "None", as the seed paper's)."""
    own = covering_of(report) if report is not None and report.id else None
    source = own or _previous(report, review)
    texts = dict((source.texts or {}) if source else default_texts(review, report.committee if report else
                                                                   "committee"))
    for key, _title in text_keys(sections_for(review.authority_id)):
        if "." in key:
            texts.setdefault(key, "None")
    return {"reference": source.reference if source else "", "contact_officer": source.contact_officer if source else "",
            "extension": source.extension if source else "", "texts": texts, "saved": own is not None,
            "version": own.version if own else None}


def save_covering(report: CommitteeReport, review: Review, *, reference: str, contact_officer: str, extension: str,
                  texts: dict, by=None, expected_version=None) -> bool:
    if report.published:
        raise Refused("This report is published: its covering report is frozen")
    covering = covering_of(report)
    if covering is None:
        carried = covering_values(report, review)
        covering = CoveringReport(report_id=report.id, reference=carried["reference"],
                                  contact_officer=carried["contact_officer"], extension=carried["extension"],
                                  texts=carried["texts"])
        db.session.add(covering)
        try:
            db.session.flush()
        except IntegrityError:
            # Two first saves at once: the other person's committed while this one read "none saved
            # yet", and the one-per-report constraint let theirs win. Theirs is not overwritten
            # unseen: a conflict, as for any stale form (the caller discards the failed flush).
            raise Conflict(current_version=0, current={}, submitted={}) from None
    elif expected_version is not None:
        check_version(covering, expected_version)
    changed = False
    label = f"Report {report.id} covering report"
    for field, value, limit in (("reference", reference, 40), ("contact_officer", contact_officer, 200),
                                ("extension", extension, 40)):
        value = (value or "").strip()
        if len(value) > limit:
            raise Refused(f"Keep it to {limit} characters or fewer", field)
        if (getattr(covering, field) or "") != value:
            history.record(entity_type="committee_report", entity_id=report.id, field=field,
                           before=getattr(covering, field), after=value, by=by, review_id=review.id, label=label)
            setattr(covering, field, value)
            changed = True
    new_texts = dict(covering.texts or {})
    for key, title in text_keys(sections_for(review.authority_id)):
        if key not in texts:
            continue
        value = (texts[key] or "").strip().replace("\r\n", "\n")
        if len(value) > TEXT_MAX:
            raise Refused(f"{title}: keep it to {TEXT_MAX:,} characters or fewer", key)
        if (new_texts.get(key) or "") != value:
            history.record(entity_type="committee_report", entity_id=report.id, field=f"text: {title}"[:60],
                           before=new_texts.get(key), after=value, by=by, review_id=review.id, label=label)
            new_texts[key] = value
            changed = True
    if changed:
        covering.texts = new_texts
        covering.updated_at = utcnow()
        db.session.flush()
    return changed
