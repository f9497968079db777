"""Extraction, Stripe → Arrow/Parquet: lists paged over async HTTP, one shared limit, no Dagster.

Entry points: `StripeHttp` (settings), `StripeSession` (one per run, shares the
limiter), `extract_month`, `find_first_month`, `ParquetSinks`.
"""

from pipeline.catalog import tables_for
from pipeline.extract.client import StripeSession
from pipeline.extract.config import StripeHttp, key_mode
from pipeline.extract.errors import StripeApiError, StripeExtractError
from pipeline.extract.first_month import find_first_month
from pipeline.extract.listing import SplitPolicy
from pipeline.extract.month import extract_month
from pipeline.extract.sink import ParquetSinks
from pipeline.extract.stats import ExtractStats

__all__ = [
    "ExtractStats",
    "ParquetSinks",
    "SplitPolicy",
    "StripeApiError",
    "StripeExtractError",
    "StripeHttp",
    "StripeSession",
    "extract_month",
    "find_first_month",
    "key_mode",
    "tables_for",
]
