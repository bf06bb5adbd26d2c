"""
Pure domain logic for the Learning Citizen criteria: no Django, no XBlock.

Frameworks, competence frameworks and the credit-event contract are data validated against
JSON Schemas shipped in ``schemas/``; standing is computed from points per indicator.
"""
