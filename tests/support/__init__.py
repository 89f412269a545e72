"""What the tests share: a client that posts forms with their CSRF token and signs users
in (client), factories (with the national-number builder), the mail outbox (mail),
candidates filling in the application (candidate), recruiter scenes and actions
(review), and PDF reading (letters)."""
