"""The site's address (issuer, key URL, xAPI home page) set once: settings, variables, the demo's own address."""
import json
import os
import subprocess
import sys

import pytest

from xblocks.cli import base_url_of, serve_address, use_demo_address

# Prints what the standalone settings make of the environment: the credentials' URLs and the xAPI home page.
PROBE = """
import json, django
django.setup()
from xblocks.credentials.settings import credential_settings
from xblocks.credentials.keys import key_url
from xblocks.reports.xapi import home_page_setting
config = credential_settings()
print(json.dumps({"issuer": config["ISSUER_ID"], "key": key_url(config["BASE_URL"], "K"), "home": home_page_setting()}))
"""


def probe(tmp_path, **variables):
    environ = {name: value for name, value in os.environ.items()
               if name not in ("LEARNING_CITIZEN_BASE_URL", "LEARNING_CITIZEN_XAPI_HOME_PAGE")}
    environ.update(DJANGO_SETTINGS_MODULE="xblocks.standalone.settings", LEARNING_CITIZEN_VAR=str(tmp_path), **variables)
    done = subprocess.run([sys.executable, "-c", PROBE], env=environ, capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("argv, expected", [
    (["demo", "--serve", "0.0.0.0:8123"], "http://127.0.0.1:8123"),
    (["demo", "--serve=192.0.2.7:9000"], "http://192.0.2.7:9000"),
    (["demo", "--serve", "8124"], "http://127.0.0.1:8124"),
    (["demo", "--serve", "[::1]:8125"], "http://[::1]:8125"),
    (["demo", "--serve", "demo.example.vn:80"], "http://demo.example.vn:80"),
])
def test_the_demo_names_the_address_it_serves(argv, expected):
    environ = {}
    use_demo_address(argv, environ)
    assert environ == {"LEARNING_CITIZEN_BASE_URL": expected}
    assert base_url_of(serve_address(argv)) == expected


def test_an_operators_base_url_wins_over_the_demo_address_and_other_actions_set_none():
    environ = {"LEARNING_CITIZEN_BASE_URL": "https://hoctap.example.vn"}
    use_demo_address(["demo", "--serve", "0.0.0.0:8123"], environ)
    assert environ == {"LEARNING_CITIZEN_BASE_URL": "https://hoctap.example.vn"}
    for argv in (["demo"], ["verify"], ["export", "--serve", "1:2"]):
        untouched = {}
        use_demo_address(argv, untouched)
        assert untouched == {}


def test_the_base_url_variable_sets_issuer_key_url_and_xapi_home_page(tmp_path):
    found = probe(tmp_path, LEARNING_CITIZEN_BASE_URL="https://hoctap.example.vn/")
    assert found == {"issuer": "https://hoctap.example.vn/learning-citizen/credentials/issuer",
                     "key": "https://hoctap.example.vn/learning-citizen/credentials/keys/K",
                     "home": "https://hoctap.example.vn"}


def test_the_xapi_home_page_variable_sets_only_the_home_page(tmp_path):
    found = probe(tmp_path, LEARNING_CITIZEN_BASE_URL="https://hoctap.example.vn",
                  LEARNING_CITIZEN_XAPI_HOME_PAGE="https://sso.example.vn")
    assert found["home"] == "https://sso.example.vn"
    assert found["key"] == "https://hoctap.example.vn/learning-citizen/credentials/keys/K"


def test_without_variables_the_default_address_is_used(tmp_path):
    found = probe(tmp_path)
    assert found["home"] == "http://127.0.0.1:8000" and found["issuer"].startswith("http://127.0.0.1:8000/")
