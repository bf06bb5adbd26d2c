"""Every message of the relay app (the credit_relay command, its tables) has a Vietnamese translation."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.translations import ROOT, load, marked_messages, python_files, untranslated

CATALOGUE = ROOT / "xblocks/relay/locale/vi/LC_MESSAGES/django.mo"
MARKERS = {"_", "N_", "gettext", "gettext_lazy", "ngettext"}


def messages():
    return list(marked_messages(python_files("xblocks/relay", "xblocks/relay/management/commands"), MARKERS))


def test_every_message_is_translated_to_vietnamese():
    assert len(messages()) > 30
    missing = untranslated(messages(), load(CATALOGUE))
    assert not missing, "run `make relay-translations` and translate:\n" + "\n".join(missing)


@pytest.mark.database
@pytest.mark.django_db
def test_the_command_speaks_vietnamese():
    out = io.StringIO()
    with translation.override("vi"):
        call_command("credit_relay", "status", stdout=out)
        with pytest.raises(CommandError, match="không phải là ngày"):
            call_command("credit_relay", "digest", "--since", "hôm qua")
    assert out.getvalue().strip() == "0 mục tín chỉ đang chờ gửi."
