"""The database tables and the input/output models of the catalogue."""

from app.models.areas import PlaceName, PostcodeArea
from app.models.audit import CatalogueState, OfferChange, ProviderChange
from app.models.catalogue import (
    PRECISIONS,
    PROVIDER_KINDS,
    DistinctPair,
    District,
    KindGuidance,
    Location,
    Offer,
    OfferBase,
    OfferCategory,
    OpeningException,
    OpeningHours,
    Provider,
    utcnow,
)
from app.models.corrections import Correction
from app.models.goals import Goal, GoalChange, GoalField, Indicator, Measure, MeasureNote
from app.models.hsds import HsdsService, HsdsUpload
from app.models.kitafacts import FACT_KINDS, OfferFact, SourcedFactPublic
from app.models.offer import (
    OfferCreate,
    OfferDetail,
    OfferPage,
    OfferPublic,
    OfferReplace,
    OfferUpdate,
    OpeningExceptionIn,
    OpeningHoursIn,
)
from app.models.planning import GridCell, PlanningIndicator, PopulationFigure
from app.models.planning_history import PlanningSnapshot
from app.models.planning_scenario import Scenario, ScenarioChange
from app.models.provider import ProviderCreate, ProviderPublic, ProviderUpdate
from app.models.provider_access import (
    PROVIDER_ROLE,
    ProviderEdit,
    ProviderInvitation,
    ProviderMember,
    VerificationRequest,
    VerificationRound,
)
from app.models.schools import School
from app.models.staff import ApiToken, SignInAttempt, StaffSession, StaffUpload, StaffUser

__all__ = [
    "PlanningSnapshot",
    "Scenario",
    "ScenarioChange",
    "Goal",
    "GoalChange",
    "GoalField",
    "Indicator",
    "Measure",
    "MeasureNote",
    "PRECISIONS",
    "PROVIDER_KINDS",
    "CatalogueState",
    "Correction",
    "FACT_KINDS",
    "OfferFact",
    "SourcedFactPublic",
    "District",
    "KindGuidance",
    "Location",
    "Offer",
    "OfferBase",
    "OfferCategory",
    "OfferChange",
    "OfferCreate",
    "OfferPage",
    "OfferPublic",
    "OfferUpdate",
    "OpeningHours",
    "PlaceName",
    "PostcodeArea",
    "Provider",
    "utcnow",
    # staff (issue 9)
    "ApiToken",
    "DistinctPair",
    "OfferDetail",
    "OfferReplace",
    "OpeningException",
    "OpeningExceptionIn",
    "OpeningHoursIn",
    "ProviderChange",
    "ProviderCreate",
    "ProviderPublic",
    "ProviderUpdate",
    "SignInAttempt",
    "StaffSession",
    "StaffUpload",
    "StaffUser",
    "GridCell",
    "PlanningIndicator",
    "PopulationFigure",
    "School",
    "HsdsService",
    "HsdsUpload",
    # provider accounts and verification rounds (issue 18)
    "PROVIDER_ROLE",
    "ProviderEdit",
    "ProviderInvitation",
    "ProviderMember",
    "VerificationRequest",
    "VerificationRound",
]
