"""
The evidence block: learners declare learning done elsewhere, with files or links as evidence
(kê khai, minh chứng); course staff and holders of the reviewer permission review it, and an
approval becomes credit in the criteria ledger. Also a Django app (label
``learning_citizen_evidence``) holding the declarations.
"""
