"""The REST API's ground floor: what every app's API builds on, and which imports no app.

- problems: every error as RFC 9457 problem+json with a stable `code`;
- authentication: partner keys (`Authorization: Api-Key <key>`) and the portal's own session;
- permissions: scopes per key, checked per action;
- throttling: a rate per key, with RateLimit headers and Retry-After;
- pagination: signed cursors;
- views: the base view (ETag / If-None-Match, call log, caching headers) and viewsets;
- schema: the OpenAPI generator that documents all of the above on every operation.

The partner key model is named by the API_KEY_MODEL setting (like AUTH_USER_MODEL), so that
this floor needs no import from the app that defines it.
"""
