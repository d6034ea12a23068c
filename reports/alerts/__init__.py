"""Bad-buzz alerts: the rule, the episodes in the database, the e-mails and their delivery."""
