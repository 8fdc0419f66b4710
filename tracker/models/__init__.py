"""All models, imported here so Alembic and the app see every table."""
from .plan import (Authority, Review, Theme, SubTheme, Recommendation, Variation, Action, Measure,
                   action_recommendation, utcnow)
from .projects import Project
from .people import Owner
from .changes import Change, AppendOnlyError
from .standards import Standard, Criterion, SubCriterion, Element, action_element
from .users import User, ROLES
from .sessions import SignInCounter, UserSession
from .reports import CommitteeReport
from .covering import CoveringReport, CoveringSettings
from .assessments import Assessment, ElementRating
from .vocabulary import StatusWord
from .owners import OwnerReply, SentMessage, UpdateRequest, UpdateRequestItem
from .jobs import Job, JOB_STATES
from . import search_index  # noqa: F401  (full-text index DDL on the action and measure tables)

__all__ = ["Authority", "Review", "Theme", "SubTheme", "Recommendation", "Variation", "Action", "Measure",
           "action_recommendation", "Project", "Owner", "Change", "AppendOnlyError", "Standard", "Criterion",
           "SubCriterion", "Element", "action_element", "User", "ROLES", "utcnow", "CommitteeReport",
           "CoveringReport", "CoveringSettings",
           "Assessment", "ElementRating", "SignInCounter", "UserSession", "StatusWord", "UpdateRequest",
           "UpdateRequestItem", "OwnerReply", "SentMessage", "Job", "JOB_STATES"]
