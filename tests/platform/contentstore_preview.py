"""
How Studio's preview presents the user to an XBlock, as ``cms/djangoapps/contentstore/views/preview.py``
does it (``_prepare_runtime_for_preview``; read at openedx/openedx-platform, stored commit
30b0a0bff1f027fdfa2a9a7177b2cd2033e562f4). Not installed under a platform path: the blocks never
import it; the tests use it to give a block Studio's runtime.

The preview's ``user`` service is ``DjangoXBlockUserService(request.user, user_role=get_user_role(request.user,
course_id), anonymous_user_id=..., deprecated_anonymous_user_id=...)``: ``user_is_staff`` is left at its
default (False); Studio's ``get_user_role`` (cms/djangoapps/contentstore/views/access.py) answers
"instructor" or "staff" (read at openedx/edx-platform 0752ded57d2f950fc93301e1ca691c594efab647); both anonymous ids are the literal "student" unless the course individualises
them. The preview sets ``runtime.is_author_mode = True`` ("xmodules can check for this attribute during
rendering to determine if they are being rendered for preview"), for views and for ``preview_handler``.
"""
from tests.platform.xblock_django_user_service import DjangoXBlockUserService


def prepare_preview(runtime, author, user_role="instructor"):
    """Give ``runtime`` Studio's preview user service for ``author`` and mark it as the author's preview."""
    runtime._services["user"] = DjangoXBlockUserService(  # pylint: disable=protected-access
        author, user_role=user_role, anonymous_user_id="student", deprecated_anonymous_user_id="student")
    runtime.is_author_mode = True
    return runtime
