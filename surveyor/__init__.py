"""surveyor: a literature assistant over paper abstracts, with verified citations."""

from surveyor.app import Surveyor
from surveyor.errors import SurveyorError
from surveyor.ingest import IngestReport
from surveyor.records import Answer, Chunk, Citation, Draft, Hit, Paper, ReadError, Record
from surveyor.settings import Settings

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "Draft",
    "Hit",
    "IngestReport",
    "Paper",
    "ReadError",
    "Record",
    "Settings",
    "Surveyor",
    "SurveyorError",
]
