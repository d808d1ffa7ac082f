"""The base of every content model: strict, so a misspelt field is reported, not ignored."""

from pydantic import BaseModel, ConfigDict

# Ids in content files, which also become URL parts and anchors: `dev-team`, `wh-01`.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class ContentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
