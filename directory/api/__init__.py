"""Steward's open data API: HSDS 3.0 at /api/hsds/ (django-ninja, OpenAPI 3.1).

Read-only, no key, rate-limited per client. Objects are built by
directory.hsds.serialize; this package is routing, parameters, paging and HTTP.
"""
