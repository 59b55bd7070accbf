"""SMS segment counting lives with the outbox (polls count segments too); re-exported here."""

from fikir.outbox.segments import (
    AZ_TO_GSM7,
    GSM7_BASIC,
    GSM7_EXTENDED,
    SegmentInfo,
    count_segments,
    fit_for_sms,
    is_gsm7,
    to_gsm7_azerbaijani,
)

__all__ = [
    "AZ_TO_GSM7",
    "GSM7_BASIC",
    "GSM7_EXTENDED",
    "SegmentInfo",
    "count_segments",
    "fit_for_sms",
    "is_gsm7",
    "to_gsm7_azerbaijani",
]
