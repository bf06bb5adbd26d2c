"""
A handler request whose form Django itself refuses (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS)
is answered in the block's JSON, in the reader's language, through the workbench's real URL and
middleware; before, Django's HTML error page answered it.
"""
import json
import uuid

import pytest
from django.test import Client

from tests import harness
from xblocks.evidence.models import Declaration

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def _usage(olx):
    return str(harness.load(olx, f"refused-{uuid.uuid4().hex[:8]}", user="setup"))


@pytest.mark.parametrize("language, expected", [("en", "The request holds too many fields or files."),
                                                ("vi", "Yêu cầu có quá nhiều trường hoặc tệp.")])
def test_ten_thousand_indicators_through_the_workbench(language, expected):
    usage = _usage('<evidence-declaration display_name="Declare"/>')
    body = "&".join(["indicators=3"] * 10_000 + ["title=x"])
    response = Client(HTTP_ACCEPT_LANGUAGE=language).post(f"/handler/{usage}/declare/?student=101", body,
                                                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"message": expected, "problems": []}
    assert not Declaration.objects.exists()


def test_other_blocks_answer_in_their_own_shape():
    usage = _usage("<learning-citizen-standing/>")
    body = "&".join(["a=1"] * 2_000)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(f"/handler/{usage}/standing/?student=101", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert json.loads(response.content) == {"error": "The request holds too many fields or files."}
