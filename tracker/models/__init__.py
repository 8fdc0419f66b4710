"""All models, imported here so Alembic and the app see every table."""
from . import search_index  # noqa: F401  (full-text index DDL on the action and measure tables)
from .assessments import Assessment, ElementRating
from .changes import AppendOnlyError, Change
from .covering import CoveringReport, CoveringSettings
from .data_version import DataVersion
from .jobs import JOB_STATES, Job
from .owners import OwnerReply, SentMessage, UpdateRequest, UpdateRequestItem
from .people import Owner
from .plan import (
                   Action,
                   Authority,
                   Measure,
                   Recommendation,
                   Review,
                   SubTheme,
                   Theme,
                   Variation,
                   action_recommendation,
                   utcnow,
)
from .projects import Project
from .reports import CommitteeReport
from .sessions import SignInCounter, UserSession
from .standards import Criterion, Element, Standard, SubCriterion, action_element
from .users import ROLES, User
from .vocabulary import StatusWord

__all__ = ["Authority", "Review", "Theme", "SubTheme", "Recommendation", "Variation", "Action", "Measure",
           "action_recommendation", "Project", "Owner", "Change", "AppendOnlyError", "Standard", "Criterion",
           "SubCriterion", "Element", "action_element", "User", "ROLES", "utcnow", "CommitteeReport",
           "CoveringReport", "CoveringSettings", "DataVersion",
           "Assessment", "ElementRating", "SignInCounter", "UserSession", "StatusWord", "UpdateRequest",
           "UpdateRequestItem", "OwnerReply", "SentMessage", "Job", "JOB_STATES"]
