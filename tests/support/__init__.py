"""What the tests share: a client that posts forms with their CSRF token and signs users
in (client), factories (with the national-number builder), the mail outbox (mail), a real
SMTP server (smtp), candidates filling in the application (candidate), recruiter scenes
and actions (review), PDF reading (letters), and parametrised matrices (matrix)."""
