"""
Double of ``common.djangoapps.xblock_django.constants``: the ``opt_attrs`` keys of the XBlockUser
the platform's user service builds.

Read at openedx/openedx-platform (stored commit e57a655d77b614f19223984e9805b1fb940ab192, the
Verawood line; the constants file read alongside it has exactly these keys) and openedx/edx-platform
(stored commits b6ce20a158f20ac3aca7e61fad919d6bdac026c8, older, and 0752ded57d2f950fc93301e1ca691c594efab647,
newer, which adds ``user_has_*`` permission keys the blocks do not read). The keys the blocks read
(``user_id``, ``username``, ``is_authenticated``, ``user_is_staff``, ``user_role``, the anonymous ids)
are spelled the same in every version read.
"""
ATTR_KEY_ANONYMOUS_USER_ID = "edx-platform.anonymous_user_id"
ATTR_KEY_DEPRECATED_ANONYMOUS_USER_ID = "edx-platform.deprecated_anonymous_user_id"
ATTR_KEY_REQUEST_COUNTRY_CODE = "edx-platform.request_country_code"
ATTR_KEY_IS_AUTHENTICATED = "edx-platform.is_authenticated"
ATTR_KEY_USER_ID = "edx-platform.user_id"
ATTR_KEY_USERNAME = "edx-platform.username"
ATTR_KEY_USER_IS_BETA_TESTER = "edx-platform.user_is_beta_tester"
ATTR_KEY_USER_IS_GLOBAL_STAFF = "edx-platform.user_is_global_staff"
ATTR_KEY_USER_IS_STAFF = "edx-platform.user_is_staff"
ATTR_KEY_USER_PREFERENCES = "edx-platform.user_preferences"
ATTR_KEY_USER_ROLE = "edx-platform.user_role"
