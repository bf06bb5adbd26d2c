"""
Double of ``common.djangoapps.xblock_django.user_service.DjangoXBlockUserService``: the ``user``
service the LMS (``lms/djangoapps/courseware/block_render.py``) and Studio's preview
(``cms/djangoapps/contentstore/views/preview.py``) give XBlocks.

Contract read at openedx/openedx-platform, stored commit e57a655d77b614f19223984e9805b1fb940ab192
(and openedx/edx-platform b6ce20a158f20ac3aca7e61fad919d6bdac026c8 / 0752ded57d2f950fc93301e1ca691c594efab647):
``DjangoXBlockUserService(django_user, **kwargs)`` keeps the kwargs ``user_is_beta_tester``,
``user_is_global_staff``, ``user_is_staff`` (all default False), ``user_role`` (default "student"),
``anonymous_user_id``, ``deprecated_anonymous_user_id``, ``request_country_code`` (default None).
``get_current_user()`` builds a fresh ``xblock.reference.user_service.XBlockUser(is_current_user=True)``:
for an authenticated user it sets ``full_name`` (the profile's name, else None), ``emails`` and every
key below in ``opt_attrs``; for anyone else only ``is_authenticated`` False and the country code.
The real one also reads the user's preferences (``pref-lang``, ``time_zone``); this double has none.
"""
from xblock.reference.user_service import UserService, XBlockUser

from tests.platform import xblock_django_constants as keys


class DjangoXBlockUserService(UserService):
    """Converts a Django user into the XBlockUser the platform presents."""

    def __init__(self, django_user, **kwargs):
        super().__init__(**kwargs)
        self._django_user = django_user
        self._user_is_beta_tester = kwargs.get("user_is_beta_tester", False)
        self._user_is_global_staff = kwargs.get("user_is_global_staff", False)
        self._user_is_staff = kwargs.get("user_is_staff", False)
        self._user_role = kwargs.get("user_role", "student")
        self._anonymous_user_id = kwargs.get("anonymous_user_id", None)
        self._deprecated_anonymous_user_id = kwargs.get("deprecated_anonymous_user_id", None)
        self._request_country_code = kwargs.get("request_country_code", None)

    def get_current_user(self):
        user = XBlockUser(is_current_user=True)
        django_user = self._django_user
        if django_user is not None and django_user.is_authenticated:
            profile = getattr(django_user, "profile", None)
            user.full_name = getattr(profile, "name", None)
            user.emails = [django_user.email]
            user.opt_attrs.update({
                keys.ATTR_KEY_ANONYMOUS_USER_ID: self._anonymous_user_id,
                keys.ATTR_KEY_DEPRECATED_ANONYMOUS_USER_ID: self._deprecated_anonymous_user_id,
                keys.ATTR_KEY_IS_AUTHENTICATED: True,
                keys.ATTR_KEY_REQUEST_COUNTRY_CODE: self._request_country_code,
                keys.ATTR_KEY_USER_ID: django_user.id,
                keys.ATTR_KEY_USERNAME: django_user.username,
                keys.ATTR_KEY_USER_IS_BETA_TESTER: self._user_is_beta_tester,
                keys.ATTR_KEY_USER_IS_GLOBAL_STAFF: self._user_is_global_staff,
                keys.ATTR_KEY_USER_IS_STAFF: self._user_is_staff,
                keys.ATTR_KEY_USER_ROLE: self._user_role,
                keys.ATTR_KEY_USER_PREFERENCES: {},
            })
        else:
            user.opt_attrs[keys.ATTR_KEY_IS_AUTHENTICATED] = False
            user.opt_attrs[keys.ATTR_KEY_REQUEST_COUNTRY_CODE] = self._request_country_code
        return user
