"""What the API accepts; answers are plain dicts built in duban.api.present."""
from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from duban.catalogue.models import RequestKind, Urgency
from duban.ledger.models import DeclineReason

KINDS, URGENCIES, REASONS = list(RequestKind.values), list(Urgency.values), list(DeclineReason.values)
# A row id: the databases' integer keys stop at 2⁶³−1, and a larger number must be a 422, not a crash.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class TicketIn(Schema):
    description: str = Field(..., min_length=1, max_length=4000, description="问题描述 what happened")
    title: str = Field("", max_length=200, description="标题; derived from the description when empty")
    kind: str = Field("", description=f"诉求类型 one of {KINDS}; the category's default when empty")
    category: Id | None = Field(None, description="分类 id (GET /categories); suggested when empty")
    area: Id | None = Field(None, description="区域 unit id: district, street, community or grid")
    address: str = Field("", max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    urgency: str = Field("", description=f"紧急程度 one of {URGENCIES}")
    subject: str = Field("", max_length=200, description="the place, firm or project concerned")
    reporter_name: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=30)
    reporter_email: str = Field("", max_length=254)
    dispatch: bool = Field(True, description="dispatch by the catalogue when it can")


class ActionIn(Schema):
    text: str = Field("", max_length=4000, description="reply, note, resolution or demand")
    reason: str = Field("", max_length=1000, description="why (return, pause, extension, reopen)")
    unit: Id | None = Field(None, description="unit id (dispatch by hand, reassign)")
    co_units: list[Id] = Field(default_factory=list, max_length=100)
    decline_reason: str = Field("", description=f"one of {REASONS}")
    target: str = Field("", description="ticket number to merge into")
    days: int | None = Field(None, ge=1, le=365, description="working days (extension)")
    due: date | datetime | None = Field(None, description="deadline (supervision demand)")
    grounds: str = Field("", description="an appeal's grounds: mistaken or malicious")


class RatingIn(Schema):
    rating: int = Field(..., ge=1, le=5, description="好差评 5 非常满意 … 1 非常不满意")
    solved: bool | None = Field(None, description="was the matter solved (解决)")
    contacted: bool | None = Field(None, description="did the unit contact the reporter (响应)")
    note: str = Field("", max_length=1000, description="what the reporter said")


class MessageIn(Schema):
    sender: str = Field(..., min_length=1, max_length=50, description="the sender's name in the group")
    text: str = Field(..., min_length=1, max_length=4000)
    group: str = Field("", max_length=100, description="the group chat's name (微信服务群)")
    phone: str = Field("", max_length=30)
    message_id: str = Field("", max_length=100, description="the platform's id; a repeat is answered, not re-filed")
    sent_at: datetime | None = None
