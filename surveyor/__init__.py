"""surveyor: a literature assistant over paper abstracts, with verified citations."""

from surveyor.app import Surveyor
from surveyor.errors import SurveyorError
from surveyor.ingest import IngestReport
from surveyor.records import Chunk, Hit, Paper, ReadError, Record
from surveyor.settings import Settings

__all__ = ["Chunk", "Hit", "IngestReport", "Paper", "ReadError", "Record", "Settings", "Surveyor", "SurveyorError"]
