"""The bare Django floor of `make bench`: what `django-admin startproject` gives (its apps and its default
middleware), DEBUG off, no database, and one view at / that answers "ok". bench/run.py serves it with
gunicorn beside the site and measures every address of the site as a ratio to it. Nothing of the site
imports it, and the site's settings do not name it."""
