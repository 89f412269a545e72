"""gunicorn's settings for the portal: gunicorn reads this file from the directory it is
started in (`gunicorn wsgi:app` in the repository). Command-line options still apply on
top (workers, bind, --access-logfile)."""

# Access logs name no bearer secret (reset and verification links, employer links,
# calendar feeds, the federal login's code): see portal/accesslog.py.
logger_class = "portal.accesslog.RedactingLogger"
