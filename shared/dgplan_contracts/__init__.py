"""The vocabulary the dgplan services really share: who calls (roles, agency and body scope),
fiscal years, money and bilingual text on the wire and in storage.

``dgplan_shared`` is plumbing and never imports this package; services and their tests do.
"""
