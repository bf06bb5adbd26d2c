"""
The Learning Citizen credentials: a Django app (label ``learning_citizen_credentials``, entry point
``lms.djangoapp``) that issues Open Badges 3.0 credentials from the ledger, keeps their revocation
status lists, serves the issuer's key and status lists, and verifies credentials.

It sits on the ledger (and the criteria core) and knows none of its readers: the standing block
hands a credential out, the operations layer's command verifies one.
"""
