"""
Public, read-only documents a verifier needs: the issuer, its keys, the status lists, and the
criteria the achievements align to. No learner data is served here.
"""
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from xblocks.criteria.frameworks import available_frameworks, framework_document
from xblocks.criteria.problems import InvalidInput

from . import ob3
from .credentials import status_list_token
from .keys import trusted_keys
from .models import StatusList
from .settings import credential_settings

JWT_TYPE = "application/vc+jwt"


def _json(document):
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_GET
@cache_control(public=True, max_age=3600)
def issuer(request):
    """The issuer's Open Badges Profile."""
    config = credential_settings()
    return _json({
        "@context": [ob3.VC_V2_CONTEXT, ob3.OB3_CONTEXT],
        "id": config["ISSUER_ID"],
        "type": ["Profile"],
        "name": config["ISSUER_NAME"],
        "url": config["ISSUER_URL"],
    })


@require_GET
@cache_control(public=True, max_age=3600)
def key(request, thumbprint):
    """One of the issuer's public keys as a JWK (what a credential's ``kid`` points at)."""
    try:
        found = trusted_keys().get(thumbprint)
    except InvalidInput:
        found = None
    if found is None:
        raise Http404("no such key")
    return _json(found.jwk(credential_settings()["BASE_URL"]))


@require_GET
@cache_control(public=True, max_age=300)
def status(request, list_id):
    """A signed Bitstring Status List credential, computed from the credentials revoked now."""
    status_list = StatusList.objects.filter(id=list_id).first()
    if status_list is None:
        raise Http404("no such status list")
    return HttpResponse(status_list_token(status_list), content_type=JWT_TYPE)


def _framework(framework_id, version):
    framework = available_frameworks().get((framework_id, version))
    if framework is None:
        raise Http404("no such framework")
    return framework


@require_GET
@cache_control(public=True, max_age=86400)
def framework(request, framework_id, version):
    """The criteria framework an achievement aligns to, as published data (a shipped one or an operator's)."""
    document = framework_document(framework_id, version)
    if document is None:
        raise Http404("no such framework")
    return _json(document)


@require_GET
@cache_control(public=True, max_age=86400)
def achievement(request, framework_id, version, period):
    """The Achievement a credential for ``period`` carries."""
    found = _framework(framework_id, version)
    problem = found.period_problem(period)
    if problem:
        raise Http404(str(problem))
    language = "en" if request.GET.get("lang") == "en" else "vi"
    return _json({"@context": [ob3.VC_V2_CONTEXT, ob3.OB3_CONTEXT],
                  **ob3.build_achievement(base_url=credential_settings()["BASE_URL"], framework=found, period=period, language=language)})
